import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkModules, renderIndex } from '../../scripts/capability-index.js';
import { REPO_ROOT } from '../helpers/cloud.js';

describe('capabilities/index.ts', () => {
  it('names every module that registers checks, and nothing else (regenerate: npx tsx scripts/capability-index.ts)', () => {
    const modules = checkModules();
    assert.ok(modules.length > 50, `only ${modules.length} check modules found`);
    assert.ok(modules.includes('compute/servers') && !modules.some((m) => /(^|\/)steps/.test(m)), 'check modules, not step helpers');
    const index = readFileSync(path.join(REPO_ROOT, 'capabilities', 'index.ts'), 'utf8');
    assert.equal(index, renderIndex(modules), 'capabilities/index.ts is out of date');
  });
});
