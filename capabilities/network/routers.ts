/**
 * Native checks for tempest.api.network.test_routers.RoutersTest (guideline
 * capability networks-l3-CRUD, which the guidelines mark admin): router
 * create/show/list/update/delete with a gateway on the external network,
 * interfaces by subnet and by port, extra routes, admin state, and unsetting
 * the gateway (which Tempest 33 keeps in its admin router tests; listing the
 * gateway ports of the external network takes the admin account).
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { NetworkClient, type Router } from '../../src/services/network.js';
import {
  addInterface,
  ASSERTED,
  ASSERTED_STRICT,
  createNetwork,
  createPort,
  createRouter,
  createSubnet,
  findExternalNetwork,
  primaryWith,
  randomBlockIndex,
  requireExtensions,
} from './steps.js';

const routersTests = tempestClass('tempest.api.network.test_routers.RoutersTest', { accounts: ['admin'] });

/** The primary client, skipping the check (as Tempest's class does) without the router extension. */
function routerClient(ctx: CheckContext): Promise<NetworkClient> {
  return primaryWith(ctx, 'router');
}

/** The external network for gateways, as the primary project sees it. */
async function externalNetworkId(ctx: CheckContext, client: NetworkClient): Promise<string> {
  const identity = await ctx.account('primary').identity();
  const external = await findExternalNetwork(client, identity.projectId);
  ctx.note(`external network: ${external.name} (${external.id})`);
  return external.id;
}

/** Shows a port and checks it is attached to the router, on `subnetId` when given. */
async function expectInterfacePort(client: NetworkClient, routerId: string, portId: string, subnetId?: string): Promise<void> {
  const port = (await client.showPort(portId)).body.port;
  expectEqual(port.device_id, routerId, `GET /v2.0/ports/${portId}: device_id of the router interface port`);
  if (subnetId !== undefined) {
    expectEqual(port.fixed_ips[0]?.subnet_id, subnetId, `GET /v2.0/ports/${portId}: subnet of the router interface port`);
  }
}

/** Removes an interface explicitly (200, body naming the subnet). */
async function removeInterface(
  client: NetworkClient,
  routerId: string,
  target: { subnet_id: string } | { port_id: string },
  subnetId: string,
): Promise<void> {
  const { body } = await client.removeRouterInterface(routerId, target);
  expectEqual(body.subnet_id, subnetId, `PUT /v2.0/routers/${routerId}/remove_router_interface: subnet_id`);
}

// RoutersTest removes each router it makes with a bare test-level delete_router
// (a 404 fails too), each network and subnet with call_and_ignore_notfound_exc
// (test_add_remove_router_interface_with_port_id: its subnet bare), and each
// interface with a test-level removal: all asserted.

routersTests.test('test_create_show_list_update_delete_router', 'f64403e2-8483-4b34-8ccd-b09a87bcc68c', async (ctx) => {
  const client = await routerClient(ctx);
  const extId = await externalNetworkId(ctx, client);
  const name = ctx.name('router');
  const router = await createRouter(ctx, client, { name, admin_state_up: false, external_gateway_info: { network_id: extId } }, ASSERTED_STRICT);
  expectEqual(router.name, name, 'POST /v2.0/routers: name');
  expectEqual(router.admin_state_up, false, 'POST /v2.0/routers: admin_state_up');
  expectEqual(router.external_gateway_info?.network_id, extId, 'POST /v2.0/routers: external_gateway_info.network_id');
  const shown = (await client.showRouter(router.id)).body.router;
  expectEqual(shown.name, name, `GET /v2.0/routers/${router.id}: name`);
  expectEqual(shown.external_gateway_info?.network_id, extId, `GET /v2.0/routers/${router.id}: external_gateway_info.network_id`);
  const list = (await client.listRouters()).body.routers;
  expectThat(list.some((r) => r.id === router.id), `GET /v2.0/routers: created router ${router.id} is not listed`);
  const newName = ctx.name('router-renamed');
  const updated = (await client.updateRouter(router.id, { name: newName })).body.router;
  expectEqual(updated.name, newName, `PUT /v2.0/routers/${router.id}: name`);
  const again = (await client.showRouter(router.id)).body.router;
  expectEqual(again.name, newName, `GET /v2.0/routers/${router.id}: name after the update`);
});

routersTests.test('test_add_remove_router_interface_with_subnet_id', 'b42e6e39-2e37-49cc-a6f4-8467e940900a', async (ctx) => {
  const client = await routerClient(ctx);
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  const { subnet } = await createSubnet(ctx, client, network, undefined, undefined, ASSERTED);
  const router = await createRouter(ctx, client, { admin_state_up: false }, ASSERTED_STRICT);
  const iface = await addInterface(ctx, client, router.id, { subnet_id: subnet.id });
  await expectInterfacePort(client, router.id, iface.port_id);
  // Tempest's test-level cleanup of the interface, asserting the same.
  await removeInterface(client, router.id, { subnet_id: subnet.id }, subnet.id);
});

routersTests.test('test_add_remove_router_interface_with_port_id', '2b7d2f37-6748-4d78-92e5-1d590234f0d5', async (ctx) => {
  const client = await routerClient(ctx);
  const network = await createNetwork(ctx, client, {}, ASSERTED);
  const { subnet } = await createSubnet(ctx, client, network, undefined, undefined, ASSERTED_STRICT);
  const router = await createRouter(ctx, client, { admin_state_up: false }, ASSERTED_STRICT);
  // Tempest deletes this port only by removing the interface it becomes.
  const port = await createPort(ctx, client, network.id);
  const iface = await addInterface(ctx, client, router.id, { port_id: port.id }, ASSERTED);
  await expectInterfacePort(client, router.id, iface.port_id);
  await removeInterface(client, router.id, { port_id: port.id }, subnet.id);
});

routersTests.test('test_update_delete_extra_route', 'c86ac3a8-50bd-4b00-a6b8-62af84a0765c', async (ctx) => {
  const client = await routerClient(ctx);
  await requireExtensions(client, 'extraroute');
  const router = await createRouter(ctx, client, { admin_state_up: true }, ASSERTED_STRICT);
  const wanted: { destination: string; nexthop: string }[] = [];
  const subnetIds: string[] = [];
  let next = randomBlockIndex();
  for (let i = 0; i < 4; i++) {
    const network = await createNetwork(ctx, client, {}, ASSERTED);
    const made = await createSubnet(ctx, client, network, undefined, next, ASSERTED);
    next = made.index + 1;
    subnetIds.push(made.subnet.id);
    await addInterface(ctx, client, router.id, { subnet_id: made.subnet.id });
    // Next hops must lie on a subnet the router is attached to.
    wanted.push({ destination: `172.31.${240 + i}.0/24`, nexthop: made.block.at(2) });
  }
  // Routes must go before the interfaces their next hops depend on. Tempest's
  // test-level _delete_extra_routes is bare: any answer but 200 fails the test.
  ctx.defer(`clear routes of router ${router.id}`, () => client.updateRouter(router.id, { routes: null }), { asserted: true });
  const byDestination = (a: { destination: string }, b: { destination: string }) => a.destination.localeCompare(b.destination);
  wanted.sort(byDestination);
  const updated = (await client.updateRouter(router.id, { routes: wanted })).body.router;
  const shown = (await client.showRouter(router.id)).body.router;
  // Tempest reads `routes` of each answer: a router without it breaks the test.
  const routesOf = (r: Router, where: string) => {
    expectThat(Array.isArray(r.routes), `${where}: the router has no routes attribute`);
    return r.routes;
  };
  const pick = (r: Router, where: string) => routesOf(r, where).map((x) => ({ destination: x.destination, nexthop: x.nexthop })).sort(byDestination);
  expectEqual(pick(updated, `PUT /v2.0/routers/${router.id}`), wanted, `PUT /v2.0/routers/${router.id}: routes`);
  expectEqual(pick(shown, `GET /v2.0/routers/${router.id}`), wanted, `GET /v2.0/routers/${router.id}: routes`);
  await client.updateRouter(router.id, { routes: null });
  const cleared = (await client.showRouter(router.id)).body.router;
  expectEqual(routesOf(cleared, `GET /v2.0/routers/${router.id} after deleting the routes`), [], `GET /v2.0/routers/${router.id}: routes after deleting them`);
  // With the routes gone, every interface comes off again.
  for (const id of subnetIds.reverse()) await removeInterface(client, router.id, { subnet_id: id }, id);
});

routersTests.test('test_update_router_admin_state', 'a8902683-c788-4246-95c7-ad9c6d63a4d9', async (ctx) => {
  const client = await routerClient(ctx);
  const router = await createRouter(ctx, client, { admin_state_up: false }, ASSERTED_STRICT);
  expectEqual(router.admin_state_up, false, 'POST /v2.0/routers: admin_state_up');
  const updated = (await client.updateRouter(router.id, { admin_state_up: true })).body.router;
  expectEqual(updated.admin_state_up, true, `PUT /v2.0/routers/${router.id}: admin_state_up`);
  const shown = (await client.showRouter(router.id)).body.router;
  expectEqual(shown.admin_state_up, true, `GET /v2.0/routers/${router.id}: admin_state_up`);
});

routersTests.test('test_add_multiple_router_interfaces', '802c73c9-c937-4cef-824b-2191e24a6aab', async (ctx) => {
  const client = await routerClient(ctx);
  const net1 = await createNetwork(ctx, client, {}, ASSERTED);
  const net2 = await createNetwork(ctx, client, {}, ASSERTED);
  const first = await createSubnet(ctx, client, net1, undefined, undefined, ASSERTED);
  const second = await createSubnet(ctx, client, net2, undefined, first.index + 1, ASSERTED);
  const router = await createRouter(ctx, client, { admin_state_up: false }, ASSERTED_STRICT);
  for (const { subnet } of [first, second]) {
    const iface = await addInterface(ctx, client, router.id, { subnet_id: subnet.id });
    expectEqual(iface.subnet_id, subnet.id, `PUT /v2.0/routers/${router.id}/add_router_interface: subnet_id`);
    await expectInterfacePort(client, router.id, iface.port_id, subnet.id);
  }
  // Tempest's test-level cleanups of the interfaces, asserting the same.
  for (const { subnet } of [second, first]) await removeInterface(client, router.id, { subnet_id: subnet.id }, subnet.id);
});

// RoutersAdminTest._create_router removes its router in a test-level cleanup
// wrapped in call_and_ignore_notfound_exc: asserted, a 404 ignored.

routersTests.test('test_update_router_unset_gateway', 'ad81b7ee-4f81-407b-a19c-17e623f763e8', async (ctx) => {
  const client = await routerClient(ctx);
  const admin = new NetworkClient(ctx.account('admin'));
  const extId = await externalNetworkId(ctx, client);
  const router = await createRouter(ctx, client, { admin_state_up: false, external_gateway_info: { network_id: extId } }, ASSERTED);
  await client.updateRouter(router.id, { external_gateway_info: {} });
  const shown = (await client.showRouter(router.id)).body.router;
  expectEqual(shown.external_gateway_info, null, `GET /v2.0/routers/${router.id}: external_gateway_info after unsetting the gateway`);
  const ports = (await admin.listPorts({ network_id: extId, device_id: router.id })).body.ports;
  expectEqual(ports.map((p) => p.id), [], `GET /v2.0/ports?network_id=${extId}&device_id=${router.id} (admin): gateway ports left`);
});

// --- guideline 2018.02 (Tempest 16: RoutersTest, admin) ---------------------------

routersTests.test('test_update_router_reset_gateway_without_snat', 'f2faf994-97f4-410b-a831-9bc977b64374', async (ctx) => {
  const client = await routerClient(ctx);
  const admin = new NetworkClient(ctx.account('admin'));
  await requireExtensions(client, 'ext-gw-mode');
  const extId = await externalNetworkId(ctx, client);
  const router = await createRouter(ctx, client, { external_gateway_info: { network_id: extId } }, ASSERTED);
  // enable_snat is settable by admins only (Neutron's default policy)
  await admin.updateRouter(router.id, { external_gateway_info: { network_id: extId, enable_snat: false } });
  const shown = (await admin.showRouter(router.id)).body.router;
  const gw = (shown.external_gateway_info ?? {}) as Record<string, unknown>;
  expectEqual(gw['network_id'], extId, `GET /v2.0/routers/${router.id} (admin): external_gateway_info.network_id`);
  expectEqual(gw['enable_snat'], false, `GET /v2.0/routers/${router.id} (admin): external_gateway_info.enable_snat`);
  const ports = (await admin.listPorts({ network_id: extId, device_id: router.id })).body.ports;
  expectEqual(ports.length, 1, `GET /v2.0/ports?network_id=${extId}&device_id=${router.id} (admin): gateway ports`);
  const fixedIps = ports[0]!.fixed_ips ?? [];
  expectThat(fixedIps.length >= 1, `gateway port ${ports[0]!.id} has no fixed IP`);
  const net = (await admin.showNetwork(extId)).body.network;
  for (const ip of fixedIps) {
    expectThat(net.subnets.includes(ip.subnet_id), `gateway port ${ports[0]!.id}: fixed IP on subnet ${ip.subnet_id}, not one of the external network's (${net.subnets.join(', ')})`);
  }
});
