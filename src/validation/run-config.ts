/**
 * Where a run's validation settings come from: the run config (`--config` or
 * ./defcore.yaml) and the flags; when the run fell back to the local dev cloud's
 * accounts, the run config the dev cloud generated (.dev-cloud/defcore.yaml), which
 * names its data plane. Flags win over files.
 */
import { existsSync } from 'node:fs';
import type { AccountsConfig } from '../cloud/accounts.js';
import { readConfigFile } from '../cloud/config.js';
import { parseValidation, type ValidationFlags, type ValidationSettings } from './settings.js';

const FLAG_KEYS: (keyof ValidationFlags)[] = [
  'runValidation', 'validationImage', 'validationFlavor', 'imageSshUser', 'connectMethod', 'networkForSsh',
  'floatingNetworkName', 'ipVersionForSsh', 'sshTimeout', 'connectTimeout', 'buildTimeout', 'commandTimeout',
];

/** The validation settings of a run and where they came from, or undefined when off. */
export function runValidationFrom(
  accounts: Pick<AccountsConfig, 'runConfigFile' | 'sources'>,
  flags: ValidationFlags,
  devCloudRunConfig: string,
): { settings: ValidationSettings; source: string } | undefined {
  const picked: ValidationFlags = {};
  for (const k of FLAG_KEYS) if (flags[k] !== undefined) (picked as Record<string, unknown>)[k] = flags[k];
  let file: string | undefined;
  if (accounts.runConfigFile) file = accounts.runConfigFile;
  else if (accounts.sources.primary === 'dev-cloud' && existsSync(devCloudRunConfig)) file = devCloudRunConfig;
  const section = file ? readConfigFile(file)['validation'] : undefined;
  const settings = parseValidation(section, picked, file ?? 'defcore.yaml');
  if (!settings) return undefined;
  const fromFlags = Object.keys(picked).length > 0;
  return { settings, source: [file && section !== undefined ? file : '', fromFlags ? 'flags' : ''].filter(Boolean).join(' + ') || 'flags' };
}
