/**
 * Native checks for tempest.api.network.test_routers_negative.RoutersNegativeTest
 * (guideline capabilities networks-l3-router and networks-l3-CRUD, marked admin):
 * a gateway on something that is no network (404) or no external network (400),
 * a second interface on an overlapping subnet (400), deleting a router that
 * still has an interface (409), and show/update/delete of a router that does
 * not exist (404).
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual } from '../../src/check/expect.js';
import type { NetworkClient, Router } from '../../src/services/network.js';
import { anyReply, expectErrorStatus, seeReply } from '../../src/services/protocol.js';
import { addInterface, ASSERTED_STRICT, createNetwork, createRouter, createSubnet, primaryWith } from './steps.js';

const routersNegative = tempestClass('tempest.api.network.test_routers_negative.RoutersNegativeTest', { accounts: ['admin'] });

/** The primary client and a router, skipping without the router extension. */
async function withRouter(ctx: CheckContext): Promise<{ client: NetworkClient; router: Router }> {
  const client = await primaryWith(ctx, 'router');
  const router = await createRouter(ctx, client, { admin_state_up: false });
  return { client, router };
}

/** An id no router has: a name, not even a uuid, as Tempest uses. */
function missingRouterId(): string {
  return `non-existent-router-${randomBytes(4).toString('hex')}`;
}

routersNegative.test('test_router_add_gateway_invalid_network_returns_404', '37a94fc0-a834-45b9-bd23-9a81d2fd1e22', async (ctx) => {
  const { client, router } = await withRouter(ctx);
  // The router's own id names no network.
  await expectErrorStatus(404, () => client.updateRouter(router.id, { external_gateway_info: { network_id: router.id } }));
});

routersNegative.test('test_router_add_gateway_net_not_external_returns_400', '11836a18-0b15-4327-a50b-f0d9dc66bddd', async (ctx) => {
  const client = await primaryWith(ctx, 'router');
  // The network comes first so that, should the gateway be wrongly accepted, the
  // router (and its gateway port) is removed before the network.
  const network = await createNetwork(ctx, client);
  await createSubnet(ctx, client, network);
  const router = await createRouter(ctx, client, { admin_state_up: false });
  await expectErrorStatus(400, () => client.updateRouter(router.id, { external_gateway_info: { network_id: network.id } }));
});

routersNegative.test('test_add_router_interfaces_on_overlapping_subnets_returns_400', '957751a3-3c68-4fa2-93b6-eb52ea10db6e', async (ctx) => {
  const { client, router } = await withRouter(ctx);
  const net1 = await createNetwork(ctx, client);
  const net2 = await createNetwork(ctx, client);
  const first = await createSubnet(ctx, client, net1);
  // Same CIDR on the other network (overlapping IPs across networks are the default).
  const second = await createSubnet(ctx, client, net2, (b) => ({ cidr: b.cidr, ip_version: 4, gateway_ip: b.at(1) }), first.index);
  expectEqual(second.subnet.cidr, first.subnet.cidr, `POST /v2.0/subnets: CIDR of the second subnet (the cloud refused an overlapping subnet on another network)`);
  // Tempest removes this interface in a bare test-level cleanup: asserted, a 404 too.
  const iface = await addInterface(ctx, client, router.id, { subnet_id: first.subnet.id }, ASSERTED_STRICT);
  expectEqual(iface.subnet_id, first.subnet.id, `PUT /v2.0/routers/${router.id}/add_router_interface: subnet_id`);
  const attempt = () => seeReply(client.addRouterInterface(router.id, { subnet_id: second.subnet.id }), (res) => {
    if (res.status < 200 || res.status >= 300) return;
    // Should not have worked; undo it so the cleanup can proceed.
    ctx.defer(`remove interface on ${second.subnet.id}`, () => anyReply(() => client.removeRouterInterface(router.id, { subnet_id: second.subnet.id })));
  });
  await expectErrorStatus(400, attempt);
});

routersNegative.test('test_router_remove_interface_in_use_returns_409', '04df80f9-224d-47f5-837a-bf23e33d1c20', async (ctx) => {
  const { client, router } = await withRouter(ctx);
  const network = await createNetwork(ctx, client);
  const { subnet } = await createSubnet(ctx, client, network);
  // Tempest removes this interface in a bare test-level cleanup: asserted, a 404 too.
  await addInterface(ctx, client, router.id, { subnet_id: subnet.id }, ASSERTED_STRICT);
  await expectErrorStatus(409, () => client.deleteRouter(router.id));
});

routersNegative.test('test_show_non_existent_router_returns_404', 'c2a70d72-8826-43a7-8208-0209e6360c47', async (ctx) => {
  const client = await primaryWith(ctx, 'router');
  await expectErrorStatus(404, () => client.showRouter(missingRouterId()));
});

routersNegative.test('test_update_non_existent_router_returns_404', 'b23d1569-8b0c-4169-8d4b-6abd34fad5c7', async (ctx) => {
  const client = await primaryWith(ctx, 'router');
  await expectErrorStatus(404, () => client.updateRouter(missingRouterId(), { name: ctx.name('router') }));
});

routersNegative.test('test_delete_non_existent_router_returns_404', 'c7edc5ad-d09d-41e6-a344-5c0c31e2e3e4', async (ctx) => {
  const client = await primaryWith(ctx, 'router');
  await expectErrorStatus(404, () => client.deleteRouter(missingRouterId()));
});
