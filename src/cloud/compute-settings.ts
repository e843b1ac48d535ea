/**
 * The compute references a user may set, named as Tempest's `[compute]` group names
 * them: `image_ref`, `image_ref_alt`, `flavor_ref`, `flavor_ref_alt`,
 * `fixed_network_name`. Read from the `compute:` section of defcore.yaml and from
 * `defcore run` flags (flags win). Values are names or ids; what they name on the
 * cloud is decided later (compute-refs.ts). Reads files; prints nothing.
 */
import { existsSync } from 'node:fs';
import { readConfigFile } from './config.js';
import { CloudError } from './types.js';

export const COMPUTE_SETTINGS = ['image_ref', 'image_ref_alt', 'flavor_ref', 'flavor_ref_alt', 'fixed_network_name'] as const;
export type ComputeSettingName = (typeof COMPUTE_SETTINGS)[number];

/** The `defcore run` flag of each setting. */
export const COMPUTE_SETTING_FLAGS: Record<ComputeSettingName, string> = {
  image_ref: '--image-ref',
  image_ref_alt: '--image-ref-alt',
  flavor_ref: '--flavor-ref',
  flavor_ref_alt: '--flavor-ref-alt',
  fixed_network_name: '--fixed-network',
};

export interface ComputeSettingValue {
  /** A name or an id, as the user wrote it. */
  value: string;
  /** Where it was set: the flag, or `compute.<key>` of the run config file. */
  origin: string;
}

export type ComputeSettings = Partial<Record<ComputeSettingName, ComputeSettingValue>>;

/** The CLI flags of the settings (commander's camel-cased names). */
export interface ComputeSettingFlags {
  imageRef?: string;
  imageRefAlt?: string;
  flavorRef?: string;
  flavorRefAlt?: string;
  fixedNetwork?: string;
}

const FLAG_KEYS: Record<ComputeSettingName, keyof ComputeSettingFlags> = {
  image_ref: 'imageRef',
  image_ref_alt: 'imageRefAlt',
  flavor_ref: 'flavorRef',
  flavor_ref_alt: 'flavorRefAlt',
  fixed_network_name: 'fixedNetwork',
};

/** Longest name or id accepted: Nova and Glance names are at most 255 characters. */
const MAX_LENGTH = 255;

function checkValue(raw: unknown, where: string): string {
  // YAML reads `flavor_ref: 42` as a number; flavor ids are strings to Nova
  const value = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  if (typeof value !== 'string' || value.trim() === '') throw new CloudError(`${where} must be a name or an id (a non-empty string)`, 'config');
  if (value.length > MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) throw new CloudError(`${where} is not a plausible name or id (control characters or longer than ${MAX_LENGTH})`, 'config');
  return value.trim();
}

/** The `compute:` section of a parsed run config; unknown keys are errors (a typo would otherwise be ignored). */
export function settingsFromRunConfig(doc: Record<string, unknown>, file = 'run config'): ComputeSettings {
  const section = doc['compute'];
  if (section === undefined || section === null) return {};
  if (typeof section !== 'object' || Array.isArray(section)) throw new CloudError(`${file}: compute must be a mapping of ${COMPUTE_SETTINGS.join(', ')}`, 'config');
  const out: ComputeSettings = {};
  for (const [key, raw] of Object.entries(section as Record<string, unknown>)) {
    if (!(COMPUTE_SETTINGS as readonly string[]).includes(key)) {
      throw new CloudError(`${file}: unknown setting compute.${key} (known: ${COMPUTE_SETTINGS.join(', ')})`, 'config');
    }
    if (raw === null || raw === undefined || raw === '') continue;
    out[key as ComputeSettingName] = { value: checkValue(raw, `${file}: compute.${key}`), origin: `compute.${key} of ${file}` };
  }
  return out;
}

/** Flags override the run config file (when one was read). */
export function readComputeSettings(opts: { flags?: ComputeSettingFlags; runConfigFile?: string; runConfig?: Record<string, unknown> } = {}): ComputeSettings {
  let fromFile: ComputeSettings = {};
  if (opts.runConfig) fromFile = settingsFromRunConfig(opts.runConfig);
  else if (opts.runConfigFile) {
    if (!existsSync(opts.runConfigFile)) throw new CloudError(`${opts.runConfigFile}: run config not found`, 'config');
    fromFile = settingsFromRunConfig(readConfigFile(opts.runConfigFile), opts.runConfigFile);
  }
  const out: ComputeSettings = { ...fromFile };
  for (const name of COMPUTE_SETTINGS) {
    const flag = opts.flags?.[FLAG_KEYS[name]];
    if (flag === undefined) continue;
    out[name] = { value: checkValue(flag, COMPUTE_SETTING_FLAGS[name]), origin: COMPUTE_SETTING_FLAGS[name] };
  }
  return out;
}
