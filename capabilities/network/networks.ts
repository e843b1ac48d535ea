/**
 * Native checks for tempest.api.network.test_networks.NetworksTest (guideline
 * capabilities networks-l2-CRUD and, for the external network, networks-l3-CRUD):
 * network and subnet create/show/list/update/delete, `fields=` projections,
 * subnets with and without gateway, allocation pools, host routes, DNS servers
 * and DHCP, deletion of a network taking its subnets, and what an external
 * network shows to a project.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import type { Attributes, Network, Subnet } from '../../src/services/network.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import {
  ASSERTED,
  createNetwork,
  createSubnet,
  expectExactFields,
  extensionAliases,
  findExternalNetwork,
  primaryNetwork,
  requireExtensions,
  type Block,
  type Removal,
  type SubnetPlan,
} from './steps.js';

const networksTests = tempestClass('tempest.api.network.test_networks.NetworksTest');

/** The address plan of the attribute-rich subnets: gateway first, a small pool after it. */
const gateway = (b: Block): Attributes => ({ gateway_ip: b.at(1) });
const pools = (b: Block): Attributes => ({ allocation_pools: [{ start: b.at(3), end: b.at(7) }] });
const routes = (b: Block): Attributes => ({ host_routes: [{ destination: '172.31.250.0/24', nexthop: b.at(4) }] });
const dns = (): Attributes => ({ dns_nameservers: ['192.0.2.53', '198.51.100.53'] });

/** Subnet attributes compared key by key after creation (dns_nameservers in any order). */
function expectSubnetAttributes(subnet: Subnet, sent: Attributes, what: string): void {
  for (const [key, value] of Object.entries(sent)) {
    if (key === 'dns_nameservers') {
      expectEqual([...subnet.dns_nameservers].sort(), [...(value as string[])].sort(), `${what}: dns_nameservers`);
    } else {
      expectEqual(subnet[key], value, `${what}: ${key}`);
    }
  }
}

/**
 * Creates a network and a subnet with `extra` attributes, checks the subnet
 * reflects every attribute sent, then deletes the network (204). Tempest makes
 * this network with the class-level create_network: only the deletion in the
 * test's body is asserted.
 */
async function createVerifyDeleteSubnet(ctx: CheckContext, extra: (b: Block) => Attributes): Promise<void> {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client);
  const plan: SubnetPlan = (b) => ({ cidr: b.cidr, ip_version: 4, ...extra(b) });
  const { subnet, sent } = await createSubnet(ctx, client, network, plan);
  expectSubnetAttributes(subnet, sent, `POST /v2.0/subnets: created subnet ${subnet.id}`);
  await client.deleteNetwork(network.id);
}

/**
 * A network with one subnet, as the test class sets up once (removed, as its
 * resource_cleanup does, without failing the test); `network` says otherwise
 * for a test that makes its own network and removes it in a test-level cleanup.
 */
async function networkWithSubnet(ctx: CheckContext, network: Removal = {}): Promise<{ network: Network; subnet: Subnet }> {
  const client = primaryNetwork(ctx);
  const made = await createNetwork(ctx, client, {}, network);
  const { subnet } = await createSubnet(ctx, client, made);
  return { network: made, subnet };
}

// Where a test makes its own network, Tempest removes it in a test-level cleanup
// (call_and_ignore_notfound_exc): a network that cannot be deleted fails the
// test. Its subnets come from the class-level create_subnet and fail nothing.

networksTests.test('test_create_update_delete_network_subnet', '0e269138-0da6-4efc-a46d-578161e7b221', async (ctx) => {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  expectEqual(network.status, 'ACTIVE', `POST /v2.0/networks: status of new network ${network.id}`);
  const netName = ctx.name('net-renamed');
  const updated = (await client.updateNetwork(network.id, { name: netName })).body.network;
  expectEqual(updated.name, netName, `PUT /v2.0/networks/${network.id}: name`);
  const { subnet } = await createSubnet(ctx, client, network);
  const subName = ctx.name('subnet-renamed');
  const updSub = (await client.updateSubnet(subnet.id, { name: subName })).body.subnet;
  expectEqual(updSub.name, subName, `PUT /v2.0/subnets/${subnet.id}: name`);
  await client.deleteNetwork(network.id);
});

networksTests.test('test_show_network', '2bf13842-c93f-4a69-83ed-717d2ec3b44e', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { network } = await networkWithSubnet(ctx);
  const shown = (await client.showNetwork(network.id)).body.network;
  expectEqual(shown.id, network.id, `GET /v2.0/networks/${network.id}: id`);
  expectEqual(shown.name, network.name, `GET /v2.0/networks/${network.id}: name`);
});

/** The fields Tempest projects networks on: id and name, plus mtu where net-mtu is enabled. */
async function networkFields(ctx: CheckContext): Promise<string[]> {
  const enabled = await extensionAliases(primaryNetwork(ctx));
  return enabled.has('net-mtu') ? ['id', 'name', 'mtu'] : ['id', 'name'];
}

networksTests.test('test_show_network_fields', '867819bb-c4b6-45f7-acf9-90edcf70aa5e', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { network } = await networkWithSubnet(ctx);
  const fields = await networkFields(ctx);
  // Exactly these keys: in particular no tenant_id / project_id.
  const [shown] = expectExactFields(await client.showNetwork(network.id, { fields }), 'network', fields);
  for (const f of fields) expectEqual(shown?.[f], network[f], `GET /v2.0/networks/${network.id}?fields=…: ${f}`);
});

networksTests.test('test_list_networks', 'f7ffdeda-e200-4a7a-bcbe-05716e86bf43', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { network } = await networkWithSubnet(ctx);
  const list = (await client.listNetworks()).body.networks;
  expectThat(list.some((n) => n.id === network.id), `GET /v2.0/networks: created network ${network.id} is not listed`);
});

networksTests.test('test_list_networks_fields', '6ae6d24f-9194-4869-9c85-c313cb20e080', async (ctx) => {
  const client = primaryNetwork(ctx);
  await networkWithSubnet(ctx);
  const fields = await networkFields(ctx);
  const list = expectExactFields(await client.listNetworks({ fields }), 'networks', fields);
  expectThat(list.length > 0, `GET /v2.0/networks?fields=…: the list is empty although a network exists`);
});

networksTests.test('test_show_subnet', 'bd635d81-6030-4dd1-b3b9-31ba0cfdf6cc', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { subnet } = await networkWithSubnet(ctx);
  const shown = (await client.showSubnet(subnet.id)).body.subnet;
  expectEqual(shown.id, subnet.id, `GET /v2.0/subnets/${subnet.id}: id`);
  expectEqual(shown.cidr, subnet.cidr, `GET /v2.0/subnets/${subnet.id}: cidr`);
});

networksTests.test('test_show_subnet_fields', '270fff0b-8bfc-411f-a184-1e8fd35286f0', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { subnet } = await networkWithSubnet(ctx);
  const fields = ['id', 'network_id'];
  const [shown] = expectExactFields(await client.showSubnet(subnet.id, { fields }), 'subnet', fields);
  for (const f of fields) expectEqual(shown?.[f], subnet[f], `GET /v2.0/subnets/${subnet.id}?fields=…: ${f}`);
});

networksTests.test('test_list_subnets', 'db68ba48-f4ea-49e9-81d1-e367f6d0b20a', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { subnet } = await networkWithSubnet(ctx);
  const list = (await client.listSubnets()).body.subnets;
  expectThat(list.some((s) => s.id === subnet.id), `GET /v2.0/subnets: created subnet ${subnet.id} is not listed`);
});

networksTests.test('test_list_subnets_fields', '842589e3-9663-46b0-85e4-7f01273b0412', async (ctx) => {
  const client = primaryNetwork(ctx);
  await networkWithSubnet(ctx);
  const fields = ['id', 'network_id'];
  const list = expectExactFields(await client.listSubnets({ fields }), 'subnets', fields);
  expectThat(list.length > 0, `GET /v2.0/subnets?fields=…: the list is empty although a subnet exists`);
});

networksTests.test('test_delete_network_with_subnet', 'f04f61a9-b7f3-4194-90b2-9bcf660d1bfe', async (ctx) => {
  const client = primaryNetwork(ctx);
  const { network, subnet } = await networkWithSubnet(ctx, ASSERTED);
  await client.deleteNetwork(network.id);
  // The subnet goes with its network.
  await expectErrorStatus(404, () => client.showSubnet(subnet.id));
});

networksTests.test('test_create_delete_subnet_without_gateway', 'd2d596e2-8e76-47a9-ac51-d4648009f4d3', (ctx) => createVerifyDeleteSubnet(ctx, () => ({ gateway_ip: null })));

networksTests.test('test_create_delete_subnet_with_gw', '9393b468-186d-496d-aa36-732348cd76e7', (ctx) => createVerifyDeleteSubnet(ctx, gateway));

networksTests.test('test_create_delete_subnet_with_allocation_pools', 'bec949c4-3147-4ba6-af5f-cd2306118404', (ctx) => createVerifyDeleteSubnet(ctx, pools));

networksTests.test('test_create_delete_subnet_with_gw_and_allocation_pools', '8217a149-0c6c-4cfb-93db-0486f707d13f', (ctx) => createVerifyDeleteSubnet(ctx, (b) => ({ ...gateway(b), ...pools(b) })));

networksTests.test('test_create_delete_subnet_with_host_routes_and_dns_nameservers', 'd830de0a-be47-468f-8f02-1fd996118289', (ctx) => createVerifyDeleteSubnet(ctx, (b) => ({ ...routes(b), ...dns() })));

networksTests.test('test_create_delete_subnet_with_dhcp_enabled', '94ce038d-ff0a-4a4c-a56b-09da3ca0b55d', (ctx) => createVerifyDeleteSubnet(ctx, () => ({ enable_dhcp: true })));

networksTests.test('test_create_delete_subnet_all_attributes', 'a4d9ec4c-0306-4111-a75c-db01a709030b', (ctx) => createVerifyDeleteSubnet(ctx, (b) => ({ enable_dhcp: true, ...gateway(b), ...routes(b), ...dns() })));

networksTests.test('test_update_subnet_gw_dns_host_routes_dhcp', '3d3852eb-3009-49ec-97ac-5ce83b73010a', async (ctx) => {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  const plan: SubnetPlan = (b) => ({ cidr: b.cidr, ip_version: 4, ...gateway(b), ...routes(b), ...dns(), ...pools(b) });
  const { subnet, block } = await createSubnet(ctx, client, network, plan);
  // The new gateway lies outside the allocation pool, as a gateway must.
  const changes: Attributes = {
    name: ctx.name('subnet-renamed'),
    gateway_ip: block.at(2),
    host_routes: [{ destination: '172.31.250.0/24', nexthop: block.at(5) }],
    dns_nameservers: ['203.0.113.53', '192.0.2.54'],
    enable_dhcp: true,
  };
  const res = await client.updateSubnet(subnet.id, changes);
  const updated = res.body.subnet;
  expectSubnetAttributes(updated, changes, `PUT /v2.0/subnets/${subnet.id}`);
});

networksTests.test('test_external_network_visibility', 'af774677-42a9-4e4b-bb58-16fe6a5bc1ec', async (ctx) => {
  const client = primaryNetwork(ctx);
  await requireExtensions(client, 'external-net');
  const identity = await ctx.account('primary').identity();
  const external = await findExternalNetwork(client, identity.projectId);
  // An internal network of the project, as Tempest's class holds one: a cloud
  // ignoring the router:external filter lists it, whatever else exists.
  await createNetwork(ctx, client);
  const res = await client.listNetworks({ 'router:external': true });
  const list = res.body.networks;
  expectThat(list.some((n) => n.id === external.id), `GET /v2.0/networks?router:external=True: external network ${external.id} is not listed`);
  const internal = list.filter((n) => n['router:external'] !== true).map((n) => n.id);
  expectThat(internal.length === 0, `GET /v2.0/networks?router:external=True: lists non-external networks ${internal.join(', ')}`);
  const subnets = (await client.listSubnets({ network_id: external.id })).body.subnets;
  // Tempest asserts this of its public network whoever owns it: a network the
  // project owns is not exempt (findExternalNetwork prefers one it does not).
  if (external.shared) {
    expectThat(subnets.length > 0, `GET /v2.0/subnets?network_id=${external.id}: subnets of the shared external network should be visible`);
  } else {
    expectThat(subnets.length === 0, `GET /v2.0/subnets?network_id=${external.id}: subnets of the non-shared external network should not be visible`);
  }
}, { accounts: ['admin'] });
