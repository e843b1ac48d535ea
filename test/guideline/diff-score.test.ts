import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadGuideline } from '../../src/guideline/load.js';
import { diffGuidelines } from '../../src/guideline/diff.js';
import { renderDiff } from '../../src/guideline/diff-render.js';
import { scoreAchievements, scoreGuideline } from '../../src/guideline/score.js';
import type { Guideline } from '../../src/guideline/model.js';
import { runCli } from '../helpers/cli.js';
import { UPSTREAM_DIR } from '../helpers/upstream.js';

describe('guidelines diff', () => {
  let base: Guideline;
  before(async () => (base = (await loadGuideline('2020.06')).guideline));

  it('reports a status change, an addition and a removal per component', () => {
    const next = structuredClone(base);
    const comp = next.components['os_powered_storage']!.capabilities;
    comp.required = comp.required!.filter((c) => c !== 'objectstore-slo-support');
    comp.advisory = ['objectstore-slo-support'];
    comp.required = comp.required.filter((c) => c !== 'objectstore-info-request');
    next.capabilities['objectstore-teleport'] = { ...structuredClone(next.capabilities['objectstore-info-request']!) };
    comp.required.push('objectstore-teleport');
    const d = diffGuidelines(base, next, 'object');
    assert.deepEqual(d.capabilities.statusChanged, [{ id: 'objectstore-slo-support', component: 'os_powered_storage', from: 'required', to: 'advisory' }]);
    assert.deepEqual(d.capabilities.added.map((c) => c.id), ['objectstore-teleport']);
    assert.deepEqual(d.capabilities.removed.map((c) => c.id), ['objectstore-info-request']);
  });

  it('sees renamed tests by idempotent id, alias changes, flags and unflags', () => {
    const next = structuredClone(base);
    const tests = next.capabilities['objectstore-container-create']!.tests;
    const renamed = tests[0]!;
    const oldName = renamed.name;
    renamed.name = oldName.replace('test_create_container', 'test_create_container_v2');
    renamed.aliases = [oldName];
    tests[1]!.flagged = { reason: 'bug 123', action: 'remove', date: '2020-07' };
    const wasFlagged = Object.entries(next.capabilities).flatMap(([cap, c]) => c.tests.filter((t) => t.flagged && cap !== 'objectstore-container-create').map((t) => ({ cap, t })))[0]!;
    delete wasFlagged.t.flagged;
    next.capabilities['objectstore-container-delete']!.tests.push({ name: 'tempest.api.object_storage.X.test_new', idempotent_id: 'id-12345678-1234-1234-1234-123456789012' });
    const d = diffGuidelines(base, next);
    assert.deepEqual(d.tests.renamed.map((t) => [t.from, t.name]), [[oldName, renamed.name]]);
    assert.deepEqual(d.tests.aliasesChanged[0]!.added, [oldName]);
    assert.deepEqual(d.tests.flagged.map((t) => [t.name, t.reason]), [[tests[1]!.name, 'bug 123']]);
    assert.deepEqual(d.tests.unflagged.map((t) => t.name), [wasFlagged.t.name]);
    assert.deepEqual(d.tests.added.map((t) => t.uuid), ['12345678-1234-1234-1234-123456789012']);
    const md = renderDiff(d, 'markdown');
    assert.match(md, /^# Guideline 2020\.06 → 2020\.06/);
    assert.match(md, /- renamed: `tempest\.api\.object_storage\.test_container_services\.ContainerTest\.test_create_container` → `[^`]+_v2`/);
    assert.match(md, /- flagged: .* — bug 123/);
  });

  it('criteria, cutoff and designated-section changes', () => {
    const next = structuredClone(base);
    next.scoring.cutoff_score = 80;
    next.scoring.criteria['atomic']!.weight = 7;
    const swift = next.designated_sections['swift']!['required'] as { sections: Record<string, { designated: boolean }> };
    const first = Object.keys(swift.sections)[0]!;
    swift.sections[first]!.designated = !swift.sections[first]!.designated;
    const d = diffGuidelines(base, next);
    assert.deepEqual(d.criteria.cutoff, { from: 74, to: 80 });
    assert.deepEqual(d.criteria.changed, [{ id: 'atomic', field: 'weight', from: 6, to: 7 }]);
    assert.equal(d.designatedSections.length, 1);
    assert.match(d.designatedSections[0]!.details[0]!, new RegExp(`section "${first}" (now|no longer) designated`));
  });

  it('real history: 2017.09 → 2018.02 for the object program (components renamed, tests unflagged, SLO/DLO added)', async () => {
    const r = await runCli(['guidelines', 'diff', '2017.09', '2018.02', '--program', 'object', '--format', 'json']);
    assert.equal(r.code, 0);
    const d = JSON.parse(r.stdout) as ReturnType<typeof diffGuidelines>;
    assert.deepEqual(d.capabilities.added.map((c) => `${c.id}:${c.status}`).sort(), ['objectstore-dlo-support:advisory', 'objectstore-slo-support:advisory']);
    assert.ok(d.capabilities.moved.some((m) => m.id === 'objectstore-container-create' && m.from === 'object' && m.to === 'os_powered_storage'));
    assert.ok(d.tests.unflagged.length > 0);
  });

  it('markdown escapes text that could inject markup', () => {
    const next = structuredClone(base);
    next.capabilities['objectstore-container-create']!.tests[0]!.flagged = { reason: '<img src=x onerror=alert(1)> [link](http://x)' };
    const md = renderDiff(diffGuidelines(base, next), 'markdown');
    assert.doesNotMatch(md, /(^|[^\\])<img/, md);
    assert.ok(md.includes('\\<img'));
  });
});

describe('guidelines score', () => {
  it("recomputes the working group's tabulated totals from the criteria weights", async () => {
    const { guideline } = await loadGuideline('2020.06');
    const sheet = scoreGuideline(guideline);
    const weights = Object.fromEntries(sheet.criteria.map((c) => [c.id, c.weight]));
    const csv = readFileSync(path.join(UPSTREAM_DIR, 'tabulated_scores.csv'), 'utf8').trim().split('\n');
    const ours = (await runCli(['guidelines', 'score', '2020.06', '--format', 'csv'])).stdout.split('\n')[0];
    assert.equal(ours, csv[0], 'same columns as the tabulation');
    let checked = 0;
    for (const line of csv.slice(1)) {
      const cells = line.split(',');
      if (cells.length !== 15) continue; // rows the worksheet left unscored
      const achieved = sheet.criteria.filter((_, i) => cells[i + 1] === '1').map((c) => c.id);
      const total = scoreAchievements(achieved, weights);
      assert.equal(`${total}${total >= sheet.cutoff! ? '*' : ''}`, cells[14], cells[0]);
      checked++;
    }
    assert.ok(checked > 100);
  });

  it('scores each capability from its achievements and marks the cutoff', async () => {
    const r = await runCli(['guidelines', 'score', '2020.06', '--format', 'json']);
    const sheet = JSON.parse(r.stdout) as ReturnType<typeof scoreGuideline>;
    assert.equal(sheet.cutoff, 74);
    assert.equal(sheet.criteria.reduce((s, c) => s + c.weight, 0), 100);
    const flavors = sheet.capabilities.find((c) => c.id === 'compute-flavors-list')!;
    assert.equal(flavors.total, 74);
    assert.equal(flavors.meetsCutoff, true);
    const csv = await runCli(['guidelines', 'score', '2020.06', '--format', 'csv']);
    assert.match(csv.stdout, /^Capability,Widely Deployed,Used by Tools,Used by Clients,Future Direction,Complete,Stable,Discoverable,Documented,Core in Last Release,Foundation,Atomic,Proximity,Non-Admin,Total$/m);
    assert.match(csv.stdout, /^compute-flavors-list,(?:[01],){13}74\*$/m);
  });
});
