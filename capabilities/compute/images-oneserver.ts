/**
 * Native checks for tempest.api.compute.images.test_images_oneserver.ImagesOneServerTestJSON:
 * snapshots of a server through Nova's createImage action, followed through
 * Nova's image proxy (GET/DELETE /images/{id}), as Tempest does below 2.36.
 */
import type { CheckContext } from '../../src/check/api.js';
import { oneAtATime } from '../../src/check/one-at-a-time.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectHeader, expectThat, fail } from '../../src/check/expect.js';
import type { ComputeClient, ComputeImage } from '../../src/services/compute.js';
import { UnexpectedStatus, anyReply, anyStatus } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';
import { settle } from '../volume/steps.js';
import {
  BUILD_TIMEOUT_MS, classServer, computeRefs, polling, expectNoBody, faultOf, nova, rand,
  SERVER_CHECK_TIMEOUT_MS, showServer, waitForServerStatus,
} from './steps.js';

const imagesOneServer = tempestClass('tempest.api.compute.images.test_images_oneserver.ImagesOneServerTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

/** GET /images/{id} through Nova until ACTIVE; a deleted or failed snapshot fails with the server's fault. */
async function waitForImageActive(ctx: CheckContext, compute: ComputeClient, imageId: string, serverId: string): Promise<ComputeImage> {
  const res = await waitFor({
    what: `image ${imageId} to become ACTIVE`,
    poll: async () => {
      // The client validates a 200; a 404 fails naming the server's fault, another status as the client would.
      const r = await anyStatus(() => compute.showImage(imageId));
      if (r.status === 404) {
        const server = await showServer(compute, serverId);
        fail(`image ${imageId} disappeared while being created${server.fault ? `: server ${faultOf(server)}` : ''}`);
      }
      if (r.status !== 200) throw new UnexpectedStatus(r, [200]);
      return r;
    },
    failed: (r) => (['ERROR', 'DELETED', 'KILLED'].includes(r.body.image.status.toUpperCase()) ? `image status ${r.body.image.status}` : undefined),
    done: (r) => r.body.image.status === 'ACTIVE',
    describe: (r) => `status ${r.body.image.status}`,
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
    signal: ctx.signal,
  });
  return res.body.image;
}

/** createImage (202, no body, Location naming the image), cleanup deferred, then ACTIVE and the server ACTIVE again. */
async function snapshot(ctx: CheckContext, compute: ComputeClient, serverId: string, name: string, metadata?: Record<string, string>): Promise<ComputeImage> {
  const { reply: res, failure } = await settle(() => compute.createImage(serverId, name, metadata));
  const location = res.status === 202 ? res.headers['location'] : undefined;
  const imageId = location?.split('/').filter((p) => p !== '').pop();
  if (imageId) {
    ctx.defer(`delete image ${imageId}`, async () => {
      const del = await anyReply(() => compute.deleteImage(imageId));
      if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE /images/${imageId}: status ${del.status}`);
    });
  }
  // The client's verdict on the 202, once the deletion is registered.
  if (failure) throw failure;
  expectNoBody(res);
  const loc = expectHeader(res, 'location');
  expectThat(/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(loc) && imageId, `${describeRequest(res)}: Location header ${JSON.stringify(loc)} is not a URI naming the image`);
  const image = await waitForImageActive(ctx, compute, imageId, serverId);
  await waitForServerStatus(ctx.signal, compute, serverId, 'ACTIVE');
  return image;
}

/**
 * Runs `body` on the class's one server, as Tempest's resource_setup shares it. A
 * server snapshots one image at a time (Nova refuses a second createImage while
 * the first runs), so the tests take it in turn, as they do in Tempest's class.
 */
async function withServer(ctx: CheckContext, body: (compute: ComputeClient, id: string) => Promise<void>): Promise<void> {
  const server = await classServer(ctx, imagesOneServer.name);
  await oneAtATime(ctx, imagesOneServer.name, () => body(nova(ctx), server.id));
}

imagesOneServer.test('test_create_delete_image', '3731d080-d4c5-4872-b41a-64d0d0021314', async (ctx) => {
  const refs = await computeRefs(ctx);
  await withServer(ctx, async (compute, id) => {
    const name = ctx.name('image');
    const image = await snapshot(ctx, compute, id, name, { image_type: 'test' });
    expectEqual(image.name, name, `GET /images/${image.id}: name`);
    expectEqual(image.metadata['image_type'], 'test', `GET /images/${image.id}: metadata.image_type`);
    const original = (await compute.showImage(refs.imageRef)).body.image;
    expectEqual(image.minRam, original.minRam, `GET /images/${image.id}: minRam (as the server's image)`);
    const flavor = (await compute.showFlavor(refs.flavorRef)).body.flavor;
    expectThat(
      [String(original.minDisk), String(flavor.disk)].includes(String(image.minDisk)),
      `GET /images/${image.id}: minDisk ${image.minDisk} should be the original image's (${original.minDisk}) or the flavor's disk (${flavor.disk})`,
    );
    expectNoBody(await compute.deleteImage(image.id));
    await waitFor({
      what: `image ${image.id} to be deleted`,
      poll: () => anyReply(() => compute.showImage(image.id)),
      done: (r) => r.status === 404,
      describe: (r) => (r.status === 200 ? `status ${r.body.image?.status}` : `HTTP ${r.status}`),
      timeoutMs: BUILD_TIMEOUT_MS,
      signal: ctx.signal,
    });
  });
});

imagesOneServer.test('test_create_image_specify_multibyte_character_image_name', '3b7c6fe4-dfe7-477c-9243-b06359db51e6', async (ctx) => {
  // A 3-byte UTF-8 character (U+20A1); 4-byte ones are refused by Nova/Glance.
  await withServer(ctx, async (compute, id) => {
    await snapshot(ctx, compute, id, `${ctx.prefix}\u20a1-${rand(3)}`);
  });
});
