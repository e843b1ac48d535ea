/**
 * Native checks for tempest.api.compute.volumes.test_attach_volume.AttachVolumeTestJSON:
 * attaching Cinder volumes through Nova (os-volume_attachments), listing and
 * showing attachments, stop/start with a volume attached, detaching. Counting
 * disks inside the guest needs a data plane; Tempest skips that part with
 * validation disabled, and so do these checks.
 *
 * Volumes go through the Block Storage client and the volume steps, so every
 * create and every show while waiting is held to Tempest's volume response
 * schemas, as Tempest's volumes client holds them.
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import type { ComputeClient, VolumeAttachment } from '../../src/services/compute.js';
import { anyReply, anyStatus } from '../../src/services/protocol.js';
import { VOLUME_SERVICE, type Volume, type VolumeClient } from '../../src/services/volume.js';
import { waitFor } from '../../src/services/wait.js';
import { createVolume, settle, volumeClient, waitVolumeStatus } from '../volume/steps.js';
import {
  BUILD_TIMEOUT_MS, computeRefs, createServer, expectNoBody, nova, SERVER_CHECK_TIMEOUT_MS, waitForServerStatus,
} from './steps.js';

const attachVolumeTests = tempestClass('tempest.api.compute.volumes.test_attach_volume.AttachVolumeTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

/** Deadline of the waits on attachments (Tempest's build_timeout); unit tests shorten it. */
export const attachWait = { timeoutMs: BUILD_TIMEOUT_MS };

/** GET /volumes/{id} with the show-volume schema, 200 or the wait fails. */
async function showForWait(cinder: VolumeClient, id: string): Promise<Volume & { attachments?: { server_id: string | null }[] }> {
  // The client validates a 200 against show-volume; another status fails here, naming the wait.
  const r = await anyStatus(() => cinder.showVolume(id));
  expectThat(r.status === 200, `${r.method} ${r.url}: expected status 200 while waiting, got ${r.status}`);
  return r.body.volume as Volume & { attachments?: { server_id: string | null }[] };
}

/**
 * Waits until the volume's `attachments` name the server, as Tempest's
 * wait_for_volume_attachment_create: an `in-use` status alone does not prove the
 * attachment is the one asked for.
 */
async function waitAttachedTo(signal: AbortSignal, cinder: VolumeClient, volumeId: string, serverId: string): Promise<void> {
  await waitFor({
    what: `volume ${volumeId} to list an attachment to server ${serverId}`,
    poll: () => showForWait(cinder, volumeId),
    done: (v) => (v.attachments ?? []).some((a) => a.server_id === serverId),
    describe: (v) => `status ${v.status}, attachments to ${JSON.stringify((v.attachments ?? []).map((a) => a.server_id))}`,
    signal,
    timeoutMs: attachWait.timeoutMs,
  });
}

/**
 * Tempest's detach cleanups, in their order, all test-level (a failure fails the
 * test): detach when the volume is still in-use, wait until Nova no longer lists
 * the attachment, and (unless multiattach) until the volume is available again.
 */
async function detachCleanup(compute: ComputeClient, cinder: VolumeClient, serverId: string, volume: Volume): Promise<void> {
  // A 404 means there is nothing to detach; a 200 is validated by the client.
  const shown = await anyStatus(() => cinder.showVolume(volume.id));
  if (shown.status === 404) return;
  expectThat(shown.status === 200, `${shown.method} ${shown.url}: expected status 200, got ${shown.status}`);
  if (shown.body.volume.status === 'in-use') {
    // A 404 means it is already detached; any other status but 202 fails here.
    const del = await anyReply(() => compute.detachVolume(serverId, volume.id));
    if (del.status !== 404) expectNoBody(del, 202);
  }
  await waitFor({
    what: `server ${serverId} to stop listing volume ${volume.id}`,
    // A 200 is validated by the client; 404 (server gone) ends the wait, another status fails it below.
    poll: () => anyStatus(() => compute.listVolumeAttachments(serverId)),
    done: (r) => r.status === 404 || (r.status === 200 && !r.body.volumeAttachments.some((a) => a.volumeId === volume.id)),
    failed: (r) => (r.status !== 200 && r.status !== 404 ? `${r.method} ${r.url} answered ${r.status}` : undefined),
    describe: (r) => `status ${r.status}`,
    timeoutMs: attachWait.timeoutMs,
  });
  if (volume.multiattach !== true) await waitVolumeStatus(undefined, cinder, volume.id, 'available');
}

/** Best-effort detach of an attach that did not complete, so the volume can be deleted; proves nothing. */
async function detachLeftover(compute: ComputeClient, cinder: VolumeClient, serverId: string, volumeId: string): Promise<void> {
  const del = await anyReply(() => compute.detachVolume(serverId, volumeId));
  if (del.status === 202) await waitVolumeStatus(undefined, cinder, volumeId, 'available');
}

/**
 * Attaches (200 + schema), waits for the attachment and in-use, then defers
 * Tempest's detach cleanups as asserted — registered, as Tempest registers
 * them, only once the attach has completed; before that a best-effort detach.
 */
async function attach(ctx: CheckContext, compute: ComputeClient, cinder: VolumeClient, serverId: string, volume: Volume): Promise<VolumeAttachment> {
  const { reply: res, failure } = await settle(() => compute.attachVolume(serverId, volume.id));
  if (res.status >= 200 && res.status < 300) {
    ctx.defer(`detach volume ${volume.id} from server ${serverId} (if attached)`, () => detachLeftover(compute, cinder, serverId, volume.id));
  }
  // The client's verdict on the 200 and the schema, once the best-effort detach is registered.
  if (failure) throw failure;
  const attachment = res.body.volumeAttachment;
  await waitAttachedTo(ctx.signal, cinder, volume.id, serverId);
  if (volume.multiattach !== true) await waitVolumeStatus(ctx, cinder, volume.id, 'in-use');
  ctx.defer(`detach volume ${volume.id} from server ${serverId}`, () => detachCleanup(compute, cinder, serverId, volume), { asserted: true });
  return attachment;
}

async function detach(ctx: CheckContext, compute: ComputeClient, cinder: VolumeClient, serverId: string, volumeId: string): Promise<void> {
  expectNoBody(await compute.detachVolume(serverId, volumeId));
  await waitVolumeStatus(ctx, cinder, volumeId, 'available');
}

async function stopStart(ctx: CheckContext, compute: ComputeClient, id: string): Promise<void> {
  expectNoBody(await compute.stopServer(id));
  await waitForServerStatus(ctx.signal, compute, id, 'SHUTOFF');
  expectNoBody(await compute.startServer(id));
  await waitForServerStatus(ctx.signal, compute, id, 'ACTIVE');
}

async function setUp(ctx: CheckContext): Promise<{ compute: ComputeClient; cinder: VolumeClient; serverId: string }> {
  // Tempest skips the class when Cinder is not available.
  await ctx.account('primary').endpoint(VOLUME_SERVICE).catch(() => {
    throw new CheckSkip('the cloud has no Block Storage (volumev3) endpoint');
  });
  const cinder = volumeClient(ctx);
  const compute = nova(ctx);
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE', attrs: { adminPass: `Pw-${ctx.prefix}` } });
  await compute.listAddresses(created.id);
  return { compute, cinder, serverId: created.id };
}

attachVolumeTests.test('test_attach_detach_volume', '52e9045a-e90d-4c0d-9087-79d657faffff', async (ctx) => {
  const { compute, cinder, serverId } = await setUp(ctx);
  const volume = await createVolume(ctx, cinder);
  const attachment = await attach(ctx, compute, cinder, serverId, volume);
  await stopStart(ctx, compute, serverId);
  await detach(ctx, compute, cinder, serverId, attachment.volumeId);
  await stopStart(ctx, compute, serverId);
});

attachVolumeTests.test('test_list_get_volume_attachments', '7fa563fe-f0f7-43eb-9e22-a1ece036b513', async (ctx) => {
  const { compute, cinder, serverId } = await setUp(ctx);
  const list = async () => {
    const res = await compute.listVolumeAttachments(serverId);
    return { res, items: res.body.volumeAttachments };
  };
  const show = async (a: VolumeAttachment, volumeId: string) => {
    const res = await compute.showVolumeAttachment(serverId, a.id);
    const body = res.body.volumeAttachment;
    expectEqual(body.serverId, serverId, `${res.method} ${res.url}: serverId`);
    expectEqual(body.volumeId, volumeId, `${res.method} ${res.url}: volumeId`);
    expectEqual(body.id, a.id, `${res.method} ${res.url}: id`);
  };
  const v1 = await createVolume(ctx, cinder);
  const a1 = await attach(ctx, compute, cinder, serverId, v1);
  const first = await list();
  expectEqual(first.items.length, 1, `${first.res.method} ${first.res.url}: number of attachments`);
  const same = JSON.stringify(Object.entries(a1).sort());
  expectThat(first.items.some((i) => JSON.stringify(Object.entries(i).sort()) === same), `${first.res.method} ${first.res.url}: the attachment as POST returned it is not listed`);
  await show(a1, v1.id);
  const v2 = await createVolume(ctx, cinder);
  const a2 = await attach(ctx, compute, cinder, serverId, v2);
  const second = await list();
  expectEqual(second.items.length, 2, `${second.res.method} ${second.res.url}: number of attachments`);
  for (const a of [a1, a2]) {
    await show(a, a.volumeId);
    await detach(ctx, compute, cinder, serverId, a.volumeId);
  }
});
