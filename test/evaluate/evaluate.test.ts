import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadGuideline } from '../../src/guideline/load.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Guideline } from '../../src/guideline/model.js';
import type { TestResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES_DIR } from '../helpers/upstream.js';

/** A tiny 2.0 guideline built inline so each rule is visible in the test. */
function tiny(): Guideline {
  return {
    format: 1,
    id: '2099.01',
    kind: 'guideline',
    upstream: { schema: '2.0' },
    scoring: { criteria: {} },
    programs: { 'OpenStack Powered Storage': { components: ['os_powered_storage'] } },
    components: { os_powered_storage: { capabilities: { required: ['cap-a', 'cap-b'], advisory: ['cap-c'] } } },
    capabilities: {
      'cap-a': {
        description: 'a', project: 'swift', admin: false, achievements: [],
        tests: [
          { name: 'pkg.T.test_one', idempotent_id: 'id-00000000-0000-0000-0000-000000000001', aliases: ['pkg.Old.test_one'] },
          { name: 'pkg.T.test_flaky', idempotent_id: 'id-00000000-0000-0000-0000-000000000002', flagged: { reason: 'bug 1' } },
        ],
      },
      'cap-b': { description: 'b', project: 'swift', admin: false, achievements: [], tests: [{ name: 'pkg.T.test_two', idempotent_id: 'id-00000000-0000-0000-0000-000000000003' }] },
      'cap-c': { description: 'c', project: 'swift', admin: false, achievements: [], tests: [{ name: 'pkg.T.test_three', idempotent_id: 'id-00000000-0000-0000-0000-000000000004' }] },
    },
    designated_sections: {},
  };
}

const verdicts = (e: ReturnType<typeof evaluate>) => Object.fromEntries(e.capabilities.map((c) => [c.id, c.verdict]));

describe('evaluate', () => {
  it('passes a test by uuid even when Tempest renamed it', () => {
    const results: TestResult[] = [
      { name: 'pkg.Renamed.test_one_v2', uuid: '00000000-0000-0000-0000-000000000001', status: 'pass' },
      { name: 'pkg.T.test_two', status: 'pass' },
    ];
    const e = evaluate(tiny(), 'object', results);
    assert.equal(verdicts(e)['cap-a'], 'pass');
    assert.equal(e.capabilities[0]!.tests[0]!.matchedBy, 'uuid');
    assert.equal(e.verdict, 'pass');
  });

  it('passes a test by an alias name', () => {
    const e = evaluate(tiny(), 'object', [{ name: 'pkg.Old.test_one', status: 'pass' }, { name: 'pkg.T.test_two', status: 'pass' }]);
    assert.equal(e.capabilities[0]!.tests[0]!.matchedBy, 'alias');
    assert.equal(e.verdict, 'pass');
  });

  it('a failing or missing flagged test never fails its capability, but is reported', () => {
    const e = evaluate(tiny(), 'object', [
      { name: 'pkg.T.test_one', status: 'pass' },
      { name: 'pkg.T.test_flaky', status: 'fail', reason: 'boom' },
      { name: 'pkg.T.test_two', status: 'pass' },
    ]);
    assert.equal(verdicts(e)['cap-a'], 'pass');
    const flaky = e.capabilities[0]!.tests[1]!;
    assert.deepEqual([flaky.flagged, flaky.status, flaky.flagReason], [true, 'fail', 'bug 1']);
  });

  it('a skipped, failed or missing required test fails the capability and the program', () => {
    for (const status of ['skip', 'fail', 'error', 'not-implemented'] as const) {
      const e = evaluate(tiny(), 'object', [{ name: 'pkg.T.test_one', status: 'pass' }, { name: 'pkg.T.test_two', status }]);
      assert.equal(verdicts(e)['cap-b'], 'fail', status);
      assert.equal(e.verdict, 'fail', status);
      assert.equal(e.capabilities[1]!.tests[0]!.status, status);
    }
    const missing = evaluate(tiny(), 'object', [{ name: 'pkg.T.test_one', status: 'pass' }]);
    assert.equal(missing.capabilities[1]!.tests[0]!.status, 'missing');
    assert.equal(missing.verdict, 'fail');
  });

  it('a pass among several matching results wins (a rerun fixed it)', () => {
    const e = evaluate(tiny(), 'object', [
      { name: 'pkg.T.test_one', status: 'pass' },
      { name: 'pkg.T.test_two', status: 'fail' },
      { name: 'other', uuid: '00000000-0000-0000-0000-000000000003', status: 'pass' },
    ]);
    assert.equal(e.verdict, 'pass');
  });

  it('advisory failures do not fail the program', () => {
    const e = evaluate(tiny(), 'object', [{ name: 'pkg.T.test_one', status: 'pass' }, { name: 'pkg.T.test_two', status: 'pass' }]);
    assert.equal(verdicts(e)['cap-c'], 'fail');
    assert.equal(e.verdict, 'pass');
    assert.deepEqual(e.counts.advisory, { passed: 0, failed: 1 });
  });

  it('a passing result under an unrelated name does not count', () => {
    const e = evaluate(tiny(), 'object', [{ name: 'pkg.T.test_one_extra', status: 'pass' }, { name: 'pkg.T.test_two', status: 'pass' }]);
    assert.equal(verdicts(e)['cap-a'], 'fail');
  });
});

describe('defcore evaluate (CLI) on real Tempest output', () => {
  let tmp: string;
  before(async () => (tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-eval-'))));
  after(() => rm(tmp, { recursive: true, force: true }));

  it('storage subunit: every required object capability passes, exit 0', async () => {
    const r = await runCli(['evaluate', path.join(FIXTURES_DIR, 'tempest-33-interop-2020.06-storage.subunit'), '--guideline', '2020.06', '--program', 'object']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Verdict: PASS \(20\/20 required capabilities passed\)/);
  });

  it('compute subunit: the two SSH-only skips fail their capabilities, exit 1', async () => {
    const r = await runCli(['evaluate', path.join(FIXTURES_DIR, 'tempest-33-interop-2020.06-compute.subunit'), '--guideline', '2020.06', '--program', 'compute', '--format', 'json']);
    assert.equal(r.code, 1);
    const e = JSON.parse(r.stdout) as ReturnType<typeof evaluate>;
    assert.deepEqual(e.capabilities.filter((c) => c.verdict === 'fail').map((c) => c.id).sort(), ['compute-servers-host', 'compute-servers-verify']);
    const missingFlagged = e.capabilities.flatMap((c) => c.tests).filter((t) => t.status === 'missing');
    assert.ok(missingFlagged.length > 0 && missingFlagged.every((t) => t.flagged), 'the one test absent from Tempest 33 is flagged');
  });

  it('the same verdict from a RefStack JSON and from a plain list of the passed tests', async () => {
    const { guideline } = await loadGuideline('2020.06');
    const names = Object.values(guideline.capabilities).flatMap((c) => c.tests);
    const storageCaps = guideline.components['os_powered_storage']!.capabilities.required!;
    const tests = storageCaps.flatMap((id) => guideline.capabilities[id]!.tests);
    const json = path.join(tmp, 'refstack.json');
    await writeFile(json, JSON.stringify({ cpid: 'abc', duration_seconds: 1, results: tests.map((t) => ({ name: t.name, uuid: t.idempotent_id!.slice(3) })) }));
    assert.equal((await runCli(['evaluate', json, '--guideline', '2020.06', '--program', 'object'])).code, 0);
    const list = path.join(tmp, 'passed.txt');
    await writeFile(list, tests.slice(1).map((t) => t.name).join('\n'));
    const r = await runCli(['evaluate', list, '--guideline', '2020.06', '--program', 'object']);
    assert.equal(r.code, 1, 'one required test missing fails the program');
    assert.ok(names.length > 0);
  });

  it('bad input exits 2 with one line', async () => {
    const bad = path.join(tmp, 'bad.subunit');
    await writeFile(bad, Buffer.from([0xb3, 0x29, 0x01, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0]));
    const r = await runCli(['evaluate', bad, '--guideline', '2020.06', '--program', 'object']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^defcore: .*bad\.subunit: packet at byte 0/);
    const missing = await runCli(['evaluate', path.join(tmp, 'none'), '--guideline', '2020.06', '--program', 'object']);
    assert.equal(missing.code, 2);
  });
});
