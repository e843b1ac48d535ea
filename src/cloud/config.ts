/**
 * Cloud configuration read the way openstacksdk / os-client-config read it:
 * clouds.yaml (+ secure.yaml, which wins) from OS_CLIENT_CONFIG_FILE, ./, the user config
 * dir, /etc/openstack (first found wins); or the `envvars` cloud built from OS_* variables.
 */
import type { CloudConfig } from './config-types.js';
import { cloudsOf, configCandidates, configError, firstExisting, type ConfigSearchOptions } from './config-files.js';
import { envCloud, hasEnvCloud, isRecord, normaliseCloud } from './config-normalise.js';

export { configCandidates, configDirs, readConfigFile } from './config-files.js';
export { envCloud, hasEnvCloud, normaliseAuthUrl, normaliseCloud } from './config-normalise.js';
export type { AuthType, CloudAuth, CloudConfig } from './config-types.js';

/** Inputs of loadCloudConfig; env and cwd default to the process's. */
export interface LoadCloudConfigOptions extends ConfigSearchOptions {
  /** Cloud name (`--os-cloud`); defaults to OS_CLOUD, then the `envvars` cloud. */
  cloud?: string;
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
