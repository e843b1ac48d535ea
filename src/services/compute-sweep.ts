/**
 * Compute leftovers of a run: first the run-scoped fixtures' own teardown, then
 * every server of the caller's project named with the prefix (deleted, then
 * awaited until gone so ports and volumes are free for the other sweepers),
 * keypairs named with it, and images named with it (snapshots).
 */
import type { CloudClient } from '../cloud/types.js';
import { ComputeClient, type Server } from './compute.js';
import { teardownRunFixtures } from './compute-fixtures.js';
import { sweepImages } from './image-sweep.js';
import { anyReply } from './protocol.js';
import { waitFor } from './wait.js';

const GONE_TIMEOUT_MS = 120_000;

/** Servers of the project named with `prefix` (Nova's name filter is a regex, so filter here). */
async function prefixedServers(nova: ComputeClient, prefix: string): Promise<Server[]> {
  const res = await anyReply(() => nova.listServers(true, { name: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` }));
  if (res.status !== 200) throw new Error(`GET /servers/detail answered ${res.status}`);
  const list = Array.isArray(res.body?.servers) ? res.body.servers : [];
  return list.filter((s) => typeof s.name === 'string' && s.name.startsWith(prefix));
}

/** Deletes the project's servers, keypairs and images named with `prefix`; returns what it removed. */
export async function sweepCompute(client: CloudClient, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('compute sweep needs a non-empty prefix');
  const failures = await teardownRunFixtures(prefix, client);
  const nova = new ComputeClient(client);
  const removed: string[] = [];
  const deleting: Server[] = [];
  for (const server of await prefixedServers(nova, prefix)) {
    const res = await anyReply(() => nova.deleteServer(server.id));
    if (res.status === 204 || res.status === 404) deleting.push(server);
    else failures.push(`server ${server.name} (${server.id}): DELETE answered ${res.status}`);
  }
  for (const server of deleting) {
    try {
      await waitFor({
        what: `server ${server.id} to be deleted`,
        poll: () => anyReply(() => nova.showServer(server.id)),
        done: (r) => r.status === 404,
        timeoutMs: GONE_TIMEOUT_MS,
      });
      removed.push(`server ${server.name} (${server.id})`);
    } catch (err) {
      failures.push(`server ${server.name} (${server.id}): ${(err as Error).message}`);
    }
  }
  const keypairs = await anyReply(() => nova.listKeypairs());
  if (keypairs.status === 200) {
    for (const { keypair } of keypairs.body?.keypairs ?? []) {
      if (!keypair?.name?.startsWith(prefix)) continue;
      const res = await anyReply(() => nova.deleteKeypair(keypair.name));
      if (res.status >= 200 && res.status < 300) removed.push(`keypair ${keypair.name}`);
      else if (res.status !== 404) failures.push(`keypair ${keypair.name}: DELETE answered ${res.status}`);
    }
  } else {
    failures.push(`GET /os-keypairs answered ${keypairs.status}`);
  }
  const hasImage = await client.endpoint('image').then(() => true, () => false);
  if (hasImage) {
    try {
      removed.push(...(await sweepImages(client, prefix)));
    } catch (err) {
      failures.push(`images: ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`removed ${removed.length}, but ${failures.join('; ')}`);
  return removed;
}
