import assert from 'node:assert/strict';
import { loadGuideline } from '../../src/guideline/load.js';
import { selectTests, unionTests, type SelectedTest } from '../../src/guideline/select.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestResult } from '../../src/results/model.js';

type CheckApi = typeof import('../../src/check/api.js');
let api: CheckApi;

/** The same identity the runner uses: the native check a test runs. */
function checkOf(t: SelectedTest): string | undefined {
  const c = api.findCheckForTest(t);
  return c ? ('id' in c && typeof c.id === 'string' ? c.id : `name:${c.test}`) : undefined;
}

function resultsOf(tests: readonly SelectedTest[], fail: (t: SelectedTest) => boolean = () => false): TestResult[] {
  return tests.map((t) => ({ name: t.name, ...(t.uuid ? { uuid: t.uuid } : {}), status: fail(t) ? 'fail' : 'pass' }));
}

const sel = (name: string, uuid?: string, aliases: string[] = []): SelectedTest => ({ name, ...(uuid ? { uuid } : {}), aliases, admin: false, capabilities: [] });

describe('one run, many guidelines: the union of their tests', () => {
  before(async () => {
    // loadChecks imports capabilities/ as ES modules: ask the registry of that module graph
    // (mocha may have loaded this file's static imports as CommonJS, a registry of their own)
    const src = (f: string) => pathToFileURL(path.resolve(import.meta.dirname, '..', '..', 'src', 'check', f)).href;
    const load = (await import(src('load.ts'))) as typeof import('../../src/check/load.js');
    api = (await import(src('api.ts'))) as CheckApi;
    assert.ok((await load.loadChecks()).length > 300, 'the native checks loaded');
  });

  it('runs a test shared by several guidelines once, named so that each guideline finds its result', () => {
    const a = sel('t.Old.test_x'); // a schema 1.2 guideline: a name, no uuid
    const b = sel('t.New.test_x', '11111111-1111-1111-1111-111111111111');
    const u = unionTests([[b], [a]], () => 'check-x');
    assert.equal(u.length, 1);
    // the uuid serves b, the old name serves a
    assert.equal(u[0]!.uuid, b.uuid);
    assert.equal(u[0]!.name, 't.Old.test_x');
    assert.ok(u[0]!.aliases.includes('t.New.test_x'));
  });

  it('keeps apart a test two uuid-less guidelines name differently (no one result could serve both)', () => {
    const u = unionTests([[sel('t.A.test_x')], [sel('t.B.test_x')]], () => 'check-x');
    assert.deepEqual(u.map((t) => t.name), ['t.A.test_x', 't.B.test_x']);
  });

  it('2015.03 (names only) and 2020.06 (uuids), Platform: each guideline judged on the union run gets the verdict a run of its own gets', async () => {
    const old = await loadGuideline('2015.03');
    const now = await loadGuideline('2020.06');
    const lists = [selectTests(now.guideline, 'platform', ['required']), selectTests(old.guideline, 'platform', ['required'])];
    const union = unionTests(lists, checkOf);
    const distinctChecks = new Set([...lists[0]!, ...lists[1]!].map((t) => checkOf(t) ?? t.name));
    assert.ok(union.length < lists[0]!.length + lists[1]!.length, 'shared tests run once');
    assert.equal(union.length, distinctChecks.size, 'one test per native check');

    // every union test passes: each guideline passes, with every test matched
    for (const g of [old, now]) {
      const e = evaluate(g.guideline, 'platform', resultsOf(union), { statuses: ['required'] });
      assert.equal(e.verdict, 'pass', g.guideline.id);
      assert.ok(e.capabilities.every((c) => c.tests.every((t) => t.status === 'pass')), `${g.guideline.id}: every test found its result`);
    }

    // one shared test fails: both guidelines fail exactly as their own runs would
    const shared = union.find((t) => t.uuid && lists[1]!.some((o) => checkOf(o) === checkOf(t)))!;
    const broken = checkOf(shared);
    for (const [i, g] of [now, old].entries()) {
      const alone = evaluate(g.guideline, 'platform', resultsOf(lists[i]!, (t) => checkOf(t) === broken), { statuses: ['required'] });
      const together = evaluate(g.guideline, 'platform', resultsOf(union, (t) => checkOf(t) === broken), { statuses: ['required'] });
      assert.equal(alone.verdict, 'fail', `${g.guideline.id}: the broken test is required`);
      assert.deepEqual(together, alone, `${g.guideline.id}: same evaluation from the union run as from its own`);
    }
  });
});
