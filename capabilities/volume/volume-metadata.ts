/**
 * Native checks for tempest.api.volume.test_volume_metadata.VolumesMetadataTest:
 * create, show, replace and delete a volume's metadata, and single items. The
 * client asserts each answer's status and schema; the checks assert the contents.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectNoBody, expectThat } from '../../src/check/expect.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import type { VolumeClient } from '../../src/services/volume.js';
import { CHECK_TIMEOUT_MS, createVolume, expectContainsAll, volumeClient } from './steps.js';

const volumesV2Metadata = tempestClass('tempest.api.volume.test_volume_metadata.VolumesV2MetadataTest', { timeoutMs: CHECK_TIMEOUT_MS });

const volumesMetadata = tempestClass('tempest.api.volume.test_volume_metadata.VolumesMetadataTest', { timeoutMs: CHECK_TIMEOUT_MS });

async function showMetadata(cinder: VolumeClient, id: string): Promise<Record<string, string>> {
  const res = await cinder.showVolumeMetadata(id);
  return res.body.metadata;
}

async function createMetadata(cinder: VolumeClient, id: string, metadata: Record<string, string>): Promise<void> {
  const res = await cinder.createVolumeMetadata(id, metadata);
  expectContainsAll(res.body.metadata, metadata, `${res.method} ${res.url}: metadata in the answer`);
}

async function withVolume(ctx: CheckContext, body: (cinder: VolumeClient, id: string) => Promise<void>): Promise<void> {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  await body(cinder, volume.id);
}

volumesMetadata.test('test_crud_volume_metadata', '6f5b125b-f664-44bf-910f-751591fe5769', (ctx) =>
  withVolume(ctx, async (cinder, id) => {
    const metadata = { key1: 'value1', key2: 'value2', key3: 'value3', key4: '<value&special_chars>' };
    const update = { key4: 'value4', key1: 'value1_update' };
    await createMetadata(cinder, id, metadata);
    expectContainsAll(await showMetadata(cinder, id), metadata, `GET /volumes/${id}/metadata after creating it`);
    const res = await cinder.updateVolumeMetadata(id, update);
    expectSameJson(res.body.metadata, update, `${res.method} ${res.url}: metadata in the answer`);
    expectSameJson(await showMetadata(cinder, id), update, `GET /volumes/${id}/metadata after replacing it`);
    // Tempest's schema for this delete has no body: none may come back.
    expectNoBody(await cinder.deleteVolumeMetadataItem(id, 'key1'), 200);
    const after = await showMetadata(cinder, id);
    expectThat(!('key1' in after), `GET /volumes/${id}/metadata: key1 still present after its deletion`);
    expectContainsAll(after, { key4: 'value4' }, `GET /volumes/${id}/metadata after deleting key1`);
  }));

volumesMetadata.test('test_update_show_volume_metadata_item', '862261c5-8df4-475a-8c21-946e50e36a20', (ctx) =>
  withVolume(ctx, async (cinder, id) => {
    const metadata = { key1: 'value1', key2: 'value2', key3: 'value3' };
    const item = { key3: 'value3_update' };
    await createMetadata(cinder, id, metadata);
    const res = await cinder.updateVolumeMetadataItem(id, 'key3', item);
    expectSameJson(res.body.meta, item, `${res.method} ${res.url}: meta in the answer`);
    const shown = await cinder.showVolumeMetadataItem(id, 'key3');
    expectEqual(shown.body.meta, item, `${shown.method} ${shown.url}: meta`);
    expectContainsAll(await showMetadata(cinder, id), { ...metadata, ...item }, `GET /volumes/${id}/metadata after the item update`);
  }));

/** Tempest 12–13 named the class VolumesV2MetadataTest; the id stayed. */
volumesV2Metadata.test('test_update_volume_metadata', '774d2918-9beb-4f30-b3d1-2a4e8179ec0a', (ctx) =>
  withVolume(ctx, async (cinder, id) => {
    const metadata = { key1: 'value1', key2: 'value2', key3: 'value3' };
    const update = { key4: 'value4', key1: 'value1_update' };
    await createMetadata(cinder, id, metadata);
    expectContainsAll(await showMetadata(cinder, id), metadata, `GET /volumes/${id}/metadata after creating it`);
    await cinder.updateVolumeMetadata(id, update);
    expectSameJson(await showMetadata(cinder, id), update, `GET /volumes/${id}/metadata after replacing it`);
  }));
