import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeReportFile } from '../../src/report/write.js';
import { buildReport } from '../../src/report/build.js';
import { realStorageReport, tempDir, tinyInput, tinyLoaded, tinyResults } from './support.js';

describe('report commands (CLI)', function () {
  this.timeout(60_000);

  it('keys generate → report sign → verify accepts; an untrusted key or edited report exits 1 with the reason', async () => {
    const dir = await tempDir();
    const gen = await runCli(['keys', 'generate', '-o', 'signer'], dir);
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /fingerprint: SHA256:/);
    assert.ok(!gen.stdout.includes('PRIVATE KEY'));
    assert.equal((await stat(path.join(dir, 'signer'))).mode & 0o777, 0o600);
    const again = await runCli(['keys', 'generate', '-o', 'signer'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^defcore: .*signer(\.pub)? already exists; refusing to overwrite a key\n$/);

    const { report } = await realStorageReport();
    await writeReportFile(path.join(dir, 'report.json'), report);
    const sign = await runCli(['report', 'sign', 'report.json', '--key', 'signer'], dir);
    assert.equal(sign.code, 0, sign.stderr);
    assert.match(sign.stdout, /signed report\.json with SHA256:\S+: report\.json\.sig/);

    const ok = await runCli(['verify', 'report.json', '--pubkey', 'signer.pub'], dir);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ACCEPTED: report\.json: guideline 2020\.06, program object, cloud zed \([0-9a-f]{32}\): PASS$/m);

    const untrusted = await runCli(['verify', 'report.json'], dir);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stdout, /^REJECTED: report\.json: key SHA256:\S+ is not trusted/m);

    const text = await readFile(path.join(dir, 'report.json'), 'utf8');
    await writeFile(path.join(dir, 'report.json'), text.replace('"verdict":"pass"}', '"verdict":"fail"}'));
    const edited = await runCli(['verify', 'report.json', '--pubkey', 'signer.pub', '--format', 'json'], dir);
    assert.equal(edited.code, 1);
    const json = JSON.parse(edited.stdout) as { accepted: boolean; checks: { check: string; ok: boolean; detail: string }[] };
    assert.equal(json.accepted, false);
    assert.deepEqual(json.checks.find((c) => !c.ok)?.check, 'signature');
  });

  it('verify --trusted-keys takes a directory of public keys', async () => {
    const dir = await tempDir();
    assert.equal((await runCli(['keys', 'generate', '--type', 'rsa', '-o', 'keys/ci'], dir)).code, 0);
    const { report } = await realStorageReport();
    await writeReportFile(path.join(dir, 'r.json'), report);
    assert.equal((await runCli(['report', 'sign', 'r.json', '--key', 'keys/ci'], dir)).code, 0);
    const v = await runCli(['verify', 'r.json', '--trusted-keys', 'keys'], dir);
    assert.equal(v.code, 0, v.stdout);
    assert.match(v.stdout, /^ok   trust: key SHA256:\S+ is trusted$/m);
    assert.match(v.stdout, /^ok   verdict: re-evaluated 58 test result\(s\): program object PASS$/m);
    assert.equal((await runCli(['verify', 'r.json', '--trusted-keys', 'keys', '--require-pass'], dir)).code, 0);
  });

  it('an authentic FAIL report is accepted, unless --require-pass', async () => {
    const dir = await tempDir();
    const loaded = await tinyLoaded(path.join(dir, 'g'));
    await writeReportFile(path.join(dir, 'r.json'), buildReport(tinyInput(loaded, tinyResults({ twoFails: true }))));
    await runCli(['keys', 'generate', '-o', 'k'], dir);
    await runCli(['report', 'sign', 'r.json', '--key', 'k'], dir);
    const v = await runCli(['verify', 'r.json', '--pubkey', 'k.pub', '--guidelines-dir', 'g'], dir);
    assert.equal(v.code, 0, v.stdout);
    assert.match(v.stdout, /ACCEPTED: .*: FAIL\n$/);
    const strict = await runCli(['verify', 'r.json', '--pubkey', 'k.pub', '--guidelines-dir', 'g', '--require-pass'], dir);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /REJECTED: r\.json: the program verdict is FAIL \(--require-pass\)\n$/);
  });

  it('report sign --refstack writes the upload body and headers; refuses ed25519 keys', async () => {
    const dir = await tempDir();
    const { report } = await realStorageReport();
    await writeReportFile(path.join(dir, 'report.json'), report);
    await runCli(['keys', 'generate', '-o', 'ed'], dir);
    const ed = await runCli(['report', 'sign', 'report.json', '--key', 'ed', '--refstack'], dir);
    assert.equal(ed.code, 2);
    assert.match(ed.stderr, /--refstack needs an RSA key/);
    await assert.rejects(stat(path.join(dir, 'report.json.sig')), /ENOENT/);

    await runCli(['keys', 'generate', '--type', 'rsa', '-o', 'rsa'], dir);
    const r = await runCli(['report', 'sign', 'report.json', '--key', 'rsa', '--refstack'], dir);
    assert.equal(r.code, 0, r.stderr);
    const headers = await readFile(path.join(dir, 'report.refstack.headers'), 'utf8');
    assert.match(headers, /^Content-Type: application\/json\nX-Signature: [0-9a-f]{1024}\nX-Public-Key: ssh-rsa AAAA\S+\n$/);
    const body = await readFile(path.join(dir, 'report.refstack.json'), 'utf8');
    const rendered = await runCli(['report', 'render', 'report.json', '--format', 'refstack'], dir);
    assert.equal(rendered.stdout, body);
  });

  it('report render writes every format; bad formats and files are one-line errors', async () => {
    const dir = await tempDir();
    const loaded = await tinyLoaded();
    await writeReportFile(path.join(dir, 'r.json'), buildReport(tinyInput(loaded, tinyResults({ twoFails: true }))));
    for (const [format, re] of [
      ['html', /^<!DOCTYPE html>/],
      ['markdown', /^## ❌ FAIL/],
      ['junit', /^<\?xml version="1\.0"/],
      ['json', /^\{\n  "cloud": \{[\s\S]*\n  "format": "defcore-report",/],
      ['refstack', /^\{"cpid": "[0-9a-f]{32}"/],
    ] as const) {
      const r = await runCli(['report', 'render', 'r.json', '--format', format], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, re, format);
    }
    const o = await runCli(['report', 'render', 'r.json', '--format', 'html', '-o', 'out.html'], dir);
    assert.equal(o.code, 0);
    assert.match(await readFile(path.join(dir, 'out.html'), 'utf8'), /<span id="verdict" class="verdict">FAIL/);
    const bad = await runCli(['report', 'render', 'r.json', '--format', 'pdf'], dir);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'defcore: unknown format "pdf" (html, markdown, junit, json, refstack)\n');
    const missing = await runCli(['report', 'render', 'nope.json', '--format', 'html'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^defcore: cannot read report .*nope\.json: ENOENT\n$/);
    await writeFile(path.join(dir, 'x.json'), '{"format":"defcore-report"}');
    const invalid = await runCli(['report', 'render', 'x.json', '--format', 'html'], dir);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /^defcore: .*x\.json: not a valid defcore report: \/: missing property/);
  });

  it('compare reports regressions and improvements; --fail-on-regression exits 1 only for a required capability', async () => {
    const dir = await tempDir();
    const loaded = await tinyLoaded();
    const good = tinyResults();
    const bad = tinyResults({ twoFails: true });
    await writeReportFile(path.join(dir, 'old.json'), buildReport(tinyInput(loaded, good)));
    await writeReportFile(path.join(dir, 'new.json'), buildReport(tinyInput(loaded, bad)));
    const c = await runCli(['compare', 'old.json', 'new.json', '--fail-on-regression'], dir);
    assert.equal(c.code, 1, c.stdout);
    assert.match(c.stdout, /capabilities regressed \(1\):\n  objectstore-b \[required\] pass -> fail/);
    assert.match(c.stdout, /tests regressed \(1\):\n  pass -> fail  pkg\.T\.test_two \[00000000-0000-0000-0000-000000000003\]/);
    assert.match(c.stdout, /1 required capability regressed\n$/);
    const noFlag = await runCli(['compare', 'old.json', 'new.json'], dir);
    assert.equal(noFlag.code, 0);
    const back = await runCli(['compare', 'new.json', 'old.json', '--fail-on-regression', '--format', 'json'], dir);
    assert.equal(back.code, 0);
    const j = JSON.parse(back.stdout) as { capabilities: { id: string; change: string }[]; requiredRegressions: string[] };
    assert.deepEqual(j.capabilities, [{ id: 'objectstore-b', status: 'required', change: 'improved', from: 'fail', to: 'pass' }]);
    assert.deepEqual(j.requiredRegressions, []);
    // an advisory regression alone does not fail CI
    const advBad = tinyResults();
    advBad[3]!.status = 'pass';
    await writeReportFile(path.join(dir, 'adv-old.json'), buildReport(tinyInput(loaded, advBad)));
    const adv = await runCli(['compare', 'adv-old.json', 'old.json', '--fail-on-regression'], dir);
    assert.equal(adv.code, 0);
    assert.match(adv.stdout, /objectstore-c \[advisory\] pass -> fail/);
  });
});
