import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

/** The shared upstream interop checkout beside the repository. */
export const UPSTREAM_DIR = path.resolve(repoRoot(), '..', 'shared', 'upstream-interop');
export const FIXTURES_DIR = path.resolve(repoRoot(), '..', 'shared', 'fixtures');

/** Every upstream guideline file, relative to UPSTREAM_DIR. */
export function upstreamFiles(): string[] {
  const main = readdirSync(UPSTREAM_DIR).filter((f) => /^([0-9]{4}\.[0-9]{2}|next)\.json$/.test(f));
  const addons = readdirSync(path.join(UPSTREAM_DIR, 'add-ons'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `add-ons/${f}`);
  return [...main.sort(), ...addons.sort()];
}

export function readUpstream(rel: string): unknown {
  return JSON.parse(readFileSync(path.join(UPSTREAM_DIR, rel), 'utf8'));
}
