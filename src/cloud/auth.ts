/** Keystone v3 authentication: request body per method, token, catalog and identity from the answer. */
import type { CloudConfig } from './config.js';
import type { HttpTransport } from './http.js';
import { parseCatalog, type CatalogService } from './catalog.js';
import { CloudError, type AuthIdentity, type ExchangeRecorder } from './types.js';

/** A Keystone token with what came with it. */
export interface TokenInfo {
  token: string;
  /** Undefined when Keystone gave no expiry. */
  expiresAt?: Date;
  catalog: CatalogService[];
  identity: AuthIdentity;
}

/** Keystone's default domain, used (as python-openstackclient does) when no domain is configured. */
const DEFAULT_DOMAIN_ID = 'default';

function domainRef(name: string | undefined, id: string | undefined): { id: string } | { name: string } | undefined {
  if (id !== undefined) return { id };
  if (name !== undefined) return { name };
  return undefined;
}

function projectScope(cfg: CloudConfig): Record<string, unknown> | undefined {
  const a = cfg.auth;
  if (a.projectId !== undefined) return { project: { id: a.projectId } };
  if (a.projectName !== undefined) {
    const domain =
      domainRef(a.projectDomainName, a.projectDomainId) ?? domainRef(a.domainName, a.domainId) ?? { id: DEFAULT_DOMAIN_ID };
    return { project: { name: a.projectName, domain } };
  }
  const domain = domainRef(a.domainName, a.domainId);
  return domain ? { domain } : undefined;
}

function userRef(cfg: CloudConfig): Record<string, unknown> {
  const a = cfg.auth;
  if (a.userId !== undefined) return { id: a.userId };
  const domain = domainRef(a.userDomainName, a.userDomainId) ?? domainRef(a.domainName, a.domainId) ?? { id: DEFAULT_DOMAIN_ID };
  return { name: a.username, domain };
}

/** The POST /v3/auth/tokens body for a cloud's auth_type (`unscoped` drops the scope). */
export function buildAuthRequest(cfg: CloudConfig, opts: { unscoped?: boolean } = {}): Record<string, unknown> {
  const a = cfg.auth;
  let identity: Record<string, unknown>;
  let scoped = true;
  switch (cfg.authType) {
    case 'password':
      identity = { methods: ['password'], password: { user: { ...userRef(cfg), password: a.password } } };
      break;
    case 'token':
      identity = { methods: ['token'], token: { id: a.token } };
      break;
    case 'v3applicationcredential': {
      const cred: Record<string, unknown> =
        a.applicationCredentialId !== undefined
          ? { id: a.applicationCredentialId }
          : { name: a.applicationCredentialName, user: userRef(cfg) };
      cred['secret'] = a.applicationCredentialSecret;
      identity = { methods: ['application_credential'], application_credential: cred };
      // An application credential carries its own project; Keystone refuses an explicit scope.
      scoped = false;
      break;
    }
  }
  const scope = scoped && !opts.unscoped ? projectScope(cfg) : undefined;
  return { auth: scope ? { identity, scope } : { identity } };
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function s(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Keystone's error text: `{"error": {"message": …}}`, else the start of the body. */
export function keystoneErrorMessage(text: string): string {
  try {
    const msg = s(rec(rec(JSON.parse(text) as unknown)['error'])['message']);
    if (msg) return msg.split('\n')[0]!.slice(0, 200);
  } catch {
    /* not JSON */
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Parses a token response body into catalog and identity. */
export function parseTokenBody(body: unknown, cfg: CloudConfig, url: string): Omit<TokenInfo, 'token'> {
  const token = rec(rec(body)['token']);
  const user = rec(token['user']);
  const project = rec(token['project']);
  const userId = s(user['id']);
  const projectId = s(project['id']);
  const fail = (what: string): never => {
    throw new CloudError(`cloud ${cfg.name}: ${what} in the token from ${url}`, 'auth', { url, cloud: cfg.name });
  };
  if (!userId) fail('no user id');
  if (!projectId) fail('no project scope (set project_name or project_id)');
  const roles = (Array.isArray(token['roles']) ? token['roles'] : [])
    .map((r) => s(rec(r)['name']))
    .filter((r): r is string => r !== undefined);
  const identity: AuthIdentity = { userId: userId!, projectId: projectId!, roles, authUrl: cfg.auth.authUrl };
  const userName = s(user['name']);
  const projectName = s(project['name']);
  const domainId = s(rec(project['domain'])['id']);
  if (userName) identity.userName = userName;
  if (projectName) identity.projectName = projectName;
  if (domainId) identity.domainId = domainId;
  if (cfg.regionName) identity.region = cfg.regionName;
  const info: Omit<TokenInfo, 'token'> = { catalog: parseCatalog(token['catalog']), identity };
  const expires = s(token['expires_at']);
  if (expires && !Number.isNaN(Date.parse(expires))) info.expiresAt = new Date(expires);
  return info;
}

/**
 * Authenticates against Keystone v3. Rejects with CloudError 'auth' on any answer but
 * 201/200, or the transport's 'unreachable' / 'tls' / 'timeout' when no answer came.
 */
export async function authenticate(
  cfg: CloudConfig,
  transport: HttpTransport,
  recorders: readonly ExchangeRecorder[] = [],
): Promise<TokenInfo> {
  const url = `${cfg.auth.authUrl}/auth/tokens`;
  const redactor = transport.redactor;
  redactor.addSecret(cfg.auth.password);
  redactor.addSecret(cfg.auth.token);
  redactor.addSecret(cfg.auth.applicationCredentialSecret);
  const res = await transport.send({
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(buildAuthRequest(cfg)),
    recorders,
    ...(cfg.apiTimeoutMs !== undefined ? { timeoutMs: cfg.apiTimeoutMs } : {}),
  });
  const text = res.body.toString('utf8');
  if (res.status !== 201 && res.status !== 200) {
    throw new CloudError(
      // Keystone (or a proxy in front of it) may echo the request, password included.
      `cloud ${cfg.name}: authentication failed at ${url}: ${res.status} ${redactor.text(keystoneErrorMessage(text))}`.trim(),
      'auth',
      { url, status: res.status, cloud: cfg.name },
    );
  }
  const token = res.headers['x-subject-token'];
  if (!token) {
    throw new CloudError(`cloud ${cfg.name}: no X-Subject-Token in the ${res.status} answer of ${url}`, 'auth', {
      url,
      status: res.status,
      cloud: cfg.name,
    });
  }
  redactor.addSecret(token);
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new CloudError(`cloud ${cfg.name}: the token answer of ${url} is not JSON`, 'auth', { url, cloud: cfg.name });
  }
  return { token, ...parseTokenBody(body, cfg, url) };
}
