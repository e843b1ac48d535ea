/**
 * Shared pieces of the object-storage checks: clients per account, resource
 * creation with cleanup registered at once, and the standard Swift response-header
 * assertions (presence per target/method, then the format of well-known headers),
 * which is what Tempest's object-storage tests apply to nearly every response.
 * Statuses and schemas are the client's (src/services/object-storage.ts).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { AccountRole, CheckContext } from '../../src/check/api.js';
import { describeRequest, expectHeader, fail, type ResponseLike } from '../../src/check/expect.js';
import { ObjectStorageClient } from '../../src/services/object-storage.js';
import { purgeContainer } from '../../src/services/object-storage-sweep.js';
import { ProtocolFailure, UnexpectedStatus, anyReply, seeReply, type Reply } from '../../src/services/protocol.js';
import { runFixture } from '../../src/services/compute-fixtures.js';

/** What a Swift response is about, for the header rules. */
export type SwiftTarget = 'Account' | 'Container' | 'Object';
/** The request method, for the header rules. */
export type SwiftMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'COPY';

/** A storage policy as /info lists it. */
export interface StoragePolicy {
  name: string;
}

/** Object-storage client for an account of the run. */
export function swiftFor(ctx: CheckContext, role: AccountRole = 'primary'): ObjectStorageClient {
  return new ObjectStorageClient(ctx.account(role));
}

/** Random binary content (Tempest's default object body is 1024 random bytes). */
export function randomBytes(size = 1024): Buffer {
  return cryptoRandomBytes(size);
}

/** `size` characters of repeated "test" (a predictable small body). */
export function arbitraryString(size = 4): string {
  return 'test'.repeat(Math.ceil(size / 4)).slice(0, size);
}

/** Waits `ms`, or rejects as soon as `signal` aborts (the check's deadline). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason ?? new Error('aborted'));
    }, { once: true });
  });
}

/** Default bounds of `pollFor` (unit tests shorten them). */
export const polling = { timeoutMs: 15_000, intervalMs: 500 };

/**
 * Repeats `probe` until `done` accepts its value or `timeoutMs` passes; returns the
 * last value either way, so the caller asserts on it (and its message shows the
 * value actually seen). For facts Swift only makes eventually true (usage counters).
 */
export async function pollFor<T>(
  ctx: CheckContext,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = polling.timeoutMs,
  intervalMs = polling.intervalMs,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(intervalMs, ctx.signal);
    value = await probe();
  }
  return value;
}

/**
 * `pollFor` over a client operation: repeats `call` until `done` accepts its answer
 * (whatever its status) or time is up, then returns the last answer, or throws the
 * client's failure for it.
 */
export async function pollReply<T>(
  ctx: CheckContext,
  call: () => Promise<Reply<T>>,
  done: (reply: Reply<unknown>) => boolean,
  timeoutMs = polling.timeoutMs,
  intervalMs = polling.intervalMs,
): Promise<Reply<T>> {
  const settle = async (): Promise<{ reply: Reply<unknown>; failure?: ProtocolFailure }> => {
    try {
      return { reply: await call() };
    } catch (err) {
      if (err instanceof ProtocolFailure) return { reply: err.reply, failure: err };
      throw err;
    }
  };
  const last = await pollFor(ctx, settle, (s) => done(s.reply), timeoutMs, intervalMs);
  if (last.failure) throw last.failure;
  return last.reply as Reply<T>;
}

const policyCache = new Map<string, Promise<StoragePolicy[]>>();

/** Storage policies from /info (cached per cluster); none when /info is not discoverable. */
export function storagePolicies(ctx: CheckContext, swift: ObjectStorageClient): Promise<StoragePolicy[]> {
  const key = swift.cloudName;
  let hit = policyCache.get(key);
  if (!hit) {
    hit = (async () => {
      const res = await anyReply(() => swift.showInfo());
      if (res.status !== 200) {
        ctx.note(`GET /info answered ${res.status}: storage-policy headers are not checked`);
        return [];
      }
      try {
        const info = JSON.parse(res.text) as { swift?: { policies?: unknown } };
        const list = info.swift?.policies;
        if (!Array.isArray(list)) return [];
        return list.filter(
          (p): p is StoragePolicy => typeof p === 'object' && p !== null && typeof (p as StoragePolicy).name === 'string',
        );
      } catch {
        return [];
      }
    })();
    hit.catch(() => policyCache.delete(key));
    policyCache.set(key, hit);
  }
  return hit;
}

/** Clears the /info cache (unit tests point many fake clouds at one name). */
export function resetStoragePolicyCache(): void {
  policyCache.clear();
}

/** Swift's mandatory response headers for a target and method (Tempest's presence rules). */
export function expectStandardHeaders(
  res: ResponseLike,
  target: SwiftTarget,
  method: SwiftMethod,
  policies: StoragePolicy[] = [],
): void {
  const h = res.headers;
  const lengthRequired = !(res.status >= 100 && res.status < 200) && res.status !== 204;
  if (lengthRequired && h['content-length'] === undefined && h['transfer-encoding'] === undefined) {
    fail(`${describeRequest(res)}: neither content-length nor transfer-encoding is in the response`);
  }
  for (const name of ['content-type', 'x-trans-id', 'date']) expectHeader(res, name);
  if (method === 'GET' || method === 'HEAD') {
    expectHeader(res, 'x-timestamp');
    if (target === 'Account') {
      for (const name of ['x-account-bytes-used', 'x-account-container-count', 'x-account-object-count']) {
        expectHeader(res, name);
      }
      if (Number.parseInt(h['x-account-container-count'] ?? '0', 10) > 0 && policies.length > 0) {
        let complete = 0;
        for (const policy of policies) {
          const base = `x-account-storage-policy-${policy.name.toLowerCase()}`;
          const names = [`${base}-bytes-used`, `${base}-object-count`, `${base}-container-count`];
          const present = names.filter((n) => h[n] !== undefined);
          if (present.length === 3) complete++;
          else if (present.length > 0) {
            fail(`${describeRequest(res)}: header ${names.find((n) => h[n] === undefined)} is missing`);
          }
        }
        if (complete === 0) fail(`${describeRequest(res)}: no storage-policy usage headers (x-account-storage-policy-*)`);
      }
    } else if (target === 'Container') {
      expectHeader(res, 'x-container-bytes-used');
      expectHeader(res, 'x-container-object-count');
      const policy = expectHeader(res, 'x-storage-policy');
      if (policies.length > 0 && !policies.some((p) => p.name === policy)) {
        fail(`${describeRequest(res)}: x-storage-policy "${policy}" is not one of the cluster's policies`);
      }
    } else {
      expectHeader(res, 'etag');
      expectHeader(res, 'last-modified');
    }
  } else if ((method === 'PUT' || method === 'COPY') && target === 'Object') {
    expectHeader(res, 'etag');
    expectHeader(res, 'last-modified');
    if (method === 'COPY') {
      expectHeader(res, 'x-copied-from');
      expectHeader(res, 'x-copied-from-last-modified');
    }
  }
}

const DIGITS = ['content-length', 'x-account-bytes-used', 'x-account-container-count', 'x-account-object-count',
  'x-container-bytes-used', 'x-container-object-count'];
const NON_EMPTY = ['content-type', 'date', 'last-modified', 'x-copied-from-last-modified'];

/** The format of every well-known Swift header that is present. */
export function expectWellFormattedHeaders(res: ResponseLike): void {
  const bad = (name: string, value: string, shape: string): never =>
    fail(`${describeRequest(res)}: header ${name} should be ${shape}, got ${JSON.stringify(value)}`);
  for (const [name, value] of Object.entries(res.headers)) {
    if (DIGITS.includes(name)) {
      if (!/^\d+$/.test(value)) bad(name, value, 'a non-negative integer');
    } else if (NON_EMPTY.includes(name)) {
      if (!value) bad(name, value, 'non-empty');
    } else if (name === 'x-timestamp') {
      if (!/^\d+\.?\d*$/.test(value)) bad(name, value, 'a decimal timestamp');
    } else if (name === 'x-copied-from') {
      if (!/^\S+\/\S+/.test(value)) bad(name, value, '<container>/<object>');
    } else if (name === 'x-trans-id') {
      if (!/^tx[0-9a-f]{21}-[0-9a-f]{10}/.test(value)) bad(name, value, 'a Swift transaction id (tx<21 hex>-<10 hex>…)');
    } else if (name === 'accept-ranges') {
      if (value !== 'bytes') bad(name, value, '"bytes"');
    } else if (name === 'etag') {
      if (!/^[A-Za-z0-9]+$/.test(value)) bad(name, value, 'alphanumeric');
    } else if (name === 'transfer-encoding') {
      if (value !== 'chunked') bad(name, value, '"chunked"');
    }
  }
}

/** Presence and format of Swift's standard headers (Tempest's assertHeaders). */
export function expectSwiftHeaders(
  res: ResponseLike,
  target: SwiftTarget,
  method: SwiftMethod,
  policies: StoragePolicy[] = [],
): void {
  expectStandardHeaders(res, target, method, policies);
  expectWellFormattedHeaders(res);
}

/** The response with a quoted large-object etag unquoted (after asserting the quotes). */
export function withUnquotedEtag<R extends ResponseLike>(res: R): R {
  const etag = expectHeader(res, 'etag');
  if (!(etag.startsWith('"') && etag.endsWith('"') && etag.length >= 2)) {
    fail(`${describeRequest(res)}: etag of a large object should be enclosed in double quotes, got ${JSON.stringify(etag)}`);
  }
  return { ...res, headers: { ...res.headers, etag: etag.replace(/^"+|"+$/g, '') } };
}

/**
 * Bounds of the wait for a deleted object or container to answer 404 in an asserted
 * removal: Tempest's wait_for_resource_deletion polls every build_interval (1 s)
 * until build_timeout (300 s). Unit tests shorten them.
 */
export const deletionWait = { timeoutMs: 300_000, intervalMs: 1_000 };

/** How a container's removal is registered. */
export interface PurgeOptions {
  /**
   * The removal is part of the test: Tempest removes the container in the test's own
   * tearDown or addCleanup (base.delete_containers), so its failure fails a test that
   * passed. Without it the removal stands for a class's resource_cleanup, whose
   * failure Tempest reports against no test: it is only recorded.
   */
  asserted?: boolean;
}

/** Tempest's listing of the container to empty (one page of up to 9999 names). */
const TEMPEST_LISTING_LIMIT = 9999;

/** `what` must have answered one of `ok`: a failure of the asserted removal otherwise. */
function expectRemovalStatus(res: Reply<unknown>, ok: readonly number[], what: string): void {
  if (!ok.includes(res.status)) {
    const body = res.text ? ` (body: ${res.text.replace(/\s+/g, ' ').trim().slice(0, 200)})` : '';
    fail(`${describeRequest(res)}: ${what}: expected status ${ok.join(' or ')}, got ${res.status}${body}`);
  }
}

/**
 * Polls `probe` until the deleted `what` answers 404 (wait_for_resource_deletion):
 * a success, or a status in `pending`, means it is still there; any other error
 * status, or still being there after `deletionWait.timeoutMs`, fails.
 */
async function waitUntilGone(what: string, probe: () => Promise<Reply<unknown>>, pending: readonly number[] = []): Promise<void> {
  const deadline = Date.now() + deletionWait.timeoutMs;
  for (;;) {
    const res = await probe();
    if (res.status === 404) return;
    if (res.status >= 400 && !pending.includes(res.status)) {
      fail(`${describeRequest(res)}: waiting for the deleted ${what} to disappear: got ${res.status}`);
    }
    if (Date.now() >= deadline) {
      fail(`${describeRequest(res)}: the deleted ${what} still answers ${res.status} after ${deletionWait.timeoutMs / 1000} s`);
    }
    await sleep(deletionWait.intervalMs);
  }
}

/**
 * Removes a container as Tempest's base.delete_containers does, asserting each step:
 * list its objects; DELETE each (200 or 204) and wait until a GET of it answers 404
 * (409: still there); DELETE the container (204) and wait until its HEAD answers 404.
 * A 404 anywhere ends the removal without failing, as Tempest ignores NotFound for
 * the whole container. Returns whether the container is known gone (false when an
 * object's DELETE answered 404 and Tempest would have left the container alone).
 */
export async function removeContainerAsserted(swift: ObjectStorageClient, container: string): Promise<boolean> {
  const listing = await anyReply(() => swift.listObjects(container, { format: 'json', limit: TEMPEST_LISTING_LIMIT }));
  if (listing.status === 404) return true;
  if (listing.status >= 400) fail(`${describeRequest(listing)}: listing container ${container} to delete it: got ${listing.status}`);
  let names: string[];
  try {
    const parsed: unknown = JSON.parse(listing.text);
    if (!Array.isArray(parsed)) throw new Error('not a JSON array');
    names = parsed.map((e) => String((e as { name?: unknown }).name));
  } catch (err) {
    fail(`${describeRequest(listing)}: listing container ${container} to delete it: ${(err as Error).message}`);
  }
  for (const name of names) {
    const del = await anyReply(() => swift.deleteObject(container, name));
    if (del.status === 404) return false;
    expectRemovalStatus(del, [200, 204], `deleting object ${name} of container ${container}`);
    await waitUntilGone(`object ${container}/${name}`, () => anyReply(() => swift.getObject(container, name)), [409]);
  }
  const del = await anyReply(() => swift.deleteContainer(container));
  if (del.status === 404) return true;
  expectRemovalStatus(del, [204], `deleting container ${container}`);
  await waitUntilGone(`container ${container}`, () => anyReply(() => swift.showContainerMetadata(container)));
  return true;
}

/**
 * Registers removal of a container and everything in it. Asserted (`options`), the
 * removal follows Tempest's delete_containers and its failure fails the test; a
 * second, recorded-only purge then removes whatever it left behind.
 */
export function deferPurge(ctx: CheckContext, swift: ObjectStorageClient, container: string, options: PurgeOptions = {}): void {
  const description = `delete container ${container} and its objects`;
  if (!options.asserted) {
    ctx.defer(description, () => purgeContainer(swift, container));
    return;
  }
  let gone = false;
  // Registered first so it runs after the asserted removal (cleanups run newest first).
  ctx.defer(`purge what remains of container ${container}`, async () => {
    if (!gone) await purgeContainer(swift, container);
  });
  ctx.defer(description, async () => {
    gone = await removeContainerAsserted(swift, container);
  }, { asserted: true });
}

/**
 * Creates container `name` and registers its removal once the cloud answered,
 * whatever the answer; returns the (client-validated) answer.
 */
export function createNamedContainer(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  name: string,
  headers: Record<string, string> = {},
  options: PurgeOptions = {},
): Promise<Reply<string>> {
  return seeReply(swift.createContainer(name, headers), () => deferPurge(ctx, swift, name, options));
}

/** Creates a container and registers its removal; returns its name. */
export async function createContainer(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  kind = 'container',
  headers: Record<string, string> = {},
  options: PurgeOptions = {},
): Promise<string> {
  const name = ctx.name(kind);
  await createNamedContainer(ctx, swift, name, headers, options);
  return name;
}

/**
 * Containers set up once per run and shared by the read-only tests of one class,
 * as Tempest's resource_setup sets up a class's containers once for all its tests.
 * The first test to ask creates them (its evidence holds the requests); a failed
 * set-up fails every test sharing it, as a failed resource_setup fails the class.
 * `create` makes each container through `add`, which records it before the PUT, so
 * the teardown (at the run's final sweep, recorded only, like resource_cleanup)
 * covers a partial set-up. The value must not hold the creating test's client: each
 * test uses its own (`swiftFor(ctx)`), so its requests land in its own evidence
 * under its deadline.
 */
export function sharedContainers<T>(
  ctx: CheckContext,
  name: string,
  create: (swift: ObjectStorageClient, add: (container: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, `object-storage ${name}`, async () => {
    const swift = new ObjectStorageClient(client);
    const created: string[] = [];
    const add = async (container: string): Promise<void> => {
      created.push(container);
      await swift.createContainer(container);
    };
    const value = await create(swift, add);
    return {
      value,
      teardown: async (sweeping) => {
        const purger = new ObjectStorageClient(sweeping);
        await Promise.all(created.map((container) => purgeContainer(purger, container)));
      },
    };
  });
}

/** Uploads an object, retrying a 409 (Swift may answer so right after the container PUT). */
export async function uploadObject(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  container: string,
  object: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<Reply<string>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await swift.createObject(container, object, body, { headers });
    } catch (err) {
      if (!(err instanceof UnexpectedStatus && err.reply.status === 409 && attempt < 5)) throw err;
      await sleep(2000, ctx.signal);
    }
  }
}

/** Uploads an object (retrying a 409) and waits until it can be read. */
export async function createObject(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  container: string,
  object: string = ctx.name('object'),
  data: Buffer | string = randomBytes(),
  headers: Record<string, string> = {},
): Promise<{ name: string; data: Buffer }> {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  await uploadObject(ctx, swift, container, object, body, headers);
  await pollReply(ctx, () => swift.getObject(container, object), (r) => r.status !== 404);
  return { name: object, data: body };
}
