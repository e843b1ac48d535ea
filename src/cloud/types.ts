/**
 * The contract between the cloud layer (config, auth, catalog, HTTP with evidence)
 * and everything that talks to a cloud (service clients, checks, runner).
 */
import type { HttpExchange } from '../common/exchange.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'COPY' | 'OPTIONS';

export interface RequestOptions {
  method: HttpMethod;
  /** Catalog service type (`object-store`, `identity`, `image`…): the path is joined to its endpoint. */
  service?: string;
  /** Absolute URL instead of service + path (e.g. a temp URL, a version document). */
  url?: string;
  path?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Plain objects and arrays are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
  /** Send the session's token as X-Auth-Token (default true). */
  auth?: boolean;
  /** How to decode the body (default: JSON when the response says so, else text). */
  responseType?: 'json' | 'text' | 'buffer';
  /** Wall-clock deadline of the request, body included (default: the cloud's api_timeout or 60 s). */
  timeoutMs?: number;
  /** Largest body accepted for this request (default: the session's limit, 64 MiB). */
  maxResponseBytes?: number;
  /** Aborts the request (e.g. the check's deadline); rejects with CloudError 'timeout'. */
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: T;
  /** The raw body as text (empty for HEAD). */
  text: string;
  url: string;
  durationMs: number;
}

/** Receives every exchange, already redacted, e.g. to attach it to a test result. */
export interface ExchangeRecorder {
  record(exchange: HttpExchange): void;
}

export interface AuthIdentity {
  userId: string;
  userName?: string;
  projectId: string;
  projectName?: string;
  domainId?: string;
  roles: string[];
  /** Keystone URL used for authentication (…/v3). */
  authUrl: string;
  region?: string;
}

/**
 * An authenticated session with one cloud account. Shared by all tests of a run;
 * `withRecorder` returns a view whose exchanges go to that recorder.
 * `request` resolves for every HTTP status (checks assert statuses themselves) and
 * rejects only when no response arrived (transport, TLS, timeout) with a CloudError.
 */
export interface CloudClient {
  readonly cloudName: string;
  identity(): Promise<AuthIdentity>;
  token(): Promise<string>;
  /** Endpoint of a service type for the configured region and interface. */
  endpoint(serviceType: string): Promise<string>;
  request<T = unknown>(options: RequestOptions): Promise<HttpResponse<T>>;
  withRecorder(recorder: ExchangeRecorder): CloudClient;
  /**
   * Optional: a fresh password authentication (POST /v3/auth/tokens) with the
   * configured credentials, recorded like any request but never cached nor used
   * as the session token; Keystone's response is returned whatever its status.
   * `unscoped` omits the project scope. The identity token checks need it (they
   * must create and revoke tokens of their own); clouds authenticated otherwise
   * (token, application credential) do not offer it and those checks skip.
   */
  authenticateWithPassword?(options?: { unscoped?: boolean }): Promise<HttpResponse>;
  /**
   * Optional: redacts text that may quote the cloud (a failure reason, an error message)
   * with this account's known secrets (password, tokens) and the evidence rules. The
   * runner passes every result through it before anything is written or printed.
   */
  redactText?(text: string): string;
}

/** One-line, user-facing failures of the cloud layer (bad config, 401, unreachable, TLS…). */
export class CloudError extends Error {
  constructor(
    message: string,
    readonly code:
      | 'config'
      | 'auth'
      | 'unreachable'
      | 'tls'
      | 'timeout'
      | 'catalog'
      | 'http',
    readonly detail?: { url?: string; status?: number; cloud?: string },
  ) {
    super(message);
    this.name = 'CloudError';
  }
}
