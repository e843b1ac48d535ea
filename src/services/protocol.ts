/**
 * Service clients that own their protocol (issue 10, piloted by the DNS and
 * Orchestration clients): each operation declares the status code(s) it expects
 * and the JSON Schema of its answer, as Tempest's service clients do, and the
 * client validates every response itself. A call returns the typed body, or
 * throws a ProtocolFailure naming the request, what was expected, what came,
 * and for schema violations the JSON path.
 *
 * Negative checks say so explicitly: `expectErrorStatus(404, () => dns.showZone(id))`
 * passes only when the cloud refuses with that status and hands back the refusal.
 *
 *   class ZoneClient extends ProtocolClient {
 *     showZone(id: string) {
 *       return this.send<Zone>({ method: 'GET', path: `zones/${id}`, status: 200, schema: 'dns/v2/zone' });
 *     }
 *   }
 */
import { CheckFailure } from '../common/failures.js';
import { redactUrl } from '../cloud/redact.js';
import type { CloudClient, HttpMethod, HttpResponse, RequestOptions } from '../cloud/types.js';
import { validateSchema } from './schema.js';

/** One API operation as its client declares it. */
export interface Operation {
  method: HttpMethod;
  /** Relative to the client's base URL (no leading slash), or an absolute URL. */
  path: string;
  query?: RequestOptions['query'];
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * The status code(s) the API reference (and Tempest's client) expect on success;
   * `SUCCESS` for any 2xx, where Tempest sends a plain request and only refuses errors.
   */
  status: number | readonly number[];
  /**
   * The answer's JSON Schema, `<service>/<version>/<name>` under src/services/schemas;
   * absent when the operation answers without a body.
   */
  schema?: string;
  /**
   * Follow 301/302/303/307/308 answers to their Location (at most 5 hops, the method
   * kept but for 303), as gabbi's `redirects: True` does; the last answer is validated.
   */
  followRedirects?: boolean;
  /** How to decode the body (default JSON when the answer says so), e.g. `buffer` for image data. */
  responseType?: RequestOptions['responseType'];
  /**
   * Send the session's token (default true); `false` for requests that must go without
   * it (unauthenticated version documents, Keystone's token rescoping).
   */
  auth?: boolean;
  /**
   * The Accept header (default `application/json`); `false` sends none, for APIs that
   * negotiate the answer's format from it (Swift lists as plain text without one).
   */
  accept?: string | false;
}

/** Every 2xx status: a success of any kind (described as such in failures). */
export const SUCCESS: readonly number[] = Object.freeze(Array.from({ length: 100 }, (_, i) => 200 + i));

const REDIRECTS = [301, 302, 303, 307, 308];
const MAX_HOPS = 5;

/** A validated answer: the typed body plus what the evidence and messages need. */
export interface Reply<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
  method: HttpMethod;
  url: string;
}

const SNIPPET = 200;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > SNIPPET ? `${s.slice(0, SNIPPET)}…` : s;
}

function statusList(expected: number | readonly number[]): readonly number[] {
  return typeof expected === 'number' ? [expected] : expected;
}

/** `status 204`, `status one of 200, 204`, or `a successful (2xx) status` for SUCCESS. */
function describeStatus(list: readonly number[]): string {
  if (list === SUCCESS) return 'a successful (2xx) status';
  return list.length === 1 ? `status ${list[0]}` : `status one of ${list.join(', ')}`;
}

/** `GET http://…/v2/zones/x`, with secrets in the URL masked (messages reach reports). */
export function describeReply(r: { method: string; url: string }): string {
  return `${r.method} ${redactUrl(r.url)}`;
}

/** The cloud answered outside the declared protocol of an operation. */
export class ProtocolFailure extends CheckFailure {
  constructor(
    message: string,
    /** What the cloud answered. */
    readonly reply: Reply<unknown>,
  ) {
    super(message);
    this.name = 'ProtocolFailure';
  }
}

/** The status was not one the operation declares; `reply.status` is what came. */
export class UnexpectedStatus extends ProtocolFailure {
  constructor(
    reply: Reply<unknown>,
    readonly expected: readonly number[],
  ) {
    const body = reply.text ? ` (body: ${snippet(reply.text)})` : '';
    super(`${describeReply(reply)}: expected ${describeStatus(expected)}, got ${reply.status}${body}`, reply);
    this.name = 'UnexpectedStatus';
  }
}

/** The body broke the operation's schema; the message names each JSON path (first 3). */
export class SchemaMismatch extends ProtocolFailure {
  constructor(
    reply: Reply<unknown>,
    readonly schema: string,
    readonly violations: Array<{ path: string; message: string; value: unknown }>,
  ) {
    const parts = violations
      .slice(0, 3)
      .map((v) => `${v.path || '(root)'} ${v.message}${v.value === undefined ? '' : ` (got ${show(v.value)})`}`);
    const more = violations.length > 3 ? ` (+${violations.length - 3} more)` : '';
    super(`${describeReply(reply)}: response does not match schema ${schema}: ${parts.join('; ')}${more}`, reply);
    this.name = 'SchemaMismatch';
  }
}

/** Validates `value` against a schema named `<service>/<version>/<name>`. */
export function schemaViolations(schema: string, value: unknown): Array<{ path: string; message: string; value: unknown }> {
  const slash = schema.indexOf('/');
  if (slash <= 0) throw new Error(`schema name "${schema}" is not <service>/<name>`);
  return validateSchema(schema.slice(0, slash), schema.slice(slash + 1), value);
}

/**
 * Judges a response against the status(es) and schema `op` declares: the
 * validated reply, or a ProtocolFailure. `send` uses it; so does a client whose
 * answer comes another way (Keystone's password login goes through the session).
 */
export function judge<T>(op: Pick<Operation, 'method' | 'status' | 'schema'>, res: Pick<HttpResponse, 'status' | 'headers' | 'body' | 'text' | 'url'>): Reply<T> {
  const reply: Reply<unknown> = {
    status: res.status,
    headers: res.headers,
    body: res.body,
    text: res.text,
    method: op.method,
    url: res.url,
  };
  const expected = statusList(op.status);
  if (!expected.includes(res.status)) throw new UnexpectedStatus(reply, expected);
  if (op.schema) {
    if (typeof res.body !== 'object' || res.body === null) {
      throw new ProtocolFailure(`${describeReply(reply)}: expected a JSON body (schema ${op.schema}), got ${show(snippet(res.text))}`, reply);
    }
    const violations = schemaViolations(op.schema, res.body);
    if (violations.length > 0) throw new SchemaMismatch(reply, op.schema, violations);
  }
  return reply as Reply<T>;
}

/**
 * Base of a protocol-owning client: `send` performs one declared operation
 * against the service's base URL (resolved once) and validates the answer.
 */
export abstract class ProtocolClient {
  private baseUrl?: Promise<string>;

  constructor(
    protected readonly cloud: CloudClient,
    /** The check's deadline, passed to every request. */
    protected readonly signal?: AbortSignal,
  ) {}

  /** The version-qualified base URL of the service (from the catalog). */
  protected abstract resolveBase(): Promise<string>;

  /** The base URL requests are joined to. */
  base(): Promise<string> {
    this.baseUrl ??= this.resolveBase();
    return this.baseUrl;
  }

  /** Performs `op` and returns its validated answer; throws ProtocolFailure otherwise. */
  protected async send<T>(op: Operation): Promise<Reply<T>> {
    return judge<T>(op, await this.raw(op));
  }

  private async raw(op: Operation): Promise<HttpResponse> {
    let url = /^https?:\/\//.test(op.path) ? op.path : `${await this.base()}/${op.path}`;
    let method = op.method;
    let query = op.query;
    for (let hop = 0; ; hop++) {
      const accept: Record<string, string> = op.accept === false ? {} : { Accept: op.accept ?? 'application/json' };
      const options: RequestOptions = { method, url, headers: { ...accept, ...(op.headers ?? {}) } };
      if (query) options.query = query;
      if (op.responseType) options.responseType = op.responseType;
      if (op.auth === false) options.auth = false;
      if (op.body !== undefined && method !== 'GET') options.body = op.body;
      if (this.signal) options.signal = this.signal;
      const res = await this.cloud.request(options);
      const location = res.headers['location'];
      if (!op.followRedirects || !REDIRECTS.includes(res.status) || !location || hop >= MAX_HOPS) return res;
      url = new URL(location, res.url).toString();
      // The Location carries the query it wants; ours would be appended twice.
      query = undefined;
      if (res.status === 303) method = 'GET';
    }
  }
}

/**
 * For negative checks: runs `call` and passes only when the cloud refused it with
 * `status` (or one of them); returns the refusal for further assertions. A
 * success, or another status, fails naming the request.
 */
export async function expectErrorStatus(status: number | readonly number[], call: () => Promise<Reply<unknown>>): Promise<Reply<unknown>> {
  const expected = statusList(status);
  let reply: Reply<unknown>;
  try {
    reply = await call();
  } catch (err) {
    // A success with a malformed body is still a success: what matters here is the status.
    if (!(err instanceof ProtocolFailure)) throw err;
    if (expected.includes(err.reply.status)) return err.reply;
    const body = err.reply.text ? ` (body: ${snippet(err.reply.text)})` : '';
    throw new ProtocolFailure(`${describeReply(err.reply)}: expected ${describeStatus(expected)}, got ${err.reply.status}${body}`, err.reply);
  }
  throw new ProtocolFailure(`${describeReply(reply)}: expected ${describeStatus(expected)}, got ${reply.status}`, reply);
}

/**
 * For cleanups, sweeps, polls and discovery that judge the answer themselves (a 404
 * counts as gone, any status is retried…): the reply of `call` whatever its status
 * or body, as the cloud gave it. The body keeps the operation's type but is
 * unchecked when the status is not the declared one; callers look at `status` first.
 */
export async function anyReply<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ProtocolFailure) return err.reply as Reply<T>;
    throw err;
  }
}

/**
 * For callers that assert only the status, as they did before their client owned
 * the protocol (fixtures, discovery): `call`'s reply when the status is the declared
 * one even if the body breaks the schema; an unexpected status still throws.
 */
export async function statusOnly<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  try {
    return await call();
  } catch (err) {
    // Only the status check throws UnexpectedStatus; the other failures of `send` come after it passed.
    if (err instanceof ProtocolFailure && !(err instanceof UnexpectedStatus)) return err.reply as Reply<T>;
    throw err;
  }
}

/**
 * For polls and cleanups that judge an unexpected status themselves (a 404 means
 * gone, another status fails with the caller's message): `call`'s reply whatever
 * its status, while a declared status whose body breaks the schema still throws.
 */
export async function anyStatus<T>(call: () => Promise<Reply<T>>): Promise<Reply<T>> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof UnexpectedStatus) return err.reply as Reply<T>;
    throw err;
  }
}

/**
 * Validates every element of a list answer against the entity schema (so one
 * schema serves show and list); violations are reported at `<pointer>/<index>/…`.
 */
export function expectEachMatches(reply: Reply<unknown>, pointer: string, items: readonly unknown[], schema: string): void {
  const found: Array<{ path: string; message: string; value: unknown }> = [];
  items.forEach((item, index) => {
    for (const v of schemaViolations(schema, item)) found.push({ ...v, path: `${pointer}/${index}${v.path}` });
  });
  if (found.length > 0) throw new SchemaMismatch(reply, schema, found);
}

/**
 * Runs `call` and hands its answer to `see` before the result (or the
 * ProtocolFailure) reaches the caller: a create registers the removal of what it
 * made even when the answer then breaks the protocol.
 */
export async function seeReply<R extends Reply<unknown>>(call: Promise<R>, see: (reply: Reply<unknown>) => void): Promise<R> {
  let reply: R;
  try {
    reply = await call;
  } catch (err) {
    if (err instanceof ProtocolFailure) see(err.reply);
    throw err;
  }
  see(reply);
  return reply;
}
