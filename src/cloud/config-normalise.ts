/**
 * Turns one cloud's raw settings (a clouds.yaml entry or OS_* variables) into a
 * CloudConfig, with the field named in every error.
 */
import { normaliseInterface } from './catalog.js';
import type { AuthType, CloudAuth, CloudConfig } from './config-types.js';
import { configError, expandHome } from './config-files.js';
import { stripUrlCredentials } from './redact.js';

const AUTH_KEYS = new Set([
  'auth_url', 'username', 'user_id', 'password', 'project_name', 'project_id', 'tenant_name', 'tenant_id',
  'user_domain_name', 'user_domain_id', 'project_domain_name', 'project_domain_id', 'domain_name',
  'domain_id', 'token', 'application_credential_id', 'application_credential_name',
  'application_credential_secret',
]);

/** A plain mapping (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = str(v)?.toLowerCase();
  if (s === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return undefined;
}

/** Keystone v3 URL: keeps an explicit /v3, appends it to a bare URL, refuses v2.0. */
export function normaliseAuthUrl(rawUrl: string, field: string): string {
  // Keystone v3 authenticates by the request body; credentials in the URL would only end up
  // in reports, evidence and messages. Dropped here so no later layer ever sees them.
  const url = stripUrlCredentials(rawUrl);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError(`${field}: not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw configError(`${field}: not an http(s) URL: "${url}"`);
  const trimmed = url.replace(/\/+$/, '');
  if (/\/v2(\.0)?$/.test(trimmed)) throw configError(`${field}: Keystone v2.0 (${url}) is not supported; use the /v3 URL`);
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

function normaliseAuthType(raw: string | undefined, auth: CloudAuth, field: string): AuthType {
  switch (raw?.toLowerCase()) {
    case undefined:
      if (auth.applicationCredentialSecret) return 'v3applicationcredential';
      if (auth.token && !auth.password) return 'token';
      return 'password';
    case 'password':
    case 'v3password':
      return 'password';
    case 'token':
    case 'v3token':
      return 'token';
    case 'v3applicationcredential':
    case 'applicationcredential':
    case 'application_credential':
      return 'v3applicationcredential';
    default:
      throw configError(`${field}: auth_type "${raw}" is not supported (password, token, v3applicationcredential)`);
  }
}

/**
 * Turns one cloud's raw settings into a CloudConfig. `where(key)` names a field for
 * error messages (`clouds.yaml: clouds.x.auth.auth_url` or `OS_AUTH_URL`).
 */
export function normaliseCloud(
  name: string,
  raw: Record<string, unknown>,
  source: string,
  where: (key: string, inAuth: boolean) => string,
  env: NodeJS.ProcessEnv = process.env,
): CloudConfig {
  const rawAuth = isRecord(raw['auth']) ? raw['auth'] : {};
  const a = (k: string): string | undefined => str(rawAuth[k]);
  const authUrlRaw = a('auth_url');
  if (!authUrlRaw) {
    const hint = str(raw['profile']) ? ` (vendor profiles such as "${str(raw['profile'])}" are not supported)` : '';
    throw configError(`${where('auth_url', true)} is missing${hint}`);
  }
  const auth: CloudAuth = { authUrl: normaliseAuthUrl(authUrlRaw, where('auth_url', true)) };
  const set = (key: keyof CloudAuth, v: string | undefined): void => {
    if (v !== undefined) auth[key] = v;
  };
  set('username', a('username'));
  set('userId', a('user_id'));
  set('password', a('password'));
  set('projectName', a('project_name') ?? a('tenant_name'));
  set('projectId', a('project_id') ?? a('tenant_id'));
  set('userDomainName', a('user_domain_name'));
  set('userDomainId', a('user_domain_id'));
  set('projectDomainName', a('project_domain_name'));
  set('projectDomainId', a('project_domain_id'));
  set('domainName', a('domain_name'));
  set('domainId', a('domain_id'));
  set('token', a('token'));
  set('applicationCredentialId', a('application_credential_id'));
  set('applicationCredentialName', a('application_credential_name'));
  set('applicationCredentialSecret', a('application_credential_secret'));

  const authType = normaliseAuthType(str(raw['auth_type']), auth, where('auth_type', false));
  const need = (ok: boolean, key: string): void => {
    if (!ok) throw configError(`${where(key, true)} is missing (auth_type ${authType})`);
  };
  if (authType === 'password') {
    need(auth.username !== undefined || auth.userId !== undefined, 'username');
    need(auth.password !== undefined, 'password');
  } else if (authType === 'token') {
    need(auth.token !== undefined, 'token');
  } else {
    need(auth.applicationCredentialSecret !== undefined, 'application_credential_secret');
    need(auth.applicationCredentialId !== undefined || auth.applicationCredentialName !== undefined, 'application_credential_id');
    if (auth.applicationCredentialId === undefined) {
      need(auth.username !== undefined || auth.userId !== undefined, 'username');
    }
  }

  const ifaceRaw = str(raw['interface']) ?? str(raw['endpoint_type']);
  const iface = normaliseInterface(ifaceRaw);
  if (ifaceRaw !== undefined && iface === undefined) {
    throw configError(`${where('interface', false)}: "${ifaceRaw}" is not public, internal or admin`);
  }
  const regions = Array.isArray(raw['regions']) ? raw['regions'] : [];
  const firstRegion = regions.length === 1 ? (isRecord(regions[0]) ? str(regions[0]['name']) : str(regions[0])) : undefined;
  const regionName = str(raw['region_name']) ?? firstRegion;

  const verifyRaw = raw['verify'];
  const insecure = bool(raw['insecure']);
  let verify = true;
  let cacert = str(raw['cacert']);
  if (verifyRaw !== undefined && bool(verifyRaw) === undefined && str(verifyRaw)) {
    cacert ??= str(verifyRaw); // requests-style `verify: /path/to/ca.pem`
  } else if (bool(verifyRaw) === false) {
    verify = false;
  }
  if (insecure === true) verify = false;

  let apiTimeoutMs: number | undefined;
  const timeoutRaw = str(raw['api_timeout']) ?? str(raw['timeout']);
  if (timeoutRaw !== undefined) {
    const n = Number(timeoutRaw);
    if (!Number.isFinite(n) || n <= 0) throw configError(`${where('api_timeout', false)}: "${timeoutRaw}" is not a positive number of seconds`);
    apiTimeoutMs = Math.round(n * 1000);
    // Node's timers overflow past ~24.8 days and would fire at once: every request would time out.
    if (apiTimeoutMs > 86_400_000) throw configError(`${where('api_timeout', false)}: "${timeoutRaw}" is more than a day; give seconds`);
  }

  const cfg: CloudConfig = { name, authType, auth, interface: iface ?? 'public', verify, source };
  if (regionName !== undefined) cfg.regionName = regionName;
  if (cacert !== undefined) cfg.cacert = expandHome(cacert, env);
  const cert = str(raw['cert']);
  const key = str(raw['key']);
  if (cert !== undefined) cfg.cert = expandHome(cert, env);
  if (key !== undefined) cfg.key = expandHome(key, env);
  if (apiTimeoutMs !== undefined) cfg.apiTimeoutMs = apiTimeoutMs;
  return cfg;
}

/** True when OS_* variables describe a cloud (OS_AUTH_URL at least). */
export function hasEnvCloud(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['OS_AUTH_URL']);
}

/** The `envvars` cloud from OS_* variables (named OS_CLOUD_NAME when set). */
export function envCloud(env: NodeJS.ProcessEnv): CloudConfig {
  const raw: Record<string, unknown> = {};
  const auth: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('OS_') || v === undefined || v === '') continue;
    const key = k.slice(3).toLowerCase();
    if (AUTH_KEYS.has(key)) auth[key] = v;
    else raw[key] = v;
  }
  raw['auth'] = auth;
  const name = env['OS_CLOUD_NAME'] || 'envvars';
  return normaliseCloud(name, raw, 'environment', (key) => `OS_${key.toUpperCase()}`, env);
}
