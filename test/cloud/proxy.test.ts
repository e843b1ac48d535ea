import '../helpers/node20.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { HttpTransport } from '../../src/cloud/http.js';
import { bypassesProxy, proxyFor } from '../../src/cloud/proxy.js';
import { CloudError } from '../../src/cloud/types.js';
import { startLocalProxy, type LocalProxy } from '../helpers/local-proxy.js';
import '../helpers/no-ambient-proxy.js';

describe('cloud/proxy: environment proxies as python-requests reads them', () => {
  const P = 'http://proxy.example:3128';

  it('https URLs use https_proxy, http URLs http_proxy, either falls back to all_proxy; lower case wins', () => {
    assert.deepEqual(proxyFor('https://api.example.com/v3', { HTTPS_PROXY: P }), { protocol: 'http', host: 'proxy.example', port: 3128 });
    assert.equal(proxyFor('https://api.example.com/v3', { HTTP_PROXY: P }), undefined);
    assert.equal(proxyFor('http://api.example.com/v3', { HTTP_PROXY: 'http://h1:1' })?.host, 'h1');
    assert.equal(proxyFor('http://api.example.com/v3', { ALL_PROXY: 'h2:8080' })?.host, 'h2');
    assert.equal(proxyFor('https://a.example/', { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })?.host, 'lower');
    assert.deepEqual(proxyFor('https://a.example/', { https_proxy: 'http://us%40er:p%3Ass@h:9' })?.auth, { username: 'us@er', password: 'p:ss' });
    assert.equal(proxyFor('https://a.example/', {}), undefined);
  });

  it('no_proxy: host suffixes with or without a dot, host:port, IPv4 addresses and CIDR blocks, and * alone', () => {
    const u = (s: string) => new URL(s);
    assert.ok(bypassesProxy(u('https://api.example.com/'), 'example.com'));
    assert.ok(bypassesProxy(u('https://api.example.com/'), '.example.com'));
    assert.ok(bypassesProxy(u('https://example.com/'), '.example.com'), 'urllib drops the leading dot');
    assert.ok(bypassesProxy(u('https://api.example.com:5000/'), 'api.example.com:5000'));
    assert.ok(!bypassesProxy(u('https://api.example.com:5001/'), 'foo.com,api.example.com:5000'));
    assert.ok(bypassesProxy(u('http://10.1.2.3:5000/'), '192.168.0.1, 10.0.0.0/8'));
    assert.ok(bypassesProxy(u('http://10.1.2.3/'), '10.1.2.3'));
    assert.ok(!bypassesProxy(u('http://10.1.2.3/'), '10.1.2.4,11.0.0.0/8'));
    assert.ok(bypassesProxy(u('http://anything.example/'), '*'));
    assert.ok(!bypassesProxy(u('http://other.org/'), 'example.com'));
    assert.equal(proxyFor('http://127.0.0.1:5000/v3', { http_proxy: P, NO_PROXY: '127.0.0.1' }), undefined);
    assert.equal(proxyFor('http://127.0.0.1:5000/v3', { http_proxy: P, no_proxy: '', NO_PROXY: 'localhost,127.0.0.0/8' }), undefined);
  });
});

describe('cloud/proxy: requests go through a real local proxy', function () {
  this.timeout(20_000);
  let proxy: LocalProxy;
  let origin: http.Server;
  let originUrl: string;
  const sockets = new Set<net.Socket>();
  before(() => nock.enableNetConnect('127.0.0.1'));
  beforeEach(async () => {
    proxy = await startLocalProxy();
    origin = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`origin saw ${req.method} ${req.url}`));
    origin.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    originUrl = `http://127.0.0.1:${(origin.address() as net.AddressInfo).port}`;
  });
  afterEach(async () => {
    await proxy.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => origin.close(() => r()));
  });

  it('http_proxy: a plain http request is forwarded by the proxy', async () => {
    const t = new HttpTransport({ keepAlive: false, proxyEnv: { http_proxy: proxy.url } });
    try {
      const res = await t.send({ method: 'GET', url: `${originUrl}/v3/x?y=1` });
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'origin saw GET /v3/x?y=1');
      assert.equal(res.headers['via'], '1.1 test-proxy');
      assert.deepEqual(proxy.log, [`GET ${originUrl}/v3/x?y=1`]);
    } finally {
      t.close();
    }
  });

  it('NO_PROXY naming the host sends it direct; without any proxy variable nothing goes to the proxy', async () => {
    const t = new HttpTransport({ keepAlive: false, proxyEnv: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org,127.0.0.1' } });
    const plain = new HttpTransport({ keepAlive: false, proxyEnv: {} });
    try {
      assert.equal((await t.send({ method: 'GET', url: `${originUrl}/a` })).status, 200);
      assert.equal((await plain.send({ method: 'GET', url: `${originUrl}/b` })).status, 200);
      assert.deepEqual(proxy.log, []);
    } finally {
      t.close();
      plain.close();
    }
  });

  it('a developer\'s ambient HTTP_PROXY does not capture the test clouds on 127.0.0.1 (unless DEFCORE_TEST_PROXY=1)', async function () {
    if (process.env['DEFCORE_TEST_PROXY'] === '1') this.skip();
    const before = process.env['HTTP_PROXY'];
    process.env['HTTP_PROXY'] = proxy.url;
    const t = new HttpTransport({ keepAlive: false }); // reads process.env, as a run does
    try {
      assert.equal((await t.send({ method: 'GET', url: `${originUrl}/dev-cloud` })).status, 200);
      assert.deepEqual(proxy.log, []);
    } finally {
      t.close();
      if (before === undefined) delete process.env['HTTP_PROXY'];
      else process.env['HTTP_PROXY'] = before;
    }
  });

  it('proxy credentials are sent as Proxy-Authorization and never recorded', async () => {
    await proxy.close();
    proxy = await startLocalProxy({ requireAuth: 'pxuser:px-Secret-1' });
    const { MemoryRecorder } = await import('../../src/cloud/recorder.js');
    const rec = new MemoryRecorder();
    const t = new HttpTransport({ keepAlive: false, proxyEnv: { http_proxy: proxy.url.replace('http://', 'http://pxuser:px-Secret-1@') } });
    try {
      const res = await t.send({ method: 'GET', url: `${originUrl}/c`, recorders: [rec] });
      assert.equal(res.status, 200);
      assert.equal(proxy.auth.length, 1);
      assert.ok(!JSON.stringify(rec.exchanges).includes('px-Secret-1'));
    } finally {
      t.close();
    }
  });

  it('an unusable proxy variable is a config error that does not quote its value', async () => {
    const t = new HttpTransport({ keepAlive: false, proxyEnv: { https_proxy: 'socks5://u:Secret-9@127.0.0.1:1080' } });
    try {
      await assert.rejects(t.send({ method: 'GET', url: 'https://127.0.0.1:1/x' }), (e: unknown) => {
        assert.ok(e instanceof CloudError && e.code === 'config', String(e));
        assert.match(e.message, /https_proxy: socks5 proxies are not supported/);
        assert.ok(!e.message.includes('Secret-9'));
        return true;
      });
    } finally {
      t.close();
    }
  });

  describe('https through CONNECT', () => {
    let dir: string;
    let tls: https.Server | undefined;
    before(function () {
      dir = mkdtempSync(path.join(tmpdir(), 'defcore-proxy-tls-'));
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
          '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
    });
    afterEach(async () => {
      if (tls) await new Promise<void>((r) => tls!.close(() => r()));
      tls = undefined;
    });

    it('https_proxy: the request is tunnelled (the proxy sees only CONNECT) and the origin certificate is still verified with the configured CA', async () => {
      tls = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => res.end(`tls origin ${req.url}`));
      tls.on('connection', (s) => sockets.add(s));
      await new Promise<void>((r) => tls!.listen(0, '127.0.0.1', r));
      const port = (tls.address() as net.AddressInfo).port;
      const good = new HttpTransport({ keepAlive: false, tls: { ca: readFileSync(path.join(dir, 'cert.pem')) }, proxyEnv: { HTTPS_PROXY: proxy.url } });
      const noCa = new HttpTransport({ keepAlive: false, proxyEnv: { HTTPS_PROXY: proxy.url } });
      try {
        const res = await good.send({ method: 'GET', url: `https://127.0.0.1:${port}/v3/secret-path` });
        assert.equal(res.body.toString(), 'tls origin /v3/secret-path');
        assert.deepEqual(proxy.log, [`CONNECT 127.0.0.1:${port}`]);
        await assert.rejects(noCa.send({ method: 'GET', url: `https://127.0.0.1:${port}/` }), (e: unknown) => e instanceof CloudError && e.code === 'tls');
      } finally {
        good.close();
        noCa.close();
      }
    });
  });
});
