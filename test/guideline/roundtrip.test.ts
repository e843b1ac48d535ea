import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { importUpstream } from '../../src/guideline/upstream-import.js';
import { exportUpstream } from '../../src/guideline/upstream-export.js';
import { guidelineToYaml } from '../../src/guideline/yaml.js';
import { guidelineFile } from '../../src/guideline/load.js';
import type { Guideline } from '../../src/guideline/model.js';
import { readUpstream, upstreamFiles, UPSTREAM_DIR } from '../helpers/upstream.js';
import { runCli } from '../helpers/cli.js';

describe('guideline import/export round trip', () => {
  const files = upstreamFiles();

  it('finds every upstream guideline (13 dated + next, 12 add-ons)', () => {
    assert.equal(files.filter((f) => !f.startsWith('add-ons/')).length, 14);
    assert.equal(files.filter((f) => f.startsWith('add-ons/')).length, 12);
  });

  for (const rel of files) {
    it(`${rel}: YAML model exports back to deep-equal upstream JSON`, () => {
      const doc = readUpstream(rel);
      const g = importUpstream(doc, rel);
      const yamlText = guidelineToYaml(g, rel);
      const reread = parse(yamlText) as Guideline;
      assert.deepStrictEqual(exportUpstream(reread), doc);
    });
  }

  it('the committed guidelines/ are exactly what the importer writes today', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-import-'));
    try {
      const r = await runCli(['guidelines', 'import', UPSTREAM_DIR, '--out', tmp]);
      assert.equal(r.code, 0, r.stderr);
      const written = [...(await readdir(tmp)).filter((f) => f.endsWith('.yaml')), ...(await readdir(path.join(tmp, 'add-ons'))).map((f) => `add-ons/${f}`)];
      assert.equal(written.length, files.length);
      for (const f of written) {
        const id = path.basename(f, '.yaml');
        assert.equal(await readFile(path.join(tmp, f), 'utf8'), await readFile(guidelineFile(id), 'utf8'), `${f} differs from the committed copy`);
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('`guidelines export` prints upstream JSON for committed guidelines of every schema', async () => {
    for (const [id, rel] of [['2015.03', '2015.03.json'], ['2016.01', '2016.01.json'], ['2017.09', '2017.09.json'], ['2020.06', '2020.06.json'], ['orchestration.2018.02', 'add-ons/orchestration.2018.02.json']] as const) {
      const r = await runCli(['guidelines', 'export', id]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepStrictEqual(JSON.parse(r.stdout), readUpstream(rel), id);
    }
  });

  it('keeps upstream quirks: misspelled keys, string cutoff, a mismatched id', () => {
    const g2018 = importUpstream(readUpstream('2018.11.json'), '2018.11.json');
    assert.ok(Object.values(g2018.upstream.spelling ?? {}).includes('acheivements'));
    assert.ok(Object.values(g2018.upstream.spelling ?? {}).includes('descriptin'));
    const g2016 = importUpstream(readUpstream('2016.01.json'), '2016.01.json');
    assert.equal(g2016.scoring.cutoff_score, 74);
    assert.equal(g2016.upstream.cutoff_score_as_string, true);
  });

  it('refuses upstream data with a key it does not know, naming it', () => {
    const doc = readUpstream('2020.06.json') as { capabilities: Record<string, Record<string, unknown>> };
    doc.capabilities['compute-flavors-list']!['mystery'] = 1;
    assert.throws(() => importUpstream(doc, 'x.json'), /x\.json: \/capabilities\/compute-flavors-list: unexpected key\(s\) "mystery"/);
  });
});
