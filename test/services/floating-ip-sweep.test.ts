/**
 * sweepNetwork removes guest validation's floating IPs (found by the run prefix in
 * their description, as they have no name) and leaves everyone else's.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import type { CloudSession } from '../../src/cloud/session.js';
import { sweepNetwork } from '../../src/services/network-sweep.js';
import { fakeNeutron, PROJECT } from '../fakes/fake-neutron.js';
import { nockCloud } from '../helpers/cloud.js';

const ORIGIN = 'http://127.0.0.1:9696';

describe('sweepNetwork: floating IPs of guest validation', () => {
  let client: CloudSession | undefined;
  afterEach(() => {
    client?.close();
    nock.cleanAll();
  });

  it('deletes the floating IPs whose description carries the prefix, and only those', async () => {
    const p = 'defcore-abc123-';
    const deleted: string[] = [];
    // Registered before the fake, so these answer first.
    nock(ORIGIN).persist().get(/\/v2\.0\/floatingips$/).reply(200, { floatingips: [
      { id: 'fip-ours', floating_ip_address: '203.0.113.20', description: `${p}floatingip-3-ab12`, port_id: 'p1' },
      { id: 'fip-theirs', floating_ip_address: '203.0.113.21', description: 'production', port_id: 'p2' },
      { id: 'fip-plain', floating_ip_address: '203.0.113.22', description: '', port_id: null },
    ] });
    nock(ORIGIN).persist().delete(/\/v2\.0\/floatingips\/[^/]+$/).reply((request: unknown) => {
      deleted.push(new URL((request as Request).url, ORIGIN).pathname.split('/').pop()!);
      return [204, ''];
    });
    fakeNeutron(ORIGIN);
    client = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
    const removed = await sweepNetwork(client, p);
    assert.deepEqual(deleted, ['fip-ours']);
    assert.ok(removed.includes('floating IP fip-ours (203.0.113.20)'), removed.join('\n'));
  });
});
