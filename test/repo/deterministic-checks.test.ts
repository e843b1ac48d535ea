import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

/**
 * Verdicts must not depend on chance: no check draws a parameter at random
 * (Tempest's random limits and picks are replaced by fixed, decisive values).
 * Random bytes (content) and random UUIDs (ids that must not exist) stay allowed;
 * so does the network fixtures' random first CIDR block, a harness choice that
 * only spreads concurrent checks (every block is tried in turn).
 */
const ALLOWED = new Map([['capabilities/network/steps.ts', 1]]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('checks draw no random parameters', () => {
  it('no Math.random or randomInt in capabilities/ (outside the allowed harness choice)', () => {
    const root = repoRoot();
    const found: string[] = [];
    for (const file of files(path.join(root, 'capabilities'))) {
      const rel = path.relative(root, file);
      const hits = readFileSync(file, 'utf8').split('\n').filter((l) => /Math\.random\s*\(|\brandomInt\b/.test(l)).length;
      if (hits > (ALLOWED.get(rel) ?? 0)) found.push(`${rel}: ${hits}`);
    }
    assert.deepEqual(found, []);
  });
});
