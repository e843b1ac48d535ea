/**
 * Native checks for server deletion (DeleteServersTestJSON), instance actions
 * (InstanceActionsTestJSON) and multiple create (MultipleCreateTestJSON).
 */
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { UnexpectedStatus, anyReply } from '../../src/services/protocol.js';
import { settle } from '../volume/steps.js';
import {
  computeRefs, createServer, deleteServerAndWait, expectNoBody, listServers, nova, serverBody,
  SERVER_CHECK_TIMEOUT_MS, waitForServerStatus, waitForServerTermination,
} from './steps.js';

const deleteServers = tempestClass('tempest.api.compute.servers.test_delete_server.DeleteServersTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });
const multipleCreate = tempestClass('tempest.api.compute.servers.test_multiple_create.MultipleCreateTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

deleteServers.test('test_delete_active_server', '925fdfb4-5b13-47ea-ac8a-c36ae6fddb05', async (ctx) => {
  const compute = nova(ctx);
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  expectNoBody(await compute.deleteServer(created.id));
  await waitForServerTermination(ctx.signal, compute, created.id);
});

const instanceActionsTests = tempestClass('tempest.api.compute.servers.test_instance_actions.InstanceActionsTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

instanceActionsTests.test('test_list_instance_actions', '77ca5cc5-9990-45e0-ab98-1de8fead201a', async (ctx) => {
  const compute = nova(ctx);
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  expectNoBody(await compute.rebootServer(created.id, 'HARD'));
  await waitForServerStatus(ctx.signal, compute, created.id, 'ACTIVE');
  const res = await compute.listInstanceActions(created.id);
  const actions = res.body.instanceActions;
  expectEqual(actions.map((a) => a.action).sort(), ['create', 'reboot'], `${res.method} ${res.url}: actions of server ${created.id}`);
});

instanceActionsTests.test('test_get_instance_action', 'aacc71ca-1d70-4aa5-bbf6-0ff71470e43c', async (ctx) => {
  const compute = nova(ctx);
  const { created, res: createRes } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  const requestId = createRes.headers['x-compute-request-id'] ?? createRes.headers['x-openstack-request-id'];
  expectThat(requestId, `${createRes.method} ${createRes.url}: no x-compute-request-id header`);
  const res = await compute.showInstanceAction(created.id, requestId);
  const action = res.body.instanceAction;
  expectEqual(action.instance_uuid, created.id, `${res.method} ${res.url}: instance_uuid`);
  expectEqual(action.action, 'create', `${res.method} ${res.url}: action`);
});

multipleCreate.test('test_multiple_create', '61e03386-89c3-449c-9bb1-a06f423fd9d1', async (ctx) => {
  const compute = nova(ctx);
  const body = serverBody(ctx, await computeRefs(ctx), { attrs: { min_count: 2 } });
  const name = body['name'] as string;
  // The client's verdict comes after the cleanups are registered, the status first.
  const { reply: res, failure } = await settle(() => compute.createServer(body));
  // Whatever was created carries the name; remove all of it when the check ends.
  ctx.defer(`delete servers named ${name}*`, async () => {
    const list = await anyReply(() => compute.listServers(false, { name: `^${name}` }));
    for (const s of list.body?.servers ?? []) if (s.name.startsWith(name)) await deleteServerAndWait(compute, s.id);
  });
  // Tempest deletes each of the servers in a test-level cleanup (DELETE, 204
  // asserted, no wait): runs first, and a refused deletion fails the test.
  const asserted: string[] = [];
  ctx.defer(`delete the servers named ${name}*`, async () => {
    for (const id of asserted) expectNoBody(await compute.deleteServer(id));
  }, { asserted: true });
  if (failure instanceof UnexpectedStatus) throw failure;
  expectThat(!('reservation_id' in (res.body as object)), `${res.method} ${res.url}: reservation_id returned although not asked for`);
  // The create schema, judged after the reservation_id as before.
  if (failure) throw failure;
  const servers = (await listServers(compute, false)).filter((s) => s.name.startsWith(name));
  asserted.push(...servers.map((s) => s.id));
  expectEqual(servers.length, 2, `GET /servers: servers named ${name}*`);
  for (const s of servers) await waitForServerStatus(ctx.signal, compute, s.id, 'ACTIVE');
});
