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

/** Asserts a response carries no body, as HTTP requires of 204 (and Tempest's client checks). */
export function expectEmptyBody(res: ResponseLike): void {
  if (res.text && res.text.length > 0) {
    fail(`${describeRequest(res)}: status ${res.status} must not carry a body, got ${res.text.length} bytes`);
  }
}

/** Asserts the body is a JSON object and returns it as a record. */
export function expectJsonObject(res: ResponseLike & { body: unknown }): Record<string, unknown> {
  const body = res.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    fail(`${describeRequest(res)}: expected a JSON object body, got ${show(res.text.slice(0, 200))}`);
  }
  return body as Record<string, unknown>;
}
