import assert from 'node:assert/strict';
import path from 'node:path';
import { listGuidelineFiles, loadGuideline } from '../../src/guideline/load.js';
import { programsOf } from '../../src/guideline/summary.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { evaluateMatrix, renderMatrixText, type Matrix } from '../../src/evaluate/matrix.js';
import { readResults } from '../../src/results/read.js';
import type { Guideline } from '../../src/guideline/model.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES_DIR } from '../helpers/upstream.js';

const STORAGE = path.join(FIXTURES_DIR, 'tempest-33-interop-2020.06-storage.subunit');
const COMPUTE = path.join(FIXTURES_DIR, 'tempest-33-interop-2020.06-compute.subunit');

async function allGuidelines(): Promise<Guideline[]> {
  const out: Guideline[] = [];
  for (const f of await listGuidelineFiles()) out.push((await loadGuideline(f)).guideline);
  return out;
}

describe('evaluate: a matrix guideline × program', () => {
  it('every cell carries exactly the verdict of evaluating that guideline and program alone (real Tempest 33 output)', async () => {
    const guidelines = await allGuidelines();
    const results = [...(await readResults(STORAGE)).results, ...(await readResults(COMPUTE)).results];
    const m = evaluateMatrix(guidelines, results);
    assert.equal(m.cells.length, guidelines.reduce((n, g) => n + programsOf(g).length, 0));
    for (const c of m.cells) {
      const alone = evaluate(guidelines.find((g) => g.id === c.guideline)!, c.program, results);
      assert.equal(c.verdict, alone.verdict, `${c.guideline}/${c.program}`);
      assert.equal(c.requiredCapabilities.passed, alone.counts.required.passed, `${c.guideline}/${c.program}`);
      assert.equal(c.requiredCapabilities.total, alone.counts.required.passed + alone.counts.required.failed);
    }
    const cell = (g: string, p: string) => m.cells.find((c) => c.guideline === g && c.program === p)!;
    assert.equal(cell('2020.06', 'object').verdict, 'pass');
    assert.deepEqual(cell('2020.06', 'object').requiredTests, { passed: 58, total: 58 });
    // the two SSH-only skips fail compute
    assert.equal(cell('2020.06', 'compute').verdict, 'fail');
    assert.equal(m.verdict, 'fail');
  });

  it('one required test gone fails the cell of every guideline requiring it, with the count', async () => {
    const [g1911, g2006] = [(await loadGuideline('2019.11')).guideline, (await loadGuideline('2020.06')).guideline];
    const results = (await readResults(STORAGE)).results;
    const full = evaluateMatrix([g1911, g2006], results, ['object']);
    assert.equal(full.verdict, 'pass');
    const dropped = results.filter((r) => !r.name.includes('test_list_container_contents_with_no_object'));
    assert.equal(dropped.length, results.length - 1, 'the fixture holds that test once');
    const bent = evaluateMatrix([g1911, g2006], dropped, ['object']);
    assert.deepEqual(bent.cells.map((c) => [c.guideline, c.verdict, c.requiredTests.passed, c.requiredTests.total]), [
      ['2019.11', 'fail', 57, 58],
      ['2020.06', 'fail', 57, 58],
    ]);
    assert.equal(bent.verdict, 'fail');
  });

  it('text shows one row per guideline program with PASS/FAIL and counts', () => {
    const m: Matrix = {
      verdict: 'fail',
      cells: [
        { guideline: '2020.06', program: 'object', verdict: 'pass', requiredCapabilities: { passed: 20, total: 20 }, requiredTests: { passed: 58, total: 58 } },
        { guideline: 'next', program: 'compute', verdict: 'fail', requiredCapabilities: { passed: 55, total: 57 }, requiredTests: { passed: 212, total: 214 } },
      ],
    };
    const lines = renderMatrixText(m).split('\n');
    assert.match(lines[1]!, /^2020\.06\s+object\s+PASS\s+20\/20\s+58\/58$/);
    assert.match(lines[2]!, /^next\s+compute\s+FAIL\s+55\/57\s+212\/214$/);
    assert.match(renderMatrixText(m), /1 of 2 guideline programs passed/);
  });
});

describe('defcore evaluate --guideline all | a,b,c (CLI)', () => {
  it('all: every guideline and program in text, exit 1 when any cell fails', async () => {
    const r = await runCli(['evaluate', STORAGE, '--guideline', 'all']);
    assert.equal(r.code, 1, r.stderr);
    for (const f of await listGuidelineFiles()) assert.match(r.stdout, new RegExp(`^${path.basename(f, '.yaml').replace(/\./g, '\\.')}\\s`, 'm'));
    assert.match(r.stdout, /^2020\.06\s+object\s+PASS\s+20\/20\s+58\/58$/m);
    assert.match(r.stdout, /^2020\.06\s+compute\s+FAIL/m);
  });

  it('a list with --program: only those cells, JSON, exit 0 when all pass', async () => {
    const r = await runCli(['evaluate', STORAGE, '--guideline', '2019.11,2020.06', '--program', 'object', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout) as Matrix;
    assert.deepEqual(m.cells.map((c) => `${c.guideline}/${c.program}/${c.verdict}`), ['2019.11/object/pass', '2020.06/object/pass']);
  });

  it('bad lists and programs exit 2 with one line', async () => {
    for (const args of [
      ['--guideline', '2020.06,,next'],
      ['--guideline', '2020.06,nope'],
      ['--guideline', 'all', '--program', 'storage'],
      ['--guideline', '2020.06,next', '--program', 'dns'],
    ]) {
      const r = await runCli(['evaluate', STORAGE, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
