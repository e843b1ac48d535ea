/**
 * Assertion helpers the identity and image checks need beyond src/check/expect.ts.
 * Same conventions: each throws a CheckFailure naming the request and the fact.
 */
import { describeRequest, fail, type ResponseLike } from './expect.js';
import { validateSchema } from '../services/schema.js';

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/**
 * Validates every element of `items` against one schema, so an entity schema
 * (e.g. image/image) serves both single responses and list elements. `pointer`
 * is where the array sits in the body (e.g. `/images`); violations are reported
 * at `/images/<index>/<path>`.
 */
export function expectSchemaEach(
  service: string,
  name: string,
  items: readonly unknown[],
  pointer: string,
  res?: ResponseLike,
): void {
  const parts: string[] = [];
  items.forEach((item, index) => {
    for (const v of validateSchema(service, name, item)) {
      parts.push(`${pointer}/${index}${v.path} ${v.message}${v.value === undefined ? '' : ` (got ${show(v.value)})`}`);
    }
  });
  if (parts.length === 0) return;
  const where = res ? `${describeRequest(res)}: ` : '';
  const more = parts.length > 3 ? ` (+${parts.length - 3} more)` : '';
  fail(`${where}response does not match schema ${service}/${name}: ${parts.slice(0, 3).join('; ')}${more}`);
}

/** JSON text with object keys sorted, so equality ignores key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * Deep equality of JSON values regardless of key order; on failure names the
 * first differing path (e.g. `/token/expires_at`) with both values.
 */
export function expectSameJson(actual: unknown, expected: unknown, what: string): void {
  const diff = firstDifference(actual, expected, '');
  if (diff === undefined) return;
  fail(`${what}: differs at ${diff || '(root)'}: expected ${show(valueAtPath(expected, diff))}, got ${show(valueAtPath(actual, diff))}`);
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    return path;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const key of keys) {
    const d = firstDifference(ra[key], rb[key], `${path}/${key}`);
    if (d !== undefined) return d;
  }
  return path;
}

function valueAtPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
