/**
 * Native checks for tempest.api.volume.test_volumes_actions.VolumesActionsTest
 * that the guidelines require: the bootable and read-only flags, and upload of a
 * volume to the Image service.
 */
import { expectEqual, expectNoBody, expectThat, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { ImageClient, type Image } from '../../src/services/image.js';
import { anyReply } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';
import { BUILD_TIMEOUT_MS, CHECK_TIMEOUT_MS, createVolume, settle, showVolume, volumeClient, waitVolumeStatus } from './steps.js';

const volumesActions = tempestClass('tempest.api.volume.test_volumes_actions.VolumesActionsTest', { timeoutMs: CHECK_TIMEOUT_MS });

/** Tempest's [volume] disk_format default. */
const DISK_FORMAT = 'raw';

volumesActions.test('test_volume_bootable', '63e21b4c-0a0c-41f6-bfc3-7c2816815599', async (ctx) => {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  for (const bootable of [true, false]) {
    // os-set_bootable and os-update_readonly_flag answer without a body (Tempest's schemas have none).
    expectNoBody(await cinder.setBootable(volume.id, bootable), 200);
    const shown = await showVolume(cinder, volume.id);
    // Cinder reports the flag as the string "true" / "false".
    expectEqual(shown.bootable, String(bootable), `GET /volumes/${volume.id}: bootable after setting it to ${bootable}`);
  }
});

volumesActions.test('test_volume_readonly_update', 'fff74e1e-5bd3-4b33-9ea9-24c103bc3f59', async (ctx) => {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  for (const readonly of [true, false]) {
    expectNoBody(await cinder.updateReadonly(volume.id, readonly), 202);
    const shown = await showVolume(cinder, volume.id);
    // Cinder keeps the flag in the volume's metadata as "True" / "False".
    expectEqual(shown.metadata['readonly'], readonly ? 'True' : 'False', `GET /volumes/${volume.id}: metadata.readonly after setting it to ${readonly}`);
  }
});

volumesActions.test('test_volume_upload', 'd8f1ca95-3d5b-44a3-b8ca-909691c9532d', async (ctx) => {
  const cinder = volumeClient(ctx);
  const images = new ImageClient(ctx.account('primary'));
  const volume = await createVolume(ctx, cinder);
  const imageName = ctx.name('image');
  // The client asserts the 202, judged once the new image's deletion is registered.
  const { reply: res, failure } = await settle(() => cinder.uploadToImage(volume.id, { image_name: imageName, disk_format: DISK_FORMAT }));
  const answer = res.body?.['os-volume_upload_image'];
  const imageId = answer && typeof answer['image_id'] === 'string' ? answer['image_id'] : undefined;
  if (imageId) {
    // A test-level cleanup in Tempest (only "not found" ignored): a refused deletion fails the test.
    ctx.defer(`delete image ${imageId}`, async () => {
      const del = await anyReply(() => images.deleteImage(imageId));
      if (del.status !== 204 && del.status !== 404) fail(`DELETE image ${imageId}: expected status 204, got ${del.status}`);
    }, { asserted: true });
  }
  if (failure) throw failure;
  expectThat(imageId, `${res.method} ${res.url}: no os-volume_upload_image.image_id in the answer`);
  const shown = await waitFor({
    what: `image ${imageId} to become active`,
    // Tempest waits on any answer and judges it below (no schema).
    poll: () => anyReply(() => images.showImage(imageId)),
    done: (r) => r.status === 200 && r.body?.status === 'active',
    failed: (r) =>
      r.status !== 200
        ? `GET image ${imageId} answered ${r.status}`
        : r.body?.status === 'killed' || r.body?.status === 'error'
          ? `image ${imageId} went to status ${r.body.status}`
          : undefined,
    describe: (r) => `status ${String(r.body?.status)}`,
    signal: ctx.signal,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  await waitVolumeStatus(ctx, cinder, volume.id, 'available');
  // Tempest reads the image without validating it against a schema; so do we.
  const image: Image = shown.body;
  expectEqual(image.name, imageName, `GET image ${imageId}: name`);
  expectEqual(image.disk_format, DISK_FORMAT, `GET image ${imageId}: disk_format`);
});
