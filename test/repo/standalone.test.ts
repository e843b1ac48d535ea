import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

function filesUnder(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : filesUnder(root, rel);
    return e.isFile() ? [rel] : [];
  });
}

// A user's clone has nothing beside it: no code or test may reach outside the repository.
describe('the repository stands alone', () => {
  it('no tracked source, test, script or CI file names a path outside the repository', () => {
    const root = repoRoot();
    // Walk the folders rather than ask git: CI tests a plain copy of the checkout, without .git.
    const files = ['src', 'test', 'scripts', '.ci', 'bin']
      .flatMap((dir) => filesUnder(root, dir))
      .filter((f) => !/\.(subunit|json)$/.test(f) && f !== 'test/repo/standalone.test.ts');
    assert.ok(files.length > 100, `expected the repository's files, got ${files.length}`);
    const outside = /\.\.\/shared\b|['"]\.\.['"],\s*['"]shared['"]|\/work\/(?:shared|main)\b/;
    const hits = files.filter((f) => outside.test(readFileSync(path.join(root, f), 'utf8')));
    assert.deepEqual(hits, []);
  });

  it('carries the upstream interop JSON and the Tempest fixtures the tests read', () => {
    const root = repoRoot();
    for (const rel of ['guidelines/upstream/2020.06.json', 'guidelines/upstream/add-ons/dns.2020.06.json', 'test/fixtures/tempest-33-interop-2020.06-compute.subunit']) {
      assert.ok(readFileSync(path.join(root, rel)).length > 1000, rel);
    }
  });
});
