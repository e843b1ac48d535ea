/**
 * The HTTP layer: one request in, one response (any status) out, every attempt recorded
 * (redacted) as evidence. Rejects only when no response arrived, with a CloudError.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { CloudError, type ExchangeRecorder, type HttpMethod } from './types.js';
import { proxyFor, type ProxySetting } from './proxy.js';
import { isConnectionReset, toCloudError } from './errors.js';
import { isSecretHeader, Redactor, redactUrl } from './redact.js';

/** TLS material as contents (PEM), not paths: the config layer reads the files. */
export interface TlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** false = do not verify the server certificate (`verify: false` / `insecure`). */
  rejectUnauthorized?: boolean;
}

/** Bounded retries when the server asks us to come back later (429, 503 + Retry-After). */
export interface RetryPolicy {
  /** Retries per request after a 429/503 (default 3). */
  maxRetries: number;
  /** Longest single wait, whatever Retry-After says (default 30 000 ms). */
  maxDelayMs: number;
  /** Wait for a 429 without Retry-After (default 1 000 ms). */
  defaultDelayMs: number;
  /**
   * Retries of an idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) after a connection
   * reset or a 502/503/504 (default 2): what a loaded cloud or its load balancer does now
   * and then. Every attempt stays in the evidence.
   */
  transientRetries: number;
  /** First backoff of those retries, doubled each time (default 500 ms, capped by maxDelayMs). */
  transientDelayMs: number;
}

/** Retry policy used when a session sets none. */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, maxDelayMs: 30_000, defaultDelayMs: 1_000, transientRetries: 2, transientDelayMs: 500 };

/** Requests that may be sent again without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Answers of an overloaded or restarting cloud or of the proxy in front of it. */
const TRANSIENT_STATUS = new Set([502, 503, 504]);

/** Default per-request timeout when neither the config (`api_timeout`) nor the request sets one. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Largest response body read when nothing else is set. API JSON is kilobytes to a few MB
 * (a long listing); anything past this is refused while it streams in, never buffered whole.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Longest deadline Node's timers can hold (beyond it they fire at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Settings of one account's transport. */
export interface TransportOptions {
  /** Cloud name, used in error messages. */
  cloud?: string;
  tls?: TlsOptions;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Reuse connections (default true). See the comment on `send`. */
  keepAlive?: boolean;
  redactor?: Redactor;
  userAgent?: string;
  /** Response bodies larger than this are refused (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Where https_proxy/http_proxy/no_proxy are read (default process.env); see proxy.ts. */
  proxyEnv?: NodeJS.ProcessEnv;
}

/** One request as the transport sends it. */
export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL, query included. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wall-clock deadline of the whole exchange, body included (not an idle-socket timeout). */
  timeoutMs?: number;
  /** Overrides the transport's body limit for this request (e.g. object data a check wrote itself). */
  maxResponseBytes?: number;
  signal?: AbortSignal;
  /** Where this request's exchanges go. */
  recorders?: readonly ExchangeRecorder[];
}

/** A response with its raw body. */
export interface TransportResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
  url: string;
  durationMs: number;
}

const USER_AGENT = 'defcore/0.1';

function flattenHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const obj = typeof (raw as { toJSON?: unknown }).toJSON === 'function'
    ? ((raw as { toJSON(): unknown }).toJSON() as Record<string, unknown>)
    : (raw as Record<string, unknown>);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === false) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds; undefined when absent or invalid. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Sends requests for one cloud account with its TLS settings, timeouts and retry policy. */
export class HttpTransport {
  readonly redactor: Redactor;
  private readonly axios: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: TransportOptions = {}) {
    this.redactor = options.redactor ?? new Redactor();
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    const keepAlive = options.keepAlive ?? true;
    this.httpAgent = new http.Agent({ keepAlive });
    const tls = options.tls ?? {};
    this.httpsAgent = new https.Agent({
      keepAlive,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls.key !== undefined ? { key: tls.key } : {}),
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
    });
    this.axios = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // Checks assert statuses themselves; redirects are responses to be seen, not followed.
      validateStatus: () => true,
      maxRedirects: 0,
      responseType: 'arraybuffer',
      decompress: false,
      // Proxies are chosen per request in `attempt`, the way python-requests does (proxy.ts),
      // not by axios's own environment lookup, whose no_proxy rules differ.
      proxy: false,
      transformRequest: [(d: unknown) => d],
      transformResponse: [(d: unknown) => d],
      maxBodyLength: Infinity,
      maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    });
    // Send only the headers callers ask for: axios's default Accept would change content
    // negotiation (Swift listings pick JSON over text). Its form Content-Type is dealt with
    // per request in `attempt`.
    const defaults = this.axios.defaults.headers as unknown as Record<string, Record<string, unknown> | undefined>;
    for (const h of Object.values(defaults)) {
      if (typeof h === 'object' && h !== null) for (const name of Object.keys(h)) if (/^accept$/i.test(name)) delete h[name];
    }
  }

  /**
   * Sends one request, returning the response whatever its status.
   *
   * Connections are kept alive (a run makes thousands of requests; over TLS a handshake
   * per request would dominate). Servers such as uwsgi and load balancers close idle
   * connections without notice, so a request that fails with a reset/EPIPE/hang-up on a
   * *reused* socket is sent again once on a fresh one: the server closed the socket
   * before reading it, so nothing was processed. A failure on a fresh socket is real and
   * is reported. 429 (and 503 with Retry-After) are retried per the retry policy.
   */
  async send(req: TransportRequest): Promise<TransportResponse> {
    let resetRetried = false;
    let throttleRetries = 0;
    let transientRetries = 0;
    const idempotent = IDEMPOTENT.has(req.method);
    const wait = async (ms: number): Promise<void> => {
      try {
        await sleep(Math.min(ms, this.retry.maxDelayMs), req.signal);
      } catch (err) {
        throw this.failure(err, req.url);
      }
    };
    const transientBackoff = (): number => this.retry.transientDelayMs * 2 ** transientRetries++;
    for (;;) {
      const attempt = await this.attempt(req);
      if ('error' in attempt) {
        if (!resetRetried && attempt.reused && isConnectionReset(attempt.error)) {
          resetRetried = true;
          continue;
        }
        if (idempotent && isConnectionReset(attempt.error) && transientRetries < this.retry.transientRetries) {
          await wait(transientBackoff());
          continue;
        }
        throw this.failure(attempt.error, req.url);
      }
      const res = attempt.response;
      const delay = this.throttleDelay(res);
      if (delay !== undefined && throttleRetries < this.retry.maxRetries) {
        throttleRetries += 1;
        await wait(delay);
        continue;
      }
      if (idempotent && TRANSIENT_STATUS.has(res.status) && delay === undefined && transientRetries < this.retry.transientRetries) {
        await wait(transientBackoff());
        continue;
      }
      return res;
    }
  }

  /** The CloudError for a failed request; its URL is redacted (messages end up in reports). */
  private failure(err: unknown, url: string): CloudError {
    return toCloudError(err, this.redactor.scrub(redactUrl(url)), this.options.cloud);
  }

  private throttleDelay(res: TransportResponse): number | undefined {
    if (res.status !== 429 && res.status !== 503) return undefined;
    const after = retryAfterMs(res.headers['retry-after']);
    if (res.status === 503 && after === undefined) return undefined;
    return after ?? this.retry.defaultDelayMs;
  }

  private async attempt(
    req: TransportRequest,
  ): Promise<{ response: TransportResponse } | { error: unknown; reused: boolean }> {
    const headers: Record<string, string> = {};
    const hasHeader = (n: string): boolean => Object.keys(req.headers ?? {}).some((k) => k.toLowerCase() === n);
    if (!hasHeader('user-agent')) headers['User-Agent'] = this.options.userAgent ?? USER_AGENT;
    // No compression unless a caller asks: evidence and body assertions need the bytes as sent.
    if (!hasHeader('accept-encoding')) headers['Accept-Encoding'] = 'identity';
    Object.assign(headers, req.headers);
    const started = performance.now();
    // axios's `timeout` only fires on an idle socket: a server dripping a byte a second
    // would hold the request for ever. This deadline covers connect, headers and body.
    const deadlineMs = Math.min(req.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMER_MS);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    try {
      const res: AxiosResponse<unknown> = await this.axios.request({
        method: req.method,
        url: req.url,
        // `false` stops axios from adding its form Content-Type to POST/PUT/PATCH, which
        // would otherwise become, e.g., the stored content type of a Swift object.
        headers: hasHeader('content-type') ? headers : { ...headers, 'Content-Type': false },
        data: req.body,
        timeout: deadlineMs,
        signal,
        proxy: this.proxy(req.url),
        ...(req.maxResponseBytes !== undefined ? { maxContentLength: req.maxResponseBytes } : {}),
      });
      const durationMs = performance.now() - started;
      const data = res.data;
      const body = Buffer.isBuffer(data)
        ? data
        : data instanceof ArrayBuffer
          ? Buffer.from(data)
          : Buffer.from(typeof data === 'string' ? data : '');
      const response: TransportResponse = {
        status: res.status,
        headers: flattenHeaders(res.headers),
        body,
        url: req.url,
        durationMs,
      };
      this.record(req, headers, { response });
      return { response };
    } catch (caught) {
      const durationMs = performance.now() - started;
      const request = (caught as { request?: { reusedSocket?: boolean } }).request;
      const reused = request?.reusedSocket === true;
      const error: unknown =
        deadline.signal.aborted && !req.signal?.aborted
          ? Object.assign(new Error(`no complete response within ${formatMs(deadlineMs)}`), { code: 'ETIMEDOUT' })
          : caught;
      const cloudError = this.failure(error, req.url);
      this.record(req, headers, { error: cloudError.message, durationMs });
      return { error, reused };
    } finally {
      clearTimeout(timer);
    }
  }

  private record(
    req: TransportRequest,
    headers: Record<string, string>,
    outcome: { response: TransportResponse } | { error: string; durationMs: number },
  ): void {
    // Values sent or received under secret header names (a caller's own token, a temp-url
    // key, a validated X-Subject-Token) are masked wherever they show up later, bodies included.
    for (const [name, value] of [...Object.entries(headers), ...Object.entries('response' in outcome ? outcome.response.headers : {})]) {
      if (isSecretHeader(name)) this.redactor.addSecret(value.replace(/^(Bearer|Basic)\s+/i, ''));
    }
    const recorders = req.recorders ?? [];
    if (recorders.length === 0) return;
    const exchange = this.redactor.exchange({
      method: req.method,
      url: req.url,
      requestHeaders: headers,
      ...(req.body !== undefined ? { requestBody: req.body } : {}),
      ...('response' in outcome
        ? {
            status: outcome.response.status,
            responseHeaders: outcome.response.headers,
            responseBody: req.method === 'HEAD' ? undefined : outcome.response.body,
            durationMs: outcome.response.durationMs,
          }
        : { error: outcome.error, durationMs: outcome.durationMs }),
    });
    for (const r of recorders) {
      try {
        r.record(exchange);
      } catch {
        // A broken recorder must not change what the cloud answered.
      }
    }
  }

  private proxy(url: string): ProxySetting | false {
    try {
      return proxyFor(url, this.options.proxyEnv ?? process.env) ?? false;
    } catch (e) {
      throw new CloudError(`${this.options.cloud ? `cloud ${this.options.cloud}: ` : ''}${(e as Error).message}`, 'config');
    }
  }

  /** Closes pooled connections (lets the process exit promptly). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Decodes a body per RequestOptions.responseType (default: JSON when declared and valid, else text). */
export function decodeBody(
  body: Buffer,
  headers: Record<string, string>,
  responseType?: 'json' | 'text' | 'buffer',
): { body: unknown; text: string } {
  const text = body.toString('utf8');
  if (responseType === 'buffer') return { body, text };
  if (responseType === 'text') return { body: text, text };
  const declaredJson = /[/+]json\b/i.test(headers['content-type'] ?? '');
  if (responseType === 'json' || declaredJson) {
    if (text.trim() === '') return { body: responseType === 'json' ? undefined : text, text };
    try {
      return { body: JSON.parse(text) as unknown, text };
    } catch {
      return { body: responseType === 'json' ? undefined : text, text };
    }
  }
  return { body: text, text };
}
