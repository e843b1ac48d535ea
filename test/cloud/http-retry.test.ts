import '../helpers/node20.js';
import assert from 'node:assert/strict';
import net from 'node:net';
import nock from 'nock';
import { HttpTransport } from '../../src/cloud/http.js';
import { MemoryRecorder } from '../../src/cloud/recorder.js';
import { CloudError } from '../../src/cloud/types.js';

/**
 * A flaky server on 127.0.0.1: answers each request per a script of faults (`reset` drops the
 * connection without answering, a number answers that status), then 200 once the script is used up.
 */
async function flakyServer(script: (number | 'reset')[]) {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    sock.once('data', (d) => {
      seen.push(d.toString('latin1').split(' ').slice(0, 1).join(''));
      const step = script.shift() ?? 200;
      if (step === 'reset') return void sock.resetAndDestroy();
      const body = step === 200 ? 'ok' : `fault ${step}`;
      sock.end(`HTTP/1.1 ${step} X\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1/AUTH_p/c`,
    seen,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const FAST = { transientDelayMs: 10 };

describe('cloud/http: a flaky cloud (bounded retries of idempotent requests)', function () {
  this.timeout(10_000);
  before(() => nock.enableNetConnect('127.0.0.1'));

  it('a GET answered 503 then 502 is retried and succeeds; every attempt is in the evidence', async () => {
    const s = await flakyServer([503, 502]);
    const t = new HttpTransport({ keepAlive: false, retry: FAST });
    const rec = new MemoryRecorder();
    try {
      const res = await t.send({ method: 'GET', url: s.url, recorders: [rec] });
      assert.equal(res.status, 200);
      assert.deepEqual(rec.exchanges.map((e) => e.status), [503, 502, 200]);
    } finally {
      t.close();
      await s.close();
    }
  });

  it('a PUT whose fresh connection is reset is retried (idempotent); the reset is recorded', async () => {
    const s = await flakyServer(['reset']);
    const t = new HttpTransport({ keepAlive: false, retry: FAST });
    const rec = new MemoryRecorder();
    try {
      const res = await t.send({ method: 'PUT', url: s.url, body: 'x', recorders: [rec] });
      assert.equal(res.status, 200);
      assert.equal(rec.exchanges.length, 2);
      assert.match(rec.exchanges[0]!.error ?? '', /reset|hang up|closed/);
    } finally {
      t.close();
      await s.close();
    }
  });

  it('retries are bounded: a GET that keeps getting 504 ends with the 504 after 1 + 2 attempts', async () => {
    const s = await flakyServer([504, 504, 504, 504, 504]);
    const t = new HttpTransport({ keepAlive: false, retry: FAST });
    try {
      assert.equal((await t.send({ method: 'GET', url: s.url })).status, 504);
      assert.equal(s.seen.length, 3);
    } finally {
      t.close();
      await s.close();
    }
  });

  it('a POST is never sent twice: a 503 is its answer, a reset its error', async () => {
    const s = await flakyServer([503, 'reset']);
    const t = new HttpTransport({ keepAlive: false, retry: FAST });
    try {
      assert.equal((await t.send({ method: 'POST', url: s.url, body: '{}' })).status, 503);
      await assert.rejects(t.send({ method: 'POST', url: s.url, body: '{}' }), (e: unknown) => e instanceof CloudError && e.code === 'unreachable');
      assert.equal(s.seen.length, 2);
    } finally {
      t.close();
      await s.close();
    }
  });
});
