/**
 * Block Storage leftovers of a run: run-scoped fixtures first (the volume list
 * checks share three volumes), then every snapshot of the caller's project named
 * with the prefix, then every volume named with it — or unnamed with a
 * description carrying it (one check creates an unnamed volume on purpose).
 * Snapshots go first: a volume with snapshots cannot be deleted.
 */
import type { CloudClient } from '../cloud/types.js';
import { teardownRunFixtures } from './compute-fixtures.js';
import { anyReply, type Reply } from './protocol.js';
import { VOLUME_SERVICE, VolumeClient } from './volume.js';
import { pause, waitFor } from './wait.js';

const GONE_TIMEOUT_MS = 120_000;
const PAGE = 200;
const MAX_PAGES = 200;

interface Named {
  id: string;
  name?: string | null;
  description?: string | null;
  status?: string;
}

function carriesPrefix(item: Named, prefix: string): boolean {
  if (typeof item.name === 'string' && item.name !== '') return item.name.startsWith(prefix);
  return typeof item.description === 'string' && item.description.startsWith(prefix);
}

/**
 * Every item of a detailed listing, page by page (marker = last id). The sweep
 * takes any listing it can read: an item breaking the schema is still a leftover.
 */
async function listAll(list: (query: Record<string, string | number>) => Promise<Reply<unknown>>, key: 'volumes' | 'snapshots'): Promise<Named[]> {
  const found: Named[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await anyReply(() => list({ limit: PAGE, ...(marker ? { marker } : {}) }));
    if (res.status !== 200) throw new Error(`GET /${key}/detail answered ${res.status}`);
    const items = (res.body as Record<string, unknown> | undefined)?.[key];
    const batch = Array.isArray(items) ? (items as Named[]) : [];
    found.push(...batch);
    if (batch.length < PAGE) break;
    marker = batch[batch.length - 1]!.id;
  }
  return found;
}

/** Deletes one resource (retrying while it is busy) and waits until it is gone; any answer is judged here. */
async function remove(kind: string, item: Named, del: () => Promise<Reply<unknown>>, show: () => Promise<Reply<unknown>>): Promise<void> {
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  for (let delay = 1000; ; delay = Math.min(delay * 1.5, 5000)) {
    const res = await anyReply(del);
    if (res.status === 404) return;
    if (res.status === 202 || res.status === 204) break;
    if (res.status !== 400 || Date.now() > deadline) throw new Error(`DELETE answered ${res.status}`);
    await pause(delay);
  }
  await waitFor({
    what: `${kind} ${item.id} to be deleted`,
    poll: () => anyReply(show),
    done: (r) => r.status === 404,
    timeoutMs: Math.max(deadline - Date.now(), 10_000),
  });
}

/** Deletes the project's snapshots and volumes carrying `prefix`; returns what it removed. */
export async function sweepVolumes(client: CloudClient, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('volume sweep needs a non-empty prefix');
  const failures = await teardownRunFixtures(prefix, client);
  const cinder = new VolumeClient(client);
  const removed: string[] = [];
  const snapshots = (await listAll((q) => cinder.listSnapshots(true, q), 'snapshots')).filter((s) => carriesPrefix(s, prefix));
  for (const s of snapshots) {
    try {
      await remove('snapshot', s, () => cinder.deleteSnapshot(s.id), () => cinder.showSnapshot(s.id));
      removed.push(`snapshot ${s.name ?? ''} (${s.id})`);
    } catch (err) {
      failures.push(`snapshot ${s.name ?? ''} (${s.id}): ${(err as Error).message}`);
    }
  }
  const volumes = (await listAll((q) => cinder.listVolumes(true, q), 'volumes')).filter((v) => carriesPrefix(v, prefix));
  for (const v of volumes) {
    try {
      await remove('volume', v, () => cinder.deleteVolume(v.id), () => cinder.showVolume(v.id));
      removed.push(`volume ${v.name ?? v.description ?? ''} (${v.id})`);
    } catch (err) {
      failures.push(`volume ${v.name ?? ''} (${v.id}): ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`removed ${removed.length}, but ${failures.join('; ')}`);
  return removed;
}
