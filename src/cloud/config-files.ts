/**
 * Where cloud config files are and how they are read: openstacksdk's search order
 * (OS_CLIENT_CONFIG_FILE, ./, the user config dir, /etc/openstack; first found wins),
 * and YAML/JSON parsing whose errors name file:line.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { CloudError } from './types.js';
import { INPUT_LIMITS, readFailure, readInputFileSync } from '../util/input-file.js';

/** What the search depends on. */
export interface ConfigSearchOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** clouds.yaml files tried after every standard location (e.g. the local dev cloud). */
  fallbackFiles?: string[];
}

/** File suffixes openstacksdk accepts for clouds/secure files. */
export const SUFFIXES = ['.yaml', '.yml', '.json'];

/** Expands a leading `~` the way a shell would. */
export function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env['HOME'] ?? homedir(), p.slice(1)) : p;
}

/** Directories searched, in openstacksdk's order: cwd, user config dir, site config dir. */
export function configDirs(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const home = env['HOME'] ?? homedir();
  const xdg = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
  return [cwd, path.join(xdg, 'openstack'), '/etc/openstack'];
}

/** Candidate clouds.yaml and secure.yaml paths, in search order. */
export function configCandidates(opts: ConfigSearchOptions = {}): { clouds: string[]; secure: string[] } {
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

/** Alias expansions allowed in a config file: real clouds.yaml files use a handful. */
const MAX_ALIAS_COUNT = 100;

/** A config error: one line naming file and field. */
export function configError(message: string): CloudError {
  return new CloudError(message, 'config');
}

/** Reads a YAML/JSON config file into a plain object; errors name file:line. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readInputFileSync(file, INPUT_LIMITS.config).toString('utf8');
  } catch (err) {
    throw configError(`${file}: cannot read (${readFailure(err)})`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const msg = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw configError(`${file}${line ? `:${line}` : ''}: invalid YAML: ${msg}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // yaml refuses excessive alias expansion (a "billion laughs" bomb) with a ReferenceError.
    const m = (e as Error).message;
    throw configError(`${file}: ${/alias/i.test(m) ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible YAML bomb` : `invalid YAML: ${m.split('\n')[0]}`}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw configError(`${file}: expected a mapping at the top level`);
  return value as Record<string, unknown>;
}

/** The first existing file of a candidate list. */
export function firstExisting(files: string[]): string | undefined {
  return files.find((f) => existsSync(f));
}

/** The `clouds:` mapping of a config file (empty when absent). */
export function cloudsOf(file: string): Record<string, unknown> {
  const doc = readConfigFile(file);
  const clouds = doc['clouds'];
  if (clouds === undefined) return {};
  if (!isRecord(clouds)) throw configError(`${file}: "clouds" must be a mapping of cloud names`);
  return clouds;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
