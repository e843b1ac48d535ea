/**
 * Coordination of account metadata within one run. Tempest gives each test class a
 * fresh project; defcore's checks share one primary account, so a check that sets
 * account metadata (Temp-URL key, quota) must not overlap the check asserting an
 * account has no metadata. Setters hold a shared lease; the metadata-free check
 * takes an exclusive one. The Temp-URL key is also shared: the first holder sets
 * it (remembering any key the account already had), the last one restores it.
 *
 * Whether a restoration binds follows Tempest: the Temp-URL key is removed in a
 * class's resource_cleanup (recorded only), the account quota in each test's
 * tearDown (test_account_quotas*.py), so a failed quota restoration fails the
 * check that performs it, the last user. Releasing a lease is never asserted.
 */
import type { CheckContext } from '../../src/check/api.js';
import { describeRequest, fail } from '../../src/check/expect.js';
import type { ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyReply } from '../../src/services/protocol.js';
import { randomBytes } from 'node:crypto';

interface Lease {
  shared: number;
  exclusive: boolean;
  waiters: Array<() => void>;
}

const leases = new Map<string, Lease>();

function leaseFor(key: string): Lease {
  let l = leases.get(key);
  if (!l) {
    l = { shared: 0, exclusive: false, waiters: [] };
    leases.set(key, l);
  }
  return l;
}

function wake(l: Lease): void {
  const w = l.waiters.splice(0);
  for (const fn of w) fn();
}

async function waitUntil(l: Lease, ok: () => boolean, signal: AbortSignal): Promise<void> {
  while (!ok()) {
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
    await new Promise<void>((resolve) => {
      l.waiters.push(resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

/** Holds a shared lease on the account's metadata until the check's cleanup runs. */
export async function holdSharedMetadataLease(ctx: CheckContext, swift: ObjectStorageClient): Promise<void> {
  const l = leaseFor(await swift.accountUrl());
  await waitUntil(l, () => !l.exclusive, ctx.signal);
  l.shared++;
  ctx.defer('release account-metadata lease', async () => {
    l.shared--;
    wake(l);
  });
}

/** Runs `fn` while no other check of this run changes the account's metadata. */
export async function withExclusiveMetadata<T>(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  fn: () => Promise<T>,
): Promise<T> {
  const l = leaseFor(await swift.accountUrl());
  await waitUntil(l, () => !l.exclusive && l.shared === 0, ctx.signal);
  l.exclusive = true;
  try {
    return await fn();
  } finally {
    l.exclusive = false;
    wake(l);
  }
}

interface Applied {
  /** The value in force for this run. */
  value: string;
  /** What the account had before (undefined: nothing). */
  previous: string | undefined;
}

interface SharedSetting {
  users: number;
  ready: Promise<Applied>;
}

const settings = new Map<string, SharedSetting>();

/**
 * One account setting shared by the checks of a run: the first user applies it
 * (remembering what the account had), the last user's cleanup restores that;
 * `asserted`, a failed restoration fails that user's check. Returns the value in force.
 */
async function acquireShared(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  what: string,
  apply: () => Promise<Applied>,
  restore: (previous: string | undefined) => Promise<void>,
  asserted = false,
): Promise<string> {
  await holdSharedMetadataLease(ctx, swift);
  const key = `${await swift.accountUrl()} ${what}`;
  let state = settings.get(key);
  if (!state) {
    state = { users: 0, ready: apply() };
    state.ready.catch(() => undefined);
    settings.set(key, state);
  }
  const held = state;
  held.users++;
  ctx.defer(`restore the account's ${what}`, async () => {
    held.users--;
    if (held.users > 0) return;
    settings.delete(key);
    // When applying failed half way, removing is the safe restoration.
    const previous = await held.ready.then((a) => a.previous, () => undefined);
    await restore(previous);
  }, { asserted });
  return (await held.ready).value;
}

/**
 * Makes sure the account has a Temp-URL key of this run (its value starts with the
 * run prefix, so a sweep finds leftovers) and returns it; the last user restores
 * any key the account had before.
 */
export function acquireTempUrlKey(ctx: CheckContext, swift: ObjectStorageClient): Promise<string> {
  return acquireShared(
    ctx,
    swift,
    'Temp-URL key',
    async () => {
      const value = `${ctx.prefix}${randomBytes(12).toString('hex')}`;
      const head = await swift.showAccountMetadata();
      await swift.updateAccountMetadata({ 'X-Account-Meta-Temp-URL-Key': value });
      return { value, previous: head.headers['x-account-meta-temp-url-key'] };
    },
    async (previous) => {
      const headers: Record<string, string> = previous === undefined
        ? { 'X-Remove-Account-Meta-Temp-URL-Key': 'x' }
        : { 'X-Account-Meta-Temp-URL-Key': previous };
      const res = await anyReply(() => swift.updateAccountMetadata(headers));
      if (res.status >= 300) throw new Error(`restoring the Temp-URL key: status ${res.status}`);
    },
  );
}

/**
 * Has a reseller set a byte quota on the owner's account (shared by the quota
 * checks of a run); the last user restores the account's earlier quota, and a
 * refusal of that POST (an error status, as Tempest's tearDown request raises on)
 * fails its check. `quotaFor` computes the quota from the bytes the account uses.
 * Returns the quota.
 */
export function acquireAccountQuota(
  ctx: CheckContext,
  owner: ObjectStorageClient,
  reseller: ObjectStorageClient,
  quotaFor: (bytesUsed: number) => number,
): Promise<string> {
  return acquireShared(
    ctx,
    owner,
    'byte quota',
    async () => {
      const head = await owner.showAccountMetadata();
      const used = Number.parseInt(head.headers['x-account-bytes-used'] ?? '0', 10) || 0;
      const value = String(quotaFor(used));
      await reseller.updateAccountMetadata({ 'X-Account-Meta-Quota-Bytes': value });
      return { value, previous: head.headers['x-account-meta-quota-bytes'] };
    },
    async (previous) => {
      const headers: Record<string, string> = previous === undefined
        ? { 'X-Remove-Account-Meta-Quota-Bytes': 'x' }
        : { 'X-Account-Meta-Quota-Bytes': previous };
      const res = await anyReply(() => reseller.updateAccountMetadata(headers));
      if (res.status >= 400) fail(`${describeRequest(res)}: restoring the account quota as the reseller: got ${res.status}`);
      if (res.status >= 300) ctx.note(`${describeRequest(res)}: restoring the account quota answered ${res.status}`);
    },
    true,
  );
}
