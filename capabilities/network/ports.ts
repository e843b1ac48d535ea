/**
 * Native checks for tempest.api.network.test_ports.PortsTestJSON (guideline
 * capabilities networks-l2-CRUD and, for the router filter, networks-l3-CRUD):
 * port create/update/delete, bulk create, addresses from allocation pools,
 * show/list with `fields=`, listing by router, and updating security groups
 * together with fixed IPs.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import type { NetworkClient, Port } from '../../src/services/network.js';
import { seeReply } from '../../src/services/protocol.js';
import {
  addInterface,
  ASSERTED,
  awaitPortGone,
  createNetwork,
  createPort,
  createRouter,
  createSecurityGroup,
  createSubnet,
  deferPortDeletion,
  deferRouterDeletion,
  expectExactFields,
  ipInRange,
  primaryNetwork,
  requireExtensions,
} from './steps.js';

const portsTests = tempestClass('tempest.api.network.test_ports.PortsTestJSON');

/**
 * Deletes a port (204), checks it is no longer listed and awaits its 404: what
 * Tempest's test-level cleanups _delete_port and wait_for_resource_deletion
 * assert of a port its test made (done here at the end of the test instead).
 */
async function deletePortAndVerify(ctx: CheckContext, client: NetworkClient, id: string): Promise<void> {
  await client.deletePort(id);
  const list = (await client.listPorts()).body.ports;
  expectThat(!list.some((p) => p.id === id), `GET /v2.0/ports: deleted port ${id} is still listed`);
  await awaitPortGone(client, id, ctx.signal);
}

/**
 * A network with one port, as the test class sets up once (removed, as its
 * resource_cleanup does, without failing the test).
 */
async function networkWithPort(ctx: CheckContext): Promise<{ client: NetworkClient; port: Port }> {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client);
  const port = await createPort(ctx, client, network.id);
  return { client, port };
}

portsTests.test('test_create_update_delete_port', 'c72c1c0c-2193-4aca-aaa4-b1442640f51c', async (ctx) => {
  const { client, port } = await networkWithPort(ctx);
  expectEqual(port.admin_state_up, true, `POST /v2.0/ports: admin_state_up of new port ${port.id}`);
  const name = ctx.name('port-renamed');
  const res = await client.updatePort(port.id, { name, admin_state_up: false });
  const updated = res.body.port;
  expectEqual(updated.name, name, `PUT /v2.0/ports/${port.id}: name`);
  expectEqual(updated.admin_state_up, false, `PUT /v2.0/ports/${port.id}: admin_state_up`);
  await deletePortAndVerify(ctx, client, port.id);
});

// Tempest's _create_network and _create_subnet register test-level cleanups
// (call_and_ignore_notfound_exc), and every port a test creates itself is
// removed by one (delete_port, then wait_for_resource_deletion): these removals
// are asserted. The class's network and port, and create_subnet's own class-level
// cleanups, fail no test.

portsTests.test('test_create_bulk_port', '67f1b811-f8db-43e2-86bd-72c074d4a42c', async (ctx) => {
  const client = primaryNetwork(ctx);
  // the class's network, and one of the test's own
  const net1 = await createNetwork(ctx, client);
  const net2 = await createNetwork(ctx, client, {}, ASSERTED);
  const call = client.createBulkPorts([
    { network_id: net1.id, name: ctx.name('port') },
    { network_id: net2.id, name: ctx.name('port') },
  ]);
  // Each port made is removed, even when the answer then breaks the protocol.
  const res = await seeReply(call, (r) => {
    const made = (r.body as { ports?: { id?: unknown }[] } | null)?.ports;
    if (r.status >= 200 && r.status < 300 && Array.isArray(made)) {
      for (const p of made) if (typeof p?.id === 'string') deferPortDeletion(ctx, client, p.id);
    }
  });
  const ports = res.body.ports;
  expectEqual(ports.length, 2, 'POST /v2.0/ports (bulk): number of ports created');
  const [p1, p2] = ports as [Port, Port];
  expectEqual(p1.network_id, net1.id, 'POST /v2.0/ports (bulk): network_id of the first port');
  expectEqual(p2.network_id, net2.id, 'POST /v2.0/ports (bulk): network_id of the second port');
  expectEqual(p1.admin_state_up, true, 'POST /v2.0/ports (bulk): admin_state_up of the first port');
  expectEqual(p2.admin_state_up, true, 'POST /v2.0/ports (bulk): admin_state_up of the second port');
  await deletePortAndVerify(ctx, client, p1.id);
  await deletePortAndVerify(ctx, client, p2.id);
});

portsTests.test('test_create_port_in_allowed_allocation_pools', '0435f278-40ae-48cb-a404-b8a087bc09b1', async (ctx) => {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  // The pool is the block without its network, gateway and broadcast addresses.
  const { sent } = await createSubnet(ctx, client, network, (b) => ({
    cidr: b.cidr,
    ip_version: 4,
    gateway_ip: b.at(1),
    allocation_pools: [{ start: b.at(2), end: b.at(2 ** (32 - b.prefixlen) - 2) }],
  }), undefined, ASSERTED);
  const pool = (sent.allocation_pools as { start: string; end: string }[])[0]!;
  const port = await createPort(ctx, client, network.id, {}, ASSERTED);
  const ip = port.fixed_ips[0]?.ip_address;
  if (ip === undefined) fail(`POST /v2.0/ports: port ${port.id} got no fixed IP on a network with a subnet`);
  expectThat(ipInRange(ip, pool.start, pool.end), `POST /v2.0/ports: address ${ip} of port ${port.id} is outside the allocation pool ${pool.start}-${pool.end}`);
  await client.deletePort(port.id);
});

portsTests.test('test_show_port', 'c9a685bd-e83f-499c-939f-9f7863ca259f', async (ctx) => {
  const { client, port } = await networkWithPort(ctx);
  const shown = (await client.showPort(port.id)).body.port;
  // Everything but timestamps (set asynchronously) and extra_dhcp_opts must be as created.
  const ignored = new Set(['extra_dhcp_opts', 'created_at', 'updated_at']);
  const keys = new Set([...Object.keys(port), ...Object.keys(shown)].filter((k) => !ignored.has(k)));
  for (const k of keys) expectEqual(shown[k], port[k], `GET /v2.0/ports/${port.id}: ${k} (compared with the create response)`);
});

portsTests.test('test_show_port_fields', '45fcdaf2-dab0-4c13-ac6c-fcddfb579dbd', async (ctx) => {
  const { client, port } = await networkWithPort(ctx);
  const fields = ['id', 'mac_address'];
  const [shown] = expectExactFields(await client.showPort(port.id, { fields }), 'port', fields);
  for (const f of fields) expectEqual(shown?.[f], port[f], `GET /v2.0/ports/${port.id}?fields=…: ${f}`);
});

portsTests.test('test_list_ports', 'cf95b358-3e92-4a29-a148-52445e1ac50e', async (ctx) => {
  const { client, port } = await networkWithPort(ctx);
  const list = (await client.listPorts()).body.ports;
  expectThat(list.some((p) => p.id === port.id), `GET /v2.0/ports: created port ${port.id} is not listed`);
});

portsTests.test('test_list_ports_fields', 'ff7f117f-f034-4e0e-abff-ccef05c454b4', async (ctx) => {
  const { client } = await networkWithPort(ctx);
  const fields = ['id', 'mac_address'];
  const list = expectExactFields(await client.listPorts({ fields }), 'ports', fields);
  expectThat(list.length > 0, 'GET /v2.0/ports?fields=…: the list is empty although a port exists');
});

portsTests.test('test_port_list_filter_by_router_id', '5ad01ed0-0e6e-4c5d-8194-232801b15c72', async (ctx) => {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  await createSubnet(ctx, client, network, undefined, undefined, ASSERTED);
  // create_router's class-level removal, and a bare deletion of the test's own
  const router = await createRouter(ctx, client, { admin_state_up: false });
  deferRouterDeletion(ctx, client, router.id, ASSERTED);
  // Tempest deletes this port only by removing the interface it becomes.
  const port = await createPort(ctx, client, network.id);
  // A second port on the same network, on no router: a cloud ignoring device_id
  // lists it, even in a project holding nothing else (Tempest relies on others).
  await createPort(ctx, client, network.id);
  await addInterface(ctx, client, router.id, { port_id: port.id }, { ...ASSERTED, awaitPort: port.id });
  const list = (await client.listPorts({ device_id: router.id })).body.ports;
  expectEqual(list.map((p) => p.id), [port.id], `GET /v2.0/ports?device_id=${router.id}: ports listed`);
  expectEqual(list[0]?.device_id, router.id, `GET /v2.0/ports?device_id=${router.id}: device_id of the port`);
}, { accounts: ['admin'] });

/**
 * Creates a port with one security group on a first subnet, then in one update
 * renames it, disables it, moves it to a second subnet and gives it `count`
 * other security groups; the response must show all of it.
 */
async function updatePortWithSecurityGroups(ctx: CheckContext, count: number): Promise<void> {
  const client = primaryNetwork(ctx);
  await requireExtensions(client, 'security-group');
  // the class's network; the first subnet is the test's own (_create_subnet),
  // the second one comes from the class-level create_subnet
  const network = await createNetwork(ctx, client);
  const first = await createSubnet(ctx, client, network, undefined, undefined, ASSERTED);
  // Both subnets exist before the port: the port's removal must precede theirs.
  const second = await createSubnet(ctx, client, network, undefined, first.index + 1);
  const groups: string[] = [];
  for (let i = 0; i < count; i++) groups.push((await createSecurityGroup(ctx, client, {}, ASSERTED)).id);
  const initial = await createSecurityGroup(ctx, client, {}, ASSERTED);
  const port = await createPort(ctx, client, network.id, {
    security_groups: [initial.id],
    admin_state_up: true,
    fixed_ips: [{ subnet_id: first.subnet.id }],
  }, ASSERTED);
  const name = ctx.name('port-renamed');
  const res = await client.updatePort(port.id, {
    name,
    admin_state_up: false,
    fixed_ips: [{ subnet_id: second.subnet.id }],
    security_groups: groups,
  });
  const updated = res.body.port;
  expectEqual(updated.name, name, `PUT /v2.0/ports/${port.id}: name`);
  expectEqual(updated.admin_state_up, false, `PUT /v2.0/ports/${port.id}: admin_state_up`);
  expectEqual(updated.fixed_ips[0]?.subnet_id, second.subnet.id, `PUT /v2.0/ports/${port.id}: subnet of the first fixed IP`);
  for (const g of groups) {
    expectThat(updated.security_groups?.includes(g), `PUT /v2.0/ports/${port.id}: security group ${g} is not among the port's security_groups ${JSON.stringify(updated.security_groups)}`);
  }
}

portsTests.test('test_update_port_with_security_group_and_extra_attributes', '58091b66-4ff4-4cc1-a549-05d60c7acd1a', (ctx) => updatePortWithSecurityGroups(ctx, 1));

portsTests.test('test_update_port_with_two_security_groups_and_extra_attributes', 'edf6766d-3d40-4621-bc6e-2521a44c257d', (ctx) => updatePortWithSecurityGroups(ctx, 2));

// --- tests of the guidelines 2016.08 and 2017.01 (Tempest 12–17) ------------------

portsTests.test('test_create_show_delete_port_user_defined_mac', '13e95171-6cbd-489c-9d7c-3f9c58215c18', async (ctx) => {
  const client = primaryNetwork(ctx);
  const network = await createNetwork(ctx, client);
  // a MAC address the cloud itself handed out, free again once its port is gone
  const first = await createPort(ctx, client, network.id);
  const mac = first.mac_address;
  await client.deletePort(first.id);
  const port = await createPort(ctx, client, network.id, { mac_address: mac }, ASSERTED);
  const shown = (await client.showPort(port.id)).body.port;
  expectEqual(shown.mac_address, mac, `GET /v2.0/ports/${port.id}: mac_address of a port created with it`);
});

portsTests.test('test_create_port_with_no_securitygroups', '4179dcb9-1382-4ced-84fe-1b91c54f5735', async (ctx) => {
  const client = primaryNetwork(ctx);
  await requireExtensions(client, 'security-group');
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  await createSubnet(ctx, client, network, undefined, undefined, ASSERTED);
  const port = await createPort(ctx, client, network.id, { security_groups: [] }, ASSERTED);
  expectThat(Array.isArray(port.security_groups), `POST /v2.0/ports: security_groups of port ${port.id} is ${JSON.stringify(port.security_groups)}, expected a list`);
  expectEqual(port.security_groups, [], `POST /v2.0/ports: security_groups of a port created with none`);
});
