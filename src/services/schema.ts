/**
 * JSON Schemas of API responses, one file per response under
 * `src/services/schemas/<service>/<name>.json`, compiled once with ajv (+ formats)
 * and cached. Schemas are read from the source tree (the build copies no JSON), so
 * the repository root is found by walking up from this module to package.json;
 * this works both under tsx (src/services/) and from the build (dist/src/services/).
 *
 * Use `validateSchema(service, name, value)` to get violations, or
 * `expectSchema` from src/check/expect.ts to turn them into a CheckFailure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** One way a value broke its schema: where (JSON pointer), what, and the offending value. */
export interface SchemaViolation {
  /** JSON pointer into the validated value, `''` for the root. */
  path: string;
  message: string;
  /** The value found at `path` (undefined when a required property is missing). */
  value: unknown;
}

// ajv-formats is CommonJS; under NodeNext its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();
let schemaRoot: string | undefined;

function getAjv(): Ajv {
  if (!ajv) {
    // allErrors so a report names every violation, not only the first.
    ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
  }
  return ajv;
}

/** Directory holding `<service>/<name>.json`, found from the repository root. */
export function schemaDirectory(): string {
  if (schemaRoot) return schemaRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('schema loader: no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  schemaRoot = join(dir, 'src', 'services', 'schemas');
  return schemaRoot;
}

/** The compiled validator for a response schema; throws (harness error) when the file is missing or invalid. */
export function loadSchema(service: string, name: string): ValidateFunction {
  const key = `${service}/${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const file = join(schemaDirectory(), service, `${name}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`schema ${key}: cannot read ${file}: ${(err as Error).message}`);
  }
  let validate: ValidateFunction;
  try {
    validate = getAjv().compile(parsed as object);
  } catch (err) {
    throw new Error(`schema ${key} (${file}): ${(err as Error).message}`);
  }
  cache.set(key, validate);
  return validate;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function toViolation(root: unknown, err: ErrorObject): SchemaViolation {
  let path = err.instancePath;
  let message = err.message ?? err.keyword;
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty?: string }).missingProperty;
    if (missing) path = `${path}/${missing}`;
    message = 'is required but missing';
  } else if (err.keyword === 'additionalProperties') {
    const extra = (err.params as { additionalProperty?: string }).additionalProperty;
    if (extra) path = `${path}/${extra}`;
    message = 'is not allowed by the schema';
  }
  return { path, message, value: err.keyword === 'required' ? undefined : valueAt(root, path) };
}

/** Validates `value`; an empty array means it conforms. */
export function validateSchema(service: string, name: string, value: unknown): SchemaViolation[] {
  const validate = loadSchema(service, name);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => toViolation(value, e));
}
