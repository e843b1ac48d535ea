/**
 * Assertion helpers for native checks. Each throws a CheckFailure whose message
 * names the request (method + URL) and states expected vs actual, so a failed
 * check explains itself in one line without a stack trace.
 *
 * Works with any HttpResponse from src/cloud/types.ts; when the response also
 * carries `method` (service clients in src/services attach it), messages name it.
 *
 * Typical use:
 *   const res = await swift.createContainer(name);
 *   expectStatus(res, [201, 202]);
 *   expectHeaderEquals(res, 'x-container-meta-color', 'blue');
 *   expectSchema('object-storage', 'v1/container-object-listing', res.body, res);
 */
import { CheckFailure } from './api.js';
import type { HttpResponse } from '../cloud/types.js';
import { validateSchema } from '../services/schema.js';
import { redactUrl } from '../cloud/redact.js';

/** A response as assertions see it; `method` is optional extra context. */
export type ResponseLike = Pick<HttpResponse, 'status' | 'headers' | 'url' | 'text'> & { method?: string };

const SNIPPET = 200;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return s.length > SNIPPET ? `${s.slice(0, SNIPPET)}…` : s;
}

/**
 * `GET https://…/v1/AUTH_x/c` — the request a response answers, with signature and
 * token query parameters masked (failure messages end up in reports).
 */
export function describeRequest(res: ResponseLike): string {
  return `${res.method ? `${res.method} ` : ''}${redactUrl(res.url)}`;
}

/** Throws a CheckFailure; use for facts the other helpers do not cover. */
export function fail(message: string): never {
  throw new CheckFailure(message);
}

/** Asserts a condition; `message` says what should have been true. */
export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

/** Asserts the status is `expected` (or one of them). */
export function expectStatus(res: ResponseLike, expected: number | readonly number[]): void {
  const list = typeof expected === 'number' ? [expected] : expected;
  if (list.includes(res.status)) return;
  const want = list.length === 1 ? String(list[0]) : `one of ${list.join(', ')}`;
  const body = res.text ? ` (body: ${snippet(res.text)})` : '';
  fail(`${describeRequest(res)}: expected status ${want}, got ${res.status}${body}`);
}

/** What a refused request was and what its error must say (see expectRefused). */
export interface Refusal {
  /** The attempt, for the message: "creating a server with an invalid flavor". */
  what?: string;
  /** Text the error body must contain. */
  says?: string;
}

/**
 * Asserts a request was refused with `status` (or one of them): a negative test,
 * Tempest's assertRaises on that exception. The failure names the request, the
 * attempt when given, the expected and the actual status and the body.
 */
export function expectRefused(res: ResponseLike, status: number | readonly number[], refusal: string | Refusal = {}): void {
  const { what, says } = typeof refusal === 'string' ? { what: refusal, says: undefined } : refusal;
  const list = typeof status === 'number' ? [status] : status;
  if (!list.includes(res.status)) {
    const body = res.text ? ` (body: ${snippet(res.text)})` : '';
    if (what) fail(`${describeRequest(res)}: ${what} should be refused with ${list.join(' or ')}, got ${res.status}${body}`);
    const want = list.length === 1 ? String(list[0]) : `one of ${list.join(', ')}`;
    fail(`${describeRequest(res)}: expected status ${want}, got ${res.status}${body}`);
  }
  if (says !== undefined && !res.text.includes(says)) {
    fail(`${describeRequest(res)}: error ${res.status} should say "${says}", got ${show(snippet(res.text))}`);
  }
}

/**
 * Asserts the status and an empty body: Tempest's response schemas without a
 * `response_body` (volume actions, metadata item deletes…) refuse any body.
 */
export function expectNoBody(res: ResponseLike, expected: number | readonly number[]): void {
  expectStatus(res, expected);
  if (res.text !== '') fail(`${describeRequest(res)}: expected no response body, got ${show(res.text)}`);
}

/**
 * Asserts a successful (2xx) status, for requests whose exact success code the
 * reference test leaves open (it only requires that no error came back).
 */
export function expectSuccess(res: ResponseLike): void {
  if (res.status >= 200 && res.status < 300) return;
  const body = res.text ? ` (body: ${snippet(res.text)})` : '';
  fail(`${describeRequest(res)}: expected a successful (2xx) status, got ${res.status}${body}`);
}

/** Asserts a header is present and returns its value (names are case-insensitive). */
export function expectHeader(res: ResponseLike, name: string): string {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) fail(`${describeRequest(res)}: response header ${name} is missing`);
  return value;
}

/** Asserts a header is absent. */
export function expectNoHeader(res: ResponseLike, name: string): void {
  const value = res.headers[name.toLowerCase()];
  if (value !== undefined) {
    fail(`${describeRequest(res)}: response header ${name} should be absent, got ${show(value)}`);
  }
}

/** Asserts no header name starts with `prefix` (e.g. no `x-container-meta-*`). */
export function expectNoHeaderWithPrefix(res: ResponseLike, prefix: string): void {
  const p = prefix.toLowerCase();
  const found = Object.keys(res.headers).filter((h) => h.startsWith(p));
  if (found.length > 0) {
    fail(`${describeRequest(res)}: expected no ${prefix}* header, got ${found.join(', ')}`);
  }
}

/** Asserts a header equals `expected` exactly. */
export function expectHeaderEquals(res: ResponseLike, name: string, expected: string): void {
  const value = expectHeader(res, name);
  if (value !== expected) {
    fail(`${describeRequest(res)}: header ${name} expected ${show(expected)}, got ${show(value)}`);
  }
}

/** Asserts a header is present and matches `pattern`; `format` names the expected shape. */
export function expectHeaderMatches(res: ResponseLike, name: string, pattern: RegExp, format: string): string {
  const value = expectHeader(res, name);
  if (!pattern.test(value)) {
    fail(`${describeRequest(res)}: header ${name} should be ${format}, got ${show(value)}`);
  }
  return value;
}

/** Deep equality (JSON semantics; Buffers compared by bytes). `what` names the compared thing. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (Buffer.isBuffer(actual) || Buffer.isBuffer(expected)) {
    expectBytes(actual as Buffer | string, expected as Buffer | string, what);
    return;
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Byte equality; reports lengths and the first differing offset. */
export function expectBytes(actual: Buffer | string, expected: Buffer | string, what: string): void {
  const a = Buffer.isBuffer(actual) ? actual : Buffer.from(actual);
  const e = Buffer.isBuffer(expected) ? expected : Buffer.from(expected);
  if (a.equals(e)) return;
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  fail(`${what}: expected ${e.length} bytes, got ${a.length} bytes (first difference at offset ${i})`);
}

/** Parses the response text as JSON; a body that is not JSON fails the check. */
export function expectJson(res: ResponseLike): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    return fail(`${describeRequest(res)}: expected a JSON body, got ${show(snippet(res.text))}`);
  }
}

/**
 * Validates `value` against `src/services/schemas/<service>/<name>.json`; the
 * failure names the JSON path and offending value of each violation (first 3).
 */
export function expectSchema(service: string, name: string, value: unknown, res?: ResponseLike): void {
  const violations = validateSchema(service, name, value);
  if (violations.length === 0) return;
  const where = res ? `${describeRequest(res)}: ` : '';
  const parts = violations
    .slice(0, 3)
    .map((v) => `${v.path || '(root)'} ${v.message}${v.value === undefined ? '' : ` (got ${show(v.value)})`}`);
  const more = violations.length > 3 ? ` (+${violations.length - 3} more)` : '';
  fail(`${where}response does not match schema ${service}/${name}: ${parts.join('; ')}${more}`);
}
