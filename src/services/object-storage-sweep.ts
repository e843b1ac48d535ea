/**
 * Removal of object-storage leftovers: every container whose name starts with a
 * run prefix, with all its objects (versions and segments included), and the
 * account's Temp-URL keys when their value carries the prefix. Used by check
 * cleanups, the runner and `defcore cleanup`. It judges every answer itself (a 404
 * is gone, a 409 is retried), so it takes the client's answers whatever their
 * status (`anyReply`).
 */
import pLimit from 'p-limit';
import type { CloudClient } from '../cloud/types.js';
import { ObjectStorageClient } from './object-storage.js';
import { anyReply } from './protocol.js';

const PAGE = 1000;
const DELETE_ATTEMPTS = 5;
const DELETE_CONCURRENCY = 4;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function parseJsonArray(text: string): Array<Record<string, unknown>> {
  if (!text.trim()) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as Array<Record<string, unknown>>) : [];
}

async function listAll(
  fetchPage: (marker: string | undefined) => Promise<{ status: number; text: string }>,
  what: string,
): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const res = await fetchPage(marker);
    if (res.status === 404) return names;
    if (res.status !== 200 && res.status !== 204) throw new Error(`listing ${what}: status ${res.status}`);
    const page = parseJsonArray(res.text)
      .map((e) => (typeof e.name === 'string' ? e.name : typeof e.subdir === 'string' ? e.subdir : ''))
      .filter((n) => n);
    names.push(...page);
    if (page.length < PAGE) return names;
    marker = page[page.length - 1];
  }
}

/**
 * Empties and deletes one container. Versioning is switched off before objects are
 * deleted, because deleting an object in a versioned container would restore its
 * older version.
 * Returns true when the container is gone (also when it never existed).
 */
export async function purgeContainer(swift: ObjectStorageClient, container: string): Promise<boolean> {
  // Most containers a run leaves are empty: one DELETE removes them. Swift refuses
  // a non-empty one with 409 and changes nothing; that (or any other answer) leads
  // to the full removal below, which judges what it meets.
  const first = await anyReply(() => swift.deleteContainer(container));
  if (first.status === 204 || first.status === 404) return true;
  const head = await anyReply(() => swift.showContainerMetadata(container));
  if (head.status === 404) return true;
  if (head.headers['x-versions-location'] || head.headers['x-history-location']) {
    await anyReply(() => swift.updateContainerMetadata(container, {
      'X-Remove-Versions-Location': 'x',
      'X-Remove-History-Location': 'x',
    }));
  }
  for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
    const objects = await listAll(
      (marker) => anyReply(() => swift.listObjects(container, { format: 'json', limit: PAGE, marker })),
      `container ${container}`,
    );
    // A few deletes at a time: each waits on the object server's disk, not on us.
    const limit = pLimit(DELETE_CONCURRENCY);
    await Promise.all(objects.map((obj) => limit(async () => {
      const res = await anyReply(() => swift.deleteObject(container, obj));
      if (res.status >= 400 && res.status !== 404) {
        throw new Error(`deleting ${container}/${obj}: status ${res.status}`);
      }
    })));
    const del = await anyReply(() => swift.deleteContainer(container));
    if (del.status === 204 || del.status === 404) return true;
    // 409: listings lag behind deletes; list again after a short pause.
    if (del.status !== 409) throw new Error(`deleting container ${container}: status ${del.status}`);
    await sleep(500 * attempt);
  }
  throw new Error(`deleting container ${container}: still not empty after ${DELETE_ATTEMPTS} attempts`);
}

/**
 * Deletes every container named `prefix…` (and its objects) in the client's
 * account, and removes Temp-URL keys whose value starts with `prefix`.
 * Returns what was removed, e.g. `container defcore-1a2b-x`.
 */
export async function sweepObjectStorage(client: CloudClient, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('sweepObjectStorage: refusing an empty prefix');
  const swift = new ObjectStorageClient(client);
  const removed: string[] = [];
  const containers = await listAll(
    (marker) => anyReply(() => swift.listContainers({ format: 'json', prefix, limit: PAGE, marker })),
    'account',
  );
  for (const name of containers.filter((n) => n.startsWith(prefix))) {
    await purgeContainer(swift, name);
    removed.push(`container ${name}`);
  }
  const head = await anyReply(() => swift.showAccountMetadata());
  for (const key of ['temp-url-key', 'temp-url-key-2']) {
    const value = head.headers[`x-account-meta-${key}`];
    if (value !== undefined && value.startsWith(prefix)) {
      await anyReply(() => swift.updateAccountMetadata({ [`X-Remove-Account-Meta-${key}`]: 'x' }));
      removed.push(`account metadata ${key}`);
    }
  }
  return removed;
}
