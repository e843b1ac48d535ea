import '../helpers/node20.js';
import assert from 'node:assert/strict';
import nock from 'nock';
import { MemoryRecorder } from '../../src/cloud/recorder.js';
import type { Context } from 'mocha';
import { DEFAULT_NOCK_TOKEN, devCloudClient, devCloudOrSkip, nockCloud } from '../helpers/cloud.js';

describe('test helper nockCloud', () => {
  afterEach(() => nock.cleanAll());

  it('is ready without a login, survives nock.cleanAll(), and carries the identity asked for', async () => {
    const c = nockCloud({ catalog: { compute: 'http://127.0.0.1:48774/v2.1' }, projectId: 'p9', roles: ['admin'] });
    nock.cleanAll();
    nock('http://127.0.0.1:48774').get('/v2.1/flavors').matchHeader('x-auth-token', DEFAULT_NOCK_TOKEN).reply(200, { flavors: [] });
    const rec = new MemoryRecorder();
    const res = await c.withRecorder(rec).request({ method: 'GET', service: 'compute', path: 'flavors' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { flavors: [] });
    const id = await c.identity();
    assert.deepEqual([id.projectId, id.roles], ['p9', ['admin']]);
    assert.equal(rec.exchanges.length, 1, 'no login exchange');
  });

  it('logs in again through its Keystone mock after a 401', async () => {
    const c = nockCloud({ catalog: { compute: 'http://127.0.0.1:48774/v2.1' }, token: 'tok-a' });
    nock('http://127.0.0.1:48774').get('/v2.1/x').times(2).reply(401, '');
    assert.equal((await c.request({ method: 'GET', service: 'compute', path: 'x' })).status, 401);
    assert.ok(nock.isDone(), 'retried once after a fresh login');
  });
});

describe('test helper devCloudOrSkip', () => {
  const saved = process.env['DEFCORE_REQUIRE_CLOUD'];
  afterEach(() => {
    if (saved === undefined) delete process.env['DEFCORE_REQUIRE_CLOUD'];
    else process.env['DEFCORE_REQUIRE_CLOUD'] = saved;
  });

  it('skips when the cloud is not there, fails instead under DEFCORE_REQUIRE_CLOUD', async () => {
    let skipped = 0;
    const ctx = { skip: () => { skipped += 1; throw new Error('skipped'); } } as unknown as Context;
    delete process.env['DEFCORE_REQUIRE_CLOUD'];
    await assert.rejects(devCloudOrSkip(ctx, 'no-such-cloud'), /skipped/);
    assert.equal(skipped, 1);
    assert.equal(await devCloudClient('no-such-cloud'), undefined);
    process.env['DEFCORE_REQUIRE_CLOUD'] = '1';
    await assert.rejects(devCloudOrSkip(ctx, 'no-such-cloud'), /dev cloud required \(DEFCORE_REQUIRE_CLOUD\): /);
    assert.equal(skipped, 1);
  });
});
