/**
 * Removes Neutron resources a run left behind, found by name prefix: routers
 * (their interfaces first, then the router, which takes its gateway port),
 * ports, subnets, networks (with every port still on them), security groups and
 * subnet pools; floating IPs by description (they have no name). Removal order follows dependencies, so one pass suffices.
 */
import type { CloudClient } from '../cloud/types.js';
import { NetworkClient } from './network.js';
import { anyReply, type Reply } from './protocol.js';

interface Named {
  id: string;
  name?: string;
  [key: string]: unknown;
}

/** A sweep judges answers itself (status only), whatever a check would make of their bodies. */
type Call = () => Promise<Reply<unknown>>;

async function list(call: Call, key: string): Promise<Named[]> {
  const r = await anyReply(call);
  if (r.status !== 200) throw new Error(`sweep: ${r.method} ${r.url} answered ${r.status}`);
  const items = (r.body as Record<string, unknown> | null)?.[key];
  return Array.isArray(items) ? (items as Named[]) : [];
}

/**
 * Deletes every network resource whose name starts with `prefix` (and ports on
 * such networks or routers); returns one line per removed resource. Failures to
 * delete are collected and thrown together at the end, after everything else
 * was tried.
 */
export async function sweepNetwork(client: CloudClient, prefix: string): Promise<string[]> {
  if (prefix.length < 4) throw new Error(`sweep: refusing a prefix as short as "${prefix}"`);
  const net = new NetworkClient(client);
  const removed: string[] = [];
  const failures: string[] = [];
  const ours = (x: Named) => typeof x.name === 'string' && x.name.startsWith(prefix);

  const remove = async (what: string, call: Call): Promise<void> => {
    const res = await anyReply(call);
    if (res.status >= 200 && res.status < 300) removed.push(what);
    else if (res.status !== 404) failures.push(`${what}: ${res.method} ${res.url} answered ${res.status}`);
  };

  // Guest validation's floating IPs carry the run prefix in their description.
  const fips = await anyReply(() => net.listFloatingIps());
  // Clouds without the L3 extension answer 404 to the listing.
  if (fips.status !== 404) {
    for (const fip of await list(() => Promise.resolve(fips), 'floatingips')) {
      if (typeof fip.description === 'string' && fip.description.startsWith(prefix)) {
        await remove(`floating IP ${fip.id} (${String(fip.floating_ip_address ?? '')})`, () => net.deleteFloatingIp(fip.id));
      }
    }
  }
  for (const router of (await list(() => net.listRouters(), 'routers')).filter(ours)) {
    // Routes may pin interfaces (their next hops), so clear them first.
    if (Array.isArray(router.routes) && router.routes.length > 0) await anyReply(() => net.updateRouter(router.id, { routes: [] }));
    for (const port of await list(() => net.listPorts({ device_id: router.id }), 'ports')) {
      if (String(port.device_owner ?? '').startsWith('network:router_interface')) {
        await remove(`interface ${port.id} of router ${router.id}`, () => net.removeRouterInterface(router.id, { port_id: port.id }));
      }
    }
    await remove(`router ${router.id} (${router.name})`, () => net.deleteRouter(router.id));
  }

  const networks = (await list(() => net.listNetworks(), 'networks')).filter(ours);
  const networkIds = new Set(networks.map((n) => n.id));
  for (const port of await list(() => net.listPorts(), 'ports')) {
    if (ours(port) || networkIds.has(String(port.network_id))) {
      await remove(`port ${port.id}${port.name ? ` (${port.name})` : ''}`, () => net.deletePort(port.id));
    }
  }
  for (const subnet of (await list(() => net.listSubnets(), 'subnets')).filter(ours)) {
    await remove(`subnet ${subnet.id} (${subnet.name})`, () => net.deleteSubnet(subnet.id));
  }
  for (const network of networks) {
    await remove(`network ${network.id} (${network.name})`, () => net.deleteNetwork(network.id));
  }
  for (const group of (await list(() => net.listSecurityGroups(), 'security_groups')).filter(ours)) {
    await remove(`security group ${group.id} (${group.name})`, () => net.deleteSecurityGroup(group.id));
  }
  const pools = await anyReply(() => net.listSubnetPools());
  // Clouds without subnet pools answer 404 to the listing.
  if (pools.status !== 404) {
    for (const pool of (await list(() => Promise.resolve(pools), 'subnetpools')).filter(ours)) {
      await remove(`subnet pool ${pool.id} (${pool.name})`, () => net.deleteSubnetPool(pool.id));
    }
  }
  if (failures.length > 0) throw new Error(`sweep left ${failures.length} resource(s): ${failures.join('; ')}`);
  return removed;
}
