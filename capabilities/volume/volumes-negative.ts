/**
 * Native checks for tempest.api.volume.test_volumes_negative.VolumesNegativeTest
 * that the guidelines require: malformed or dangling creates, and show, update,
 * delete and list calls naming volumes that do not exist.
 */
import { expectThat } from '../../src/check/expect.js';
import { anyReply, type Reply } from '../../src/services/protocol.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import type { VolumeClient } from '../../src/services/volume.js';
import { computeRefs, createServer, nova, SERVER_CHECK_TIMEOUT_MS } from '../compute/steps.js';
import { CHECK_TIMEOUT_MS, VOLUME_SIZE, createVolume, expectRefusedCleaningUp, listVolumes, randUuid, settle, volumeClient } from './steps.js';

const volumesNegative = tempestClass('tempest.api.volume.test_volumes_negative.VolumesNegativeTest');

/**
 * A name that is no uuid, as Tempest's rand_name('invalid'): fixed, since no
 * volume can have a non-uuid id, so chance adds nothing to the refusal.
 */
const invalidId = () => 'invalid-defcore-not-a-uuid';

function refusal(id: string, name: string, status: number, request: (cinder: VolumeClient) => Promise<Reply<unknown>>): void {
  volumesNegative.test(name, id, async (ctx) => {
    const cinder = volumeClient(ctx);
    await expectRefusedCleaningUp(ctx, cinder, () => request(cinder), status);
  });
}

refusal('f131c586-9448-44a4-a8b0-54ca838aa43e', 'test_volume_get_nonexistent_volume_id', 404, (c) => c.showVolume(randUuid()));
refusal('555efa6e-efcd-44ef-8a3b-4a7ca4837a29', 'test_volume_delete_nonexistent_volume_id', 404, (c) => c.deleteVolume(randUuid()));
refusal('1ed83a8a-682d-4dfb-a30e-ee63ffd6c049', 'test_create_volume_with_invalid_size', 400, (c) => c.createVolume({ size: '#$%' }));
refusal('9387686f-334f-4d31-a439-33494b9e2683', 'test_create_volume_without_passing_size', 400, (c) => c.createVolume({ size: '' }));
refusal('41331caa-eaf4-4001-869d-bc18c1869360', 'test_create_volume_with_size_zero', 400, (c) => c.createVolume({ size: '0' }));
refusal('8b472729-9eba-446e-a83b-916bdb34bef7', 'test_create_volume_with_size_negative', 400, (c) => c.createVolume({ size: '-1' }));
refusal('10254ed8-3849-454e-862e-3ab8e6aa01d2', 'test_create_volume_with_nonexistent_volume_type', 404, (c) =>
  c.createVolume({ size: VOLUME_SIZE, volume_type: randUuid() }));
refusal('0c36f6ae-4604-4017-b0a9-34fdc63096f9', 'test_create_volume_with_nonexistent_snapshot_id', 404, (c) =>
  c.createVolume({ size: VOLUME_SIZE, snapshot_id: randUuid() }));
refusal('47c73e08-4be8-45bb-bfdf-0c4e79b88344', 'test_create_volume_with_nonexistent_source_volid', 404, (c) =>
  c.createVolume({ size: VOLUME_SIZE, source_volid: randUuid() }));
refusal('0186422c-999a-480e-a026-6a665744c30c', 'test_update_volume_with_nonexistent_volume_id', 404, (c) => c.updateVolume(randUuid(), { name: 'n' }));
refusal('e66e40d6-65e6-4e75-bdc7-636792fa152d', 'test_update_volume_with_invalid_volume_id', 404, (c) => c.updateVolume(invalidId(), { name: 'n' }));
// An empty id makes the path end in "volumes/".
refusal('72aeca85-57a5-4c1f-9057-f320f9ea575b', 'test_update_volume_with_empty_volume_id', 404, (c) => c.updateVolume('', {}));
refusal('30799cfd-7ee4-446c-b66c-45b383ed211b', 'test_get_invalid_volume_id', 404, (c) => c.showVolume(invalidId()));
refusal('c6c3db06-29ad-4e91-beb0-2ab195fe49e3', 'test_get_volume_without_passing_volume_id', 404, (c) => c.showVolume(''));
refusal('1f035827-7c32-4019-9240-b4ec2dbd9dfd', 'test_delete_invalid_volume_id', 404, (c) => c.deleteVolume(invalidId()));
refusal('441a1550-5d44-4b30-af0f-a6d402f52026', 'test_delete_volume_without_passing_volume_id', 404, (c) => c.deleteVolume(''));

/** Lists volumes (plain or detailed) with `query` and expects nothing listed. */
function emptyListing(id: string, name: string, detail: boolean, query: (prefix: string) => Record<string, string>): void {
  volumesNegative.test(name, id, async (ctx) => {
    const { volumes, res } = await listVolumes(volumeClient(ctx), detail, query(ctx.prefix));
    expectThat(volumes.length === 0, `${res.method} ${res.url}: expected no volumes, got ${volumes.length} (${volumes.map((v) => v.id).join(', ')})`);
  });
}

emptyListing('0f4aa809-8c7b-418f-8fb3-84c7a5dfc52f', 'test_list_volumes_with_nonexistent_name', false, (p) => ({ name: `${p}volume-${randUuid()}` }));
emptyListing('9ca17820-a0e7-4cbd-a7fa-f4468735e359', 'test_list_volumes_detail_with_nonexistent_name', true, (p) => ({ name: `${p}volume-${randUuid()}` }));
emptyListing('143b279b-7522-466b-81be-34a87d564a7c', 'test_list_volumes_with_invalid_status', false, () => ({ status: 'null' }));
emptyListing('ba94b27b-be3f-496c-a00e-0283b373fa75', 'test_list_volumes_detail_with_invalid_status', true, () => ({ status: 'null' }));

// --- reserve / attach / detach (Tempest 12–17; VolumesV2NegativeTest shares these ids) ---

refusal('ac6084c0-0546-45f9-b284-38a367e0e0e2', 'test_reserve_volume_with_nonexistent_volume_id', 404, (c) => c.reserveVolume(randUuid()));
refusal('eb467654-3dc1-4a72-9b46-47c29d22654c', 'test_unreserve_volume_with_nonexistent_volume_id', 404, (c) => c.unreserveVolume(randUuid()));
refusal('9f9c24e4-011d-46b5-b992-952140ce237a', 'test_detach_volumes_with_invalid_volume_id', 404, (c) => c.detachVolume('xxx'));

volumesNegative.test('test_reserve_volume_with_negative_volume_status', '449c4ed2-ecdd-47bb-98dc-072aeccf158c', async (ctx) => {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  const first = await settle(() => cinder.reserveVolume(volume.id));
  // A best-effort unreserve: its answer is not judged, as before.
  if (first.reply.status >= 200 && first.reply.status < 300) ctx.defer(`unreserve volume ${volume.id}`, () => anyReply(() => cinder.unreserveVolume(volume.id)));
  if (first.failure) throw first.failure;
  await expectRefusedCleaningUp(ctx, cinder, () => cinder.reserveVolume(volume.id), 400);
  await cinder.unreserveVolume(volume.id);
}, { timeoutMs: CHECK_TIMEOUT_MS });

volumesNegative.test('test_attach_volumes_with_nonexistent_volume_id', 'f5e56b0a-5d02-43c1-a2a7-c9b792c2e3f6', async (ctx) => {
  const { server } = await createServer(ctx, nova(ctx), await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  const cinder = volumeClient(ctx);
  await expectRefusedCleaningUp(ctx, cinder, () => cinder.attachVolume(randUuid(), { instance_uuid: server!.id, mountpoint: '/dev/vdc' }), 404);
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });
