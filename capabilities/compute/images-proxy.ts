/**
 * Native checks for the compute image tests the guidelines 2015.03 … 2016.01
 * require: tempest.api.compute.images.test_list_images.ListImagesTestJSON,
 * test_list_image_filters.ListImageFiltersTestJSON and
 * test_images.ImagesTestJSON.test_delete_saving_image. They go through Nova's
 * image proxy (/images), which Nova removed at microversion 2.36; these checks
 * send no microversion (2.1), as the Tempest of those guidelines did.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectThat, fail } from '../../src/check/expect.js';
import type { CloudClient } from '../../src/cloud/types.js';
import { ComputeClient, type ComputeImage } from '../../src/services/compute.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import { ImageClient } from '../../src/services/image.js';
import { anyReply, statusOnly } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';
import { settle } from '../volume/steps.js';
import {
  BUILD_TIMEOUT_MS, computeRefs, createServer, createServerUnmanaged, deleteServerAndWait, expectMatches, expectNoBody, nova, polling,
  SERVER_CHECK_TIMEOUT_MS, waitForServerStatus,
} from './steps.js';

const listImagesTests = tempestClass('tempest.api.compute.images.test_list_images.ListImagesTestJSON');
const listImageFilters = tempestClass('tempest.api.compute.images.test_list_image_filters.ListImageFiltersTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS * 2 });
const imagesTests = tempestClass('tempest.api.compute.images.test_images.ImagesTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

/** GET /images[/detail] through Nova (200 + Tempest's list schema). */
async function listImages(compute: ComputeClient, detail: boolean, query?: Record<string, string>): Promise<{ images: ComputeImage[]; where: string }> {
  const res = await compute.listImages(detail, query);
  return { images: res.body.images, where: describeRequest(res) };
}

function expectListed(list: { images: ComputeImage[]; where: string }, id: string, what: string): void {
  expectThat(list.images.some((i) => i.id === id), `${list.where}: ${what} ${id} is not listed`);
}

function expectNotListed(list: { images: ComputeImage[]; where: string }, id: string, what: string): void {
  expectThat(!list.images.some((i) => i.id === id), `${list.where}: ${what} ${id} is listed`);
}

// --- ListImagesTestJSON ---------------------------------------------------------------

listImagesTests.test('test_get_image', '490d0898-e12a-463f-aef0-c50156b9f789', async (ctx) => {
  const { imageRef } = await computeRefs(ctx);
  const res = await nova(ctx).showImage(imageRef);
  const image = res.body.image;
  expectEqual(image.id, imageRef, `${describeRequest(res)}: id`);
});

for (const [id, name, detail] of [
  ['fd51b7f4-d4a3-4331-9885-866658112a6f', 'test_list_images', false],
  ['9f94cb6b-7f10-48c5-b911-a0b84d7d4cd6', 'test_list_images_with_detail', true],
] as const) {
  listImagesTests.test(name, id, async (ctx) => {
    const { imageRef } = await computeRefs(ctx);
    expectListed(await listImages(nova(ctx), detail), imageRef, 'the image servers boot from');
  });
}

// --- ImagesTestJSON.test_delete_saving_image -----------------------------------------

/** The image id in createImage's Location header (before 2.45), or undefined. */
function imageIdFromLocation(res: { status: number; headers: Record<string, string> }): string | undefined {
  return res.status === 202 ? res.headers['location']?.split('/').filter((p) => p !== '').pop() : undefined;
}

imagesTests.test('test_delete_saving_image', 'aa06b52b-2db5-4807-b218-9441f75d74e3', async (ctx) => {
  const compute = nova(ctx);
  const { server } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  const { reply: res, failure } = await settle(() => compute.createImage(server!.id, ctx.name('test-snap')));
  const imageId = imageIdFromLocation(res);
  if (imageId) {
    ctx.defer(`delete image ${imageId}`, async () => {
      const del = await anyReply(() => compute.deleteImage(imageId));
      if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE /images/${imageId}: status ${del.status}`);
    });
  }
  // The client's verdict on the 202, once the deletion is registered.
  if (failure) throw failure;
  expectNoBody(res);
  if (!imageId) fail(`${describeRequest(res)}: no Location header naming the image`);
  // Tempest waits for SAVING; a snapshot may finish first, and deleting it then is the same request
  await waitFor({
    what: `image ${imageId} to be SAVING`,
    poll: async () => (await compute.showImage(imageId)).body.image,
    done: (i) => i.status === 'SAVING' || i.status === 'ACTIVE',
    failed: (i) => (['ERROR', 'DELETED', 'KILLED'].includes(i.status.toUpperCase()) ? `image status ${i.status}` : undefined),
    describe: (i) => `status ${i.status}`,
    signal: ctx.signal,
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
  });
  expectNoBody(await compute.deleteImage(imageId));
});

// --- ListImageFiltersTestJSON ---------------------------------------------------------

interface FilterFixture {
  /** Three private Glance images, as Nova shows them. */
  images: [ComputeImage, ComputeImage, ComputeImage];
  server1: string;
  server2: { id: string; links: { href: string; rel: string }[] };
  /** Snapshots 1 and 2 of server1, 3 of server2. */
  snapshots: [string, string, string];
}

async function waitImageActive(compute: ComputeClient, id: string): Promise<ComputeImage> {
  const res = await waitFor({
    what: `image ${id} to become ACTIVE`,
    // Any answer while waiting (another status fails below); only the last is held to the schema, as before.
    poll: () => anyReply(() => compute.showImage(id)),
    done: (r) => r.status === 200 && r.body.image.status === 'ACTIVE',
    failed: (r) => (r.status !== 200 ? `GET /images/${id}: status ${r.status}` : ['ERROR', 'DELETED', 'KILLED'].includes(r.body.image.status.toUpperCase()) ? `image status ${r.body.image.status}` : undefined),
    describe: (r) => `status ${r.status === 200 ? r.body.image.status : r.status}`,
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
  });
  expectMatches(res, 'compute/v2.1/get-image');
  return res.body.image;
}

async function createFilterFixture(ctx: CheckContext, client: CloudClient): Promise<{ value: FilterFixture; teardown: (c: CloudClient) => Promise<void> }> {
  const compute = new ComputeClient(client);
  const glance = new ImageClient(client);
  const imageIds: string[] = [];
  const serverIds: string[] = [];
  const teardown = async (c: CloudClient) => {
    const nv = new ComputeClient(c);
    const problems: string[] = [];
    for (const id of imageIds.reverse()) {
      const del = await anyReply(() => nv.deleteImage(id));
      if (del.status !== 204 && del.status !== 404) problems.push(`DELETE /images/${id}: status ${del.status}`);
    }
    for (const id of serverIds) await deleteServerAndWait(nv, id).catch((e: Error) => problems.push(e.message));
    if (problems.length) throw new Error(problems.join('; '));
  };
  try {
    const images: ComputeImage[] = [];
    for (let i = 0; i < 3; i++) {
      // The client asserts the 201 and the upload's 204; the fixture never judged the schema.
      const created = await statusOnly(() => glance.createImage({ name: `${ctx.prefix}image-${i + 1}`, container_format: 'bare', disk_format: 'raw', visibility: 'private' }));
      imageIds.push(created.body.id);
      await glance.uploadImageFile(created.body.id, Buffer.alloc(1024, '*'));
      images.push(await waitImageActive(compute, created.body.id));
    }
    const refs = await computeRefs(ctx);
    const s1 = await createServerUnmanaged(ctx, compute, refs, {});
    serverIds.push(s1.id);
    const s2 = await createServerUnmanaged(ctx, compute, refs, { waitUntil: 'ACTIVE' });
    serverIds.push(s2.id);
    await waitForServerStatus(undefined, compute, s1.id, 'ACTIVE');
    const snap = async (serverId: string, n: number) => {
      const { reply: res, failure } = await settle(() => compute.createImage(serverId, `${ctx.prefix}snapshot-${n}`));
      const id = imageIdFromLocation(res);
      if (id) imageIds.push(id);
      if (failure) throw failure;
      expectNoBody(res);
      if (!id) fail(`${describeRequest(res)}: no Location header naming the image`);
      await waitImageActive(compute, id);
      await waitForServerStatus(undefined, compute, serverId, 'ACTIVE');
      return id;
    };
    const snapshot1 = await snap(s1.id, 1);
    const snapshot3 = await snap(s2.id, 3);
    const snapshot2 = await snap(s1.id, 2);
    const value: FilterFixture = {
      images: images as FilterFixture['images'],
      server1: s1.id,
      server2: { id: s2.id, links: (s2.created.links ?? []) as { href: string; rel: string }[] },
      snapshots: [snapshot1, snapshot2, snapshot3],
    };
    return { value, teardown };
  } catch (err) {
    await teardown(client).catch(() => undefined);
    throw err;
  }
}

function filterFixture(ctx: CheckContext): Promise<FilterFixture> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, 'compute-image-filters', () => createFilterFixture(ctx, client));
}

function filterCheck(id: string, name: string, body: (ctx: CheckContext, f: FilterFixture, compute: ComputeClient) => Promise<void>): void {
  listImageFilters.test(name, id, async (ctx) => {
    const f = await filterFixture(ctx);
    await body(ctx, f, nova(ctx));
  });
}

for (const detail of [false, true]) {
  const d = detail ? '_with_detail' : '';
  filterCheck(detail ? '9b0ea018-6185-4f71-948a-a123a107988e' : 'a3f5b513-aeb3-42a9-b18e-f091ef73254d', `test_list_images${d}_filter_by_status`, async (_ctx, f, compute) => {
    const list = await listImages(compute, detail, { status: 'ACTIVE' });
    for (const i of f.images) expectListed(list, i.id, 'active image');
  });
  filterCheck(detail ? '644ea267-9bd9-4f3b-af9f-dffa02396a17' : '33163b73-79f5-4d07-a7ea-9213bcc468ff', `test_list_images${d}_filter_by_name`, async (_ctx, f, compute) => {
    const [one, two, three] = f.images;
    const list = await listImages(compute, detail, { name: one.name });
    expectListed(list, one.id, 'image named in the filter');
    expectNotListed(list, two.id, 'image of another name');
    expectNotListed(list, three.id, 'image of another name');
  });
  filterCheck(detail ? 'ba2fa9a9-b672-47cc-b354-3b4c0600e2cb' : '3a484ca9-67ba-451e-b494-7fcf28d32d62', `test_list_images${d}_limit_results`, async (_ctx, _f, compute) => {
    const list = await listImages(compute, detail, { limit: '1' });
    const n = detail ? list.images.length : list.images.filter((i) => 'id' in i).length;
    expectEqual(n, 1, `${list.where}: images listed`);
  });
  filterCheck(detail ? '8c78f822-203b-4bf6-8bba-56ebd551cf84' : '05a377b8-28cf-4734-a1e6-2ab5c38bf606', `test_list_images${d}_filter_by_server_ref`, async (_ctx, f, compute) => {
    expectThat(f.server2.links.length > 0, `POST /servers: server ${f.server2.id} was created without links`);
    for (const link of f.server2.links) {
      const list = await listImages(compute, detail, { server: link.href });
      expectNotListed(list, f.snapshots[0], 'snapshot of the other server');
      expectNotListed(list, f.snapshots[1], 'snapshot of the other server');
      expectListed(list, f.snapshots[2], 'snapshot of this server');
    }
  });
  filterCheck(detail ? '888c0cc0-7223-43c5-9db0-b125fd0a393b' : 'e3356918-4d3e-4756-81d5-abc4524ba29f', `test_list_images${d}_filter_by_type`, async (ctx, f, compute) => {
    const list = await listImages(compute, detail, { type: 'snapshot' });
    for (const s of f.snapshots) expectListed(list, s, 'snapshot');
    const { imageRef } = await computeRefs(ctx);
    if (detail) await compute.showImage(imageRef);
    else expectNotListed(list, imageRef, 'the (non-snapshot) image servers boot from');
  });
}

filterCheck('18bac3ae-da27-436c-92a9-b22474d13aab', 'test_list_images_filter_by_changes_since', async (_ctx, f, compute) => {
  const list = await listImages(compute, false, { 'changes-since': String(f.images[2].created) });
  expectListed(list, f.images[2].id, 'image changed at that time');
});

filterCheck('7d439e18-ac2e-4827-b049-7e18004712c4', 'test_list_images_with_detail_filter_by_changes_since', async (_ctx, f, compute) => {
  const list = await listImages(compute, true, { 'changes-since': String(f.images[2].created) });
  expectListed(list, f.images[2].id, 'image changed at that time');
});

filterCheck('9f238683-c763-45aa-b848-232ec3ce3105', 'test_list_images_filter_by_server_id', async (_ctx, f, compute) => {
  const list = await listImages(compute, false, { server: f.server1 });
  expectListed(list, f.snapshots[0], 'snapshot of this server');
  expectListed(list, f.snapshots[1], 'snapshot of this server');
  expectNotListed(list, f.snapshots[2], 'snapshot of the other server');
});
