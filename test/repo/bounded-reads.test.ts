import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

// Files defcore itself ships (schemas, templates, package.json) may be read whole;
// anything a user names goes through util/input-file.ts (regular files, a size limit).
const SHIPPED_ONLY = new Set(['src/util/version.ts', 'src/services/schema.ts', 'src/report/render/html.ts', 'src/report/schema.ts', 'src/guideline/validate.ts', 'src/util/input-file.ts']);

function tsFiles(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(root, rel);
    return e.isFile() && rel.endsWith('.ts') ? [rel] : [];
  });
}

describe('every read of a user-named file is bounded', () => {
  it('no module outside the shipped-file readers calls fs readFile/readFileSync directly', () => {
    const root = repoRoot();
    const hits = tsFiles(root, 'src')
      .filter((f) => !SHIPPED_ONLY.has(f))
      .filter((f) => /\breadFile(Sync)?\s*\(/.test(readFileSync(path.join(root, f), 'utf8').replace(/readInputFile(Sync)?\s*\(/g, '')));
    // `verify /dev/zero` once grew the test process past 20 GB through such a read.
    assert.deepEqual(hits, []);
  });
});
