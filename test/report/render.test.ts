import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildReport } from '../../src/report/build.js';
import { renderHtml } from '../../src/report/render/html.js';
import { mdFence, mdText, renderMarkdown } from '../../src/report/render/markdown.js';
import { renderJunit, xmlEscape } from '../../src/report/render/junit.js';
import { renderReport } from '../../src/report/render/index.js';
import { HOSTILE, realStorageReport, tempDir, tinyInput, tinyLoaded, tinyReport, tinyResults } from './support.js';

/** A report where every cloud-originated field carries hostile markup. */
async function hostileReport() {
  const loaded = await tinyLoaded();
  const results = tinyResults({ twoFails: true, hostile: true });
  results[3]!.reason = HOSTILE;
  return buildReport(
    tinyInput(loaded, results, {
      cloud: { name: `cloud${HOSTILE}`, authUrl: 'http://127.0.0.1:5000/v3', region: HOSTILE, services: { [`svc${HOSTILE}`]: `http://127.0.0.1/${HOSTILE}` } },
    }),
  );
}

describe('report renderers', () => {
  describe('HTML', () => {
    it('escapes everything that came from the cloud: the only script is our own', async () => {
      const html = renderHtml(await hostileReport());
      assert.ok(!html.includes('<script>window.__pwned'), 'raw script from the cloud');
      assert.ok(!html.includes('<img src=x'), 'raw img from the cloud');
      assert.ok(!/onerror="window/.test(html));
      assert.equal(html.match(/<script/g)?.length, 1);
      assert.ok(html.includes('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;'));
      // region, service names and headers are cloud data too
      assert.ok(html.includes('region &lt;script&gt;'));
    });

    it('is self-contained: no external resource, and a CSP that allows only its own inline style and script', async () => {
      const html = renderHtml((await tinyReport({ twoFails: true })).report);
      assert.ok(!/<link\b|\bsrc=|@import|url\(/i.test(html.replace(/<pre>[\s\S]*?<\/pre>/g, '')));
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
      assert.ok(csp);
      assert.match(csp, /default-src 'none'/);
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
      const h = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
      assert.ok(csp.includes(`style-src ${h(style)}`), 'style hash');
      assert.ok(csp.includes(`script-src ${h(script)}`), 'script hash');
    });

    it('puts the verdict first and groups capabilities by status, failures carrying their evidence', async () => {
      const html = renderHtml((await tinyReport({ twoFails: true })).report);
      assert.ok(html.indexOf('id="verdict"') < html.indexOf('id="group-required"'));
      assert.match(html, /<span id="verdict" class="verdict">FAIL<\/span>/);
      assert.ok(html.indexOf('id="group-required"') < html.indexOf('id="group-advisory"'));
      assert.ok(html.indexOf('id="cap-objectstore-b"') < html.indexOf('id="cap-objectstore-a"'), 'failed capability first');
      assert.match(html, /<details class="cap" data-result="fail" id="cap-objectstore-b">/);
      assert.match(html, /<details class="evidence">\s*<summary>evidence \(1 HTTP exchange\(s\), 1 note\(s\)\)/);
      assert.ok(!html.includes('gAAAAA-should-never-appear'));
    });
  });

  describe('Markdown', () => {
    it('escapes cloud text inline and fences evidence so it cannot close the fence', async () => {
      const report = await hostileReport();
      report.tests[2]!.evidence!.exchanges[0]!.responseBody = 'before\n````\n<script>x</script>\n````\nafter';
      const md = renderMarkdown(report);
      // code blocks show their content literally; outside them no cloud markup may remain
      const fences = [...md.matchAll(/^( *)(`{3,})text\n([\s\S]*?)\n\1\2$/gm)];
      assert.ok(fences.length >= 1);
      const outside = fences.reduce((t, m) => t.replace(m[0], ''), md);
      assert.ok(!outside.includes('<script'), 'raw HTML from the cloud');
      assert.ok(!outside.includes('<img'), 'raw img from the cloud');
      assert.ok(!outside.includes('````'), 'a fence was closed early');
      assert.ok(fences.some((m) => m[3]!.includes('<script>x</script>')), 'evidence kept verbatim in its fence');
      assert.match(md, /^## ❌ FAIL: guideline 2099\.01, program object$/m);
      // the evidence fence is longer than any backtick run inside it
      assert.match(md, /`````text\n/);
      assert.equal(mdText('a|b\n[x](javascript:y) <b>'), 'a\\|b \\[x\\]\\(javascript:y\\) &lt;b&gt;');
      assert.equal(mdFence('x ``` y'), '````text\nx ``` y\n````');
    });

    it('stays under GitHub’s comment limit, saying where the rest is', async () => {
      const loaded = await tinyLoaded();
      const results = tinyResults({ twoFails: true });
      results[2]!.evidence!.exchanges[0]!.responseBody = 'x'.repeat(1500);
      const report = buildReport(tinyInput(loaded, results));
      assert.ok(!renderMarkdown(report).includes('cut short'));
      const short = renderMarkdown(report, 1500);
      assert.ok(short.length <= 1500, String(short.length));
      assert.match(short, /The comment is cut short here; the full list of failures is in report\.html\./);
      assert.match(short, /^## ❌ FAIL/);
    });

    it('lists failed required capabilities with their failing tests only', async () => {
      const md = renderMarkdown((await tinyReport({ twoFails: true })).report);
      assert.match(md, /### Failed required capabilities \(1\)/);
      assert.match(md, /#### objectstore-b \(0\/1 tests passed\)/);
      assert.ok(!md.includes('test\\_flaky'), 'flagged failure listed');
      assert.match(md, /\| required \| 1 \| 1 \|/);
    });
  });

  describe('JUnit', () => {
    it('is well-formed XML even with hostile text and control characters (checked by Python’s parser)', async function () {
      const report = await hostileReport();
      report.tests[2]!.reason = `bad \u0001\u001b[31m ]]> & "quoted" ${HOSTILE}`;
      report.evaluation.capabilities[1]!.tests[0]!.reason = report.tests[2]!.reason;
      const xml = renderJunit(report);
      const dir = await tempDir();
      await writeFile(path.join(dir, 'j.xml'), xml);
      const py = spawnSync(
        'python3',
        ['-c', 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(r.get("tests"), r.get("failures"), r.get("skipped"), len(r.findall("testsuite")))', path.join(dir, 'j.xml')],
        { encoding: 'utf8' },
      );
      if (py.error) this.skip();
      assert.equal(py.status, 0, py.stderr);
      // 4 tests; test_two failed; the flagged failure and the skip are skipped
      assert.equal(py.stdout.trim(), '4 1 2 3');
      assert.equal(xmlEscape('a\u0000b<&>"\''), 'a\uFFFDb&lt;&amp;&gt;&quot;&apos;');
    });

    it('maps outcomes: pass, failure with evidence, flagged as skipped, missing as failure', async () => {
      const loaded = await tinyLoaded();
      const results = tinyResults({ twoFails: true }).filter((r) => r.name !== 'pkg.T.test_three');
      const xml = renderJunit(buildReport(tinyInput(loaded, results)));
      assert.match(xml, /<testcase classname="pkg\.T" name="test_one\[id-00000000-0000-0000-0000-000000000001\]" time="0\.120"\/>/);
      assert.match(xml, /name="test_flaky[^"]*" time="0\.030"><skipped message="flagged \(does not count\): fail: flaky"\/>/);
      assert.match(xml, /name="test_two[^"]*" time="0\.055"><failure message="expected 200, got 500: Internal Server Error" type="fail">[^<]*PUT http:\/\/127\.0\.0\.1:8080/);
      assert.match(xml, /name="test_three[^"]*" time="0\.000"><failure message="no result for this test" type="missing">/);
    });
  });

  describe('RefStack and JSON', () => {
    it('render --format refstack gives the exact upload body; json round-trips', async () => {
      const { report } = await realStorageReport();
      const body = await renderReport(report, 'refstack');
      const doc = JSON.parse(body) as { cpid: string; duration_seconds: number; results: { name: string; uuid: string }[] };
      assert.equal(doc.cpid, report.cloud.id);
      assert.equal(doc.duration_seconds, 300);
      assert.equal(doc.results.length, 58);
      assert.ok(doc.results.every((r) => /^[0-9a-f-]{36}$/.test(r.uuid) && !r.name.includes('[')));
      assert.ok(!body.endsWith('\n'));
      assert.deepEqual(JSON.parse(await renderReport(report, 'json')), report);
    });
  });
});
