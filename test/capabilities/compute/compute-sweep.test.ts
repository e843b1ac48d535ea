/**
 * Unit tests of the compute sweeper: it tears down the run's fixtures, then
 * removes the servers, keypairs and images named with the prefix (and only
 * those), waiting until deleted servers are gone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { sweepCompute } from '../../../src/cleanup/sweepers/compute.js';
import { runFixture } from '../../../src/services/compute-fixtures.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { nockCloud } from '../../helpers/cloud.js';
import { CINDER, fakeNova, GLANCE, NEUTRON, NOVA, PROJECT, USER, type FakeNova } from '../../fakes/fake-nova.js';
import { imageRecord } from '../../fakes/fake-glance.js';

function addServer(f: FakeNova, name: string): string {
  const id = randomUUID();
  f.servers.set(id, {
    id, name, status: 'ACTIVE', task: null, imageId: f.imageId, flavorId: '42', metadata: {}, accessIPv4: '', accessIPv6: '', keyName: null,
    created: '2020-01-01T00:00:00Z', updated: '2020-01-01T00:00:00Z', addr: '10.0.0.9', locked: false, deleting: false, actions: [], volumes: [],
  });
  return id;
}

describe('compute sweeper', () => {
  let client: CloudSession;
  afterEach(() => {
    nock.cleanAll();
    client.close();
  });

  it('removes prefixed servers, keypairs and images and tears down the run fixtures first', async () => {
    const f = fakeNova();
    client = nockCloud({ catalog: { compute: `${NOVA}/v2.1`, image: GLANCE, network: NEUTRON, 'block-storage': `${CINDER}/v3/${PROJECT}` }, projectId: PROJECT, userId: USER });
    const prefix = 'defcore-abc123-';
    addServer(f, `${prefix}server-1`);
    addServer(f, `${prefix}server-2`);
    const foreign = addServer(f, 'someone-else');
    f.keypairs.set(`${prefix}key`, { name: `${prefix}key`, public_key: 'ssh-rsa x', fingerprint: 'aa', type: 'ssh' });
    f.keypairs.set('theirs', { name: 'theirs', public_key: 'ssh-rsa x', fingerprint: 'aa', type: 'ssh' });
    const imageId = randomUUID();
    f.images.set(imageId, imageRecord({ id: imageId, name: `${prefix}snap`, status: 'active', owner: PROJECT }));
    let tornDown = 0;
    await runFixture(prefix, client, 'probe', async () => ({ value: 1, teardown: async () => { tornDown++; } }));

    const removed = await sweepCompute(client, prefix);

    assert.equal(tornDown, 1);
    assert.deepEqual([...f.servers.values()].filter((s) => !s.deleting).map((s) => s.id), [foreign]);
    assert.deepEqual([...f.keypairs.keys()], ['theirs']);
    assert.ok(!f.images.has(imageId));
    assert.equal(removed.filter((r) => r.startsWith('server ')).length, 2);
    assert.ok(removed.some((r) => r.startsWith(`keypair ${prefix}key`)));
  });

  it('refuses an empty prefix', async () => {
    fakeNova();
    client = nockCloud({ catalog: { compute: `${NOVA}/v2.1` } });
    await assert.rejects(sweepCompute(client, ''), /non-empty prefix/);
  });
});
