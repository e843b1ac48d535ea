/**
 * Assertions for Neutron responses, on top of src/check/expect.ts: Neutron wraps
 * a resource under its singular key (`{"network": {…}}`) and a list under its
 * plural key, and one schema per resource (src/services/schemas/network/) serves
 * create, show, update and list. Violations name the JSON path from the body's
 * root (`/networks/2/admin_state_up`) and the offending value.
 */
import { describeRequest, expectStatus, fail, type ResponseLike } from './expect.js';
import { validateSchema } from '../services/schema.js';

/** A response whose decoded body is available, as the service clients return it. */
export type BodyResponse = ResponseLike & { body: unknown };

const SNIPPET = 200;

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > SNIPPET ? `${s.slice(0, SNIPPET)}…` : s;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a JSON object; a body that is not one fails the check. */
export function expectObjectBody(res: BodyResponse): Record<string, unknown> {
  let body = res.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      body = JSON.parse(String(body));
    } catch {
      fail(`${describeRequest(res)}: expected a JSON object body, got ${show(res.text.slice(0, SNIPPET))}`);
    }
  }
  if (!isObject(body)) fail(`${describeRequest(res)}: expected a JSON object body, got ${show(body)}`);
  return body;
}

/** Validates `value` (found at JSON pointer `at` in the body) against network/<schema>.json. */
export function expectNetworkSchema(schema: string, value: unknown, res: ResponseLike, at = ''): void {
  const violations = validateSchema('network', schema, value);
  if (violations.length === 0) return;
  const parts = violations
    .slice(0, 3)
    .map((v) => `${at}${v.path} ${v.message}${v.value === undefined ? '' : ` (got ${show(v.value)})`}`);
  const more = violations.length > 3 ? ` (+${violations.length - 3} more)` : '';
  fail(`${describeRequest(res)}: response does not match schema network/${schema}: ${parts.join('; ')}${more}`);
}

/**
 * Asserts `status`, a body `{ <key>: {…} }` and that the object matches the
 * resource schema; returns the object.
 */
export function expectResource<T>(res: BodyResponse, status: number, key: string, schema: string): T {
  expectStatus(res, status);
  const body = expectObjectBody(res);
  const value = body[key];
  if (!isObject(value)) fail(`${describeRequest(res)}: body should hold an object under "${key}", got ${show(body)}`);
  expectNetworkSchema(schema, value, res, `/${key}`);
  return value as T;
}

/**
 * Asserts `status` (200 unless given), a body `{ <key>: [ … ] }` and that every
 * item matches the resource schema; returns the items.
 */
export function expectResourceList<T>(res: BodyResponse, key: string, schema: string, status = 200): T[] {
  expectStatus(res, status);
  const body = expectObjectBody(res);
  const items = body[key];
  if (!Array.isArray(items)) fail(`${describeRequest(res)}: body should hold an array under "${key}", got ${show(body)}`);
  items.forEach((item, i) => {
    if (!isObject(item)) fail(`${describeRequest(res)}: /${key}/${i} should be an object, got ${show(item)}`);
    expectNetworkSchema(schema, item, res, `/${key}/${i}`);
  });
  return items as T[];
}

/**
 * Asserts a `fields=` projection: a body `{ <key>: {…} }` (or a list under
 * `<key>`) whose objects carry exactly `fields`, no more and no fewer.
 */
export function expectExactFields(res: BodyResponse, key: string, fields: readonly string[]): Record<string, unknown>[] {
  expectStatus(res, 200);
  const body = expectObjectBody(res);
  const value = body[key];
  const items = Array.isArray(value) ? value : [value];
  const want = [...fields].sort();
  items.forEach((item, i) => {
    if (!isObject(item)) fail(`${describeRequest(res)}: /${key}${Array.isArray(value) ? `/${i}` : ''} should be an object, got ${show(item)}`);
    const got = Object.keys(item).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      fail(`${describeRequest(res)}: with fields=${fields.join(',')}, /${key}${Array.isArray(value) ? `/${i}` : ''} should have exactly [${want.join(', ')}], got [${got.join(', ')}]`);
    }
  });
  return items as Record<string, unknown>[];
}

