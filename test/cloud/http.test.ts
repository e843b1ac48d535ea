import '../helpers/node20.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { decodeBody, HttpTransport, retryAfterMs } from '../../src/cloud/http.js';
import { MemoryRecorder } from '../../src/cloud/recorder.js';
import { buildUrl, createCloudClient } from '../../src/cloud/session.js';
import { CloudError } from '../../src/cloud/types.js';
import { nockCloud, testCloudConfig, tokenBody } from '../helpers/cloud.js';

/** A raw HTTP server that answers the first request of each connection and resets the connection on the next. */
async function resettingServer(mode: 'second' | 'always'): Promise<{ url: string; close(): void; stats: { conns: number; reqs: number } }> {
  const stats = { conns: 0, reqs: 0 };
  const server = net.createServer((sock) => {
    stats.conns += 1;
    let served = 0;
    sock.on('error', () => undefined);
    sock.on('data', () => {
      stats.reqs += 1;
      if (mode === 'second' && served === 0) {
        served += 1;
        sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      } else {
        sock.resetAndDestroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/x`, close: () => server.close(), stats };
}

async function rejectsWith(p: Promise<unknown>, code: CloudError['code'], re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CloudError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    return true;
  });
}

describe('cloud/http', () => {
  before(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('retries once a request reset on a reused keep-alive socket (uwsgi/load balancer behaviour)', async () => {
    const srv = await resettingServer('second');
    const t = new HttpTransport({ cloud: 'c' });
    const rec = new MemoryRecorder();
    try {
      for (let i = 0; i < 3; i++) {
        const res = await t.send({ method: 'GET', url: srv.url, recorders: [rec] });
        assert.equal(res.status, 200);
        assert.equal(res.body.toString(), 'ok');
      }
      assert.equal(srv.stats.conns, 3, 'each reset led to a fresh connection');
      assert.deepEqual(rec.exchanges.map((e) => e.status ?? 'error'), [200, 'error', 200, 'error', 200], 'failed attempts are recorded too');
      assert.match(rec.exchanges[1]!.error!, /ECONNRESET/);
    } finally {
      t.close();
      srv.close();
    }
  });

  it('does not retry a reset on a fresh connection: that is an unreachable error', async () => {
    const srv = await resettingServer('always');
    const t = new HttpTransport({ cloud: 'c' });
    try {
      await rejectsWith(t.send({ method: 'POST', url: srv.url, body: '{}' }), 'unreachable', /^cloud c: cannot reach http:\/\/127\.0\.0\.1:\d+\/x: connection reset/);
      assert.equal(srv.stats.reqs, 1, 'sent once');
    } finally {
      t.close();
      srv.close();
    }
  });

  it('honours 429 Retry-After (bounded), and 503 only with Retry-After', async () => {
    const t = new HttpTransport({ keepAlive: false, retry: { maxRetries: 2, maxDelayMs: 200 } });
    nock('http://127.0.0.1:48000').get('/a').reply(429, '', { 'Retry-After': '0' }).get('/a').reply(200, 'done');
    const started = Date.now();
    assert.equal((await t.send({ method: 'GET', url: 'http://127.0.0.1:48000/a' })).status, 200);
    nock('http://127.0.0.1:48000').get('/b').times(3).reply(429, '', { 'Retry-After': '3600' });
    assert.equal((await t.send({ method: 'GET', url: 'http://127.0.0.1:48000/b' })).status, 429, 'gives up after maxRetries');
    assert.ok(Date.now() - started < 2000, 'waits are capped at maxDelayMs');
    nock('http://127.0.0.1:48000').post('/c').reply(503, 'down');
    assert.equal((await t.send({ method: 'POST', url: 'http://127.0.0.1:48000/c' })).status, 503, 'no Retry-After, not idempotent: the 503 is the answer');
    nock('http://127.0.0.1:48000').get('/d').reply(503, '', { 'Retry-After': '0' }).get('/d').reply(204);
    assert.equal((await t.send({ method: 'GET', url: 'http://127.0.0.1:48000/d' })).status, 204);
  });

  it('error messages carry the URL with its signature redacted', async () => {
    const srv = await resettingServer('always');
    const t = new HttpTransport({ cloud: 'c', keepAlive: false });
    try {
      await rejectsWith(t.send({ method: 'GET', url: `${srv.url}?temp_url_sig=deadbeef99&temp_url_expires=1` }), 'unreachable', /temp_url_sig=<redacted>&temp_url_expires=1/);
    } finally {
      srv.close();
    }
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });

  it('times out per request with a timeout error', async () => {
    const server = net.createServer((s) => s.on('error', () => undefined)); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const t = new HttpTransport({ cloud: 'c', keepAlive: false });
    try {
      await rejectsWith(t.send({ method: 'GET', url: `http://127.0.0.1:${port}/slow`, timeoutMs: 150 }), 'timeout', /^cloud c: no response from http:\/\/127\.0\.0\.1:\d+\/slow in time/);
    } finally {
      server.close();
    }
  });

  it('aborts with the signal', async () => {
    nock('http://127.0.0.1:48000').get('/z').delay(2000).reply(200);
    const t = new HttpTransport({ keepAlive: false });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(t.send({ method: 'GET', url: 'http://127.0.0.1:48000/z', signal: ac.signal }), 'timeout', /aborted/);
  });

  it('sends JSON, raw strings and Buffers, custom methods, query params; decodes per responseType', async () => {
    const c = nockCloud({ catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p' } });
    const api = nock('http://127.0.0.1:48080')
      .put('/v1/AUTH_p/c', { a: 1 })
      .matchHeader('content-type', 'application/json')
      .reply(201, '')
      .put('/v1/AUTH_p/c/o', 'raw text')
      .reply(201, '')
      .put('/v1/AUTH_p/c/b')
      .matchHeader('content-length', '3')
      .reply(201, '')
      .intercept('/v1/AUTH_p/c/o', 'COPY')
      .matchHeader('destination', 'c/o2')
      .reply(201, '')
      .get('/v1/AUTH_p/c')
      .query({ format: 'json', prefix: 'a b', 'bulk-delete': '' })
      .reply(200, [{ name: 'o' }], { 'Content-Type': 'application/json; charset=utf-8' })
      .head('/v1/AUTH_p/c')
      .reply(204, '', { 'X-Container-Object-Count': '1' });
    assert.equal((await c.request({ method: 'PUT', service: 'object-store', path: '/c', body: { a: 1 } })).status, 201);
    assert.equal((await c.request({ method: 'PUT', service: 'object-store', path: 'c/o', body: 'raw text' })).status, 201);
    assert.equal((await c.request({ method: 'PUT', service: 'object-store', path: 'c/b', body: Buffer.from([0, 1, 2]) })).status, 201);
    assert.equal((await c.request({ method: 'COPY', service: 'object-store', path: 'c/o', headers: { Destination: 'c/o2' } })).status, 201);
    const list = await c.request<Array<{ name: string }>>({ method: 'GET', service: 'object-store', path: 'c', query: { format: 'json', prefix: 'a b', 'bulk-delete': '', skip: undefined } });
    assert.deepEqual(list.body, [{ name: 'o' }]);
    assert.equal(list.text, '[{"name":"o"}]');
    const head = await c.request({ method: 'HEAD', service: 'object-store', path: 'c' });
    assert.equal(head.headers['x-container-object-count'], '1');
    assert.equal(head.text, '');
    assert.ok(api.isDone());
    assert.deepEqual(decodeBody(Buffer.from('{"a":1}'), {}, 'json').body, { a: 1 });
    assert.equal(decodeBody(Buffer.from('{"a":1}'), { 'content-type': 'application/json' }, 'text').body, '{"a":1}');
    assert.ok(Buffer.isBuffer(decodeBody(Buffer.from('x'), {}, 'buffer').body));
    assert.equal(decodeBody(Buffer.from('oops'), { 'content-type': 'application/json' }).body, 'oops', 'invalid JSON stays text');
  });

  it('sends no Accept header of its own (content negotiation is the caller\'s)', async () => {
    const c = nockCloud({ catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p' } });
    nock('http://127.0.0.1:48080', { badheaders: ['accept'] }).get('/v1/AUTH_p/c').reply(200, 'o\n');
    assert.equal((await c.request({ method: 'GET', service: 'object-store', path: 'c' })).body, 'o\n');
  });

  it('sends exactly the caller\'s headers: no default Content-Type or Accept from the HTTP library', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const srv = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}/o`;
    const t = new HttpTransport({ keepAlive: false });
    try {
      for (const method of ['PUT', 'POST', 'PATCH'] as const) {
        await t.send({ method, url, body: 'raw' });
        await t.send({ method, url, body: Buffer.from('raw') });
      }
      await t.send({ method: 'PUT', url, body: 'x', headers: { 'Content-Type': 'text/csv', Accept: 'text/plain' } });
      await t.send({ method: 'GET', url });
    } finally {
      t.close();
      srv.close();
    }
    for (const h of seen.slice(0, 6)) {
      assert.equal(h['content-type'], undefined, JSON.stringify(h));
      assert.equal(h['accept'], undefined);
    }
    assert.equal(seen[6]!['content-type'], 'text/csv');
    assert.equal(seen[6]!['accept'], 'text/plain');
    assert.equal(seen[7]!['accept'], undefined);
  });

  it('joins endpoint and path without dropping the endpoint\'s version', () => {
    assert.equal(buildUrl('http://h/v2.1/', '/servers', { limit: 1 }), 'http://h/v2.1/servers?limit=1');
    assert.equal(buildUrl('http://h/v3', ''), 'http://h/v3');
    assert.equal(buildUrl('http://h/x?a=1', undefined, { b: true }), 'http://h/x?a=1&b=true');
  });

  it('records truncated bodies with the truncated byte count', async () => {
    const rec = new MemoryRecorder();
    const c = nockCloud({ catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p' }, options: { bodyLimit: 10 } });
    nock('http://127.0.0.1:48080').get('/v1/AUTH_p/c/o').reply(200, 'x'.repeat(25));
    const res = await c.withRecorder(rec).request({ method: 'GET', service: 'object-store', path: 'c/o' });
    assert.equal(res.text.length, 25, 'the caller gets the whole body');
    const ex = rec.exchanges.at(-1)!;
    assert.equal(ex.responseBody, 'x'.repeat(10));
    assert.equal(ex.truncated, 15);
    assert.equal(ex.status, 200);
    assert.equal(ex.method, 'GET');
  });

  describe('TLS', () => {
    let dir: string;
    let server: https.Server;
    let port: number;

    before(function () {
      dir = mkdtempSync(path.join(tmpdir(), 'defcore-tls-'));
      try {
        execFileSync('openssl', [
          'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
          '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
        ], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
    });

    beforeEach(async () => {
      server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': 'tls-token' });
        res.end(JSON.stringify(tokenBody()));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as net.AddressInfo).port;
    });
    afterEach(() => server.close());
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a self-signed certificate is a tls error; with cacert it succeeds; verify false also', async () => {
      const cfg = testCloudConfig(`https://127.0.0.1:${port}/v3`, 'tlscloud');
      const bad = createCloudClient(cfg, { keepAlive: false });
      await rejectsWith(bad.token(), 'tls', new RegExp(`^cloud tlscloud: TLS failure talking to https://127\\.0\\.0\\.1:${port}/v3/auth/tokens: .*self[- ]signed`));
      const good = createCloudClient({ ...cfg, cacert: path.join(dir, 'cert.pem') }, { keepAlive: false });
      assert.equal(await good.token(), 'tls-token');
      const insecure = createCloudClient({ ...cfg, verify: false }, { keepAlive: false });
      assert.equal(await insecure.token(), 'tls-token');
    });

    it('presents the configured client certificate (cert/key) to a server that requires one', async () => {
      const mtls = https.createServer(
        {
          key: readFileSync(path.join(dir, 'key.pem')),
          cert: readFileSync(path.join(dir, 'cert.pem')),
          ca: readFileSync(path.join(dir, 'cert.pem')),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (req, res) => {
          res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': 'mtls-token' });
          res.end(JSON.stringify(tokenBody()));
        },
      );
      await new Promise<void>((r) => mtls.listen(0, '127.0.0.1', r));
      const mport = (mtls.address() as net.AddressInfo).port;
      try {
        const cfg = { ...testCloudConfig(`https://127.0.0.1:${mport}/v3`, 'mtls'), cacert: path.join(dir, 'cert.pem') };
        const withCert = createCloudClient({ ...cfg, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') }, { keepAlive: false });
        assert.equal(await withCert.token(), 'mtls-token');
        const without = createCloudClient(cfg, { keepAlive: false });
        await assert.rejects(without.token(), (e: unknown) => e instanceof CloudError && (e.code === 'tls' || e.code === 'unreachable'));
      } finally {
        mtls.close();
      }
    });

    it('an unreadable cacert is a config error naming the file', () => {
      assert.throws(
        () => createCloudClient({ ...testCloudConfig(), cacert: path.join(dir, 'missing.pem') }),
        (e: unknown) => e instanceof CloudError && e.code === 'config' && /cacert .*missing\.pem: cannot read \(ENOENT\)/.test(e.message),
      );
    });
  });
});
