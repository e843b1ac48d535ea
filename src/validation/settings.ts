/**
 * Guest validation settings: the `validation:` section of defcore.yaml and the matching
 * `run` flags, named after Tempest's `[validation]` group (run_validation,
 * connect_method, network_for_ssh, ip_version_for_ssh, ssh_timeout, image_ssh_user…)
 * plus the image and flavor to boot (Tempest's [compute] image_ref/flavor_ref) and the
 * waits. Parsing only: names are resolved against the cloud by resolve.ts. A bad value
 * is one CloudError('config') naming the setting, before anything is created.
 */
import { CloudError } from '../cloud/types.js';

export type ConnectMethod = 'floating' | 'fixed';

/** What the user set; absent keys are discovered (resolve.ts) or take Tempest's defaults. */
export interface ValidationSettings {
  runValidation: boolean;
  /** Image to boot, name or id. */
  imageRef?: string;
  /** Flavor to boot, name or id. */
  flavorRef?: string;
  /** User to log in as (default: the image's os_admin_user / ssh_user property). */
  imageSshUser?: string;
  connectMethod: ConnectMethod;
  /** Network to boot on and whose address to SSH to (name or id). */
  networkForSsh?: string;
  /** External network for floating IPs (name or id; default: the one external network). */
  floatingNetworkName?: string;
  ipVersionForSsh: 4 | 6;
  /** Until SSH answers and lets us in (Tempest's ssh_timeout, default 300 s). */
  sshTimeoutMs: number;
  /** One TCP connect + handshake attempt (Tempest's connect_timeout, default 60 s). */
  connectTimeoutMs: number;
  /** Until a server reaches a state (Tempest's build_timeout, default 300 s). */
  buildTimeoutMs: number;
  /** One command in the guest (default 60 s). */
  commandTimeoutMs: number;
  /** The guests' SSH port (22; only set programmatically, e.g. by tests with an in-process server). */
  sshPort?: number;
}

/** Flags of `defcore run` that set validation (undefined: not given). */
export interface ValidationFlags {
  runValidation?: boolean;
  validationImage?: string;
  validationFlavor?: string;
  imageSshUser?: string;
  connectMethod?: string;
  networkForSsh?: string;
  floatingNetworkName?: string;
  ipVersionForSsh?: string;
  sshTimeout?: string;
  connectTimeout?: string;
  buildTimeout?: string;
  commandTimeout?: string;
}

/** yaml key -> flag, for messages that name the setting the user wrote. */
const FLAG: Record<string, string> = {
  run_validation: '--run-validation',
  image_ref: '--validation-image',
  flavor_ref: '--validation-flavor',
  image_ssh_user: '--image-ssh-user',
  connect_method: '--connect-method',
  network_for_ssh: '--network-for-ssh',
  floating_network_name: '--floating-network-name',
  ip_version_for_ssh: '--ip-version-for-ssh',
  ssh_timeout: '--ssh-timeout',
  connect_timeout: '--connect-timeout',
  build_timeout: '--build-timeout',
  command_timeout: '--command-timeout',
};
const KNOWN_KEYS = Object.keys(FLAG);

/** The sentence a run without validation prints, naming what enables it. */
export const HOW_TO_ENABLE =
  'set `validation: {run_validation: true, image_ref: …, flavor_ref: …}` in defcore.yaml or pass --run-validation --validation-image … --validation-flavor …';

function bad(where: string, message: string): never {
  throw new CloudError(`${where}: ${message}`, 'config');
}

function str(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') bad(where, `must be a string (got ${JSON.stringify(v)})`);
  return v.trim() || undefined;
}

function bool(v: unknown, where: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false|yes|no)$/i.test(v)) return /^(true|yes)$/i.test(v);
  return bad(where, `must be true or false (got ${JSON.stringify(v)})`);
}

function seconds(v: unknown, where: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 7200) bad(where, `must be a number of seconds between 1 and 7200 (got ${JSON.stringify(v)})`);
  return Math.round(n * 1000);
}

/**
 * Settings from the run config's `validation` mapping (`file` names it in messages)
 * overridden by flags. Returns undefined when validation is not enabled by either.
 */
export function parseValidation(section: unknown, flags: ValidationFlags = {}, file = 'defcore.yaml'): ValidationSettings | undefined {
  if (section !== undefined && section !== null && (typeof section !== 'object' || Array.isArray(section))) {
    bad(`${file}: validation`, 'must be a mapping of settings');
  }
  const doc = (section ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!KNOWN_KEYS.includes(key)) bad(`${file}: validation.${key}`, `unknown setting (known: ${KNOWN_KEYS.join(', ')})`);
  }
  const from = <T>(key: string, flag: unknown, conv: (v: unknown, where: string) => T | undefined): T | undefined => {
    if (flag !== undefined) return conv(flag, FLAG[key]!);
    return conv(doc[key], `${file}: validation.${key}`);
  };
  const run = from('run_validation', flags.runValidation, bool);
  // Any setting given implies the user wants validation unless run_validation says no.
  const anyFlag = Object.entries(flags).some(([k, v]) => k !== 'runValidation' && v !== undefined);
  const anySet = Object.keys(doc).some((k) => k !== 'run_validation') || anyFlag;
  if (run === false || (run === undefined && !anySet)) return undefined;
  // A validation flag on the command line is intent enough; keys in a file need run_validation.
  if (run === undefined && !anyFlag) bad(`${file}: validation.run_validation`, 'is not set while other validation settings are: set it to true (or false to skip the guest checks)');

  const method = from('connect_method', flags.connectMethod, str) ?? 'floating';
  if (method !== 'floating' && method !== 'fixed') {
    bad(flags.connectMethod !== undefined ? FLAG.connect_method! : `${file}: validation.connect_method`, `must be floating or fixed (got "${method}")`);
  }
  const ipRaw = from('ip_version_for_ssh', flags.ipVersionForSsh, str) ?? '4';
  if (ipRaw !== '4' && ipRaw !== '6') {
    bad(flags.ipVersionForSsh !== undefined ? FLAG.ip_version_for_ssh! : `${file}: validation.ip_version_for_ssh`, `must be 4 or 6 (got "${ipRaw}")`);
  }
  const settings: ValidationSettings = {
    runValidation: true,
    connectMethod: method,
    ipVersionForSsh: ipRaw === '6' ? 6 : 4,
    sshTimeoutMs: from('ssh_timeout', flags.sshTimeout, seconds) ?? 300_000,
    connectTimeoutMs: from('connect_timeout', flags.connectTimeout, seconds) ?? 60_000,
    buildTimeoutMs: from('build_timeout', flags.buildTimeout, seconds) ?? 300_000,
    commandTimeoutMs: from('command_timeout', flags.commandTimeout, seconds) ?? 60_000,
  };
  const opt: [keyof ValidationSettings, string, unknown][] = [
    ['imageRef', 'image_ref', flags.validationImage],
    ['flavorRef', 'flavor_ref', flags.validationFlavor],
    ['imageSshUser', 'image_ssh_user', flags.imageSshUser],
    ['networkForSsh', 'network_for_ssh', flags.networkForSsh],
    ['floatingNetworkName', 'floating_network_name', flags.floatingNetworkName],
  ];
  for (const [field, key, flag] of opt) {
    const v = from(key, flag, str);
    if (v !== undefined) (settings as unknown as Record<string, unknown>)[field] = v;
  }
  if (settings.imageSshUser !== undefined && !/^[a-z_][a-z0-9_.-]{0,31}$/i.test(settings.imageSshUser)) {
    bad(flags.imageSshUser !== undefined ? FLAG.image_ssh_user! : `${file}: validation.image_ssh_user`, `"${settings.imageSshUser}" is not a user name`);
  }
  return settings;
}
