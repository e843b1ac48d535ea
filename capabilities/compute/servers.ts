/**
 * Native checks for tempest.api.compute.servers.test_servers.ServersTestJSON:
 * admin password on create, keypair on create, duplicate names, renaming
 * (ACTIVE and SHUTOFF, non-ASCII) and access addresses.
 */
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { anyReply } from '../../src/services/protocol.js';
import { settle } from '../volume/steps.js';
import { computeRefs, createServer, expectNoBody, nova, SERVER_CHECK_TIMEOUT_MS, showServer, waitForServerStatus } from './steps.js';

const serversTests = tempestClass('tempest.api.compute.servers.test_servers.ServersTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversTests.test('test_create_server_with_admin_password', 'b92d5ec7-b1dd-44a2-87e4-45e888c46ef0', async (ctx) => {
  const compute = nova(ctx);
  const { created, res } = await createServer(ctx, compute, await computeRefs(ctx), { attrs: { adminPass: 'testpassword' } });
  expectEqual(created.adminPass, 'testpassword', `${res.method} ${res.url}: adminPass in the response`);
});

serversTests.test('test_create_with_existing_server_name', '8fea6be7-065e-47cf-89b8-496e6f96c699', async (ctx) => {
  const compute = nova(ctx);
  const refs = await computeRefs(ctx);
  const name = ctx.name('server');
  const [a, b] = await Promise.all([
    createServer(ctx, compute, refs, { attrs: { name }, waitUntil: 'ACTIVE' }),
    createServer(ctx, compute, refs, { attrs: { name }, waitUntil: 'ACTIVE' }),
  ]);
  expectThat(a.created.id !== b.created.id, `POST /servers: two creations named ${name} gave the same server ${a.created.id}`);
  const s1 = await showServer(compute, a.created.id);
  const s2 = await showServer(compute, b.created.id);
  expectEqual(s2.name, s1.name, `names of servers ${s1.id} and ${s2.id}`);
});

serversTests.test('test_create_specify_keypair', 'f9e15296-d7f9-4e62-b53f-a04e89160833', async (ctx) => {
  const compute = nova(ctx);
  const keyName = ctx.name('key');
  const { reply: kp, failure } = await settle(() => compute.createKeypair({ name: keyName }));
  if (kp.status >= 200 && kp.status < 300) {
    ctx.defer(`delete keypair ${keyName}`, async () => {
      const del = await anyReply(() => compute.deleteKeypair(keyName));
      if (del.status !== 202 && del.status !== 404) throw new Error(`DELETE keypair ${keyName}: status ${del.status}`);
    });
  }
  // The client's verdict on the 200 and the schema, once the deletion is registered.
  if (failure) throw failure;
  await compute.listKeypairs();
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { attrs: { key_name: keyName }, waitUntil: 'ACTIVE' });
  const server = await showServer(compute, created.id);
  expectEqual(server.key_name, keyName, `GET /servers/${server.id}: key_name`);
});

serversTests.test('test_update_server_name', '5e6ccff8-349d-4852-a8b3-055df7988dd2', async (ctx) => {
  const compute = nova(ctx);
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  const rename = async (status: string) => {
    const newName = ctx.name('\u00CD\u00F1st\u00E1\u00F1c\u00E9');
    await compute.updateServer(created.id, { name: newName });
    await waitForServerStatus(ctx.signal, compute, created.id, status);
    const server = await showServer(compute, created.id);
    expectEqual(server.name, newName, `GET /servers/${created.id}: name after the update`);
    return server;
  };
  await rename('ACTIVE');
  expectNoBody(await compute.stopServer(created.id));
  await waitForServerStatus(ctx.signal, compute, created.id, 'SHUTOFF');
  const updated = await rename('SHUTOFF');
  expectThat(!('progress' in updated), `GET /servers/${created.id}: a stopped server should not report progress`);
});

serversTests.test('test_update_access_server_address', '89b90870-bc13-4b73-96af-f9d4f2b70077', async (ctx) => {
  const compute = nova(ctx);
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  await compute.updateServer(created.id, { accessIPv4: '1.1.1.1', accessIPv6: '::babe:202:202' });
  await waitForServerStatus(ctx.signal, compute, created.id, 'ACTIVE');
  const server = await showServer(compute, created.id);
  expectEqual(server.accessIPv4, '1.1.1.1', `GET /servers/${created.id}: accessIPv4`);
  expectEqual(server.accessIPv6, '::babe:202:202', `GET /servers/${created.id}: accessIPv6`);
});
