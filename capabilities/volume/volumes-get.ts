/**
 * Native checks for tempest.api.volume.test_volumes_get.VolumesGetTest: create,
 * show, update and delete a blank volume, one made from an image and a clone.
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { ImageClient, type Image } from '../../src/services/image.js';
import { anyReply, statusOnly } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';
import type { VolumeClient } from '../../src/services/volume.js';
import {
  BUILD_TIMEOUT_MS, CHECK_TIMEOUT_MS, VOLUME_SIZE, createVolume, expectContainsAll, requestVolume, showVolume, updateVolume,
  volumeClient, waitVolumeStatus,
} from './steps.js';

const volumesGet = tempestClass('tempest.api.volume.test_volumes_get.VolumesGetTest', { timeoutMs: CHECK_TIMEOUT_MS });

/** The scenario every VolumesGetTest test runs, with `source` (size, imageRef, source_volid) added to the create request. */
async function createGetUpdateDelete(ctx: CheckContext, cinder: VolumeClient, source: Record<string, unknown>): Promise<void> {
  const name = ctx.name('volume');
  const metadata = { Type: 'Test' };
  // Both volumes of the scenario are removed by test-level cleanups in Tempest
  // (delete_volume, then wait_for_resource_deletion): their deletion is asserted.
  const created = (await requestVolume(ctx, cinder, { ...source, name, metadata }, { asserted: true })).body.volume;
  await waitVolumeStatus(ctx, cinder, created.id, 'available');
  expectEqual(created.name, name, `POST /volumes: name of the new volume`);

  const fetched = await showVolume(cinder, created.id);
  expectEqual(fetched.name, name, `GET /volumes/${created.id}: name`);
  expectContainsAll(fetched.metadata, metadata, `GET /volumes/${created.id}: metadata`);
  const bootable = 'imageRef' in source ? 'true' : 'false';
  expectEqual(fetched.bootable, bootable, `GET /volumes/${created.id}: bootable`);

  // An update that repeats the current name must be accepted too.
  await updateVolume(cinder, created.id, { name });
  const newName = ctx.name('volume-renamed');
  const newDescription = 'A new description of the volume';
  const updated = await updateVolume(cinder, created.id, { name: newName, description: newDescription });
  expectEqual(updated.name, newName, `PUT /volumes/${created.id}: name in the answer`);
  expectEqual(updated.description, newDescription, `PUT /volumes/${created.id}: description in the answer`);
  const shown = await showVolume(cinder, created.id);
  expectEqual(shown.name, newName, `GET /volumes/${created.id}: name after the update`);
  expectEqual(shown.description, newDescription, `GET /volumes/${created.id}: description after the update`);
  expectContainsAll(shown.metadata, metadata, `GET /volumes/${created.id}: metadata after the update`);

  // A volume without a name and with special characters in its description, then given
  // a duplicate of the first volume's name. The description carries the run prefix so
  // the sweeper finds it should its deletion fail before the rename.
  const other = (
    await requestVolume(ctx, cinder, {
      description: ctx.name('@#$%^* description'),
      availability_zone: created.availability_zone,
      size: VOLUME_SIZE,
    }, { asserted: true })
  ).body.volume;
  await waitVolumeStatus(ctx, cinder, other.id, 'available');
  await updateVolume(cinder, other.id, { name: created.name, description: created.description });
  expectEqual(shown.bootable, bootable, `GET /volumes/${created.id}: bootable after the update`);
}

/**
 * A private raw image holding 1 KiB, active, deleted with the check. Only the
 * statuses are asserted: it stands in for Tempest's configured image, which
 * the test reads but does not validate.
 */
async function sourceImage(ctx: CheckContext, images: ImageClient): Promise<Image> {
  // The client asserts the 201 (and the upload's 204); this fixture image's schema was never judged.
  const res = await statusOnly(() => images.createImage({ name: ctx.name('image'), container_format: 'bare', disk_format: 'raw', visibility: 'private' }));
  const id = typeof res.body?.id === 'string' ? res.body.id : undefined;
  if (id) {
    ctx.defer(`delete image ${id}`, async () => {
      const del = await anyReply(() => images.deleteImage(id));
      if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE image ${id}: status ${del.status}`);
    });
  }
  expectThat(id, `${res.method} ${res.url}: no image id in the answer`);
  await images.uploadImageFile(id, randomBytes(1024));
  const shown = await waitFor({
    what: `image ${id} to become active`,
    poll: () => anyReply(() => images.showImage(id)),
    done: (r) => r.status === 200 && r.body?.status === 'active',
    failed: (r) => (r.status !== 200 ? `GET image ${id} answered ${r.status}` : ['killed', 'deleted'].includes(r.body?.status) ? `image ${id} went to status ${r.body.status}` : undefined),
    describe: (r) => `status ${String(r.body?.status)}`,
    signal: ctx.signal,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  return shown.body;
}

volumesGet.test('test_volume_create_get_update_delete', '27fb0e9f-fb64-41dd-8bdb-1ffa762f0d51', async (ctx) => {
  await createGetUpdateDelete(ctx, volumeClient(ctx), { size: VOLUME_SIZE });
});

volumesGet.test('test_volume_create_get_update_delete_from_image', '54a01030-c7fc-447c-86ee-c1182beae638', async (ctx) => {
  // Tempest uses the configured [compute] image_ref; a small private image of our own stands in for it.
  const image = await sourceImage(ctx, new ImageClient(ctx.account('primary')));
  const minDisk = typeof image['min_disk'] === 'number' ? image['min_disk'] : 0;
  await createGetUpdateDelete(ctx, volumeClient(ctx), { imageRef: image.id, size: Math.max(minDisk, VOLUME_SIZE) });
});

volumesGet.test('test_volume_create_get_update_delete_as_clone', '3f591b4a-7dc6-444c-bd51-77469506b3a1', async (ctx) => {
  const cinder = volumeClient(ctx);
  const origin = await createVolume(ctx, cinder);
  await createGetUpdateDelete(ctx, cinder, { source_volid: origin.id, size: VOLUME_SIZE });
});
