import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadGuideline } from '../../src/guideline/load.js';
import { selectTests, testList } from '../../src/guideline/select.js';
import { readPackets } from '../../src/results/subunit.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES_DIR } from '../helpers/upstream.js';

const sortedCodepoint = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('guidelines tests (RefStack test lists)', () => {
  it('object program of 2020.06: 61 entries with aliases, 58 without, sorted, name[id-uuid]', async () => {
    const aliases = await runCli(['guidelines', 'tests', '2020.06', '--program', 'object']);
    assert.equal(aliases.code, 0);
    const lines = aliases.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 61);
    assert.deepEqual(lines, sortedCodepoint(lines));
    for (const l of lines) assert.match(l, /^[\w.]+\[id-[0-9a-f-]{36}\]$/);
    assert.ok(lines.includes('tempest.api.object_storage.test_object_services.ObjectTest.test_get_object_with_x_object_manifest[id-e3e6a64a-9f50-4955-b987-6ce6767c97fb]'), 'alias listed with its test id');
    const bare = await runCli(['guidelines', 'tests', '2020.06', '--program', 'object', '--no-aliases']);
    const bareLines = bare.stdout.trimEnd().split('\n');
    // a test in two capabilities is listed twice, as RefStack did
    assert.equal(bareLines.length, 60);
    assert.equal(new Set(bareLines).size, 58);
  });

  it('the distinct tests equal the test ids Tempest 33 ran for the Storage program', async () => {
    const { guideline } = await loadGuideline('2020.06');
    const ours = new Set(testList(guideline, 'object', { aliases: false }));
    const ran = new Set<string>();
    for (const p of readPackets(readFileSync(path.join(FIXTURES_DIR, 'tempest-33-interop-2020.06-storage.subunit')))) {
      if (p.testId && p.status === 'success') ran.add(p.testId.replace(/\[(?:[^\]]*,)?(id-[0-9a-f-]{36})(?:,[^\]]*)?\]$/, '[$1]'));
    }
    assert.deepEqual([...ran].sort(), [...ours].sort());
  });

  it('--no-flagged drops flagged tests; --status all adds other statuses', async () => {
    const { guideline } = await loadGuideline('2020.06');
    const all = testList(guideline, 'compute');
    const unflagged = testList(guideline, 'compute', { flagged: false });
    const flaggedCount = selectTests(guideline, 'compute').filter((t) => t.flagged).length;
    assert.ok(flaggedCount > 0);
    assert.ok(unflagged.length < all.length);
    const r = await runCli(['guidelines', 'tests', '2017.01', '--program', 'compute', '--status', 'all']);
    const req = await runCli(['guidelines', 'tests', '2017.01', '--program', 'compute']);
    assert.ok(r.stdout.split('\n').length > req.stdout.split('\n').length);
  });

  it('schema 1.2 lists bare names; platform means the required components', async () => {
    const r = await runCli(['guidelines', 'tests', '2015.03', '--program', 'platform']);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.every((l) => !l.includes('[')));
    assert.ok(lines.some((l) => l.startsWith('tempest.api.object_storage.')));
    assert.ok(lines.some((l) => l.startsWith('tempest.api.compute.')));
  });

  it('add-ons print their ids as upstream wrote them (no id- prefix)', async () => {
    const r = await runCli(['guidelines', 'tests', 'dns.2020.06', '--program', 'dns']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^designate_tempest_plugin\.tests\.api\.v2\.[\w.]+\[[0-9a-f-]{36}\]$/m);
  });

  it('bad program, status or guideline: one line, exit 2', async () => {
    for (const argv of [
      ['guidelines', 'tests', '2020.06', '--program', 'dns'],
      ['guidelines', 'tests', '2020.06', '--program', 'storage'],
      ['guidelines', 'tests', '2020.06', '--program', 'object', '--status', 'mandatory'],
      ['guidelines', 'tests', '2031.01', '--program', 'object'],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^defcore: /);
    }
  });

  it('selectTests runs a test listed under several capabilities once and records each capability', async () => {
    const { guideline } = await loadGuideline('2020.06');
    const sel = selectTests(guideline, 'object');
    assert.equal(sel.length, 58);
    const shared = sel.find((t) => t.uuid === '6eb04a6a-4a6c-4ca1-a4a8-3ba32de5b5a9' || t.name.endsWith('test_list_extensions'));
    assert.ok(shared);
    assert.deepEqual(shared.capabilities.map((c) => c.id).sort(), ['objectstore-account-list', 'objectstore-info-request']);
  });

  it('show and list describe programs, statuses and counts', async () => {
    const show = await runCli(['guidelines', 'show', '2020.06', '--program', 'object']);
    assert.equal(show.code, 0);
    assert.match(show.stdout, /Component os_powered_storage\n    required \(20\)/);
    const list = await runCli(['guidelines', 'list', '--json']);
    const rows = JSON.parse(list.stdout) as { id: string; status: string; programs: string[]; capabilities: Record<string, number> }[];
    const g = rows.find((r) => r.id === '2020.06')!;
    assert.equal(g.status, 'approved');
    assert.deepEqual(g.programs, ['platform', 'compute', 'object']);
    assert.equal(g.capabilities['required'], 78);
    assert.equal(rows.length, 26);
  });
});
