/**
 * Native checks for tempest.api.compute.test_authorization.AuthorizationTestJSON
 * that the guidelines 2015.03 … 2016.01 require: another project's user (the alt
 * account) can neither read the primary's keypair nor read or set metadata of
 * its server, nor boot from its private image, nor act at the primary's
 * compute URL with its own token.
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectRefused } from '../../src/check/expect.js';
import { ComputeClient, computeBase } from '../../src/services/compute.js';
import { ImageClient } from '../../src/services/image.js';
import { anyReply, statusOnly } from '../../src/services/protocol.js';
import { settle } from '../volume/steps.js';
import { computeRefs, createServerExpectingRefusal, deleteServerAndWait, nova, SERVER_CHECK_TIMEOUT_MS, sharedActiveServer } from './steps.js';
import { expectRefusal } from '../../src/check/expect-refusal.js';

const authorization = tempestClass('tempest.api.compute.test_authorization.AuthorizationTestJSON', { accounts: ['alt'] });

const altNova = (ctx: CheckContext) => new ComputeClient(ctx.account('alt'));

/** A private image of the primary account holding 1 KiB (Tempest's class image), deleted when the check ends. */
async function privateImage(ctx: CheckContext): Promise<string> {
  const glance = new ImageClient(ctx.account('primary'));
  // The client asserts the 201 (and the upload's 204); the schema was never judged here.
  const created = await statusOnly(() => glance.createImage({ name: ctx.name('image'), container_format: 'bare', disk_format: 'raw', visibility: 'private' }));
  const id = created.body.id;
  ctx.defer(`delete image ${id}`, async () => {
    const del = await anyReply(() => glance.deleteImage(id));
    if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE /v2/images/${id}: status ${del.status}`);
  });
  await glance.uploadImageFile(id, Buffer.alloc(1024, '*'));
  return id;
}

authorization.test('test_get_keypair_of_alt_account_fails', '85bcdd8f-56b4-4868-ae56-63fbf6f7e405', async (ctx) => {
  const compute = nova(ctx);
  const name = ctx.name('keypair');
  // The client asserts the 200 once the deletion is registered; the schema was never judged here.
  const { reply: res, failure } = await settle(() => statusOnly(() => compute.createKeypair({ name })));
  if (res.status === 200 || res.status === 201) {
    ctx.defer(`delete keypair ${name}`, async () => {
      const del = await anyReply(() => compute.deleteKeypair(name));
      if (del.status !== 202 && del.status !== 204 && del.status !== 404) throw new Error(`DELETE /os-keypairs/${name}: status ${del.status}`);
    });
  }
  if (failure) throw failure;
  await expectRefusal(404, "reading the primary account's keypair as the alt account", () => altNova(ctx).showKeypair(name));
});

authorization.test('test_get_metadata_of_alt_account_server_fails', 'dea1936a-473d-49f2-92ad-97bb7aded22e', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  const compute = nova(ctx);
  const key = `${ctx.prefix}meta1`;
  // The client asserts the 200 once the removal is registered; the schema was never judged here.
  const { reply: set, failure } = await settle(() => statusOnly(() => compute.setServerMetadataItem(server.id, key, { [key]: 'data1' })));
  if (set.status === 200) ctx.defer(`delete metadata ${key}`, () => anyReply(() => compute.deleteServerMetadataItem(server.id, key)));
  if (failure) throw failure;
  await expectRefusal(404, "reading a metadata item of the primary account's server as the alt account", () => altNova(ctx).showServerMetadataItem(server.id, key));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

authorization.test('test_set_metadata_of_alt_account_server_fails', 'c5f52351-53d9-4fc9-83e5-917f7f5e3d71', async (ctx) => {
  const server = await sharedActiveServer(ctx);
  await expectRefusal(404, "setting metadata of the primary account's server as the alt account", () => altNova(ctx).setServerMetadata(server.id, { meta1: 'data1', meta2: 'data2' }));
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

authorization.test('test_create_server_with_unauthorized_image', '95d445f6-babc-4f2e-aea3-aa24ec5e7f0d', async (ctx) => {
  const imageId = await privateImage(ctx);
  const { flavorRef, network } = await computeRefs(ctx);
  const body = { name: ctx.name('server'), imageRef: imageId, flavorRef, ...(network ? { networks: [{ uuid: network.id }] } : {}) };
  await createServerExpectingRefusal(ctx, altNova(ctx), body, 400, "booting from the primary account's private image as the alt account");
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

/** The primary account's compute API URL, to which the alt account's token is sent (Tempest's set_alt_auth_data on the URL). */
async function primaryComputeApi(ctx: CheckContext): Promise<string> {
  return computeBase(await ctx.account('primary').endpoint('compute')).api;
}

authorization.test('test_create_keypair_in_analt_user_tenant', 'f03d1ded-7fd4-4d29-bc13-e2391f29c625', async (ctx) => {
  const primaryApi = await primaryComputeApi(ctx);
  const altApi = computeBase(await ctx.account('alt').endpoint('compute')).api;
  // Tempest skips the test when the URLs carry no project id: there is no other project's URL to aim at
  if (primaryApi === altApi) throw new CheckSkip("Service urls don't include project_id (Tempest skips this test then)");
  const name = ctx.name('keypair');
  const alt = ctx.account('alt');
  const res = await alt.request({ method: 'POST', url: `${primaryApi}/os-keypairs`, body: { keypair: { name } } });
  if (res.status >= 200 && res.status < 300) {
    ctx.defer(`delete keypair ${name}`, () => anyReply(() => altNova(ctx).deleteKeypair(name)));
  }
  expectRefused(res, 400, "creating a keypair at the primary project's compute URL with the alt account's token");
});

authorization.test('test_create_server_fails_when_tenant_incorrect', 'acf8724b-142b-4044-82c3-78d31a533f24', async (ctx) => {
  const imageId = await privateImage(ctx);
  const { flavorRef, network } = await computeRefs(ctx);
  const body = { server: { name: ctx.name('server'), imageRef: imageId, flavorRef, ...(network ? { networks: [{ uuid: network.id }] } : {}) } };
  const res = await ctx.account('alt').request<{ server?: { id?: string } }>({ method: 'POST', url: `${await primaryComputeApi(ctx)}/servers`, body });
  const id = res.body?.server?.id;
  if (res.status >= 200 && res.status < 300 && typeof id === 'string') {
    ctx.defer(`delete server ${id}`, () => deleteServerAndWait(altNova(ctx), id));
  }
  expectRefused({ ...res, method: 'POST' }, 400, "creating a server at the primary project's compute URL with the alt account's token");
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });
