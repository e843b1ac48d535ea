/**
 * DNS leftovers of a run: every zone of the caller's project whose name starts
 * with the run prefix is deleted (its recordsets go with it) and awaited until
 * the API answers 404, so nothing is left in Designate nor on its DNS servers.
 */
import type { CloudClient } from '../cloud/types.js';
import { DnsClient, type Zone } from './dns.js';
import { UnexpectedStatus } from './protocol.js';
import { waitFor } from './wait.js';

const GONE_TIMEOUT_MS = 120_000;
const PAGE = 100;
const MAX_PAGES = 100;

/** True once GET /v2/zones/{id} answers 404. */
export async function zoneGone(dns: DnsClient, id: string): Promise<boolean> {
  try {
    await dns.showZone(id);
    return false;
  } catch (err) {
    if (err instanceof UnexpectedStatus && err.reply.status === 404) return true;
    throw err;
  }
}

/** Deletes a zone (a 404 counts as already gone) and waits until it answers 404. */
export async function deleteZoneAndWait(dns: DnsClient, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await dns.deleteZone(id);
  } catch (err) {
    if (!(err instanceof UnexpectedStatus && err.reply.status === 404)) throw err;
  }
  await waitFor({
    what: `zone ${id} to be deleted`,
    poll: () => zoneGone(dns, id),
    done: (gone) => gone,
    timeoutMs: GONE_TIMEOUT_MS,
    maxDelayMs: 2000,
    ...(signal ? { signal } : {}),
  });
}

/** Every zone of the project, page by page. */
async function listAllZones(dns: DnsClient): Promise<Zone[]> {
  const found: Zone[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { body } = await dns.listZones({ limit: PAGE, ...(marker ? { marker } : {}) });
    found.push(...body.zones);
    if (body.zones.length < PAGE || !body.links.next) break;
    marker = body.zones[body.zones.length - 1]!.id;
  }
  return found;
}

/** Deletes the project's zones named with `prefix`; returns what it removed. */
export async function sweepZones(client: CloudClient, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('DNS sweep needs a non-empty prefix');
  const dns = new DnsClient(client);
  const removed: string[] = [];
  const failures: string[] = [];
  for (const z of (await listAllZones(dns)).filter((zone) => zone.name.startsWith(prefix))) {
    try {
      await deleteZoneAndWait(dns, z.id);
      removed.push(`zone ${z.name} (${z.id})`);
    } catch (err) {
      failures.push(`zone ${z.name} (${z.id}): ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`removed ${removed.length}, but ${failures.join('; ')}`);
  return removed;
}
