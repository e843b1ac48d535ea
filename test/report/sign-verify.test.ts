import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalBytes, canonicalJson } from '../../src/report/canonical.js';
import { fingerprint, generateKeyFiles, readPrivateKey, readPublicKey, type KeyType } from '../../src/report/keys.js';
import type { Report } from '../../src/report/model.js';
import { refstackBody, refstackHeaders, refstackUpload } from '../../src/report/refstack.js';
import { parseSignature } from '../../src/report/signature.js';
import { verifyReportFile, type VerifyOptions } from '../../src/report/verify.js';
import { signReportFile, writeReportFile, writeRunReports } from '../../src/report/write.js';
import { loadGuideline } from '../../src/guideline/load.js';
import { realStorageReport, tempDir, tinyReport } from './support.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

interface Fixture {
  dir: string;
  reportFile: string;
  key: string;
  report: Report;
  opts: VerifyOptions;
}

/** A signed tiny report in a fresh directory, with its guideline beside it and the signer trusted. */
async function signedFixture(type: KeyType = 'ed25519', reportOpts: { twoFails?: boolean; hostile?: boolean } = { twoFails: true }): Promise<Fixture> {
  const dir = await tempDir();
  const { report } = await tinyReport({ ...reportOpts, dir: path.join(dir, 'guidelines') });
  const key = path.join(dir, `key_${type}`);
  await generateKeyFiles(key, type);
  const files = await writeRunReports(path.join(dir, 'run'), report, { signKey: key });
  const opts: VerifyOptions = {
    trustedKeys: [await readPublicKey(`${key}.pub`)],
    loadGuideline: (id) => loadGuideline(id, { dir: path.join(dir, 'guidelines') }),
  };
  return { dir, reportFile: files.report, key, report, opts };
}

function failed(r: Awaited<ReturnType<typeof verifyReportFile>>): { check: string; detail: string } | undefined {
  return r.checks.find((c) => !c.ok);
}

describe('report signing and verification', function () {
  this.timeout(60_000);

  describe('keys generate', () => {
    for (const type of ['ed25519', 'rsa'] as const) {
      it(`${type}: private key mode 0600, OpenSSH public key whose fingerprint ssh-keygen agrees with`, async () => {
        const dir = await tempDir();
        const k = await generateKeyFiles(path.join(dir, 'k'), type);
        assert.equal((await stat(k.privateKeyFile)).mode & 0o777, 0o600);
        const pub = await readFile(k.publicKeyFile, 'utf8');
        assert.match(pub, type === 'rsa' ? /^ssh-rsa AAAA\S+ defcore\n$/ : /^ssh-ed25519 AAAA\S+ defcore\n$/);
        const priv = await readPrivateKey(k.privateKeyFile);
        assert.equal(fingerprint(createPublicKey(priv)), fingerprint(await readPublicKey(k.publicKeyFile)));
        const ssh = spawnSync('ssh-keygen', ['-lf', k.publicKeyFile], { encoding: 'utf8' });
        if (ssh.status === 0) assert.ok(ssh.stdout.includes(k.fingerprint), `ssh-keygen: ${ssh.stdout} vs ${k.fingerprint}`);
        if (type === 'rsa') assert.equal(priv.asymmetricKeyDetails?.modulusLength, 4096);
      });
    }
    it('signs with keys made by ssh-keygen / openssl (PKCS#1 and PKCS#8 PEM), explains the OpenSSH format', async function () {
      const dir = await tempDir();
      const { report } = await realStorageReport();
      await writeReportFile(path.join(dir, 'r.json'), report);
      const gen = spawnSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '', '-f', path.join(dir, 'ssh_rsa')], { encoding: 'utf8' });
      if (gen.error) this.skip();
      assert.match(await readFile(path.join(dir, 'ssh_rsa'), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
      await signReportFile(path.join(dir, 'r.json'), path.join(dir, 'ssh_rsa'));
      const r = await verifyReportFile(path.join(dir, 'r.json'), { trustedKeys: [await readPublicKey(path.join(dir, 'ssh_rsa.pub'))] });
      assert.equal(r.accepted, true, JSON.stringify(r.checks));
      execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', path.join(dir, 'ossl.pem')]);
      execFileSync('openssl', ['pkey', '-in', path.join(dir, 'ossl.pem'), '-pubout', '-out', path.join(dir, 'ossl.pub.pem')]);
      await signReportFile(path.join(dir, 'r.json'), path.join(dir, 'ossl.pem'));
      const r2 = await verifyReportFile(path.join(dir, 'r.json'), { trustedKeys: [await readPublicKey(path.join(dir, 'ossl.pub.pem'))] });
      assert.equal(r2.accepted, true, JSON.stringify(r2.checks));
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ssh_ed')]);
      await assert.rejects(readPrivateKey(path.join(dir, 'ssh_ed')), /OpenSSH private key format is not supported; convert a copy to PEM with: ssh-keygen -p -m PEM/);
    });

    it('never overwrites a private or a public key', async () => {
      const dir = await tempDir();
      const k = path.join(dir, 'k');
      await generateKeyFiles(k);
      const before = await readFile(k);
      await assert.rejects(generateKeyFiles(k), /already exists; refusing to overwrite/);
      assert.deepEqual(await readFile(k), before);
      const k2 = path.join(dir, 'k2');
      await writeFile(`${k2}.pub`, 'mine\n');
      await assert.rejects(generateKeyFiles(k2), /k2\.pub already exists/);
      await assert.rejects(stat(k2), /ENOENT/); // no private key left behind
      assert.equal(await readFile(`${k2}.pub`, 'utf8'), 'mine\n');
    });
  });

  for (const type of ['ed25519', 'rsa'] as const) {
    describe(`round trip with ${type}`, () => {
      it('a freshly signed report is accepted, every check passing', async () => {
        const f = await signedFixture(type);
        const r = await verifyReportFile(f.reportFile, f.opts);
        assert.deepEqual(failed(r), undefined);
        assert.equal(r.accepted, true);
        assert.deepEqual(r.checks.map((c) => c.check), ['schema', 'canonical', 'signature', 'trust', 'results', 'guideline', 'verdict']);
        const sig = parseSignature(await readFile(`${f.reportFile}.sig`, 'utf8'), 'sig');
        assert.equal(sig.algorithm, type === 'rsa' ? 'rsa-pkcs1v15-sha256' : 'ed25519');
        assert.equal(r.signer, sig.fingerprint);
        const sigText = await readFile(`${f.reportFile}.sig`, 'utf8');
        assert.ok(!sigText.includes('PRIVATE'), 'no private key material in the signature file');
      });

      it('the signature verifies with openssl over the canonical bytes (independent implementation)', async () => {
        const f = await signedFixture(type);
        const sig = parseSignature(await readFile(`${f.reportFile}.sig`, 'utf8'), 'sig');
        const data = path.join(f.dir, 'canonical.bin');
        await writeFile(data, canonicalBytes(JSON.parse(await readFile(f.reportFile, 'utf8'))));
        await writeFile(path.join(f.dir, 'sig.bin'), Buffer.from(sig.signature, 'base64'));
        await writeFile(path.join(f.dir, 'pub.pem'), (await readPublicKey(`${f.key}.pub`)).export({ type: 'spki', format: 'pem' }));
        const args =
          type === 'rsa'
            ? ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.bin', 'canonical.bin']
            : ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'canonical.bin', '-sigfile', 'sig.bin'];
        const out = execFileSync('openssl', args, { cwd: f.dir, encoding: 'utf8' });
        assert.match(out, /Verified OK|Signature Verified Successfully/);
      });
    });
  }

  describe('tamper detection: any field changed after signing is rejected', () => {
    let f: Fixture;
    before(async () => {
      f = await signedFixture('ed25519');
    });
    const edits: [string, (r: Record<string, any>) => void][] = [
      ['tool version', (r) => (r['tool']['version'] = '9.9.9')],
      ['guideline id', (r) => (r['guideline']['id'] = '2020.06')],
      ['guideline hash', (r) => (r['guideline']['sha256'] = 'f'.repeat(64))],
      ['guideline file', (r) => (r['guideline']['file'] = 'other.yaml')],
      ['program', (r) => (r['program'] = 'platform')],
      ['evaluated statuses', (r) => (r['statuses'] = ['required'])],
      ['cloud id', (r) => (r['cloud']['id'] = '0'.repeat(32))],
      ['cloud name', (r) => (r['cloud']['name'] = 'another-cloud')],
      ['cloud auth URL', (r) => (r['cloud']['authUrl'] = 'http://127.0.0.2:5000/v3')],
      ['cloud region', (r) => (r['cloud']['region'] = 'RegionTwo')],
      ['service discovered', (r) => (r['cloud']['services']['compute'] = 'http://127.0.0.1:8774/v2.1')],
      ['start time', (r) => (r['startedAt'] = '2026-11-23T09:00:00.000Z')],
      ['end time', (r) => (r['finishedAt'] = '2026-11-23T10:02:31.500Z')],
      ['interrupted flag', (r) => (r['interrupted'] = true)],
      ['environment', (r) => (r['environment']['node'] = 'v22.0.0')],
      ['a test status', (r) => (r['tests'][2]['status'] = 'pass')],
      ['a test reason', (r) => (r['tests'][2]['reason'] = 'all fine')],
      ['a test duration', (r) => (r['tests'][0]['durationMs'] = 121)],
      ['a test uuid', (r) => (r['tests'][0]['uuid'] = '00000000-0000-0000-0000-000000000009')],
      ['a test removed', (r) => r['tests'].splice(2, 1)],
      ['a test added', (r) => r['tests'].push({ name: 'pkg.T.test_two', status: 'pass' })],
      ['evidence response body', (r) => (r['tests'][2]['evidence']['exchanges'][0]['responseBody'] = 'OK')],
      ['evidence status code', (r) => (r['tests'][2]['evidence']['exchanges'][0]['status'] = 200)],
      ['evidence header', (r) => (r['tests'][2]['evidence']['exchanges'][0]['responseHeaders']['content-type'] = 'text/plain')],
      ['evidence note', (r) => (r['tests'][2]['evidence']['notes'] = [])],
      ['program verdict', (r) => (r['evaluation']['verdict'] = 'pass')],
      ['a capability verdict', (r) => (r['evaluation']['capabilities'][1]['verdict'] = 'pass')],
      ['a test outcome', (r) => (r['evaluation']['capabilities'][1]['tests'][0]['status'] = 'pass')],
      ['counts', (r) => (r['evaluation']['counts']['required']['passed'] = 2)],
      ['a flag', (r) => (r['evaluation']['capabilities'][0]['tests'][1]['flagged'] = false)],
    ];
    for (const [what, edit] of edits) {
      it(what, async () => {
        const doc = JSON.parse(await readFile(f.reportFile, 'utf8')) as Record<string, any>;
        edit(doc);
        const file = path.join(f.dir, 'run', `edited.json`);
        // rewritten canonically, so only the signature can notice
        await writeFile(file, canonicalJson(doc) + '\n');
        const r = await verifyReportFile(file, { ...f.opts, sigFile: `${f.reportFile}.sig` });
        assert.equal(r.accepted, false);
        assert.deepEqual(failed(r), { check: 'signature', ok: false, detail: 'the report was modified after signing (its canonical bytes differ from the signed ones)' });
      });
    }

    it('a single byte changed anywhere in the file is rejected', async () => {
      const bytes = await readFile(f.reportFile);
      const file = path.join(f.dir, 'run', 'flipped.json');
      const positions = [0, 1, 10, Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), bytes.length - 3, bytes.length - 2, bytes.length - 1];
      for (let i = 0; i < 40; i++) positions.push((i * 7919) % bytes.length);
      for (const p of positions) {
        for (const delta of [1, 0x20]) {
          const copy = Buffer.from(bytes);
          copy[p] = (copy[p]! ^ delta) & 0xff;
          await writeFile(file, copy);
          const r = await verifyReportFile(file, { ...f.opts, sigFile: `${f.reportFile}.sig` });
          assert.equal(r.accepted, false, `byte ${p} ^ ${delta} was accepted`);
        }
      }
      // and inserting whitespace or a duplicate key, which parse to the same object
      const text = bytes.toString('utf8');
      for (const edited of [text.replace('{', '{ '), text.replace('{', '{"program":"forged",'), text + '\n']) {
        await writeFile(file, edited);
        const r = await verifyReportFile(file, { ...f.opts, sigFile: `${f.reportFile}.sig` });
        assert.equal(r.accepted, false);
        assert.equal(failed(r)?.check, 'canonical');
      }
    });

    it('a signature file with another key, a swapped fingerprint or a damaged signature is rejected', async () => {
      const sigText = await readFile(`${f.reportFile}.sig`, 'utf8');
      const sig = JSON.parse(sigText) as Record<string, string>;
      const other = path.join(f.dir, 'other');
      await generateKeyFiles(other);
      const otherPub = (await readFile(`${other}.pub`, 'utf8')).trim();
      const variants: [string, Record<string, string>, RegExp][] = [
        ['other public key', { ...sig, publicKey: otherPub }, /fingerprint .* is not that of its public key/],
        ['other key and its fingerprint', { ...sig, publicKey: otherPub, fingerprint: fingerprint(await readPublicKey(`${other}.pub`)) }, /does not verify/],
        ['damaged signature', { ...sig, signature: Buffer.from(Buffer.from(sig['signature']!, 'base64').map((b, i) => (i === 5 ? b ^ 1 : b))).toString('base64') }, /does not verify/],
        ['truncated signature', { ...sig, signature: Buffer.from(sig['signature']!, 'base64').subarray(0, 10).toString('base64') }, /does not verify/],
        ['not base64 at all', { ...sig, signature: '!!!' }, /does not verify/],
        ['wrong algorithm', { ...sig, algorithm: 'rsa-pkcs1v15-sha256' }, /does not match the ed25519 public key/],
      ];
      for (const [what, s, re] of variants) {
        const sf = path.join(f.dir, 'run', 'variant.sig');
        await writeFile(sf, JSON.stringify(s));
        const r = await verifyReportFile(f.reportFile, { ...f.opts, sigFile: sf });
        assert.equal(r.accepted, false, what);
        assert.equal(failed(r)?.check, 'signature', what);
        assert.match(failed(r)!.detail, re, what);
      }
    });
  });

  describe('verdict re-evaluation', () => {
    it('rejects a forged program verdict even when signed by a trusted key', async () => {
      const f = await signedFixture('ed25519', { twoFails: true });
      assert.equal(f.report.evaluation.verdict, 'fail');
      const forged = clone(f.report);
      forged.evaluation.verdict = 'pass';
      await writeReportFile(f.reportFile, forged);
      await signReportFile(f.reportFile, f.key);
      const r = await verifyReportFile(f.reportFile, f.opts);
      assert.equal(r.accepted, false);
      assert.deepEqual(failed(r), { check: 'verdict', ok: false, detail: 'the report states program verdict "pass" but its results give "fail"' });
      // the signature and trust checks themselves passed: the forgery is in the content
      assert.ok(r.checks.filter((c) => c.check !== 'verdict').every((c) => c.ok));
    });

    it('rejects a capability verdict, a test outcome or counts that do not follow from the results', async () => {
      const forgeries: [string, (r: Report) => void, RegExp][] = [
        ['capability verdict', (r) => (r.evaluation.capabilities[1]!.verdict = 'pass'), /capability objectstore-b: the report states "pass" but its results give "fail"/],
        ['test outcome', (r) => (r.evaluation.capabilities[1]!.tests[0]!.status = 'pass'), /differs from what the results give at evaluation\/capabilities\/1\/tests\/0\/status/],
        ['counts', (r) => (r.evaluation.counts.required = { passed: 2, failed: 0 }), /at evaluation\/counts\/required\/failed/],
        ['omitted capability', (r) => r.evaluation.capabilities.splice(2, 1), /omits capability objectstore-c/],
        ['results changed to match a pass', (r) => (r.evaluation.capabilities[2]!.verdict = 'pass'), /objectstore-c: the report states "pass"/],
        [
          'raw result altered, evaluation kept',
          (r) => {
            r.tests[0]!.status = 'fail';
          },
          /capability objectstore-a: the report states "pass" but its results give "fail"/,
        ],
      ];
      for (const [what, forge, re] of forgeries) {
        const f = await signedFixture('ed25519', { twoFails: true });
        const forged = clone(f.report);
        forge(forged);
        await writeReportFile(f.reportFile, forged);
        await signReportFile(f.reportFile, f.key);
        const r = await verifyReportFile(f.reportFile, f.opts);
        assert.equal(r.accepted, false, what);
        assert.equal(failed(r)?.check, 'verdict', what);
        assert.match(failed(r)!.detail, re, what);
      }
    });

    it('rejects a second, passing result smuggled in for a failed test', async () => {
      const f = await signedFixture('ed25519', { twoFails: true });
      const forged = clone(f.report);
      forged.tests.push({ name: 'pkg.T.test_two_renamed', uuid: '00000000-0000-0000-0000-000000000003', status: 'pass' });
      // make the evaluation consistent with the forged results, as a careful forger would
      const { evaluate } = await import('../../src/evaluate/evaluate.js');
      forged.evaluation = evaluate((await loadGuideline('2099.01', { dir: path.join(f.dir, 'guidelines') })).guideline, 'object', forged.tests, { statuses: forged.statuses });
      assert.equal(forged.evaluation.verdict, 'pass');
      await writeReportFile(f.reportFile, forged);
      await signReportFile(f.reportFile, f.key);
      const r = await verifyReportFile(f.reportFile, f.opts);
      assert.equal(r.accepted, false);
      assert.equal(failed(r)?.check, 'results');
      assert.match(failed(r)!.detail, /^test uuid 00000000-0000-0000-0000-000000000003 has more than one result/);
    });

    it('rejects a report that left the required capabilities out of the evaluation', async () => {
      const f = await signedFixture('ed25519', { twoFails: true });
      const { buildReport } = await import('../../src/report/build.js');
      const { tinyInput, tinyResults } = await import('./support.js');
      const loaded = await loadGuideline('2099.01', { dir: path.join(f.dir, 'guidelines') });
      const results = tinyResults({ twoFails: true }); // a required capability fails…
      results[3]!.status = 'pass'; // …the advisory one passes
      const report = buildReport(tinyInput(loaded, results, { statuses: ['advisory'] }));
      assert.equal(report.evaluation.verdict, 'pass'); // vacuously: no required capability in it
      await writeReportFile(f.reportFile, report);
      await signReportFile(f.reportFile, f.key);
      const r = await verifyReportFile(f.reportFile, f.opts);
      assert.equal(r.accepted, false);
      assert.deepEqual(failed(r), { check: 'verdict', ok: false, detail: 'the report evaluated only advisory capabilities; without the required ones its verdict certifies nothing' });
    });

    it('a real 2020.06 Storage report re-evaluates against the committed guideline', async () => {
      const dir = await tempDir();
      const { report } = await realStorageReport();
      const key = path.join(dir, 'k');
      await generateKeyFiles(key, 'rsa');
      const files = await writeRunReports(dir, report, { signKey: key });
      assert.deepEqual(files, { report: path.join(dir, 'report.json'), html: path.join(dir, 'report.html'), junit: path.join(dir, 'junit.xml'), signature: path.join(dir, 'report.json.sig') });
      assert.match(await readFile(files.html, 'utf8'), /<span id="verdict" class="verdict">PASS<\/span>/);
      // 60 testcases: two of the 58 tests belong to two capabilities each
      assert.match(await readFile(files.junit, 'utf8'), /<testsuites name="defcore 2020\.06 object on zed: PASS" tests="60" failures="0" errors="0" skipped="0"/);
      const r = await verifyReportFile(files.report, { trustedKeys: [await readPublicKey(`${key}.pub`)] });
      assert.deepEqual(failed(r), undefined);
      assert.match(r.checks.at(-1)!.detail, /re-evaluated 58 test result\(s\): program object PASS/);
      // drop one passing result of a required capability: the stated PASS no longer follows
      const forged = clone(report);
      forged.tests.splice(0, 1);
      await writeReportFile(files.report, forged);
      await signReportFile(files.report, key);
      const r2 = await verifyReportFile(files.report, { trustedKeys: [await readPublicKey(`${key}.pub`)] });
      assert.equal(failed(r2)?.check, 'verdict');
      assert.match(failed(r2)!.detail, /states program verdict "pass" but its results give "fail"/);
    });

    it('a report judged against several guidelines carries a verified matrix; a forged cell is rejected', async () => {
      const dir = await tempDir();
      const { report: single } = await realStorageReport();
      const older = await loadGuideline('2015.07');
      const now = await loadGuideline('2020.06');
      // Tempest ran only 2020.06's Storage tests: 2015.07 lists tests that are not there
      const { buildReport } = await import('../../src/report/build.js');
      const report = buildReport({
        guideline: now,
        also: [older],
        program: 'object',
        statuses: ['required'],
        cloud: { name: 'zed', authUrl: 'http://127.0.0.1:5000/v3', services: {} },
        startedAt: single.startedAt,
        finishedAt: single.finishedAt,
        results: single.tests,
        toolVersion: '0.1.0',
      });
      assert.deepEqual(report.matrix!.map((c) => [c.guideline.id, c.verdict]), [['2020.06', 'pass'], ['2015.07', report.matrix![1]!.verdict]]);
      assert.equal(report.matrix![1]!.guideline.sha256, older.sha256);
      const key = path.join(dir, 'k');
      await generateKeyFiles(key, 'ed25519');
      const files = await writeRunReports(dir, report, { signKey: key });
      const trust = { trustedKeys: [await readPublicKey(`${key}.pub`)] };
      const r = await verifyReportFile(files.report, trust);
      assert.deepEqual(failed(r), undefined);
      assert.match(r.checks.find((c) => c.check === 'matrix')!.detail, /re-evaluated against 2 guidelines: 2020\.06 PASS, 2015\.07 (PASS|FAIL)/);
      // flip the second guideline's verdict and sign again: the signature holds, the matrix does not
      const forged = clone(report);
      const cell = forged.matrix![1]!;
      cell.verdict = cell.verdict === 'pass' ? 'fail' : 'pass';
      await writeReportFile(files.report, forged);
      await signReportFile(files.report, key);
      const r2 = await verifyReportFile(files.report, trust);
      assert.equal(failed(r2)?.check, 'matrix');
      assert.match(failed(r2)!.detail, /matrix cell 2015\.07\/object: the report states/);
    });
  });

  describe('trust and provenance', () => {
    it('rejects a valid signature by a key that is not trusted, or when no key is trusted', async () => {
      const f = await signedFixture('ed25519');
      const other = path.join(f.dir, 'other');
      await generateKeyFiles(other, 'rsa');
      const r = await verifyReportFile(f.reportFile, { ...f.opts, trustedKeys: [await readPublicKey(`${other}.pub`)] });
      assert.equal(r.accepted, false);
      assert.equal(failed(r)?.check, 'trust');
      assert.match(failed(r)!.detail, /is not among the 1 trusted key\(s\)/);
      const none = await verifyReportFile(f.reportFile, { ...f.opts, trustedKeys: [] });
      assert.equal(none.accepted, false);
      assert.match(failed(none)!.detail, /is not trusted \(give --pubkey or --trusted-keys\)/);
    });

    it('rejects a report whose guideline file changed since (hash mismatch)', async () => {
      const f = await signedFixture('ed25519');
      const gfile = path.join(f.dir, 'guidelines', '2099.01.yaml');
      await writeFile(gfile, (await readFile(gfile, 'utf8')) + '# edited\n');
      const r = await verifyReportFile(f.reportFile, f.opts);
      assert.equal(r.accepted, false);
      assert.equal(failed(r)?.check, 'guideline');
      assert.match(failed(r)!.detail, /has sha256 [0-9a-f]{64}, the report names [0-9a-f]{64}/);
    });

    it('rejects an unsigned report, and a non-canonical report cannot be signed', async () => {
      const f = await signedFixture('ed25519');
      const r = await verifyReportFile(f.reportFile, { ...f.opts, sigFile: path.join(f.dir, 'nope.sig') });
      assert.equal(failed(r)?.check, 'signature');
      assert.match(failed(r)!.detail, /no signature file/);
      await writeFile(f.reportFile, JSON.stringify(f.report, null, 2));
      await assert.rejects(signReportFile(f.reportFile, f.key), /not in canonical form/);
    });
  });

  describe('RefStack upload compatibility', () => {
    it('upload body has RefStack’s shape: cpid, whole duration_seconds, passed tests with uuid', async () => {
      const { report } = await tinyReport({ twoFails: true });
      const up = refstackUpload(report);
      assert.deepEqual(up, {
        cpid: 'f528764d624db129b32c21fbca0cb8d6',
        duration_seconds: 150,
        results: [{ name: 'pkg.T.test_one', uuid: '00000000-0000-0000-0000-000000000001' }],
      });
      assert.equal(refstackBody(report).toString(), '{"cpid": "f528764d624db129b32c21fbca0cb8d6", "duration_seconds": 150, "results": [{"name": "pkg.T.test_one", "uuid": "00000000-0000-0000-0000-000000000001"}]}');
    });

    it('refuses an ed25519 key for RefStack headers', async () => {
      const dir = await tempDir();
      await generateKeyFiles(path.join(dir, 'k'), 'ed25519');
      const key = await readPrivateKey(path.join(dir, 'k'));
      assert.throws(() => refstackHeaders(Buffer.from('{}'), key), /RSA \(PKCS#1 v1\.5, SHA-256\) signatures only/);
    });

    it('X-Signature / X-Public-Key verify the way RefStack’s server checks them (Python cryptography)', async function () {
      const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' });
      if (probe.status !== 0) this.skip(); // python3-cryptography absent: the openssl tests above still cover PKCS#1 v1.5
      const dir = await tempDir();
      await generateKeyFiles(path.join(dir, 'k'), 'rsa');
      const { report } = await realStorageReport();
      const body = refstackBody(report);
      const h = refstackHeaders(body, await readPrivateKey(path.join(dir, 'k')));
      await writeFile(path.join(dir, 'body.json'), body);
      // what refstack/api/validators.py does with the request: hex-decode X-Signature,
      // load X-Public-Key as an OpenSSH key, PKCS1v15 + SHA256 over the raw body
      const py = [
        'import binascii, json, sys',
        'from cryptography.hazmat.primitives import hashes',
        'from cryptography.hazmat.primitives.asymmetric import padding',
        'from cryptography.hazmat.primitives.serialization import load_ssh_public_key',
        'body = open(sys.argv[1], "rb").read()',
        'key = load_ssh_public_key(sys.argv[3].encode())',
        'key.verify(binascii.a2b_hex(sys.argv[2]), body, padding.PKCS1v15(), hashes.SHA256())',
        'doc = json.loads(body.decode("utf-8"))',
        'assert sorted(doc) == ["cpid", "duration_seconds", "results"], doc.keys()',
        'assert isinstance(doc["duration_seconds"], int)',
        'assert json.dumps(doc).encode() == body, "not json.dumps form"',
        'print("verified", len(doc["results"]))',
      ].join('\n');
      const out = execFileSync('python3', ['-c', py, path.join(dir, 'body.json'), h['X-Signature'], h['X-Public-Key']], { encoding: 'utf8' });
      assert.equal(out.trim(), 'verified 58');
      // a body changed by one byte fails the same check
      await writeFile(path.join(dir, 'body.json'), Buffer.from(body.toString().replace('"duration_seconds": 300', '"duration_seconds": 301')));
      const bad = spawnSync('python3', ['-c', py, path.join(dir, 'body.json'), h['X-Signature'], h['X-Public-Key']], { encoding: 'utf8' });
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /InvalidSignature/);
    });
  });
});
