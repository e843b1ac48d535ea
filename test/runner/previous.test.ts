import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { previousResults } from '../../src/runner/previous.js';
import { buildReport } from '../../src/report/build.js';
import { reportSchemaProblems } from '../../src/report/schema.js';
import { renderReport } from '../../src/report/render/index.js';
import { tempDir, tinyInput, tinyLoaded, tinyResults } from '../report/support.js';

const EVIDENCE = { exchanges: [{ method: 'GET', url: 'http://127.0.0.1:8080/v1/AUTH_x', status: 204, requestHeaders: {}, durationMs: 3 }] };

async function earlierRun(results: unknown[]): Promise<string> {
  const dir = await tempDir('defcore-prev-');
  const doc = {
    tool: { name: 'defcore', version: '0.1.0' },
    guideline: { id: '2020.06', file: '2020.06.yaml', sha256: 'x' },
    program: 'object',
    cloud: { name: 'c', services: {}, versions: {} },
    prefix: 'defcore-1a2b3c-',
    startedAt: '2026-11-30T10:00:00.000Z',
    interrupted: false,
    results,
  };
  await writeFile(path.join(dir, 'results.json'), JSON.stringify(doc));
  return dir;
}

describe('--rerun-failed: results carried over from an earlier run', () => {
  it('marks each kept pass with the run that produced it and keeps its evidence; failures are run again', async () => {
    const dir = await earlierRun([
      { name: 'a.T.test_pass', uuid: '00000000-0000-0000-0000-00000000000a', status: 'pass', durationMs: 5, evidence: EVIDENCE },
      { name: 'a.T.test_fail', uuid: '00000000-0000-0000-0000-00000000000b', status: 'fail', reason: 'boom' },
    ]);
    const prev = await previousResults(dir);
    assert.deepEqual([...prev.rerun].sort(), ['00000000-0000-0000-0000-00000000000b', 'a.T.test_fail']);
    assert.equal(prev.kept.length, 1);
    assert.deepEqual(prev.kept[0]!.carriedFrom, { run: 'defcore-1a2b3c-', startedAt: '2026-11-30T10:00:00.000Z' });
    assert.deepEqual(prev.kept[0]!.evidence, EVIDENCE);
  });

  it('a result carried twice names the run that really produced it, not the one that carried it', async () => {
    const dir = await earlierRun([
      { name: 'a.T.test_pass', status: 'pass', carriedFrom: { run: 'defcore-000001-', startedAt: '2026-11-01T00:00:00Z' } },
    ]);
    const prev = await previousResults(dir);
    assert.deepEqual(prev.kept[0]!.carriedFrom, { run: 'defcore-000001-', startedAt: '2026-11-01T00:00:00Z' });
  });

  it('a plain list of passed tests is carried as coming from that file', async () => {
    const dir = await tempDir('defcore-prev-');
    const file = path.join(dir, 'passed.txt');
    await writeFile(file, 'a.T.test_pass[id-00000000-0000-0000-0000-00000000000a]\n');
    const prev = await previousResults(file);
    assert.equal(prev.kept[0]!.carriedFrom!.run, `${path.basename(dir)}/passed.txt`);
  });

  it('the report keeps the mark (schema-valid) and every format shows it', async () => {
    const loaded = await tinyLoaded();
    const results = tinyResults();
    results[0] = { ...results[0]!, carriedFrom: { run: 'defcore-1a2b3c-', startedAt: '2026-11-30T10:00:00.000Z' } };
    const report = buildReport(tinyInput(loaded, results));
    assert.deepEqual(reportSchemaProblems(report), []);
    assert.deepEqual(report.tests[0]!.carriedFrom, { run: 'defcore-1a2b3c-', startedAt: '2026-11-30T10:00:00.000Z' });
    assert.match(await renderReport(report, 'html'), /carried over[\s\S]*not run again: result of run defcore-1a2b3c- started 2026-11-30T10:00:00.000Z/);
    assert.match(await renderReport(report, 'markdown'), /\| Carried over \| 1 result\(s\) from run defcore-1a2b3c- \(2026-11-30T10:00:00.000Z\): not run again \|/);
    assert.match(await renderReport(report, 'junit'), /<system-out>carried over, not run again: result of run defcore-1a2b3c-/);
    const plain = buildReport(tinyInput(loaded, tinyResults()));
    assert.doesNotMatch(await renderReport(plain, 'html'), /carried over/);
  });
});
