/**
 * Pages and the RefStack upload endpoint: hostile product names and report content
 * are escaped, the badge follows certification, compare and guideline diff render;
 * RefStack bodies signed by a registered key are stored and evaluated, others refused.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { readPrivateKey } from '../../src/report/keys.js';
import { refstackHeaders } from '../../src/report/refstack.js';
import { Client, ENGINE, committee, dbOrSkip, makeVendor, signedReport, startServer, type TestServer, type TestVendor } from './support.js';
import { HOSTILE } from '../report/support.js';

const HOSTILE_NAME = `Evil <script>alert(1)</script> "quoted" & 'single' <img src=x onerror=alert(2)>`;

describe(`serve pages and RefStack upload (${ENGINE} database)`, function () {
  this.timeout(120_000);
  let s: TestServer;
  let v: TestVendor;
  let product: number;
  let subId: number;
  let failId: number;

  before(async function () {
    await dbOrSkip(this);
    s = await startServer();
    v = await makeVendor(s.base, { keyType: 'rsa' });
    product = ((await v.api.req('POST', '/api/v1/products', { name: HOSTILE_NAME, type: 'distribution', version: '<b>1</b>', url: 'https://example.com/?a=<x>' })).json['product'] as { id: number }).id;
    const r = await signedReport(v.keyFile, { over: { cloud: { name: `dev${HOSTILE}`, authUrl: 'http://127.0.0.1:5000/v3', services: {} } } });
    subId = ((await v.api.req('POST', '/api/v1/submissions', { report: r.report, signature: r.signature, product })).json['submission'] as { id: number }).id;
    const f = await signedReport(v.keyFile, { twoFails: true, hostile: true });
    failId = ((await v.api.req('POST', '/api/v1/submissions', { report: f.report, signature: f.signature })).json['submission'] as { id: number }).id;
    await v.api.req('POST', `/api/v1/submissions/${subId}/review-request`);
  });
  after(async () => s?.close());

  it('a product URL other than http(s) is refused (a javascript: link would run on click)', async () => {
    const r = await v.api.req('POST', '/api/v1/products', { name: 'js', type: 'distribution', url: 'javascript:alert(1)' });
    assert.equal(r.status, 400);
  });

  it('the product list and page show a hostile product name as text, with a CSP that allows no script', async () => {
    const list = await new Client(s.base).req('GET', '/');
    assert.equal(list.status, 200);
    assert.ok(list.text.includes('Evil &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39; &lt;img src=x onerror=alert(2)&gt;'));
    assert.ok(!list.text.includes('<script>alert(1)'));
    assert.match(list.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const pg = await new Client(s.base).req('GET', `/products/${product}`);
    assert.ok(!pg.text.includes('<img src=x') && !pg.text.includes('<b>1</b>'));
    assert.ok(pg.text.includes('&lt;b&gt;1&lt;/b&gt;'));
  });

  it('the submission page is the report HTML, hostile cloud output escaped; private to its vendor and the committee', async () => {
    assert.equal((await new Client(s.base).req('GET', `/submissions/${failId}`)).status, 404);
    const r = await v.web.req('GET', `/submissions/${failId}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /FAIL/);
    assert.ok(!r.text.includes(HOSTILE));
    assert.match(r.text, /&lt;script&gt;window\.__pwned(=|&#x3D;)1&lt;\/script&gt;/);
  });

  it('the badge turns from "not certified" to certified on approval; SVG text is escaped', async () => {
    const before = await new Client(s.base).req('GET', `/badge/${product}/object.svg`);
    assert.equal(before.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.match(before.text, /not certified/);
    const reviewer = await committee(s.base);
    const res = await reviewer.req('POST', `/api/v1/submissions/${subId}/approve`, { comment: 'ok' });
    assert.equal(res.status, 201, res.text);
    const after = await new Client(s.base).req('GET', `/badge/${product}/object.svg`);
    assert.match(after.text, /certified 2099\.01/);
    assert.match(after.text, /fill="#2e7d32"/);
    const list = await new Client(s.base).req('GET', '/');
    assert.match(list.text, /class="certified">certified \(2099\.01\)/);
  });

  it('compare of two submissions lists the capability changes', async () => {
    const r = await v.web.req('GET', `/compare?a=${subId}&b=${failId}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /objectstore-b<\/td><td>required<\/td><td>regressed/);
    assert.equal((await new Client(s.base).req('GET', `/compare?a=${subId}&b=${failId}`)).status, 404, 'anonymous: the private one is absent');
  });

  it('guideline diff between two guidelines, as a page and as JSON; unknown ids refused', async () => {
    const r = await new Client(s.base).req('GET', '/guidelines/diff?a=2020.06&b=2099.01&program=object');
    assert.equal(r.status, 200);
    assert.match(r.text, /Guideline 2020\.06 → 2099\.01/);
    const j = await new Client(s.base).req('GET', '/guidelines/diff?a=2020.06&b=2099.01&format=json');
    assert.equal(j.json['old'], '2020.06');
    assert.equal((await new Client(s.base).req('GET', '/guidelines/diff?a=../../etc/passwd&b=2099.01')).status, 400);
  });

  describe('RefStack-compatible POST /v1/results', () => {
    const body = () =>
      Buffer.from(
        JSON.stringify({
          cpid: 'c0ffee',
          duration_seconds: 12,
          results: [
            { name: 'pkg.T.test_one', uuid: '00000000-0000-0000-0000-000000000001' },
            { name: 'pkg.T.test_two', uuid: '00000000-0000-0000-0000-000000000003' },
            { name: `pkg.T.test_${Date.now()}${Math.random()}` },
          ],
        }),
      );

    it('stored and evaluated with defcore when signed by a registered key (no token: the key names the vendor); duplicates are one', async () => {
      const b = body();
      const h = refstackHeaders(b, await readPrivateKey(v.keyFile));
      const send = () => fetch(`${s.base}/v1/results?guideline=2099.01&program=object`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: b });
      const res = await send();
      const j = (await res.json()) as { id: string; url: string; verdict: string };
      assert.equal(res.status, 201, JSON.stringify(j));
      assert.equal(j.verdict, 'pass');
      assert.match(j.url, /\/submissions\/\d+$/);
      const again = await send();
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { id: string }).id, j.id);
      const ver = await v.api.req('GET', `/api/v1/submissions/${j.id}/verify`);
      assert.equal(ver.json['accepted'], true, ver.text);
      const page = await v.web.req('GET', `/submissions/${j.id}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /PASS/);
    });

    it('refused: unsigned, bad signature, unregistered key, tampered body, not RefStack JSON', async () => {
      const b = body();
      const key = await readPrivateKey(v.keyFile);
      const post = (bytes: Buffer, headers: Record<string, string>) => fetch(`${s.base}/v1/results`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bytes });
      assert.equal((await post(b, {})).status, 422);
      const h = refstackHeaders(b, key);
      const tampered = Buffer.from(b.toString().replace('c0ffee', 'c0ffef'));
      const t = await post(tampered, h);
      assert.equal(t.status, 422);
      assert.match(((await t.json()) as { message: string }).message, /does not verify/);
      const other = await makeVendor(s.base, { register: false, keyType: 'rsa' });
      const u = await post(b, refstackHeaders(b, await readPrivateKey(other.keyFile)));
      assert.equal(u.status, 422);
      assert.match(((await u.json()) as { message: string }).message, /no vendor has registered/);
      const junk = Buffer.from('{"cpid": 1}');
      assert.equal((await post(junk, refstackHeaders(junk, key))).status, 422);
      const bad = Buffer.from('{"cpid": ');
      assert.equal((await post(bad, refstackHeaders(bad, key))).status, 422);
      assert.ok((await readFile(v.keyFile, 'utf8')).length > 0);
    });
  });
});
