import '../helpers/node20.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import nock from 'nock';
import { HttpTransport } from '../../src/cloud/http.js';
import { CloudError } from '../../src/cloud/types.js';

/** A local server whose handler misbehaves; counts the body bytes it managed to send; never sends more than `cap`. */
async function server(handler: (res: http.ServerResponse, sent: { bytes: number }) => void) {
  const sockets = new Set<net.Socket>();
  const sent = { bytes: 0 };
  const srv = http.createServer((_req, res) => handler(res, sent));
  srv.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}/x`,
    sent,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

/** Writes zeros in 64 KiB chunks while the client reads, up to `cap` bytes (the test's bound). */
function pour(res: http.ServerResponse, sent: { bytes: number }, cap: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  const more = (): void => {
    while (sent.bytes < cap && !res.destroyed) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => undefined);
  more();
}

async function rejects(p: Promise<unknown>, code: CloudError['code'], re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CloudError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    return true;
  });
}

describe('cloud/http: every wait has a deadline, every read a size limit', function () {
  this.timeout(20_000);
  before(() => nock.enableNetConnect('127.0.0.1'));

  it('a server that drips one byte every 200 ms is cut off at the wall-clock deadline (the socket is never idle)', async () => {
    const s = await server((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('x')), 200);
      res.on('close', () => clearInterval(t));
    });
    const t = new HttpTransport({ cloud: 'drip', keepAlive: false });
    const started = Date.now();
    try {
      await rejects(t.send({ method: 'GET', url: s.url, timeoutMs: 1500 }), 'timeout', /no response from .* in time \(no complete response within 1500 ms\)/);
      const took = Date.now() - started;
      assert.ok(took < 4000, `took ${took} ms`);
    } finally {
      t.close();
      await s.close();
    }
  });

  it('a 1 GB body (Content-Length 1 GB) is refused once past the limit, not buffered', async () => {
    const s = await server((res, sent) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(1024 ** 3) });
      pour(res, sent, 64 * 1024 * 1024);
    });
    const t = new HttpTransport({ cloud: 'big', keepAlive: false, maxResponseBytes: 1024 * 1024 });
    try {
      await rejects(t.send({ method: 'GET', url: s.url, timeoutMs: 10_000 }), 'http', /larger than 1 MiB: refused without reading it/);
      await new Promise((r) => setTimeout(r, 100));
      // what the server got out before the client hung up: the limit plus socket buffers, far from 1 GB
      assert.ok(s.sent.bytes < 32 * 1024 * 1024, `server sent ${s.sent.bytes} bytes`);
    } finally {
      t.close();
      await s.close();
    }
  });

  it('an endless chunked stream is refused once past the limit', async () => {
    const s = await server((res, sent) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      pour(res, sent, 64 * 1024 * 1024);
    });
    const t = new HttpTransport({ cloud: 'endless', keepAlive: false, maxResponseBytes: 2 * 1024 * 1024 });
    try {
      await rejects(t.send({ method: 'GET', url: s.url, timeoutMs: 10_000 }), 'http', /larger than 2 MiB/);
      assert.ok(s.sent.bytes < 32 * 1024 * 1024, `server sent ${s.sent.bytes} bytes`);
    } finally {
      t.close();
      await s.close();
    }
  });

  it('a request may raise the limit for itself (object data a check wrote)', async () => {
    const s = await server((res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.alloc(3 * 1024 * 1024));
    });
    const t = new HttpTransport({ cloud: 'obj', keepAlive: false, maxResponseBytes: 1024 * 1024 });
    try {
      await rejects(t.send({ method: 'GET', url: s.url }), 'http', /larger than 1 MiB/);
      const res = await t.send({ method: 'GET', url: s.url, maxResponseBytes: 4 * 1024 * 1024 });
      assert.equal(res.body.length, 3 * 1024 * 1024);
    } finally {
      t.close();
      await s.close();
    }
  });
});
