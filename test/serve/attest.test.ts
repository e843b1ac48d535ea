/**
 * Standard envelopes: `defcore report attest` (in-toto test-result Statement in a
 * DSSE envelope) and the server's SLSA verification summary of a certification;
 * `defcore verify` accepts both and refuses them edited or signed by another key.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pae, type DsseEnvelope, type InTotoStatement } from '../../src/report/attest.js';
import { generateKeyFiles } from '../../src/report/keys.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../report/support.js';
import { Client, ENGINE, committee, dbOrSkip, makeVendor, signedReport, startServer, uniq, type TestServer } from './support.js';

const decode = (e: DsseEnvelope) => JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8')) as InTotoStatement;

describe('in-toto / DSSE envelopes', function () {
  this.timeout(120_000);

  it("PAE is DSSE's pre-authentication encoding (the specification's example)", () => {
    assert.equal(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('report attest: a FAILing report becomes result FAILED, its flagged failure and advisory skip warnings; verify accepts it with the key, refuses it edited or with another key', async () => {
    const dir = await tempDir('defcore-attest-');
    await generateKeyFiles(path.join(dir, 'k'));
    await generateKeyFiles(path.join(dir, 'other'));
    const r = await signedReport(path.join(dir, 'k'), { twoFails: true });
    const run = await runCli(['report', 'attest', r.file, '--key', path.join(dir, 'k'), '-o', path.join(dir, 'r.intoto.json')]);
    assert.equal(run.code, 0, run.stderr);
    const env = JSON.parse(await readFile(path.join(dir, 'r.intoto.json'), 'utf8')) as DsseEnvelope;
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
    const st = decode(env);
    assert.equal(st.predicateType, 'https://in-toto.io/attestation/test-result/v0.1');
    assert.equal(st.predicate['result'], 'FAILED');
    assert.deepEqual(st.predicate['failedTests'], ['pkg.T.test_two[id-00000000-0000-0000-0000-000000000003]']);
    assert.deepEqual(st.predicate['warnedTests'], ['pkg.T.test_flaky[id-00000000-0000-0000-0000-000000000002]', 'pkg.T.test_three[id-00000000-0000-0000-0000-000000000004]']);
    const { createHash } = await import('node:crypto');
    assert.equal(st.subject[0]!.digest['sha256'], createHash('sha256').update(await readFile(r.file)).digest('hex'));
    const ok = await runCli(['verify', path.join(dir, 'r.intoto.json'), '--pubkey', path.join(dir, 'k.pub')]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /ACCEPTED: .*test-result/);
    const bad = await runCli(['verify', path.join(dir, 'r.intoto.json'), '--pubkey', path.join(dir, 'other.pub')]);
    assert.equal(bad.code, 1);
    // edited to claim PASSED: the signature no longer verifies
    st.predicate['result'] = 'PASSED';
    st.predicate['failedTests'] = [];
    await writeFile(path.join(dir, 'edited.json'), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }));
    const edited = await runCli(['verify', path.join(dir, 'edited.json'), '--pubkey', path.join(dir, 'k.pub')]);
    assert.equal(edited.code, 1);
    assert.match(edited.stdout, /REJECTED: .*no signature verifies with a trusted key/);
  });

  describe(`SLSA verification summary of a certification (${ENGINE} database)`, () => {
    let s: TestServer;
    before(async function () {
      await dbOrSkip(this);
      s = await startServer();
    });
    after(async () => s?.close());

    it('verifies with the committee key while certified; after revocation it says FAILED and verify refuses it', async () => {
      const v = await makeVendor(s.base);
      const product = ((await v.api.req('POST', '/api/v1/products', { name: uniq('P'), type: 'distribution' })).json['product'] as { id: number }).id;
      const r = await signedReport(v.keyFile);
      const id = ((await v.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature, product })).json['submission'] as { id: number }).id;
      await v.api.req('POST', `/api/v1/submissions/${id}/review-request`);
      const reviewer = await committee(s.base);
      const cert = (await reviewer.req('POST', `/api/v1/submissions/${id}/approve`, { comment: 'ok' })).json['certification'] as { id: number };
      const dir = await tempDir('defcore-vsa-');
      await writeFile(path.join(dir, 'committee.pub'), (await new Client(s.base).req('GET', '/api/v1/committee-key')).text);
      const vsa = await new Client(s.base).req('GET', `/api/v1/certifications/${cert.id}/vsa`);
      const st = decode(vsa.json as unknown as DsseEnvelope);
      assert.equal(st.predicateType, 'https://slsa.dev/verification_summary/v1');
      assert.equal(st.predicate['verificationResult'], 'PASSED');
      await writeFile(path.join(dir, 'vsa.json'), vsa.text);
      const ok = await runCli(['verify', path.join(dir, 'vsa.json'), '--pubkey', path.join(dir, 'committee.pub')]);
      assert.equal(ok.code, 0, ok.stdout);
      await reviewer.req('POST', `/api/v1/certifications/${cert.id}/revoke`, { reason: 'test' });
      await writeFile(path.join(dir, 'vsa2.json'), (await new Client(s.base).req('GET', `/api/v1/certifications/${cert.id}/vsa`)).text);
      const revoked = await runCli(['verify', path.join(dir, 'vsa2.json'), '--pubkey', path.join(dir, 'committee.pub')]);
      assert.equal(revoked.code, 1);
      assert.match(revoked.stdout, /verification result FAILED/);
    });
  });
});
