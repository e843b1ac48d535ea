/**
 * Native checks for Tempest's volume snapshot tests the guidelines require:
 * VolumesSnapshotTestJSON (life cycle, volume from snapshot),
 * VolumesSnapshotListTestJSON (filtered listings) and
 * VolumesSnapshotNegativeTestJSON (snapshots of missing volumes).
 */
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import type { Snapshot, VolumeClient, VolumeQuery } from '../../src/services/volume.js';
import {
  CHECK_TIMEOUT_MS, VOLUME_SIZE, VOLUME_SIZE_EXTEND, createSnapshot, createVolume, deleteSnapshotAndWait, expectContainsAll,
  expectRefusedCleaningUp, randUuid, showVolume, volumeClient,
} from './steps.js';

const volumesSnapshot = tempestClass('tempest.api.volume.test_volumes_snapshots.VolumesSnapshotTestJSON', { timeoutMs: CHECK_TIMEOUT_MS });
const volumesSnapshotList = tempestClass('tempest.api.volume.test_volumes_snapshots_list.VolumesSnapshotListTestJSON', { timeoutMs: CHECK_TIMEOUT_MS });
const volumesSnapshotNegative = tempestClass('tempest.api.volume.test_volumes_snapshots_negative.VolumesSnapshotNegativeTestJSON');

async function showSnapshot(cinder: VolumeClient, id: string): Promise<Snapshot> {
  return (await cinder.showSnapshot(id)).body.snapshot;
}

async function updateSnapshot(cinder: VolumeClient, id: string, fields: Record<string, unknown>): Promise<Snapshot> {
  return (await cinder.updateSnapshot(id, fields)).body.snapshot;
}

async function listSnapshots(cinder: VolumeClient, detail: boolean, query?: VolumeQuery): Promise<Snapshot[]> {
  return (await cinder.listSnapshots(detail, query)).body.snapshots;
}

volumesSnapshot.test('test_snapshot_create_get_list_update_delete', '2a8abbe4-d871-46db-b049-c41f5af8216e', async (ctx) => {
  const cinder = volumeClient(ctx);
  const origin = await createVolume(ctx, cinder);
  const metadata = { 'snap-meta1': 'value1', 'snap-meta2': 'value2', 'snap-meta3': 'value3' };
  const snapshot = await createSnapshot(ctx, cinder, origin.id, { metadata });
  const got = await showSnapshot(cinder, snapshot.id);
  expectEqual(got.volume_id, origin.id, `GET /snapshots/${snapshot.id}: volume_id`);
  expectEqual(got.size, origin.size, `GET /snapshots/${snapshot.id}: size`);
  expectContainsAll(got.metadata, metadata, `GET /snapshots/${snapshot.id}: metadata`);
  const listed = await listSnapshots(cinder, false);
  expectThat(
    listed.some((s) => s.id === snapshot.id && s.name === snapshot.name),
    `GET /snapshots: snapshot ${snapshot.id} named ${snapshot.name} is not listed`,
  );
  const name = ctx.name('snapshot-renamed');
  const description = 'A new description of the snapshot.';
  const updated = await updateSnapshot(cinder, snapshot.id, { name, description });
  expectEqual(updated.name, name, `PUT /snapshots/${snapshot.id}: name in the answer`);
  expectEqual(updated.description, description, `PUT /snapshots/${snapshot.id}: description in the answer`);
  const shown = await showSnapshot(cinder, snapshot.id);
  expectEqual(shown.name, name, `GET /snapshots/${snapshot.id}: name after the update`);
  expectEqual(shown.description, description, `GET /snapshots/${snapshot.id}: description after the update`);
  await deleteSnapshotAndWait(ctx, cinder, snapshot.id);
});

volumesSnapshot.test('test_volume_from_snapshot', '677863d1-3142-456d-b6ac-9924f667a7f4', async (ctx) => {
  const cinder = volumeClient(ctx);
  const size = VOLUME_SIZE + VOLUME_SIZE_EXTEND;
  const source = await createVolume(ctx, cinder, { size: VOLUME_SIZE });
  const snapshot = await createSnapshot(ctx, cinder, source.id);
  // Created after the snapshot, so removed before it (some back ends refuse
  // otherwise); Tempest removes it in a test-level cleanup that awaits the deletion.
  const target = await createVolume(ctx, cinder, { snapshot_id: snapshot.id, size }, true, { asserted: true });
  const shown = await showVolume(cinder, target.id);
  expectEqual(shown.snapshot_id, snapshot.id, `GET /volumes/${target.id}: snapshot_id`);
  expectEqual(shown.size, size, `GET /volumes/${target.id}: size`);
});

/** Lists with each filter Tempest uses and checks every listed snapshot matches it. */
async function listWithParams(cinder: VolumeClient, detail: boolean, snapshot: Snapshot): Promise<void> {
  const filters: Record<string, string>[] = [{ name: snapshot.name ?? '' }, { status: 'available' }, { status: 'available', name: snapshot.name ?? '' }];
  for (const filter of filters) {
    const listed = await listSnapshots(cinder, detail, filter);
    const query = new URLSearchParams(filter).toString();
    for (const s of listed) {
      for (const [key, value] of Object.entries(filter)) {
        expectEqual(s[key], value, `GET /snapshots${detail ? '/detail' : ''}?${query}: ${key} of snapshot ${s.id}`);
      }
    }
  }
}

for (const [id, name, detail] of [
  ['59f41f43-aebf-48a9-ab5d-d76340fab32b', 'test_snapshots_list_with_params', false],
  ['220a1022-1fcd-4a74-a7bd-6b859156cda2', 'test_snapshots_list_details_with_params', true],
] as const) {
  volumesSnapshotList.test(name, id, async (ctx) => {
    const cinder = volumeClient(ctx);
    const origin = await createVolume(ctx, cinder);
    let last: Snapshot | undefined;
    for (let i = 0; i < 3; i++) last = await createSnapshot(ctx, cinder, origin.id);
    await listWithParams(cinder, detail, last!);
  });
}

volumesSnapshotNegative.test('test_create_snapshot_with_nonexistent_volume_id', 'e3e466af-70ab-4f4b-a967-ab04e3532ea7', async (ctx) => {
  const cinder = volumeClient(ctx);
  await expectRefusedCleaningUp(ctx, cinder, () => cinder.createSnapshot({ volume_id: randUuid(), display_name: ctx.name('snapshot') }), 404);
});

volumesSnapshotNegative.test('test_create_snapshot_without_passing_volume_id', 'bb9da53e-d335-4309-9c15-7e76fd5e4d6d', async (ctx) => {
  const cinder = volumeClient(ctx);
  await expectRefusedCleaningUp(ctx, cinder, () => cinder.createSnapshot({ volume_id: null, display_name: ctx.name('snapshot') }), 404);
});
