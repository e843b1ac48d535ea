import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

/**
 * The upstream interop JSON (openstack/interop, Apache-2.0) that guidelines/*.yaml were
 * imported from, carried in the repository so round-trip tests need nothing beside it.
 */
export const UPSTREAM_DIR = path.resolve(repoRoot(), 'guidelines', 'upstream');
/** Real Tempest 33 subunit output (see test/fixtures/README.md). */
export const FIXTURES_DIR = path.resolve(repoRoot(), 'test', 'fixtures');

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
