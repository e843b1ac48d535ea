/**
 * The run's accounts (primary, alt, reseller, admin): which cloud of clouds.yaml each is.
 * CLI flags override the run config (defcore.yaml), which overrides defaults (OS_CLOUD,
 * the OS_* `envvars` cloud, or the local dev cloud when nothing else is configured).
 */
import { checkCatalog } from './preflight.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AccountRole } from '../common/accounts.js';
import { configCandidates, hasEnvCloud, listClouds, loadCloudConfig, readConfigFile, type LoadCloudConfigOptions } from './config.js';
import { createCloudClient, type CloudSession, type OpenCloudOptions } from './session.js';
import { CloudError } from './types.js';

/** Every account role, primary first. */
export const ACCOUNT_ROLES: readonly AccountRole[] = ['primary', 'alt', 'reseller', 'admin'];

/** `--os-cloud`, `--alt-cloud`, `--reseller-cloud`, `--admin-cloud`. */
export interface AccountFlags {
  osCloud?: string;
  altCloud?: string;
  resellerCloud?: string;
  adminCloud?: string;
}

/** Keys of defcore.yaml that name clouds. */
export const RUN_CONFIG_KEYS: Record<AccountRole, string> = {
  primary: 'os_cloud',
  alt: 'alt_cloud',
  reseller: 'reseller_cloud',
  admin: 'admin_cloud',
};

/** Cloud names of the local dev cloud (scripts/dev-cloud). */
export const DEV_CLOUD_NAMES: Record<AccountRole, string> = {
  primary: 'devcloud',
  alt: 'devcloud-alt',
  reseller: 'devcloud-reseller',
  admin: 'devcloud-admin',
};

/** Where a role's cloud name came from. */
export type AccountSource = 'cli' | 'run-config' | 'OS_CLOUD' | 'OS_* variables' | 'dev-cloud';

/** Inputs of resolveAccounts: CLI flags, run config, and how to find clouds.yaml. */
export interface ResolveAccountsOptions extends Omit<LoadCloudConfigOptions, 'cloud'> {
  cli?: AccountFlags;
  /** Path of defcore.yaml, or its parsed content; default `<cwd>/defcore.yaml` when it exists. */
  runConfig?: string | Record<string, unknown>;
}

/** The resolved accounts of a run. */
export interface AccountsConfig {
  /** Cloud name per role; a primary without a name is the `envvars` cloud (source `OS_* variables`). */
  clouds: Partial<Record<AccountRole, string>>;
  /** Roles that are configured, with where their setting came from. */
  sources: Partial<Record<AccountRole, AccountSource>>;
  /** The run config file read, if any. */
  runConfigFile?: string;
  /** Settings that are legal but probably not meant (e.g. alt = primary). */
  warnings: string[];
  /** How to load each cloud (env, cwd, fallback files). */
  load: Omit<LoadCloudConfigOptions, 'cloud'>;
}

const FLAG_OF: Record<AccountRole, keyof AccountFlags> = {
  primary: 'osCloud',
  alt: 'altCloud',
  reseller: 'resellerCloud',
  admin: 'adminCloud',
};

const FLAG_NAME: Record<AccountRole, string> = {
  primary: '--os-cloud',
  alt: '--alt-cloud',
  reseller: '--reseller-cloud',
  admin: '--admin-cloud',
};

function readRunConfig(opts: ResolveAccountsOptions): { file?: string; values: Partial<Record<AccountRole, string>> } {
  const cwd = opts.cwd ?? process.cwd();
  let doc: Record<string, unknown> = {};
  let file: string | undefined;
  if (typeof opts.runConfig === 'string') {
    file = path.resolve(cwd, opts.runConfig);
    if (!existsSync(file)) throw new CloudError(`${file}: run config not found`, 'config');
    doc = readConfigFile(file);
  } else if (opts.runConfig) {
    doc = opts.runConfig;
  } else if (existsSync(path.join(cwd, 'defcore.yaml'))) {
    file = path.join(cwd, 'defcore.yaml');
    doc = readConfigFile(file);
  }
  // Either flat keys (os_cloud: …) or an `accounts:` mapping (primary: …).
  const accounts = typeof doc['accounts'] === 'object' && doc['accounts'] !== null ? (doc['accounts'] as Record<string, unknown>) : {};
  const values: Partial<Record<AccountRole, string>> = {};
  for (const role of ACCOUNT_ROLES) {
    const key = RUN_CONFIG_KEYS[role];
    const v = doc[key] ?? accounts[role];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') {
      throw new CloudError(`${file ?? 'run config'}: ${doc[key] !== undefined ? key : `accounts.${role}`} must be a cloud name (a string)`, 'config');
    }
    values[role] = v;
  }
  return { ...(file ? { file } : {}), values };
}

/** True when only the fallback files (the dev cloud) could provide clouds. */
function onlyFallback(opts: ResolveAccountsOptions): boolean {
  const withoutFallback = configCandidates({ ...opts, fallbackFiles: [] }).clouds;
  return !withoutFallback.some((f) => existsSync(f)) && (opts.fallbackFiles ?? []).some((f) => existsSync(path.resolve(opts.cwd ?? process.cwd(), f)));
}

/** Decides which cloud each role uses. Reads files; prints nothing. */
export function resolveAccounts(opts: ResolveAccountsOptions = {}): AccountsConfig {
  const env = opts.env ?? process.env;
  const run = readRunConfig(opts);
  const clouds: AccountsConfig['clouds'] = {};
  const sources: AccountsConfig['sources'] = {};
  for (const role of ACCOUNT_ROLES) {
    const flag = opts.cli?.[FLAG_OF[role]];
    if (flag) {
      clouds[role] = flag;
      sources[role] = 'cli';
    } else if (run.values[role]) {
      clouds[role] = run.values[role];
      sources[role] = 'run-config';
    }
  }
  if (!sources.primary) {
    if (env['OS_CLOUD']) {
      clouds.primary = env['OS_CLOUD'];
      sources.primary = 'OS_CLOUD';
    } else if (hasEnvCloud(env)) {
      sources.primary = 'OS_* variables';
    }
  }
  // Nothing configured anywhere but the dev cloud is there: use its four accounts.
  if (!sources.primary && onlyFallback(opts)) {
    const defined = new Set(listClouds(opts).clouds);
    for (const role of ACCOUNT_ROLES) {
      if (!sources[role] && defined.has(DEV_CLOUD_NAMES[role])) {
        clouds[role] = DEV_CLOUD_NAMES[role];
        sources[role] = 'dev-cloud';
      }
    }
  }
  const warnings: string[] = [];
  for (const role of ['alt', 'reseller', 'admin'] as const) {
    if (clouds[role] !== undefined && clouds[role] === clouds.primary) {
      warnings.push(`${role} account uses the same cloud as primary (${clouds.primary}): checks comparing two accounts would not test isolation`);
    }
  }
  const load: AccountsConfig['load'] = { env, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.fallbackFiles ? { fallbackFiles: opts.fallbackFiles } : {}) };
  return { clouds, sources, warnings, load, ...(run.file ? { runConfigFile: run.file } : {}) };
}

/** Options of openAccounts. */
export interface OpenAccountsOptions extends OpenCloudOptions {
  /** Authenticate every account now, so a bad password fails the run before any test (default false). */
  authenticate?: boolean;
}

function describeRole(role: AccountRole, cfg: AccountsConfig): string {
  const src = cfg.sources[role];
  const via = src === 'cli' ? FLAG_NAME[role] : src === 'run-config' ? RUN_CONFIG_KEYS[role] : src;
  return `${role} account${via ? ` (${via})` : ''}`;
}

/**
 * Opens a client per configured role. The primary account is always opened (an
 * unconfigured one is a config error); other roles are absent when not configured.
 */
export async function openAccounts(
  cfg: AccountsConfig,
  options: OpenAccountsOptions = {},
): Promise<Partial<Record<AccountRole, CloudSession>>> {
  const out: Partial<Record<AccountRole, CloudSession>> = {};
  for (const role of ACCOUNT_ROLES) {
    if (role !== 'primary' && !cfg.sources[role]) continue;
    const name = cfg.clouds[role];
    let client: CloudSession;
    try {
      client = createCloudClient(loadCloudConfig({ ...cfg.load, ...(name !== undefined ? { cloud: name } : {}) }), options);
      if (options.authenticate) {
        await client.token();
        const c = client.config;
        checkCatalog(await client.catalog(), { cloud: c.name, interface: c.interface, ...(c.regionName !== undefined ? { region: c.regionName } : {}) });
      }
    } catch (err) {
      if (err instanceof CloudError) {
        throw new CloudError(`${describeRole(role, cfg)}: ${err.message}`, err.code, err.detail);
      }
      throw err;
    }
    out[role] = client;
  }
  return out;
}
