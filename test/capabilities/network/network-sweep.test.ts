/**
 * sweepNetwork against the in-memory Neutron: it removes every resource named
 * with the prefix, router interfaces and routes first, and nothing else.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import type { CloudSession } from '../../../src/cloud/session.js';
import { NetworkClient, type Network, type Router, type Subnet } from '../../../src/services/network.js';
import { sweepNetwork } from '../../../src/services/network-sweep.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeNeutron, PROJECT } from '../../fakes/fake-neutron.js';

const ORIGIN = 'http://127.0.0.1:9696';

describe('sweepNetwork (fake Neutron)', () => {
  let client: CloudSession;

  afterEach(() => {
    client.close();
    nock.cleanAll();
  });

  it('removes prefixed routers (with interfaces and routes), ports, subnets, networks, groups and pools only', async () => {
    const fake = fakeNeutron(ORIGIN);
    client = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
    const net = new NetworkClient(client);
    const p = 'defcore-abc123-';
    const mk = async <T>(res: Promise<{ status: number; body: unknown }>, key: string): Promise<T> => {
      const r = await res;
      assert.ok(r.status < 300, `set-up call answered ${r.status}`);
      return (r.body as Record<string, T>)[key]!;
    };
    const network = await mk<Network>(net.createNetwork({ name: `${p}net` }), 'network');
    const subnet = await mk<Subnet>(net.createSubnet({ name: `${p}subnet`, network_id: network.id, cidr: '10.100.0.0/28', ip_version: 4 }), 'subnet');
    const router = await mk<Router>(net.createRouter({ name: `${p}router`, external_gateway_info: { network_id: fake.publicNetworkId } }), 'router');
    assert.equal((await net.addRouterInterface(router.id, { subnet_id: subnet.id })).status, 200);
    assert.equal((await net.updateRouter(router.id, { routes: [{ destination: '172.31.0.0/24', nexthop: '10.100.0.5' }] })).status, 200);
    await mk(net.createPort({ network_id: network.id }), 'port');
    await mk(net.createSecurityGroup({ name: `${p}secgroup` }), 'security_group');
    await mk(net.createSubnetPool({ name: `${p}pool`, prefixes: ['10.224.0.0/16'] }), 'subnetpool');
    const keep = await mk<Network>(net.createNetwork({ name: 'someone-else' }), 'network');

    const removed = await sweepNetwork(client, p);

    assert.equal(removed.filter((r) => r.startsWith('interface')).length, 1);
    assert.ok(removed.indexOf(removed.find((r) => r.startsWith('interface'))!) < removed.indexOf(removed.find((r) => r.startsWith('router'))!));
    assert.deepEqual([...fake.routers.keys()], []);
    assert.deepEqual([...fake.networks.keys()].sort(), [fake.publicNetworkId, keep.id].sort());
    assert.equal([...fake.subnets.values()].filter((s) => s.network_id === network.id).length, 0);
    assert.equal(fake.ports.size, 0);
    assert.deepEqual([...fake.groups.values()].map((g) => g.name), ['default']);
    assert.equal(fake.pools.size, 0);
  });

  it('refuses a prefix too short to be a run prefix', async () => {
    fakeNeutron(ORIGIN);
    client = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
    await assert.rejects(sweepNetwork(client, 'de'), /refusing a prefix/);
  });
});
