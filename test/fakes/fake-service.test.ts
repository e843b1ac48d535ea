/**
 * The shared fake mount: every request gets an answer, promptly. An unknown route
 * is the fake's own 404, a fake that throws answers 500 with the stack, and the
 * faults answer instead, hold or drop a request.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import { answer, dropConnection, mountFake, type FakeRequest, type Fault } from './fake-service.js';

const ORIGIN = 'http://127.0.0.1:47123';

describe('fake-service mount', () => {
  let faults: Fault[];
  let seen: FakeRequest[];
  let log: string[];

  beforeEach(() => {
    faults = [];
    seen = [];
    log = [];
    mountFake({
      origin: ORIGIN,
      faults: () => faults,
      log,
      handle: (req) => {
        seen.push(req);
        if (req.path === '/boom') throw new Error('the fake broke here');
        if (req.path === '/echo') return { status: 200, body: { body: req.body as unknown, q: req.query.get('q') } };
        return { status: 404, body: { error: `no route for ${req.method} ${req.path}` } };
      },
    });
  });
  afterEach(() => nock.cleanAll());

  it('parses method, path, query, headers and a JSON body', async () => {
    const r = await fetch(`${ORIGIN}/echo?q=1`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'X-Thing': 'y' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r.json(), { body: { a: 1 }, q: '1' });
    assert.equal(seen[0]!.headers['x-thing'], 'y');
    assert.deepEqual(log, ['POST /echo?q=1']);
  });

  it('answers an unknown route (any method) with the fake\'s 404', async () => {
    for (const method of ['GET', 'HEAD', 'PATCH', 'OPTIONS']) {
      const r = await fetch(`${ORIGIN}/nowhere`, { method });
      assert.equal(r.status, 404, method);
      await r.arrayBuffer();
    }
  });

  it('answers 500 with the stack when the fake itself throws', async () => {
    const r = await fetch(`${ORIGIN}/boom`);
    assert.equal(r.status, 500);
    const text = await r.text();
    assert.match(text, /broke on GET \/boom/);
    assert.match(text, /Error: the fake broke here\n\s+at /);
  });

  it('fails the request when a fault (test code) throws, promptly', async () => {
    faults.push({ method: 'GET', path: /^\/echo$/, reply: () => { throw new Error('bad fault'); } });
    await assert.rejects(fetch(`${ORIGIN}/echo`));
  });

  it('answers the next matching request as a fault says, then the fake again', async () => {
    faults.push(answer('GET', /^\/echo$/, { status: 503, body: 'busy', headers: { 'retry-after': '1' } }));
    const first = await fetch(`${ORIGIN}/echo`);
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '1');
    assert.equal(await first.text(), 'busy');
    assert.equal((await fetch(`${ORIGIN}/echo`)).status, 200);
  });

  it('drops the connection of the next matching request', async () => {
    faults.push(dropConnection('GET', /^\/echo$/));
    await assert.rejects(fetch(`${ORIGIN}/echo`), (e: Error & { cause?: { code?: string } }) => e.cause?.code === 'ECONNRESET');
    assert.equal((await fetch(`${ORIGIN}/echo`)).status, 200);
  });

  it('holds a matching request for a fault\'s delay', async () => {
    faults.push({ path: /^\/echo$/, delayMs: 150 });
    const t = Date.now();
    assert.equal((await fetch(`${ORIGIN}/echo`)).status, 200);
    assert.ok(Date.now() - t >= 140);
  });
});
