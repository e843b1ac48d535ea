/**
 * Every network check against the real dev cloud (scripts/dev-cloud with
 * Neutron): each must pass, and no network, subnet, port, router, security
 * group or subnet pool named with the run prefix may remain afterwards.
 */
import assert from 'node:assert/strict';
import '../../../capabilities/network/networks.js';
import '../../../capabilities/network/ports.js';
import '../../../capabilities/network/routers.js';
import '../../../capabilities/network/routers-negative.js';
import '../../../capabilities/network/security-groups.js';
import '../../../capabilities/network/security-groups-negative.js';
import '../../../capabilities/network/subnetpools.js';
import '../../../capabilities/network/versions.js';
import { OLDER_NETWORK_IDS } from './older-ids.js';
import { registeredChecks, type AccountRole } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { NetworkClient } from '../../../src/services/network.js';
import { anyReply, type Reply } from '../../../src/services/protocol.js';
import { sweepNetwork } from '../../../src/services/network-sweep.js';
import { newPrefix, runCheck } from '../../helpers/check-harness.js';
import { devCloudClientsOrSkip } from '../../helpers/dev-cloud-clients.js';

/** Names (and ids) of everything `client` sees in Neutron whose name starts with `prefix`. */
async function networkResourcesWithPrefix(client: CloudSession, prefix: string): Promise<string[]> {
  const net = new NetworkClient(client);
  const found: string[] = [];
  const collect = async (what: string, call: () => Promise<Reply<unknown>>, key: string) => {
    // Leftovers are looked for whatever the answers' schemas (subnet pools may answer 404).
    const r = await anyReply(call);
    if (r.status === 404 && key === 'subnetpools') return;
    assert.equal(r.status, 200, `${r.url}: ${r.status}`);
    for (const item of ((r.body as Record<string, unknown>)[key] ?? []) as { id: string; name?: string }[]) {
      if (item.name?.startsWith(prefix)) found.push(`${what} ${item.name} (${item.id})`);
    }
  };
  await collect('router', () => net.listRouters(), 'routers');
  await collect('port', () => net.listPorts(), 'ports');
  await collect('subnet', () => net.listSubnets(), 'subnets');
  await collect('network', () => net.listNetworks(), 'networks');
  await collect('security group', () => net.listSecurityGroups(), 'security_groups');
  await collect('subnet pool', () => net.listSubnetPools(), 'subnetpools');
  return found;
}

describe('@cloud network checks', function () {
  this.timeout(900_000);
  let clients: Partial<Record<AccountRole, CloudSession>> = {};
  const prefix = newPrefix();
  const checks = registeredChecks()
    // the older guidelines' checks are not part of this suite's count (older-*-checks.test.ts)
    .filter((c) => c.test.startsWith('tempest.api.network.') && !OLDER_NETWORK_IDS.has(c.id))
    .sort((a, b) => a.test.localeCompare(b.test));

  before(async function () {
    clients = await devCloudClientsOrSkip(this, 'network');
  });

  after(async () => {
    // Whatever a failed test left behind goes, so later runs start clean.
    for (const role of ['primary', 'admin'] as const) {
      const client = clients[role];
      if (client) await sweepNetwork(client, prefix).catch(() => undefined);
    }
    for (const c of Object.values(clients)) c.close();
  });

  it('has all 64 network checks registered', () => {
    assert.equal(checks.length, 64);
  });

  for (const def of checks) {
    it(`${def.test.split('.').slice(-2).join('.')} (${def.id}) passes`, async () => {
      const result = await runCheck(def, { accounts: clients, prefix, timeoutMs: 120_000 });
      assert.equal(result.status, 'pass', result.message);
      assert.deepEqual(result.cleanupErrors, []);
    });
  }

  it('leaves no network resource named with the run prefix', async () => {
    for (const role of ['primary', 'admin'] as const) {
      const client = clients[role];
      if (client) assert.deepEqual(await networkResourcesWithPrefix(client, prefix), [], `resources left for ${role}`);
    }
  });
});
