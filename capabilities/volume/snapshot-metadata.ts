/**
 * Native checks for tempest.api.volume.test_snapshot_metadata.SnapshotMetadataTestJSON,
 * plus test_update_snapshot_metadata (bd2363bc…), which Tempest removed in 2016
 * (merged into test_crud_snapshot_metadata) but the guidelines still list,
 * flagged; its check follows the last Tempest version that had it.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectNoBody, expectThat } from '../../src/check/expect.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import type { VolumeClient } from '../../src/services/volume.js';
import { CHECK_TIMEOUT_MS, createSnapshot, createVolume, expectContainsAll, volumeClient } from './steps.js';

const volumesMetadata = tempestClass('tempest.api.volume.test_snapshot_metadata.VolumesMetadataTest', { timeoutMs: CHECK_TIMEOUT_MS });

const snapshotMetadata = tempestClass('tempest.api.volume.test_snapshot_metadata.SnapshotMetadataTestJSON', { timeoutMs: CHECK_TIMEOUT_MS });

async function showMetadata(cinder: VolumeClient, id: string): Promise<Record<string, string>> {
  const res = await cinder.showSnapshotMetadata(id);
  return res.body.metadata;
}

async function createMetadata(cinder: VolumeClient, id: string, metadata: Record<string, string>): Promise<Record<string, string>> {
  const res = await cinder.createSnapshotMetadata(id, metadata);
  return res.body.metadata;
}

async function replaceMetadata(cinder: VolumeClient, id: string, metadata: Record<string, string>): Promise<Record<string, string>> {
  const res = await cinder.updateSnapshotMetadata(id, metadata);
  return res.body.metadata;
}

/** A volume and a snapshot of it, as the class's fixture. */
async function withSnapshot(ctx: CheckContext, body: (cinder: VolumeClient, id: string) => Promise<void>): Promise<void> {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  const snapshot = await createSnapshot(ctx, cinder, volume.id);
  await body(cinder, snapshot.id);
}

snapshotMetadata.test('test_crud_snapshot_metadata', 'a2f20f99-e363-4584-be97-bc33afb1a56c', (ctx) =>
  withSnapshot(ctx, async (cinder, id) => {
    const metadata = { key1: 'value1', key2: 'value2', key3: 'value3' };
    const update = { key3: 'value3_update', key4: 'value4' };
    expectContainsAll(await createMetadata(cinder, id, metadata), metadata, `POST /snapshots/${id}/metadata: metadata in the answer`);
    expectContainsAll(await showMetadata(cinder, id), metadata, `GET /snapshots/${id}/metadata after creating it`);
    expectSameJson(await replaceMetadata(cinder, id, update), update, `PUT /snapshots/${id}/metadata: metadata in the answer`);
    expectSameJson(await showMetadata(cinder, id), update, `GET /snapshots/${id}/metadata after replacing it`);
    // Tempest's schema for this delete has no body: none may come back.
    expectNoBody(await cinder.deleteSnapshotMetadataItem(id, 'key3'), 200);
    const after = await showMetadata(cinder, id);
    expectContainsAll(after, { key4: 'value4' }, `GET /snapshots/${id}/metadata after deleting key3`);
    expectThat(!('key3' in after), `GET /snapshots/${id}/metadata: key3 still present after its deletion`);
  }));

snapshotMetadata.test('test_update_show_snapshot_metadata_item', 'e8ff85c5-8f97-477f-806a-3ac364a949ed', (ctx) =>
  withSnapshot(ctx, async (cinder, id) => {
    const metadata = { key1: 'value1', key2: 'value2', key3: 'value3' };
    const item = { key3: 'value3_update' };
    await createMetadata(cinder, id, metadata);
    expectContainsAll(await showMetadata(cinder, id), metadata, `GET /snapshots/${id}/metadata after creating it`);
    const res = await cinder.updateSnapshotMetadataItem(id, 'key3', item);
    expectSameJson(res.body.meta, item, `${res.method} ${res.url}: meta in the answer`);
    const shown = await cinder.showSnapshotMetadataItem(id, 'key3');
    expectEqual(shown.body.meta, item, `${shown.method} ${shown.url}: meta`);
    expectContainsAll(await showMetadata(cinder, id), { ...metadata, ...item }, `GET /snapshots/${id}/metadata after the item update`);
  }));

volumesMetadata.test('test_update_snapshot_metadata', 'bd2363bc-de92-48a4-bc98-28943c6e4be1', (ctx) =>
  withSnapshot(ctx, async (cinder, id) => {
    const metadata = { key1: 'value1', key2: 'value2', key3: 'value3' };
    const update = { key3: 'value3_update', key4: 'value4' };
    await createMetadata(cinder, id, metadata);
    expectContainsAll(await showMetadata(cinder, id), metadata, `GET /snapshots/${id}/metadata after creating it`);
    await replaceMetadata(cinder, id, update);
    expectSameJson(await showMetadata(cinder, id), update, `GET /snapshots/${id}/metadata after replacing it`);
  }));
