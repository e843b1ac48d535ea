/**
 * The review service's JSON API end to end on 127.0.0.1: submissions verified as
 * `defcore verify` does and stored content-addressed, bad input refused with nothing
 * stored, authorization between vendors, the committee and anonymous users, the
 * review flow with signed certifications, revocation and the append-only audit log.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { verifyReportBytes } from '../../src/report/verify.js';
import { parsePublicKey } from '../../src/report/keys.js';
import { verifyCertificationBytes } from '../../src/report/certification.js';
import { migrate } from '../../src/serve/migrations.js';
import { runCli } from '../helpers/cli.js';
import { Client, ENGINE, committee, dbOrSkip, makeVendor, signedReport, startServer, uniq, type TestServer, type TestVendor } from './support.js';

const count = async (s: TestServer, sql: string, params: unknown[] = []) => Number((await s.ctx.db.query<{ n: number | string }>(sql, params))[0]!.n);

describe(`serve API (${ENGINE} database)`, function () {
  this.timeout(120_000);
  let s: TestServer;
  let a: TestVendor;
  let b: TestVendor;

  before(async function () {
    await dbOrSkip(this);
    s = await startServer({}, { bodyLimit: 8 * 1024 * 1024 });
    a = await makeVendor(s.base);
    b = await makeVendor(s.base);
  });
  after(async () => s?.close());

  const submissions = () => count(s, 'select count(*) as n from submissions');

  it('applies migrations once: a second run (another process starting) applies nothing', async () => {
    assert.deepEqual(await migrate(s.ctx.db), []);
  });

  describe('submitting', () => {
    it('stores a verified report content-addressed with its signature and public key; anyone allowed re-verifies it from what is stored', async () => {
      const r = await signedReport(a.keyFile);
      const res = await a.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      assert.equal(res.status, 201, res.text);
      const sub = res.json['submission'] as { id: number; sha256: string; verdict: string; state: string };
      assert.equal(sub.sha256, createHash('sha256').update(r.report).digest('hex'));
      assert.equal(sub.verdict, 'pass');
      assert.equal(sub.state, 'submitted');
      const body = await a.api.req('GET', `/api/v1/submissions/${sub.id}/report`);
      assert.equal(body.text, r.report, 'the exact bytes come back');
      const sig = await a.api.req('GET', `/api/v1/submissions/${sub.id}/signature`);
      const pub = await a.api.req('GET', `/api/v1/submissions/${sub.id}/public-key`);
      const v = await verifyReportBytes(Buffer.from(body.text), sig.text, { trustedKeys: [parsePublicKey(pub.text)], loadGuideline: (id) => s.ctx.loadGuideline(id) });
      assert.equal(v.accepted, true, JSON.stringify(v.checks));
      const again = await a.api.req('GET', `/api/v1/submissions/${sub.id}/verify`);
      assert.equal(again.json['accepted'], true);
    });

    it('the same report sent twice is one submission (200, duplicate, same id)', async () => {
      const r = await signedReport(a.keyFile);
      const first = await a.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      const before = await submissions();
      const second = await a.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      assert.equal(second.status, 200);
      assert.equal(second.json['duplicate'], true);
      assert.equal((second.json['submission'] as { id: number }).id, (first.json['submission'] as { id: number }).id);
      assert.equal(await submissions(), before);
    });

    it('defcore submit uploads report.json with report.json.sig and prints the submission', async () => {
      const r = await signedReport(a.keyFile);
      const tokenFile = path.join(a.dir, 'token');
      await writeFile(tokenFile, a.api.token!, { mode: 0o600 });
      const run = await runCli(['submit', r.file, '--server', s.base, '--token-file', tokenFile]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^submitted: #\d+ sha256 [0-9a-f]{64}: guideline 2099\.01, program object: PASS/);
      assert.ok(!run.stdout.includes(a.api.token!) && !run.stderr.includes(a.api.token!), 'the token is never printed');
      const dup = await runCli(['submit', r.file, '--server', s.base, '--token-file', tokenFile]);
      assert.match(dup.stdout, /^already submitted: #/);
    });

    it('defcore submit of a report signed by an unregistered key: exit 1 with the reason', async () => {
      const c = await makeVendor(s.base, { register: false });
      const r = await signedReport(c.keyFile);
      const tokenFile = path.join(c.dir, 'token');
      await writeFile(tokenFile, c.api.token!, { mode: 0o600 });
      const run = await runCli(['submit', r.file, '--server', s.base, '--token-file', tokenFile]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /submission refused \(422\): signed by key SHA256:\S+, which is not registered to your vendor/);
    });
  });

  describe('bad input: refused with a clear error, nothing stored', () => {
    it('malformed JSON → 400 "malformed JSON"', async () => {
      const n = await submissions();
      const res = await a.api.req('POST', '/api/v1/submissions', '{"report": "x", "signature": ', { 'content-type': 'application/json' });
      assert.equal(res.status, 400);
      assert.match(res.json.message!, /^malformed JSON/);
      assert.equal(await submissions(), n);
    });

    it('a 100 MB body → 413 from its Content-Length, answered after 1 MB was sent (not buffered)', async () => {
      const n = await submissions();
      const url = new URL('/api/v1/submissions', s.base);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024), authorization: `Bearer ${a.api.token}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on('error', (e) => (e.message.includes('socket hang up') || (e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(e)));
        req.write(Buffer.alloc(1024 * 1024, 0x20));
        setTimeout(() => reject(new Error('no answer within 20 s: the server waited for the body')), 20_000).unref();
      });
      assert.equal(status, 413);
      assert.equal(await submissions(), n);
    });

    it('a report signed by a key no vendor registered → 422 unregistered_key', async () => {
      const c = await makeVendor(s.base, { register: false });
      const r = await signedReport(c.keyFile);
      const n = await submissions();
      const res = await c.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      assert.equal(res.status, 422);
      assert.equal(res.json['error'], 'unregistered_key');
      assert.equal(await submissions(), n);
    });

    it('a tampered report (verdict edited after signing) → 422 naming the failed check', async () => {
      const r = await signedReport(a.keyFile, { twoFails: true });
      const tampered = r.report.replace('"verdict":"fail"', '"verdict":"pass"');
      assert.notEqual(tampered, r.report);
      const n = await submissions();
      const res = await a.api.req('POST', '/api/v1/submissions', { report: tampered, signature: r.signature });
      assert.equal(res.status, 422);
      assert.equal(res.json['error'], 'verification_failed');
      assert.match(res.json.message!, /^refused: signature: the report was modified after signing/);
      assert.ok(Array.isArray(res.json['checks']));
      assert.equal(await submissions(), n);
    });

    it("a replay of another vendor's report → 403, nothing stored", async () => {
      const r = await signedReport(a.keyFile);
      const n = await submissions();
      const res = await b.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      assert.equal(res.status, 403);
      assert.match(res.json.message!, /belongs to another vendor/);
      assert.equal(await submissions(), n);
      // and after A stored it, B still cannot claim it
      await a.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      const again = await b.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature });
      assert.equal(again.status, 403);
    });

    it('registering a key another vendor registered → 409', async () => {
      const res = await b.api.req('POST', '/api/v1/keys', { publicKey: a.publicKey });
      assert.equal(res.status, 409);
    });
  });

  describe('authorization', () => {
    let privateId: number;
    let productA: number;
    let productB: number;
    before(async () => {
      const r = await signedReport(a.keyFile);
      privateId = ((await a.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature })).json['submission'] as { id: number }).id;
      productA = ((await a.api.req('POST', '/api/v1/products', { name: uniq('CloudA'), type: 'public-cloud', public: false })).json['product'] as { id: number }).id;
      productB = ((await b.api.req('POST', '/api/v1/products', { name: uniq('CloudB'), type: 'distribution' })).json['product'] as { id: number }).id;
    });

    it("vendor B cannot read A's private submission or its files (404, as if absent)", async () => {
      assert.equal((await a.api.req('GET', `/api/v1/submissions/${privateId}`)).status, 200);
      for (const p of ['', '/report', '/signature', '/public-key', '/verify']) assert.equal((await b.api.req('GET', `/api/v1/submissions/${privateId}${p}`)).status, 404, p);
      const list = (await b.api.req('GET', '/api/v1/submissions')).json['submissions'] as { id: number }[];
      assert.ok(!list.some((x) => x.id === privateId));
    });

    it("vendor B cannot link A's submission, publish it or ask for its review; cannot link its own to A's product", async () => {
      assert.equal((await b.api.req('POST', `/api/v1/submissions/${privateId}/product`, { product: productB })).status, 404);
      assert.equal((await b.api.req('POST', `/api/v1/submissions/${privateId}/public`, { public: true })).status, 404);
      assert.equal((await b.api.req('POST', `/api/v1/submissions/${privateId}/review-request`)).status, 404);
      const rb = await signedReport(b.keyFile);
      const idB = ((await b.api.req('POST', '/api/v1/submissions', { report: rb.report, signature: rb.signature })).json['submission'] as { id: number }).id;
      assert.equal((await b.api.req('POST', `/api/v1/submissions/${idB}/product`, { product: productA })).status, 404);
      assert.equal((await b.api.req('POST', '/api/v1/submissions', { report: rb.report, signature: rb.signature, product: productA })).status, 404);
      assert.equal((await b.api.req('GET', `/api/v1/products/${productA}`)).status, 404, "A's private product is invisible to B");
      assert.equal((await b.api.req('GET', '/api/v1/keys')).json['keys'] instanceof Array, true);
      const keysB = (await b.api.req('GET', '/api/v1/keys')).json['keys'] as { publicKey: string }[];
      assert.ok(!keysB.some((k) => k.publicKey.split(' ')[1] === a.publicKey.split(' ')[1]));
    });

    it('a vendor cannot approve, reject, revoke, read the queue or the audit log (403)', async () => {
      await a.api.req('POST', `/api/v1/submissions/${privateId}/product`, { product: productA });
      await a.api.req('POST', `/api/v1/submissions/${privateId}/review-request`);
      assert.equal((await a.api.req('POST', `/api/v1/submissions/${privateId}/approve`, { comment: 'self' })).status, 403);
      assert.equal((await a.api.req('POST', `/api/v1/submissions/${privateId}/reject`, { comment: 'x' })).status, 403);
      assert.equal((await a.api.req('GET', '/api/v1/review/queue')).status, 403);
      assert.equal((await a.api.req('GET', '/api/v1/audit')).status, 403);
      assert.equal((await a.api.req('POST', '/api/v1/certifications/1/revoke', { reason: 'x' })).status, 403);
      assert.equal((await a.api.req('POST', '/api/v1/users', { email: 'r@x.test', password: 'password-12345', role: 'reviewer' })).status, 403);
    });

    it('anonymous users see only public data and cannot change anything', async () => {
      const anon = new Client(s.base);
      assert.equal((await anon.req('GET', `/api/v1/submissions/${privateId}`)).status, 404);
      const subs = (await anon.req('GET', '/api/v1/submissions')).json['submissions'] as { public: boolean; state: string }[];
      assert.ok(subs.every((x) => x.public || x.state === 'approved'));
      const prods = (await anon.req('GET', '/api/v1/products')).json['products'] as { id: number }[];
      assert.ok(!prods.some((p) => p.id === productA) && prods.some((p) => p.id === productB));
      const r = await signedReport(a.keyFile);
      assert.equal((await anon.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature })).status, 401);
      assert.equal((await anon.req('POST', '/api/v1/products', { name: 'x', type: 'distribution' })).status, 401);
      assert.equal((await anon.req('GET', '/api/v1/review/queue')).status, 401);
      // made public by its vendor: now visible
      const id = ((await a.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature })).json['submission'] as { id: number }).id;
      await a.api.req('POST', `/api/v1/submissions/${id}/public`, { public: true });
      assert.equal((await anon.req('GET', `/api/v1/submissions/${id}`)).status, 200);
    });

    it('a session cookie without the CSRF token cannot change anything (403); with it, it can', async () => {
      const c = new Client(s.base);
      c.cookie = a.web.cookie;
      const res = await c.req('POST', '/api/v1/products', { name: uniq('NoCsrf'), type: 'distribution' });
      assert.equal(res.status, 403);
      assert.match(res.json.message!, /CSRF/);
      const ok = await a.web.req('POST', '/api/v1/products', { name: uniq('WithCsrf'), type: 'distribution' });
      assert.equal(ok.status, 201);
    });

    it('passwords are stored as scrypt hashes, API tokens and sessions as SHA-256: none readable in the database', async () => {
      const u = (await s.ctx.db.query<{ password_hash: string }>('select password_hash from users where email = $1', [a.email]))[0]!;
      assert.match(u.password_hash, /^scrypt\$\d+\$8\$1\$/);
      assert.ok(!u.password_hash.includes(a.password));
      const dump = JSON.stringify(await s.ctx.db.query('select * from api_tokens')) + JSON.stringify(await s.ctx.db.query('select * from sessions'));
      assert.ok(!dump.includes(a.api.token!));
      assert.ok(!dump.includes(a.web.cookie!.split('=')[1]!));
    });

    it('a wrong password and an unknown user get the same 401', async () => {
      const c = new Client(s.base);
      const r1 = await c.req('POST', '/api/v1/session', { email: a.email, password: 'wrong-password-123' });
      const r2 = await c.req('POST', '/api/v1/session', { email: 'nobody@x.test', password: 'wrong-password-123' });
      assert.equal(r1.status, 401);
      assert.deepEqual(r1.json, r2.json);
    });
  });

  describe('review and certification', () => {
    let reviewer: Client;
    before(async () => {
      reviewer = await committee(s.base);
    });

    async function pendingSubmission(v: TestVendor, opts: { twoFails?: boolean } = {}) {
      const product = ((await v.api.req('POST', '/api/v1/products', { name: uniq('Cloud'), type: 'hosted-private-cloud', version: '1.0', url: 'https://cloud.example/' })).json['product'] as { id: number }).id;
      const r = await signedReport(v.keyFile, opts);
      const id = ((await v.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature, product })).json['submission'] as { id: number }).id;
      const rr = await v.api.req('POST', `/api/v1/submissions/${id}/review-request`);
      assert.equal(rr.status, 200, rr.text);
      return { id, product };
    }

    it('approval issues a committee-signed statement that verifies offline; the product is certified; the audit log records it', async () => {
      const { id, product } = await pendingSubmission(a);
      const queue = (await reviewer.req('GET', '/api/v1/review/queue')).json['submissions'] as { id: number }[];
      assert.ok(queue.some((q) => q.id === id));
      const res = await reviewer.req('POST', `/api/v1/submissions/${id}/approve`, { comment: 'looks right' });
      assert.equal(res.status, 201, res.text);
      const cert = res.json['certification'] as { id: number; status: string; validUntil: string; guideline: string };
      assert.equal(cert.status, 'certified');
      const p = await new Client(s.base).req('GET', `/api/v1/products/${product}`);
      assert.equal((p.json['certifications'] as { status: string }[])[0]!.status, 'certified');
      const statement = (await new Client(s.base).req('GET', `/api/v1/certifications/${cert.id}/statement`)).text;
      const signature = (await new Client(s.base).req('GET', `/api/v1/certifications/${cert.id}/signature`)).text;
      const committeeKey = parsePublicKey((await new Client(s.base).req('GET', '/api/v1/committee-key')).text);
      const v = verifyCertificationBytes(Buffer.from(statement), signature, [committeeKey]);
      assert.equal(v.accepted, true, JSON.stringify(v.checks));
      assert.equal(v.statement!.product.id, product);
      // with another key, or edited, it does not verify
      assert.equal(verifyCertificationBytes(Buffer.from(statement), signature, [parsePublicKey(a.publicKey)]).accepted, false);
      assert.equal(verifyCertificationBytes(Buffer.from(statement.replace(cert.validUntil, '2999-01-01T00:00:00.000Z')), signature, [committeeKey]).accepted, false);
      // and `defcore verify` checks it offline
      const f = path.join(a.dir, `cert-${cert.id}.json`);
      await writeFile(f, statement);
      await writeFile(`${f}.sig`, signature);
      await writeFile(path.join(a.dir, 'committee.pub'), (await new Client(s.base).req('GET', '/api/v1/committee-key')).text);
      const run = await runCli(['verify', f, '--pubkey', path.join(a.dir, 'committee.pub')]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /ACCEPTED: .*certification/);
      const audit = (await reviewer.req('GET', '/api/v1/audit')).json['entries'] as { action: string; subject: string }[];
      assert.ok(audit.some((e) => e.action === 'submission.approve' && e.subject === `submission:${id}`));
      assert.ok(audit.some((e) => e.action === 'certification.issue' && e.subject === `certification:${cert.id}`));
      // approved twice: refused
      assert.equal((await reviewer.req('POST', `/api/v1/submissions/${id}/approve`, { comment: 'again' })).status, 409);
    });

    it('a FAILing run cannot be certified (422), and stays pending', async () => {
      const { id } = await pendingSubmission(a, { twoFails: true });
      const res = await reviewer.req('POST', `/api/v1/submissions/${id}/approve`, { comment: 'no' });
      assert.equal(res.status, 422);
      assert.equal(res.json['error'], 'not_passing');
      assert.equal(((await reviewer.req('GET', `/api/v1/submissions/${id}`)).json['submission'] as { state: string }).state, 'pending');
    });

    it('rejection with a comment; the vendor may ask again', async () => {
      const { id } = await pendingSubmission(b);
      assert.equal((await reviewer.req('POST', `/api/v1/submissions/${id}/reject`, { comment: '' })).status, 400, 'a comment is required');
      const res = await reviewer.req('POST', `/api/v1/submissions/${id}/reject`, { comment: 'wrong product version' });
      assert.equal((res.json['submission'] as { state: string }).state, 'rejected');
      assert.equal((await b.api.req('POST', `/api/v1/submissions/${id}/review-request`)).status, 200);
    });

    it('revocation with a reason: the product is no longer certified; the badge JSON says revoked', async () => {
      const { id, product } = await pendingSubmission(b);
      const cert = (await reviewer.req('POST', `/api/v1/submissions/${id}/approve`, { comment: 'ok' })).json['certification'] as { id: number };
      assert.equal(((await new Client(s.base).req('GET', `/badge/${product}/object.json`)).json['status']), 'certified');
      const res = await reviewer.req('POST', `/api/v1/certifications/${cert.id}/revoke`, { reason: 'cloud changed' });
      assert.equal((res.json['certification'] as { status: string }).status, 'revoked');
      assert.equal(((await new Client(s.base).req('GET', `/badge/${product}/object.json`)).json['status']), 'revoked');
      assert.equal((await reviewer.req('POST', `/api/v1/certifications/${cert.id}/revoke`, { reason: 'again' })).status, 404);
    });

    it('the audit log is append-only: the database refuses to change or delete a row', async () => {
      await assert.rejects(s.ctx.db.query("update audit_log set actor = 'x'"), /append-only/);
      await assert.rejects(s.ctx.db.query('delete from audit_log'), /append-only/);
    });
  });
});
