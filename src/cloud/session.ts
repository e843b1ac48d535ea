/**
 * The CloudClient implementation: one authenticated session per account (lazy auth,
 * token refreshed before expiry and once after a 401), shared by recorder views.
 */
import { loadCloudConfig, type CloudConfig } from './config.js';
import { authenticate, buildAuthRequest, type TokenInfo } from './auth.js';
import { selectEndpoint, type CatalogService } from './catalog.js';
import { decodeBody, HttpTransport, type RetryPolicy, type TlsOptions } from './http.js';
import { Redactor } from './redact.js';
import { INPUT_LIMITS, readFailure, readInputFileSync } from '../util/input-file.js';
import {
  CloudError,
  type AuthIdentity,
  type CloudClient,
  type ExchangeRecorder,
  type HttpResponse,
  type RequestOptions,
} from './types.js';

/** Options of openCloud / createCloudClient. */
export interface OpenCloudOptions {
  /** Recorder of the base client (views add their own). */
  recorder?: ExchangeRecorder;
  retry?: Partial<RetryPolicy>;
  /** Reuse connections (default true). */
  keepAlive?: boolean;
  /** Re-authenticate this long before the token expires (default 60 000 ms). */
  refreshMarginMs?: number;
  /** Evidence body limit in bytes (default 4096). */
  bodyLimit?: number;
  /** Response bodies larger than this are refused (default 64 MiB). */
  maxResponseBytes?: number;
  /**
   * A token obtained elsewhere, used until it expires or is refused (then the configured
   * credentials log in again). Unit tests use it so a session needs no mocked login.
   */
  initialToken?: TokenInfo;
}

/** A CloudClient that also exposes its configuration and can release its connections. */
export interface CloudSession extends CloudClient {
  readonly config: CloudConfig;
  /** Closes pooled connections of the shared session (all views). */
  close(): void;
  /** The service catalog of the current token (authenticates first if needed). */
  catalog(): Promise<CatalogService[]>;
  withRecorder(recorder: ExchangeRecorder): CloudSession;
}

function readTlsFile(cfg: CloudConfig, field: 'cacert' | 'cert' | 'key'): Buffer | undefined {
  const file = cfg[field];
  if (file === undefined) return undefined;
  try {
    return readInputFileSync(file, INPUT_LIMITS.key);
  } catch (err) {
    const code = readFailure(err);
    throw new CloudError(`cloud ${cfg.name} (${cfg.source}): ${field} ${file}: cannot read (${code})`, 'config', {
      cloud: cfg.name,
    });
  }
}

/** TLS options of a cloud config, files read. */
export function tlsOptions(cfg: CloudConfig): TlsOptions {
  const tls: TlsOptions = { rejectUnauthorized: cfg.verify };
  const ca = readTlsFile(cfg, 'cacert');
  const cert = readTlsFile(cfg, 'cert');
  const key = readTlsFile(cfg, 'key');
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  return tls;
}

/** Joins an endpoint and a path, and appends query parameters (an empty string value gives a bare key). */
export function buildUrl(base: string, path: string | undefined, query?: RequestOptions['query']): string {
  let url = base;
  if (path !== undefined && path !== '') {
    url = `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    const key = encodeURIComponent(k);
    parts.push(v === '' ? key : `${key}=${encodeURIComponent(String(v))}`);
  }
  if (parts.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function isJsonBody(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) return false;
  return typeof body === 'object' || typeof body === 'number' || typeof body === 'boolean';
}

/** Shared state of one account: transport, token, catalog. */
class Session {
  readonly transport: HttpTransport;
  private current?: TokenInfo;
  private pending?: Promise<TokenInfo>;
  /** A refused login is not retried: repeating a wrong password can lock the account. */
  private refused?: CloudError;
  private readonly margin: number;

  constructor(readonly config: CloudConfig, readonly options: OpenCloudOptions) {
    const redactor = new Redactor(options.bodyLimit);
    this.transport = new HttpTransport({
      cloud: config.name,
      tls: tlsOptions(config),
      redactor,
      ...(config.apiTimeoutMs !== undefined ? { timeoutMs: config.apiTimeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.keepAlive !== undefined ? { keepAlive: options.keepAlive } : {}),
      ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    });
    this.margin = options.refreshMarginMs ?? 60_000;
    if (options.initialToken) {
      this.current = options.initialToken;
      redactor.addSecret(options.initialToken.token);
    }
  }

  private fresh(t: TokenInfo): boolean {
    return t.expiresAt === undefined || t.expiresAt.getTime() - Date.now() > this.margin;
  }

  async tokenInfo(recorders: readonly ExchangeRecorder[]): Promise<TokenInfo> {
    if (this.refused) throw this.refused;
    if (this.current && this.fresh(this.current)) return this.current;
    if (!this.pending) {
      this.pending = authenticate(this.config, this.transport, recorders).then(
        (info) => {
          this.current = info;
          this.pending = undefined;
          return info;
        },
        (err: unknown) => {
          this.pending = undefined;
          // 4xx and malformed answers are final; a 5xx may be a passing Keystone hiccup.
          const status = err instanceof CloudError ? err.detail?.status : undefined;
          if (err instanceof CloudError && err.code === 'auth' && (status === undefined || status < 500)) this.refused = err;
          throw err;
        },
      );
    }
    return this.pending;
  }

  /** Forgets a token the cloud rejected (unless a newer one is already in use). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }
}

class CloudView implements CloudSession {
  /** Only password clouds can log in again on demand; others leave it undefined (checks skip). */
  readonly authenticateWithPassword?: (options?: { unscoped?: boolean }) => Promise<HttpResponse>;

  constructor(
    private readonly session: Session,
    private readonly recorders: readonly ExchangeRecorder[],
  ) {
    if (session.config.authType === 'password') {
      this.authenticateWithPassword = (options) => this.passwordLogin(options ?? {});
    }
  }

  private async passwordLogin(options: { unscoped?: boolean }): Promise<HttpResponse> {
    const cfg = this.session.config;
    const transport = this.session.transport;
    transport.redactor.addSecret(cfg.auth.password);
    const res = await transport.send({
      method: 'POST',
      url: `${cfg.auth.authUrl}/auth/tokens`,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(buildAuthRequest(cfg, options)),
      recorders: this.recorders,
      ...(cfg.apiTimeoutMs !== undefined ? { timeoutMs: cfg.apiTimeoutMs } : {}),
    });
    // Recorded before we knew the token; later exchanges carrying it are masked.
    transport.redactor.addSecret(res.headers['x-subject-token']);
    const decoded = decodeBody(res.body, res.headers);
    return { status: res.status, headers: res.headers, body: decoded.body, text: decoded.text, url: res.url, durationMs: Math.round(res.durationMs) };
  }

  redactText(text: string): string {
    return this.session.transport.redactor.text(text);
  }

  get cloudName(): string {
    return this.session.config.name;
  }

  get config(): CloudConfig {
    return this.session.config;
  }

  async identity(): Promise<AuthIdentity> {
    return { ...(await this.session.tokenInfo(this.recorders)).identity };
  }

  async catalog(): Promise<CatalogService[]> {
    return (await this.session.tokenInfo(this.recorders)).catalog;
  }

  async token(): Promise<string> {
    return (await this.session.tokenInfo(this.recorders)).token;
  }

  async endpoint(serviceType: string): Promise<string> {
    const info = await this.session.tokenInfo(this.recorders);
    const cfg = this.session.config;
    return selectEndpoint(info.catalog, serviceType, {
      interface: cfg.interface,
      cloud: cfg.name,
      ...(cfg.regionName !== undefined ? { region: cfg.regionName } : {}),
    });
  }

  async request<T = unknown>(options: RequestOptions): Promise<HttpResponse<T>> {
    let base: string;
    if (options.url !== undefined) base = options.url;
    else if (options.service !== undefined) base = await this.endpoint(options.service);
    else throw new CloudError(`cloud ${this.cloudName}: request needs a service or a url`, 'http', { cloud: this.cloudName });
    const url = buildUrl(base, options.url !== undefined ? options.path : (options.path ?? ''), options.query);

    const headers: Record<string, string> = { ...options.headers };
    const has = (n: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === n);
    let body: string | Buffer | undefined;
    if (isJsonBody(options.body)) {
      body = JSON.stringify(options.body);
      if (!has('content-type')) headers['Content-Type'] = 'application/json';
    } else if (options.body instanceof Uint8Array && !Buffer.isBuffer(options.body)) {
      body = Buffer.from(options.body);
    } else if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      body = options.body;
    }
    // A caller's own X-Auth-Token (e.g. another account's, or a bogus one) is sent as is.
    const addToken = options.auth !== false && !has('x-auth-token');

    const send = async (token?: string) =>
      this.session.transport.send({
        method: options.method,
        url,
        headers: token !== undefined ? { ...headers, 'X-Auth-Token': token } : headers,
        ...(body !== undefined ? { body } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        recorders: this.recorders,
      });

    let token = addToken ? await this.token() : undefined;
    let res = await send(token);
    if (res.status === 401 && token !== undefined) {
      // The token may have been revoked or expired early: authenticate again, once.
      this.session.invalidate(token);
      token = await this.token();
      res = await send(token);
    }
    const decoded = decodeBody(res.body, res.headers, options.responseType);
    return {
      status: res.status,
      headers: res.headers,
      body: decoded.body as T,
      text: options.method === 'HEAD' ? '' : decoded.text,
      url: res.url,
      durationMs: Math.round(res.durationMs),
    };
  }

  withRecorder(recorder: ExchangeRecorder): CloudSession {
    return new CloudView(this.session, [...this.recorders, recorder]);
  }

  close(): void {
    this.session.transport.close();
  }
}

/**
 * A client for one cloud account. Authentication is lazy (first request, token(),
 * identity() or endpoint()); TLS files are read now, so a bad path fails here.
 */
export function createCloudClient(config: CloudConfig, options: OpenCloudOptions = {}): CloudSession {
  const session = new Session(config, options);
  return new CloudView(session, options.recorder ? [options.recorder] : []);
}

/**
 * The contract's entry point: a client for a CloudConfig, or for a cloud name looked up
 * the openstacksdk way (see loadCloudConfig). Authentication happens on first use.
 */
export async function openCloud(config: CloudConfig | string, options: OpenCloudOptions = {}): Promise<CloudSession> {
  return createCloudClient(typeof config === 'string' ? loadCloudConfig({ cloud: config }) : config, options);
}
