import assert from 'node:assert/strict';
import '../helpers/node20.js';
import nock from 'nock';
import { sweepObjectStorage } from '../../src/services/object-storage-sweep.js';
import { ObjectStorageClient } from '../../src/services/object-storage.js';
import { nockCloud } from '../helpers/cloud.js';
import { FakeSwift } from '../fakes/fake-swift.js';

describe('sweepObjectStorage (unit, fake Swift)', () => {
  let sim: FakeSwift;
  afterEach(() => {
    sim.stop();
    nock.enableNetConnect();
  });

  it('removes prefixed containers with their objects and versions, and a prefixed Temp-URL key, nothing else', async () => {
    nock.disableNetConnect();
    sim = new FakeSwift([{ token: 't', userId: 'u', projectId: 'p', roles: ['member'] }]).start();
    const client = nockCloud({ authUrl: 'http://127.0.0.1:45400/v3', token: 't', projectId: 'p', catalog: { 'object-store': sim.accountUrl('p') } });
    const swift = new ObjectStorageClient(client);
    try {
      const P = 'defcore-abc123-';
      assert.equal((await swift.createContainer(`${P}versions`)).status, 201);
      assert.equal((await swift.createContainer(`${P}base`, { 'X-Versions-Location': `${P}versions` })).status, 201);
      for (const body of ['v1', 'v2', 'v3']) assert.equal((await swift.createObject(`${P}base`, 'o', body)).status, 201);
      assert.equal((await swift.createObject(`${P}base`, 'dir/seg/1', 'x')).status, 201);
      assert.equal((await swift.createContainer('users-own')).status, 201);
      assert.equal((await swift.createObject('users-own', 'keep', 'k')).status, 201);
      assert.equal((await swift.updateAccountMetadata({ 'X-Account-Meta-Temp-URL-Key': `${P}secret`, 'X-Account-Meta-Color': 'blue' })).status, 204);

      const removed = await sweepObjectStorage(client, P);
      assert.deepEqual(removed.sort(), [`account metadata temp-url-key`, `container ${P}base`, `container ${P}versions`].sort());
      const account = sim.accounts.get('p')!;
      assert.deepEqual([...account.containers.keys()], ['users-own']);
      assert.deepEqual([...account.containers.get('users-own')!.objects.keys()], ['keep']);
      assert.deepEqual([...account.meta.entries()], [['x-account-meta-color', 'blue']]);
      // Nothing left to do the second time.
      assert.deepEqual(await sweepObjectStorage(client, P), []);
    } finally {
      client.close();
    }
  });

  it('refuses an empty prefix', async () => {
    nock.disableNetConnect();
    sim = new FakeSwift([]).start();
    const client = nockCloud({ authUrl: 'http://127.0.0.1:45401/v3', catalog: { 'object-store': sim.accountUrl('p') } });
    try {
      await assert.rejects(sweepObjectStorage(client, ''), /empty prefix/);
    } finally {
      client.close();
    }
  });
});
