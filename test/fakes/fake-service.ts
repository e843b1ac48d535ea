/**
 * The one mount every in-memory fake OpenStack service sits behind (nock
 * interceptors on the fake's origin, persisting until nock is cleaned): it parses
 * each request (method, path, query, headers, JSON body), logs it, asks the
 * fake's handler for the conforming answer, bends that answer through the
 * test's faults and sends it. Every request gets an answer: a route the fake
 * does not know is the handler's 404, and a handler that throws answers 500
 * with the error's stack (a broken fake is loud, never a hung request). A
 * fault that throws fails the request (the client sees the connection reset).
 */
import nock from 'nock';
import '../helpers/node20.js';

/** A JSON object as the fakes store and answer it. */
export type Json = Record<string, unknown>;

/** A request as a fake sees it. */
export interface FakeRequest {
  method: string;
  /** Path without query, as sent (not decoded), e.g. `/v2.0/networks/<id>`. */
  path: string;
  query: URLSearchParams;
  /** The body parsed as JSON; the text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The body's bytes (uploads). */
  raw: Buffer;
  /** Header names in lower case. */
  headers: Record<string, string>;
  origin: string;
}

/** What a fake answers: an object body goes out as JSON, a string as text, a Buffer as is (its headers say what it is). */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Bends the answers to the requests it matches (every given condition holds):
 * `reply` replaces or edits what the fake would answer, `delayMs` holds the
 * answer, `drop` answers nothing (the client sees the connection reset).
 * `times` limits how often it applies; a spent fault is skipped.
 */
export interface Fault {
  method?: string;
  /** Tested against the request path. */
  path?: RegExp;
  /** Tested against the query string. */
  query?: RegExp;
  when?: (req: FakeRequest) => boolean;
  times?: number;
  delayMs?: number;
  drop?: boolean;
  reply?: (conforming: FakeReply, req: FakeRequest) => FakeReply;
}

/** A fault answering the next `times` matching requests with `reply` instead of the fake. */
export function answer(method: string, path: RegExp, reply: FakeReply, times = 1): Fault {
  return { method, path, times, reply: () => reply };
}

/** A fault dropping the connection of the next `times` matching requests. */
export function dropConnection(method: string, path: RegExp, times = 1): Fault {
  return { method, path, times, drop: true };
}

function matches(fault: Fault, req: FakeRequest): boolean {
  if (fault.method !== undefined && fault.method !== req.method) return false;
  if (fault.path && !fault.path.test(req.path)) return false;
  if (fault.query && !fault.query.test(req.query.toString())) return false;
  if (fault.when && !fault.when(req)) return false;
  return true;
}

/** Takes one use of a fault; false when it is spent. */
function take(fault: Fault): boolean {
  if (fault.times === undefined) return true;
  if (fault.times <= 0) return false;
  fault.times -= 1;
  return true;
}

/**
 * Runs `reply` through every fault matching the request, in order; a fault
 * with `times` is consumed once per use and skipped when spent.
 */
export function applyFaults(faults: Fault[], req: FakeRequest, reply: FakeReply): FakeReply {
  let out = reply;
  for (const fault of faults) {
    if (!fault.reply || fault.delayMs !== undefined || fault.drop || !matches(fault, req) || !take(fault)) continue;
    out = fault.reply(out, req);
  }
  return out;
}

export interface Mount {
  origin: string;
  /** Answers a parsed request (the conforming answer, before faults). */
  handle: (req: FakeRequest) => FakeReply | Promise<FakeReply>;
  /** The faults in force, asked at every request (a test may swap them while the fake runs). */
  faults?: () => Fault[];
  log?: string[];
  /** Put before `METHOD /path?query` in the log. */
  logPrefix?: string;
  /** Content type of a string body (default text/plain). */
  textType?: string;
  /** Last touch after the faults (headers that follow the final status, framing). */
  finish?: (reply: FakeReply, req: FakeRequest) => FakeReply;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'COPY', 'OPTIONS'];

function parse(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function broke(err: unknown, req: FakeRequest): FakeReply {
  const stack = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  return { status: 500, body: `fake at ${req.origin} broke on ${req.method} ${req.path}:\n${stack}\n` };
}

async function serve(m: Mount, request: Request, method: string): Promise<[number, string | Buffer, Record<string, string>]> {
  const url = new URL(request.url, m.origin);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  const raw = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await request.arrayBuffer());
  const req: FakeRequest = { method, path: url.pathname, query: url.searchParams, body: parse(raw), raw, headers, origin: m.origin };
  m.log?.push(`${m.logPrefix ?? ''}${method} ${url.pathname}${url.search}`);
  const faults = m.faults?.() ?? [];
  const wait = faults.filter((f) => f.delayMs !== undefined && matches(f, req) && take(f)).reduce((sum, f) => sum + (f.delayMs ?? 0), 0);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  if (faults.some((f) => f.drop && matches(f, req) && take(f))) {
    // nock turns a thrown error into a failed request: the client sees the reset.
    throw Object.assign(new Error('socket hang up (fault: connection dropped)'), { code: 'ECONNRESET' });
  }
  let conforming: FakeReply;
  try {
    conforming = await m.handle(req);
  } catch (err) {
    conforming = broke(err, req);
  }
  // A fault that throws (the test's own code) fails the request as nock does: the client sees a reset.
  let reply = applyFaults(faults, req, conforming);
  if (m.finish) reply = m.finish(reply, req);
  const out: Record<string, string> = {};
  let payload: string | Buffer = '';
  if (Buffer.isBuffer(reply.body)) {
    payload = reply.body;
  } else if (typeof reply.body === 'string') {
    out['content-type'] = m.textType ?? 'text/plain; charset=UTF-8';
    payload = reply.body;
  } else if (reply.body !== undefined) {
    out['content-type'] = 'application/json';
    payload = JSON.stringify(reply.body);
  }
  Object.assign(out, reply.headers ?? {});
  return [reply.status, method === 'HEAD' ? '' : payload, out];
}

/** Mounts a fake on its origin until nock is cleaned. */
export function mountFake(m: Mount): nock.Scope {
  const scope = nock(m.origin).persist();
  for (const method of METHODS) {
    // nock 15 hands the reply function a fetch Request (one parameter: two would mean a callback).
    scope.intercept(() => true, method).reply((request: unknown) => serve(m, request as Request, method));
  }
  return scope;
}
