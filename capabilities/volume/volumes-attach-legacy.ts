/**
 * Native checks for the tests of tempest.api.volume.test_volumes_actions that
 * drive attachments through Cinder's own volume actions (os-reserve,
 * os-unreserve, os-attach, os-detach) rather than through Nova, as the
 * guidelines 2016.08 … 2018.02 require them (VolumesV2ActionsTest and
 * VolumesActionsTest of Tempest 12–17 share these ids). Cinder records an
 * attachment to the server named; no disk reaches a guest.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { anyReply } from '../../src/services/protocol.js';
import type { VolumeClient } from '../../src/services/volume.js';
import { computeRefs, createServer, nova, SERVER_CHECK_TIMEOUT_MS } from '../compute/steps.js';
import { CHECK_TIMEOUT_MS, createVolume, settle, showVolume, volumeClient, waitVolumeStatus } from './steps.js';

const volumesActions = tempestClass('tempest.api.volume.test_volumes_actions.VolumesActionsTest');

/** Tempest's [compute] volume_device_name default. */
export const VOLUME_DEVICE = '/dev/vdb';

/** Tempest's client expects 202 from every one of these actions. */
/** An ACTIVE server of the primary account (deleted when the check ends). */
async function activeServer(ctx: CheckContext): Promise<string> {
  const compute = nova(ctx);
  const { server } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
  return server!.id;
}

/**
 * os-attach, then the wait for in-use; a detach is deferred in case the check
 * stops before its own detach (a 400 there means it was already detached).
 */
export async function attachThroughCinder(ctx: CheckContext, cinder: VolumeClient, volumeId: string, serverId: string, mountpoint: string): Promise<void> {
  // The client asserts the 202; the detach is registered first for any success.
  const { reply: res, failure } = await settle(() => cinder.attachVolume(volumeId, { instance_uuid: serverId, mountpoint }));
  if (res.status >= 200 && res.status < 300) {
    ctx.defer(`detach volume ${volumeId}`, async () => {
      const d = await anyReply(() => cinder.detachVolume(volumeId));
      if (d.status !== 202 && d.status !== 400 && d.status !== 404) throw new Error(`os-detach of volume ${volumeId}: status ${d.status}`);
      if (d.status === 202) await waitVolumeStatus(ctx, cinder, volumeId, 'available');
    });
  }
  if (failure) throw failure;
  await waitVolumeStatus(ctx, cinder, volumeId, 'in-use');
}

async function detachThroughCinder(ctx: CheckContext, cinder: VolumeClient, volumeId: string): Promise<void> {
  await cinder.detachVolume(volumeId);
  await waitVolumeStatus(ctx, cinder, volumeId, 'available');
}

volumesActions.test('test_attach_detach_volume_to_instance', 'fff42874-7db5-4487-a8e1-ddda5fb5288d', async (ctx) => {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  const serverId = await activeServer(ctx);
  await attachThroughCinder(ctx, cinder, volume.id, serverId, VOLUME_DEVICE);
  await detachThroughCinder(ctx, cinder, volume.id);
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS + CHECK_TIMEOUT_MS });

volumesActions.test('test_get_volume_attachment', '9516a2c8-9135-488c-8dd6-5677a7e5f371', async (ctx) => {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  const serverId = await activeServer(ctx);
  await attachThroughCinder(ctx, cinder, volume.id, serverId, VOLUME_DEVICE);
  const shown = await showVolume(cinder, volume.id);
  const what = `GET /volumes/${volume.id}`;
  const attachments = shown['attachments'];
  expectThat(Array.isArray(attachments) && attachments.length > 0, `${what}: no attachments after os-attach`);
  const a = (attachments as Record<string, unknown>[])[0]!;
  expectEqual(a['device'], VOLUME_DEVICE, `${what}: attachments[0].device`);
  expectEqual(a['server_id'], serverId, `${what}: attachments[0].server_id`);
  expectEqual(a['id'], volume.id, `${what}: attachments[0].id`);
  expectEqual(a['volume_id'], volume.id, `${what}: attachments[0].volume_id`);
  // Tempest's cleanups detach and wait for available; their failure fails the test
  await detachThroughCinder(ctx, cinder, volume.id);
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS + CHECK_TIMEOUT_MS });

volumesActions.test('test_reserve_unreserve_volume', '92c4ef64-51b2-40c0-9f7e-4749fbaaba33', async (ctx) => {
  const cinder = volumeClient(ctx);
  const volume = await createVolume(ctx, cinder);
  const reserve = await settle(() => cinder.reserveVolume(volume.id));
  // A best-effort unreserve: its answer is not judged, as before.
  if (reserve.reply.status >= 200 && reserve.reply.status < 300) ctx.defer(`unreserve volume ${volume.id}`, () => anyReply(() => cinder.unreserveVolume(volume.id)));
  if (reserve.failure) throw reserve.failure;
  const reserved = await showVolume(cinder, volume.id);
  expectThat(String(reserved.status).includes('attaching'), `GET /volumes/${volume.id}: status after os-reserve is "${reserved.status}", expected attaching`);
  await cinder.unreserveVolume(volume.id);
  const unreserved = await showVolume(cinder, volume.id);
  expectThat(String(unreserved.status).includes('available'), `GET /volumes/${volume.id}: status after os-unreserve is "${unreserved.status}", expected available`);
}, { timeoutMs: CHECK_TIMEOUT_MS });
