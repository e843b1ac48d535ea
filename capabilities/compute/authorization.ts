/**
 * Native checks for tempest.api.compute.test_authorization.AuthorizationTestJSON
 * that the guidelines 2015.03 … 2016.01 require: another project's user (the alt
 * account) can neither read the primary's keypair nor read or set metadata of
 * its server, nor boot from its private image. (The two tests that rewrite the
 * service URL to impersonate another project have no check yet.)
 */
import { registerCheck, type CheckContext } from '../../src/check/api.js';
import { expectStatus } from '../../src/check/expect.js';
import { ComputeClient } from '../../src/services/compute.js';
import { ImageClient } from '../../src/services/image.js';
import { computeRefs, createServerExpectingRefusal, expectRefused, nova, SERVER_CHECK_TIMEOUT_MS, sharedActiveServer } from './_steps.js';

const CLASS = 'tempest.api.compute.test_authorization.AuthorizationTestJSON';

const altNova = (ctx: CheckContext) => new ComputeClient(ctx.account('alt'));

registerCheck({
  id: '85bcdd8f-56b4-4868-ae56-63fbf6f7e405',
  test: `${CLASS}.test_get_keypair_of_alt_account_fails`,
  accounts: ['alt'],
  async run(ctx) {
    const compute = nova(ctx);
    const name = ctx.name('keypair');
    const res = await compute.createKeypair({ name });
    if (res.status === 200 || res.status === 201) {
      ctx.defer(`delete keypair ${name}`, async () => {
        const del = await compute.deleteKeypair(name);
        if (del.status !== 202 && del.status !== 204 && del.status !== 404) throw new Error(`DELETE /os-keypairs/${name}: status ${del.status}`);
      });
    }
    expectStatus(res, 200);
    expectRefused(await altNova(ctx).showKeypair(name), 404, "reading the primary account's keypair as the alt account");
  },
});

registerCheck({
  id: 'dea1936a-473d-49f2-92ad-97bb7aded22e',
  test: `${CLASS}.test_get_metadata_of_alt_account_server_fails`,
  accounts: ['alt'],
  timeoutMs: SERVER_CHECK_TIMEOUT_MS,
  async run(ctx) {
    const server = await sharedActiveServer(ctx);
    const compute = nova(ctx);
    const key = `${ctx.prefix}meta1`;
    const set = await compute.setServerMetadataItem(server.id, key, { [key]: 'data1' });
    if (set.status === 200) ctx.defer(`delete metadata ${key}`, () => compute.deleteServerMetadataItem(server.id, key));
    expectStatus(set, 200);
    expectRefused(await altNova(ctx).showServerMetadataItem(server.id, key), 404, "reading a metadata item of the primary account's server as the alt account");
  },
});

registerCheck({
  id: 'c5f52351-53d9-4fc9-83e5-917f7f5e3d71',
  test: `${CLASS}.test_set_metadata_of_alt_account_server_fails`,
  accounts: ['alt'],
  timeoutMs: SERVER_CHECK_TIMEOUT_MS,
  async run(ctx) {
    const server = await sharedActiveServer(ctx);
    const res = await altNova(ctx).setServerMetadata(server.id, { meta1: 'data1', meta2: 'data2' });
    expectRefused(res, 404, "setting metadata of the primary account's server as the alt account");
  },
});

registerCheck({
  id: '95d445f6-babc-4f2e-aea3-aa24ec5e7f0d',
  test: `${CLASS}.test_create_server_with_unauthorized_image`,
  accounts: ['alt'],
  timeoutMs: SERVER_CHECK_TIMEOUT_MS,
  async run(ctx) {
    const glance = new ImageClient(ctx.account('primary'));
    const created = await glance.createImage({ name: ctx.name('image'), container_format: 'bare', disk_format: 'raw', visibility: 'private' });
    if (created.status === 201) {
      const id = created.body.id;
      ctx.defer(`delete image ${id}`, async () => {
        const del = await glance.deleteImage(id);
        if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE /v2/images/${id}: status ${del.status}`);
      });
    }
    expectStatus(created, 201);
    expectStatus(await glance.uploadImageFile(created.body.id, Buffer.alloc(1024, '*')), 204);
    const { flavorRef, network } = await computeRefs(ctx);
    const body = { name: ctx.name('server'), imageRef: created.body.id, flavorRef, ...(network ? { networks: [{ uuid: network.id }] } : {}) };
    await createServerExpectingRefusal(ctx, altNova(ctx), body, 400, "booting from the primary account's private image as the alt account");
  },
});
