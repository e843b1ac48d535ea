import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildReport } from '../../src/report/build.js';
import { reportSchemaProblems } from '../../src/report/schema.js';
import { parseReport, readReport } from '../../src/report/read.js';
import { reportFileBytes, writeReportFile } from '../../src/report/write.js';
import { canonicalJson } from '../../src/report/canonical.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { realStorageReport, tempDir, tinyInput, tinyLoaded, tinyReport, tinyResults } from './support.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('report build and schema', () => {
  it('builds a schema-valid report with identity, environment, every result and the derived verdict', async () => {
    const { report } = await tinyReport({ twoFails: true });
    assert.deepEqual(reportSchemaProblems(report), []);
    assert.equal(report.format, 'defcore-report');
    assert.equal(report.formatVersion, 1);
    assert.equal(report.cloud.id, 'f528764d624db129b32c21fbca0cb8d6'); // md5("127.0.0.1")
    assert.equal(report.tests.length, 4);
    assert.equal(report.evaluation.verdict, 'fail');
    assert.deepEqual(
      report.evaluation.capabilities.map((c) => [c.id, c.verdict]),
      [['objectstore-a', 'pass'], ['objectstore-b', 'fail'], ['objectstore-c', 'fail']],
    );
    assert.deepEqual(report.statuses, ['required', 'advisory', 'deprecated', 'removed']);
  });

  it('masks secret headers and signed-URL parameters a recorder missed', async () => {
    const loaded = await tinyLoaded();
    const results = tinyResults({ twoFails: true });
    results[2]!.evidence!.exchanges[0]!.url += '?temp_url_sig=deadbeef&x=1';
    const report = buildReport(tinyInput(loaded, results));
    const text = JSON.stringify(report);
    assert.ok(!text.includes('gAAAAA-should-never-appear'));
    assert.ok(!text.includes('deadbeef'));
    assert.match(text, /temp_url_sig=<redacted>&x=1/);
  });

  it('drops a malformed uuid or duration instead of losing the whole report', async () => {
    const loaded = await tinyLoaded();
    const results = tinyResults();
    results[0] = { ...results[0]!, uuid: 'id-not-a-uuid', durationMs: Number.NaN };
    results[2] = { ...results[2]!, uuid: '00000000-0000-0000-0000-00000000000A'.toUpperCase() };
    const report = buildReport(tinyInput(loaded, results));
    assert.deepEqual(reportSchemaProblems(report), []);
    assert.equal(report.tests[0]!.uuid, undefined);
    assert.equal(report.tests[0]!.durationMs, undefined);
    assert.equal(report.tests[2]!.uuid, '00000000-0000-0000-0000-00000000000a');
  });

  it('records the compute references the run used; a malformed one fails the schema', async () => {
    const loaded = await tinyLoaded();
    const references = {
      compute: [
        { setting: 'image_ref' as const, id: 'i-1', name: 'cirros', source: 'discovered' as const, why: 'discovered: active public qcow2 image' },
        { setting: 'image_ref_alt' as const, id: '', name: '', source: 'discovered' as const, why: 'none distinct' },
        { setting: 'flavor_ref' as const, id: '42', name: 'm1.nano', source: 'setting' as const, why: 'set by --flavor-ref' },
      ],
      preflight: 'quota allows the 10 servers',
    };
    const report = buildReport({ ...tinyInput(loaded, tinyResults({ twoFails: true })), references });
    assert.deepEqual(reportSchemaProblems(report), []);
    assert.deepEqual(report.references, references);
    const bad = clone(report) as unknown as { references: { compute: Array<Record<string, unknown>> } };
    bad.references.compute[0]!['source'] = 'guessed';
    assert.notDeepEqual(reportSchemaProblems(bad), []);
    const extra = clone(report) as unknown as { references: { compute: Array<Record<string, unknown>> } };
    extra.references.compute[0]!['password'] = 'x';
    assert.notDeepEqual(reportSchemaProblems(extra), []);
    const without = buildReport(tinyInput(loaded, tinyResults({ twoFails: true })));
    assert.equal('references' in without, false, 'a run that booted nothing has no references');
  });

  it('refuses an evaluation that does not follow from the results', async () => {
    const loaded = await tinyLoaded();
    const results = tinyResults({ twoFails: true });
    const honest = evaluate(loaded.guideline, 'object', results);
    const forged = clone(honest);
    forged.verdict = 'pass';
    assert.throws(() => buildReport(tinyInput(loaded, results, { evaluation: forged })), /does not follow from its results/);
    assert.doesNotThrow(() => buildReport(tinyInput(loaded, results, { evaluation: honest })));
    assert.throws(() => buildReport(tinyInput(loaded, [...results, { ...results[2]!, status: 'pass' }])), /test 00000000-0000-0000-0000-000000000003 has more than one result/);
  });

  it('a real Storage run (Tempest 33, 58 tests) against the committed 2020.06 passes and validates', async () => {
    const { report } = await realStorageReport();
    assert.deepEqual(reportSchemaProblems(report), []);
    assert.equal(report.tests.length, 58);
    assert.equal(report.evaluation.verdict, 'pass');
    assert.ok(report.evaluation.capabilities.length > 10);
    assert.match(report.guideline.sha256, /^[0-9a-f]{64}$/);
    assert.equal(report.guideline.file, '2020.06.yaml');
  });

  describe('schema violations are refused with the field named', () => {
    const cases: [string, (r: Record<string, any>) => void, RegExp][] = [
      ['missing field', (r) => delete r['evaluation'], /missing property "evaluation"/],
      ['unknown top-level field', (r) => (r['verdict'] = 'pass'), /unexpected property "verdict"/],
      ['unknown field in a test', (r) => (r['tests'][0]['passed'] = true), /\/tests\/0: unexpected property "passed"/],
      ['wrong format version', (r) => (r['formatVersion'] = 2), /\/formatVersion: must be 1/],
      ['unknown test status', (r) => (r['tests'][0]['status'] = 'ok'), /\/tests\/0\/status: must be/],
      ['unknown verdict', (r) => (r['evaluation']['verdict'] = 'maybe'), /\/evaluation\/verdict/],
      // an id is looked up among the shipped guidelines, never read as a path next to the report
      ['guideline id that is a path', (r) => (r['guideline']['id'] = 'evil.yaml'), /\/guideline\/id: must match pattern/],
      ['bad guideline hash', (r) => (r['guideline']['sha256'] = 'abc'), /\/guideline\/sha256/],
      ['bad cloud id', (r) => (r['cloud']['id'] = 'not-an-md5'), /\/cloud\/id/],
      ['bad time', (r) => (r['startedAt'] = 'yesterday'), /\/startedAt: must match format "date-time"/],
      ['wrong type', (r) => (r['interrupted'] = 'no'), /\/interrupted: must be boolean/],
      ['bad uuid', (r) => (r['tests'][0]['uuid'] = 'id-1234'), /\/tests\/0\/uuid/],
      ['negative duration', (r) => (r['tests'][0]['durationMs'] = -1), /\/tests\/0\/durationMs/],
    ];
    for (const [what, mutate, re] of cases) {
      it(what, async () => {
        const { report } = await tinyReport();
        const doc = clone(report) as unknown as Record<string, any>;
        mutate(doc);
        assert.throws(() => parseReport(Buffer.from(JSON.stringify(doc)), 'r.json'), (e: Error) => e.name === 'ReportError' && re.test(e.message) && e.message.startsWith('r.json: '));
      });
    }
    it('not JSON at all', () => {
      assert.throws(() => parseReport(Buffer.from('{"format":'), 'r.json'), /r\.json: invalid JSON/);
    });
    it('is validated on write too', async () => {
      const { report } = await tinyReport();
      const bad = clone(report) as unknown as Record<string, unknown>;
      bad['program'] = '';
      const dir = await tempDir();
      await assert.rejects(writeReportFile(path.join(dir, 'r.json'), bad as never), /\/program/);
    });
  });

  it('writes the canonical form and reads it back unchanged', async () => {
    const { report } = await tinyReport({ twoFails: true, hostile: true });
    const dir = await tempDir();
    const file = path.join(dir, 'report.json');
    await writeReportFile(file, report);
    const bytes = await readFile(file);
    assert.equal(bytes.toString('utf8'), canonicalJson(report) + '\n');
    assert.deepEqual(bytes, reportFileBytes(report));
    const back = await readReport(file);
    assert.deepEqual(back.report, report);
    // a pretty-printed copy is still a readable report (render/compare accept it)
    await writeFile(file, JSON.stringify(report, null, 2));
    assert.deepEqual((await readReport(file)).report, report);
  });
});

describe('report input from a run summary', () => {
  it('maps the run (identity, region, services, times, evaluation) and reproduces a required-only evaluation', async () => {
    const { reportInputFromRun } = await import('../../src/cli/reporters/report-input.js');
    const loaded = await tinyLoaded();
    const results = tinyResults({ twoFails: true });
    const evaluation = evaluate(loaded.guideline, 'object', results, { statuses: ['required'] });
    const summary = {
      info: {
        guideline: loaded.guideline,
        guidelineFile: loaded.file,
        guidelineSha256: loaded.sha256,
        program: 'object',
        cloudName: 'dev',
        identity: { userId: 'u', projectId: 'p', roles: ['member'], authUrl: 'http://127.0.0.1:5000/v3', region: 'RegionOne' },
        services: { 'object-store': 'http://127.0.0.1:8080/v1/AUTH_p' },
        prefix: 'defcore-x',
        tests: [],
        concurrency: 4,
        outputDir: '/tmp/x',
        startedAt: new Date('2026-11-23T10:00:00Z'),
      },
      results,
      evaluation,
      finishedAt: new Date('2026-11-23T10:01:00Z'),
      interrupted: false,
      swept: [],
      notImplemented: [],
    };
    const report = buildReport(reportInputFromRun(summary, '0.1.0'));
    assert.deepEqual(report.statuses, ['required']);
    assert.deepEqual(report.evaluation, evaluation);
    assert.equal(report.cloud.region, 'RegionOne');
    assert.equal(report.cloud.services['object-store'], 'http://127.0.0.1:8080/v1/AUTH_p');
    assert.equal(report.finishedAt, '2026-11-23T10:01:00.000Z');
    assert.deepEqual(reportSchemaProblems(report), []);
    const noIdentity = { ...summary, info: { ...summary.info, identity: undefined } };
    assert.throws(() => reportInputFromRun(noIdentity as never, '0.1.0'), /no authenticated identity/);
  });
});

describe('run reporter', () => {
  it('writes report.json, report.html, junit.xml and a signature into the run directory', async () => {
    const { createReportReporter, checkSigningKey } = await import('../../src/cli/reporters/report.js');
    const { generateKeyFiles } = await import('../../src/report/keys.js');
    const { verifyReportFile } = await import('../../src/report/verify.js');
    const { readPublicKey } = await import('../../src/report/keys.js');
    const { loadGuideline } = await import('../../src/guideline/load.js');
    const dir = await tempDir();
    const loaded = await tinyLoaded(path.join(dir, 'g'));
    const results = tinyResults();
    const key = path.join(dir, 'k');
    const gen = await generateKeyFiles(key);
    assert.equal(await checkSigningKey(key), gen.fingerprint);
    await assert.rejects(checkSigningKey(path.join(dir, 'none')), /cannot read private key .*none: ENOENT/);
    await assert.rejects(checkSigningKey(`${key}.pub`), /not an unencrypted PEM private key/);
    const out = path.join(dir, 'run');
    const errs: string[] = [];
    const reporter = createReportReporter({ isTTY: false, out: () => undefined, err: (t) => errs.push(t), signKey: key });
    await reporter.onEnd!({
      info: {
        guideline: loaded.guideline, guidelineFile: loaded.file, guidelineSha256: loaded.sha256, program: 'object', cloudName: 'dev',
        identity: { userId: 'u', projectId: 'p', roles: [], authUrl: 'http://127.0.0.1:5000/v3' },
        services: {}, prefix: 'x', tests: [], concurrency: 1, outputDir: out, startedAt: new Date('2026-11-23T10:00:00Z'),
      },
      results,
      evaluation: evaluate(loaded.guideline, 'object', results),
      finishedAt: new Date('2026-11-23T10:00:10Z'),
      interrupted: false,
      swept: [],
      notImplemented: [],
    });
    const v = await verifyReportFile(path.join(out, 'report.json'), {
      trustedKeys: [await readPublicKey(`${key}.pub`)],
      loadGuideline: (id) => loadGuideline(id, { dir: path.join(dir, 'g') }),
    });
    assert.equal(v.accepted, true, JSON.stringify(v.checks));
    assert.match(await readFile(path.join(out, 'report.html'), 'utf8'), /class="verdict">PASS</);
    assert.match(await readFile(path.join(out, 'junit.xml'), 'utf8'), /^<\?xml/);
    assert.match(errs.join(''), /signed report: .*report\.json\.sig/);
  });
});
