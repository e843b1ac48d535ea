/**
 * Native checks for tempest.api.compute.servers.test_servers_negative.ServersNegativeTestJSON:
 * invalid creations (400, or 413/403 over a limit), operations on servers that
 * do not exist (404), and refused updates and resizes of a live server (400).
 * The live server and the deleted server are shared by the run, as Tempest's
 * class shares them.
 */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { ComputeClient } from '../../src/services/compute.js';
import { computeRefs, createServerExpectingRefusal, deletedServerId, nova, serverBody, SERVER_CHECK_TIMEOUT_MS, sharedActiveServer } from './steps.js';
import { expectRefusal } from '../../src/check/expect-refusal.js';

const serversNegative = tempestClass('tempest.api.compute.servers.test_servers_negative.ServersNegativeTestJSON');

/** A creation request like Tempest's create_test_server, with `change` applied, must be refused. */
async function refusedCreation(ctx: CheckContext, change: Record<string, unknown>, status: number | number[], what: string): Promise<void> {
  const compute = nova(ctx);
  const body = { ...serverBody(ctx, await computeRefs(ctx)), ...change };
  await createServerExpectingRefusal(ctx, compute, body, status, what);
}

const creations: [string, string, Record<string, unknown>, number | number[], string][] = [
  ['fd57f159-68d6-4c2a-902b-03070828a87e', 'test_create_numeric_server_name', { name: 12345 }, 400, 'a numeric server name'],
  // Tempest accepts BadRequest or OverLimit (413).
  ['7fc74810-0bd2-4cd7-8244-4f33a9db865a', 'test_create_server_metadata_exceeds_length_limit', { metadata: { a: 'b'.repeat(260) } }, [400, 413], 'a 260-character metadata value'],
  ['c3e0fb12-07fc-4d76-a22e-37409887afe8', 'test_create_server_name_length_exceeds_256', { name: 'a'.repeat(256) }, 400, 'a 256-character server name'],
  ['18f5227f-d155-4429-807c-ccb103887537', 'test_create_with_invalid_flavor', { flavorRef: -1 }, 400, 'flavorRef -1'],
  ['fcba1052-0a50-4cf3-b1ac-fae241edf02f', 'test_create_with_invalid_image', { imageRef: -1 }, 400, 'imageRef -1'],
  ['4e72dc2d-44c5-4336-9667-f7972e95c402', 'test_create_with_invalid_network_uuid', { networks: [{ fixed_ip: '10.0.1.1', uuid: 'a-b-c-d-e-f-g-h-i-j' }] }, 400, 'a malformed network uuid'],
  ['5226dd80-1e9c-4d8a-b5f9-b26ca4763fd0', 'test_invalid_ip_v6_address', { accessIPv6: 'notvalid' }, 400, 'accessIPv6 "notvalid"'],
  ['dbbfd247-c40c-449e-8f6c-d2aa7c7da7cf', 'test_server_name_blank', { name: '' }, 400, 'an empty server name'],
];

for (const [id, name, change, status, what] of creations) {
  serversNegative.test(name, id, async (ctx) => {
    await refusedCreation(ctx, change, status, `creating a server with ${what}`);
  }, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });
}

serversNegative.test('test_delete_server_pass_id_exceeding_length_limit', 'f4d7279b-5fd2-4bf2-9ba4-ae35df0d18c5', async (ctx) => {
  // sys.maxsize + 1 on 64-bit Python
  await expectRefusal(404, 'deleting server 9223372036854775808', () => nova(ctx).deleteServer('9223372036854775808'));
});

serversNegative.test('test_delete_server_pass_negative_id', '75f79124-277c-45e6-a373-a1d6803f4cc4', async (ctx) => {
  await expectRefusal(404, 'deleting server -1', () => nova(ctx).deleteServer('-1'));
});

serversNegative.test('test_get_non_existent_server', '3436b02f-1b1e-4f03-881e-c6a602327439', async (ctx) => {
  const id = randomUUID();
  await expectRefusal(404, `showing non-existent server ${id}`, () => nova(ctx).showServer(id));
});

serversNegative.test('test_reboot_non_existent_server', 'd4c023a0-9c55-4747-9dd5-413b820143c7', async (ctx) => {
  const id = randomUUID();
  await expectRefusal(404, `rebooting non-existent server ${id}`, () => nova(ctx).rebootServer(id, 'SOFT'));
});

serversNegative.test('test_rebuild_deleted_server', '98fa0458-1485-440f-873b-fe7f0d714930', async (ctx) => {
  const refs = await computeRefs(ctx);
  const id = await deletedServerId(ctx);
  await expectRefusal(404, `rebuilding deleted server ${id}`, () => nova(ctx).rebuildServer(id, refs.imageRef));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversNegative.test('test_rebuild_non_existent_server', 'd86141a7-906e-4731-b187-d64a2ea61422', async (ctx) => {
  const refs = await computeRefs(ctx);
  const id = randomUUID();
  await expectRefusal(404, `rebuilding non-existent server ${id}`, () => nova(ctx).rebuildServer(id, refs.imageRef));
});

serversNegative.test('test_resize_server_with_non_existent_flavor', 'ced1a1d7-2ab6-45c9-b90f-b27d87b30efd', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  const flavor = randomUUID();
  await expectRefusal(400, `resizing server ${server.id} to non-existent flavor ${flavor}`, () => nova(ctx).resizeServer(server.id, flavor));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversNegative.test('test_resize_server_with_null_flavor', '45436a7d-a388-4a35-a9d8-3adc5d0d940b', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  await expectRefusal(400, `resizing server ${server.id} to flavor ""`, () => nova(ctx).resizeServer(server.id, ''));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversNegative.test('test_stop_non_existent_server', 'a31460a9-49e1-42aa-82ee-06e0bb7c2d03', async (ctx) => {
  const id = randomUUID();
  await expectRefusal(404, `stopping non-existent server ${id}`, () => nova(ctx).stopServer(id));
});

serversNegative.test('test_update_name_of_non_existent_server', 'aa8eed43-e2cb-4ebf-930b-da14f6a21d81', async (ctx) => {
  const id = randomUUID();
  await expectRefusal(404, `renaming non-existent server ${id}`, () => nova(ctx).updateServer(id, { name: `${ctx.name('server')}_updated` }));
});

serversNegative.test('test_update_server_name_length_exceeds_256', '5c8e244c-dada-4590-9944-749c455b431f', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  await expectRefusal(400, `renaming server ${server.id} to 256 characters`, () => nova(ctx).updateServer(server.id, { name: 'a'.repeat(256) }));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversNegative.test('test_update_server_set_empty_name', '38204696-17c6-44da-9590-40f87fb5a899', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  await expectRefusal(400, `renaming server ${server.id} to ""`, () => nova(ctx).updateServer(server.id, { name: '' }));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

/**
 * Guidelines 2015.03–2015.05 name this Tempest 4 test without an id; its id
 * (98fa0458) now belongs to test_rebuild_deleted_server, which dropped the reboot.
 */
serversNegative.named('test_rebuild_reboot_deleted_server', async (ctx) => {
  const refs = await computeRefs(ctx);
  const id = await deletedServerId(ctx);
  const compute = nova(ctx);
  await expectRefusal(404, `rebuilding deleted server ${id}`, () => compute.rebuildServer(id, refs.imageRefAlt));
  await expectRefusal(404, `rebooting deleted server ${id}`, () => compute.rebootServer(id, 'SOFT'));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

/** Guidelines 2015.03 … 2016.01: the alt account may neither rename nor delete the primary's server. */
serversNegative.test('test_update_server_of_another_tenant', '543d84c1-dd2e-4c6d-8cb2-b9da0efaa384', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  await expectRefusal(404, "renaming the primary account's server as the alt account", () => new ComputeClient(ctx.account('alt')).updateServer(server.id, { name: `${server.id}_new` }));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS, accounts: ['alt'] });

serversNegative.test('test_delete_a_server_of_another_tenant', '5c75009d-3eea-423e-bea3-61b09fd25f9c', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  await expectRefusal(404, "deleting the primary account's server as the alt account", () => new ComputeClient(ctx.account('alt')).deleteServer(server.id));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS, accounts: ['alt'] });
