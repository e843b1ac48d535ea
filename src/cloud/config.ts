/**
 * Cloud configuration read the way openstacksdk / os-client-config read it:
 * clouds.yaml (+ secure.yaml, which wins) from OS_CLIENT_CONFIG_FILE, ./, the user config
 * dir, /etc/openstack (first found wins); or the `envvars` cloud built from OS_* variables.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { CloudError } from './types.js';
import { normaliseInterface, type EndpointInterface } from './catalog.js';

/** Supported Keystone auth plugins (openstacksdk `auth_type`, normalised). */
export type AuthType = 'password' | 'token' | 'v3applicationcredential';

/** The `auth:` section, camel-cased. Secrets live here and nowhere else. */
export interface CloudAuth {
  /** Keystone URL ending in /v3 (a bare host URL gets /v3 appended). */
  authUrl: string;
  username?: string;
  userId?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  domainName?: string;
  domainId?: string;
  token?: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret?: string;
}

/** One cloud, ready to authenticate. */
export interface CloudConfig {
  name: string;
  authType: AuthType;
  auth: CloudAuth;
  regionName?: string;
  interface: EndpointInterface;
  /** false: do not verify TLS certificates (`verify: false`, `insecure: true`, OS_INSECURE). */
  verify: boolean;
  /** Paths (as configured, `~` expanded). */
  cacert?: string;
  cert?: string;
  key?: string;
  apiTimeoutMs?: number;
  /** Where it came from: a file path or `environment`. */
  source: string;
}

/** Inputs of loadCloudConfig; env and cwd default to the process's. */
export interface LoadCloudConfigOptions {
  /** Cloud name (`--os-cloud`); defaults to OS_CLOUD, then the `envvars` cloud. */
  cloud?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** clouds.yaml files tried after every standard location (e.g. the local dev cloud). */
  fallbackFiles?: string[];
}

const SUFFIXES = ['.yaml', '.yml', '.json'];

const AUTH_KEYS = new Set([
  'auth_url', 'username', 'user_id', 'password', 'project_name', 'project_id', 'tenant_name', 'tenant_id',
  'user_domain_name', 'user_domain_id', 'project_domain_name', 'project_domain_id', 'domain_name',
  'domain_id', 'token', 'application_credential_id', 'application_credential_name',
  'application_credential_secret',
]);

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env['HOME'] ?? homedir(), p.slice(1)) : p;
}

/** Directories searched, in openstacksdk's order: cwd, user config dir, site config dir. */
export function configDirs(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const home = env['HOME'] ?? homedir();
  const xdg = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
  return [cwd, path.join(xdg, 'openstack'), '/etc/openstack'];
}

/** Candidate clouds.yaml and secure.yaml paths, in search order. */
export function configCandidates(opts: LoadCloudConfigOptions = {}): { clouds: string[]; secure: string[] } {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const dirs = configDirs(env, cwd);
  const clouds = dirs.flatMap((d) => SUFFIXES.map((s) => path.join(d, `clouds${s}`)));
  const secure = dirs.flatMap((d) => SUFFIXES.map((s) => path.join(d, `secure${s}`)));
  const override = env['OS_CLIENT_CONFIG_FILE'];
  if (override) clouds.unshift(path.resolve(cwd, expandHome(override, env)));
  const secureOverride = env['OS_CLIENT_SECURE_FILE'];
  if (secureOverride) secure.unshift(path.resolve(cwd, expandHome(secureOverride, env)));
  for (const f of opts.fallbackFiles ?? []) {
    const abs = path.resolve(cwd, f);
    clouds.push(abs);
    secure.push(...SUFFIXES.map((s) => path.join(path.dirname(abs), `secure${s}`)));
  }
  return { clouds, secure };
}

function configError(message: string): CloudError {
  return new CloudError(message, 'config');
}

/** Reads a YAML/JSON config file into a plain object; errors name file:line. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw configError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const msg = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw configError(`${file}${line ? `:${line}` : ''}: invalid YAML: ${msg}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw configError(`${file}: expected a mapping at the top level`);
  return value as Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges b into a (b wins), recursing into mappings, as openstacksdk merges secure.yaml. */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isRecord(cur) && isRecord(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

/** openstacksdk accepts `auth-url` for `auth_url`. */
function normaliseKeys(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k.replace(/-/g, '_')] = isRecord(val) ? normaliseKeys(val) : val;
  return out;
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
export function normaliseAuthUrl(url: string, field: string): string {
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

/** The first existing file of a candidate list. */
function firstExisting(files: string[]): string | undefined {
  return files.find((f) => existsSync(f));
}

function cloudsOf(file: string): Record<string, unknown> {
  const doc = readConfigFile(file);
  const clouds = doc['clouds'];
  if (clouds === undefined) return {};
  if (!isRecord(clouds)) throw configError(`${file}: "clouds" must be a mapping of cloud names`);
  return clouds;
}

/** Cloud names defined in the clouds.yaml that would be used (empty when none is found). */
export function listClouds(opts: LoadCloudConfigOptions = {}): { file?: string; clouds: string[] } {
  const file = firstExisting(configCandidates(opts).clouds);
  return file ? { file, clouds: Object.keys(cloudsOf(file)) } : { clouds: [] };
}

/**
 * Loads one cloud's configuration. Throws CloudError('config') with one line naming the
 * file and field when the cloud is missing, a file is malformed, or auth_url is absent.
 */
export function loadCloudConfig(opts: LoadCloudConfigOptions = {}): CloudConfig {
  const env = opts.env ?? process.env;
  const name = opts.cloud ?? (env['OS_CLOUD'] || undefined);
  if (name === undefined || name === (env['OS_CLOUD_NAME'] || 'envvars')) {
    if (hasEnvCloud(env)) return envCloud(env);
    if (name === undefined) {
      const { file, clouds } = listClouds(opts);
      const known = file ? ` (${file} defines: ${clouds.join(', ') || 'no clouds'})` : ' (no clouds.yaml found)';
      throw configError(`no cloud selected: pass --os-cloud, set OS_CLOUD, or set OS_AUTH_URL and friends${known}`);
    }
  }
  const candidates = configCandidates(opts);
  const file = firstExisting(candidates.clouds);
  if (!file) {
    throw configError(`cloud "${name}": no clouds.yaml found (looked in ${candidates.clouds.filter((f) => f.endsWith('.yaml')).join(', ')})`);
  }
  const clouds = cloudsOf(file);
  const entry = clouds[name];
  if (entry === undefined) {
    throw configError(`${file}: cloud "${name}" is not defined (defined: ${Object.keys(clouds).join(', ') || 'none'})`);
  }
  if (!isRecord(entry)) throw configError(`${file}: clouds.${name} must be a mapping`);
  let raw: Record<string, unknown> = entry;
  const secureFile = firstExisting(candidates.secure);
  let source = file;
  if (secureFile) {
    const secureClouds = cloudsOf(secureFile);
    const extra = secureClouds[name];
    if (extra !== undefined) {
      if (!isRecord(extra)) throw configError(`${secureFile}: clouds.${name} must be a mapping`);
      raw = deepMerge(raw, extra);
      source = `${file} + ${secureFile}`;
    }
  }
  return normaliseCloud(name, normaliseKeys(raw), source, (key, inAuth) => `${file}: clouds.${name}.${inAuth ? 'auth.' : ''}${key}`, env);
}
