/**
 * Steps shared by the volume checks: each performs one Block Storage v3
 * operation (the client asserts the status and response schema Tempest's client
 * asserts), waits the way Tempest's waiters wait, and registers the removal of whatever it
 * created right after creating it (snapshots are created after their volume,
 * so last-in-first-out cleanup deletes them first). Registers no check itself.
 */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { expectEqual, expectNoBody, fail } from '../../src/check/expect.js';
import { ProtocolFailure, anyReply, anyStatus, expectErrorStatus, type Reply } from '../../src/services/protocol.js';
import { VolumeClient, type Snapshot, type Volume, type VolumeList, type VolumeQuery } from '../../src/services/volume.js';
import { pause, waitFor } from '../../src/services/wait.js';

/** Tempest's [volume] volume_size and volume_size_extend defaults (GiB). */
export const VOLUME_SIZE = 1;
export const VOLUME_SIZE_EXTEND = 1;

/** Tempest's [volume] build_timeout: the longest any single volume operation may take. */
export const BUILD_TIMEOUT_MS = 300_000;

/** Deadline of a check that creates and awaits volumes. */
export const CHECK_TIMEOUT_MS = 600_000;

/** How long a cleanup may keep retrying a deletion the cloud refuses for now (volume busy). */
const CLEANUP_TIMEOUT_MS = 180_000;

/** The primary account's Block Storage client. */
export function volumeClient(ctx: CheckContext): VolumeClient {
  return new VolumeClient(ctx.account('primary'));
}

/** A random uuid, as Tempest's data_utils.rand_uuid(). */
export function randUuid(): string {
  return randomUUID();
}

/** An answer and, when it broke the declared protocol, the failure the caller throws once it has registered the cleanup of what the answer created. */
export interface Settled<T> {
  reply: Reply<T>;
  failure?: ProtocolFailure;
}

export async function settle<T>(call: () => Promise<Reply<T>>): Promise<Settled<T>> {
  try {
    return { reply: await call() };
  } catch (err) {
    if (err instanceof ProtocolFailure) return { reply: err.reply as Reply<T>, failure: err };
    throw err;
  }
}

function createdId(res: Reply<unknown>, key: 'volume' | 'snapshot'): string | undefined {
  const body = res.body as Record<string, { id?: unknown } | undefined> | undefined;
  const id = res.status >= 200 && res.status < 300 ? body?.[key]?.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Deletes `id` and waits until it answers 404 (up to Tempest's build_timeout, as
 * its wait_for_resource_deletion). A 400 (the resource is still busy: creating,
 * uploading…) is retried until the cleanup deadline; any other refusal, an
 * `error_deleting` status or a deletion that never completes is a failure of the
 * cloud — which fails the check when the cleanup was registered as asserted.
 */
async function removeAndAwait(
  kind: 'volume' | 'snapshot',
  id: string,
  del: () => Promise<Reply<unknown>>,
  show: () => Promise<Reply<Record<string, { status?: string } | undefined>>>,
): Promise<void> {
  const deadline = Date.now() + CLEANUP_TIMEOUT_MS;
  for (let delay = 500; ; delay = Math.min(delay * 1.5, 5000)) {
    // Any answer is judged here: 404 is gone, 400 busy, and the schema is not asserted.
    const res = await anyReply(del);
    if (res.status === 404) return;
    if (res.status === 202 || res.status === 204) break;
    if (res.status !== 400 || Date.now() > deadline) fail(`DELETE ${kind} ${id}: expected status 202, got ${res.status}`);
    await pause(delay);
  }
  await waitFor({
    what: `${kind} ${id} to be deleted`,
    poll: () => anyReply(show),
    done: (r) => r.status === 404,
    failed: (r) => (r.body?.[kind]?.status === 'error_deleting' ? `${kind} ${id} is in status error_deleting` : undefined),
    describe: (r) => `status ${r.status === 200 ? String(r.body?.[kind]?.status) : r.status}`,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
}

/**
 * Whether a deletion registered by a step is part of the test. Tempest's volume
 * tests delete most volumes in class-level cleanups, which fail no test; where a
 * test deletes its own volume in a test-level cleanup (delete_volume and
 * wait_for_resource_deletion), a volume that cannot be deleted fails that test.
 */
export interface DeletionOptions {
  asserted?: boolean;
}

/** Registers the deletion of a volume (and the wait for its disappearance). */
export function deferVolumeDeletion(ctx: CheckContext, cinder: VolumeClient, id: string, opts: DeletionOptions = {}): void {
  ctx.defer(
    `delete volume ${id}`,
    () => removeAndAwait('volume', id, () => cinder.deleteVolume(id), () => cinder.showVolume(id)),
    { asserted: opts.asserted === true },
  );
}

/** Registers the deletion of a snapshot (and the wait for its disappearance). */
export function deferSnapshotDeletion(ctx: CheckContext, cinder: VolumeClient, id: string): void {
  ctx.defer(`delete snapshot ${id}`, () =>
    removeAndAwait('snapshot', id, () => cinder.deleteSnapshot(id), () => cinder.showSnapshot(id)),
  );
}

/**
 * Why a volume resource broke, for the evidence: its status plus, when the
 * cloud offers user messages (3.3+), the latest one about it.
 */
async function whyBroken(cinder: VolumeClient, kind: string, id: string, status: string): Promise<string> {
  const detail = await cinder.latestMessage(id).catch(() => undefined);
  return `${kind} ${id} went to status ${status}${detail ? ` (${detail})` : ''}`;
}

/**
 * Polls a volume until `status`, as Tempest's wait_for_volume_resource_status:
 * `error`, `error_restoring` and `error_extending` fail at once; so does a show
 * answering anything but 200. Cleanups pass no context: the check's deadline
 * has no say over them, only build_timeout.
 */
export async function waitVolumeStatus(ctx: Pick<CheckContext, 'signal'> | undefined, cinder: VolumeClient, id: string, status: string): Promise<Volume> {
  let broken: string | undefined;
  const res = await waitFor({
    what: `volume ${id} to become ${status}`,
    poll: async () => {
      // Tempest's client validates every show, including those of the wait: so does
      // ours on a 200; another status is answered by `failed` below.
      const r = await anyStatus(() => cinder.showVolume(id));
      const s = r.status === 200 ? r.body?.volume?.status : undefined;
      if (s !== undefined && s !== status && ['error', 'error_restoring', 'error_extending'].includes(s)) {
        broken = await whyBroken(cinder, 'volume', id, s);
      }
      return r;
    },
    done: (r) => r.status === 200 && r.body?.volume?.status === status,
    failed: (r) => (r.status !== 200 ? `GET volume ${id} answered ${r.status}` : broken),
    describe: (r) => `status ${String(r.body?.volume?.status)}`,
    ...(ctx ? { signal: ctx.signal } : {}),
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  return res.body.volume;
}

/** Polls a snapshot until `status`; `error` fails at once. */
export async function waitSnapshotStatus(ctx: CheckContext, cinder: VolumeClient, id: string, status: string): Promise<Snapshot> {
  let broken: string | undefined;
  const res = await waitFor({
    what: `snapshot ${id} to become ${status}`,
    poll: async () => {
      const r = await anyStatus(() => cinder.showSnapshot(id));
      const s = r.status === 200 ? r.body?.snapshot?.status : undefined;
      if (s === 'error' && s !== status) broken = await whyBroken(cinder, 'snapshot', id, s);
      return r;
    },
    done: (r) => r.status === 200 && r.body?.snapshot?.status === status,
    failed: (r) => (r.status !== 200 ? `GET snapshot ${id} answered ${r.status}` : broken),
    describe: (r) => `status ${String(r.body?.snapshot?.status)}`,
    signal: ctx.signal,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  return res.body.snapshot;
}

/**
 * POST /volumes (202, schema), deletion deferred at once. A quota refusal (413)
 * is retried while the check's deadline allows: checks of one run share a
 * project, where Tempest gives each test class its own, so the project's volume
 * quota is the harness's constraint, not the cloud's non-conformance.
 */
export async function requestVolume(
  ctx: CheckContext,
  cinder: VolumeClient,
  fields: Record<string, unknown>,
  deletion: DeletionOptions = {},
): Promise<Reply<{ volume: Volume }>> {
  let refusals = 0;
  const { reply: res, failure } = await waitFor({
    what: 'the project volume quota to admit a new volume',
    poll: async () => {
      const r = await settle(() => cinder.createVolume(fields));
      if (r.reply.status === 413) refusals++;
      return r;
    },
    done: (r) => r.reply.status !== 413,
    describe: (r) => `status ${r.reply.status}`,
    signal: ctx.signal,
    initialDelayMs: 1000,
    maxDelayMs: 5000,
  });
  if (refusals > 0) ctx.note(`POST /volumes was refused for quota (413) ${refusals} time(s) before it was admitted`);
  const id = createdId(res, 'volume');
  if (id) deferVolumeDeletion(ctx, cinder, id, deletion);
  // The client's verdict on the 202 and the schema, once the deletion is registered.
  if (failure) throw failure;
  return res;
}

/**
 * Creates a volume (size 1 GiB and a prefixed name unless given) and, unless
 * `wait` is false, waits until it is available; returns it as created.
 */
export async function createVolume(
  ctx: CheckContext,
  cinder: VolumeClient,
  fields: Record<string, unknown> = {},
  wait = true,
  deletion: DeletionOptions = {},
): Promise<Volume> {
  const body = { size: VOLUME_SIZE, name: ctx.name('volume'), ...fields };
  const res = await requestVolume(ctx, cinder, body, deletion);
  const volume = res.body.volume;
  if (wait) await waitVolumeStatus(ctx, cinder, volume.id, 'available');
  return volume;
}

/** GET /volumes/{id} (200, schema, the id asked for). */
export async function showVolume(cinder: VolumeClient, id: string): Promise<Volume> {
  const res = await cinder.showVolume(id);
  expectEqual(res.body.volume.id, id, `${res.method} ${res.url}: id of the shown volume`);
  return res.body.volume;
}

/** PUT /volumes/{id} (200, schema); returns the volume the update answered with. */
export async function updateVolume(cinder: VolumeClient, id: string, fields: Record<string, unknown>): Promise<Volume> {
  return (await cinder.updateVolume(id, fields)).body.volume;
}

/** GET /volumes or /volumes/detail (200, the schema of that listing). */
export async function listVolumes(cinder: VolumeClient, detail: boolean, query?: VolumeQuery | string): Promise<{ volumes: Volume[]; res: Reply<VolumeList> }> {
  const res = await cinder.listVolumes(detail, query);
  return { volumes: res.body.volumes, res };
}

/** Creates a snapshot of `volumeId` (202, schema), defers its deletion, waits until available. */
export async function createSnapshot(
  ctx: CheckContext,
  cinder: VolumeClient,
  volumeId: string,
  fields: Record<string, unknown> = {},
): Promise<Snapshot> {
  const { reply: res, failure } = await settle(() => cinder.createSnapshot({ volume_id: volumeId, name: ctx.name('snapshot'), ...fields }));
  const id = createdId(res, 'snapshot');
  if (id) deferSnapshotDeletion(ctx, cinder, id);
  if (failure) throw failure;
  await waitSnapshotStatus(ctx, cinder, res.body.snapshot.id, 'available');
  return res.body.snapshot;
}

/** DELETE /snapshots/{id} (202), then waits until it answers 404, as Tempest's delete_snapshot. */
export async function deleteSnapshotAndWait(ctx: CheckContext, cinder: VolumeClient, id: string): Promise<void> {
  // The client asserts the 202; Tempest's schema for it has no body: none may come back.
  expectNoBody(await cinder.deleteSnapshot(id), 202);
  await waitFor({
    what: `snapshot ${id} to be deleted`,
    poll: () => anyReply(() => cinder.showSnapshot(id)),
    done: (r) => r.status === 404,
    failed: (r) => (r.status === 200 && r.body?.snapshot?.status === 'error_deleting' ? `snapshot ${id} went to status error_deleting` : undefined),
    describe: (r) => `status ${r.status === 200 ? String(r.body?.snapshot?.status) : r.status}`,
    signal: ctx.signal,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
}

/** Asserts `actual` holds every pair of `expected` (Tempest's ContainsAll on items). */
export function expectContainsAll(actual: Record<string, unknown> | undefined, expected: Record<string, string>, what: string): void {
  const missing = Object.entries(expected).filter(([k, v]) => actual?.[k] !== v);
  if (missing.length > 0) {
    fail(`${what}: expected to contain ${JSON.stringify(Object.fromEntries(missing))}, got ${JSON.stringify(actual)}`);
  }
}

/** expectErrorStatus for a volume or snapshot request: what the cloud created anyway is removed. */
export async function expectRefusedCleaningUp(ctx: CheckContext, cinder: VolumeClient, call: () => Promise<Reply<unknown>>, status: number): Promise<void> {
  try {
    await expectErrorStatus(status, call);
  } catch (err) {
    if (err instanceof ProtocolFailure) {
      const vol = createdId(err.reply, 'volume');
      if (vol) deferVolumeDeletion(ctx, cinder, vol);
      const snap = createdId(err.reply, 'snapshot');
      if (snap) deferSnapshotDeletion(ctx, cinder, snap);
    }
    throw err;
  }
}

/**
 * DELETE /volumes/{id} and the wait for its 404, outside any check (fixture
 * teardown); a volume still busy (400) is retried for a while.
 */
export function deleteVolumeAndWait(cinder: VolumeClient, id: string): Promise<void> {
  return removeAndAwait('volume', id, () => cinder.deleteVolume(id), () => cinder.showVolume(id));
}
