/**
 * Steps shared by the DNS checks: random zone and recordset data as
 * designate-tempest-plugin's data_utils makes it (names carry the run prefix, so
 * the DNS sweeper finds leftovers), zone creation with its removal registered at
 * once, the plugin's waiters, and its assertExpected. Registers no check itself.
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { DnsClient, type Zone } from '../../src/services/dns.js';
import { deleteZoneAndWait, zoneGone } from '../../src/services/dns-sweep.js';
import { waitFor } from '../../src/services/wait.js';

/** The plugin's [dns] build_timeout default (360 s). */
export const BUILD_TIMEOUT_MS = 360_000;
/** Deadline of a check: one build timeout plus room for its requests and cleanup. */
export const CHECK_TIMEOUT_MS = 420_000;

/**
 * TTLs are drawn from [MIN_TTL, MAX_CREATE_TTL] (the plugin draws from [dns.min_ttl, 86400]
 * with min_ttl 1 by default): high enough for clouds that enforce a minimum TTL, and
 * leaving room below 86400 for the checks that raise a TTL.
 */
export const MIN_TTL = 3600;
const MAX_CREATE_TTL = 43_200;
const MAX_TTL = 86_400;

export function dnsClient(ctx: CheckContext, role: 'primary' | 'admin' = 'primary'): DnsClient {
  return new DnsClient(ctx.account(role), ctx.signal);
}

/**
 * A TTL of at least `start` (MIN_TTL by default). The plugin draws one at random; a fixed
 * value in the same range asserts the same facts (the TTL is stored and echoed) without
 * making a verdict depend on the draw.
 */
export function randTtl(start = MIN_TTL, end = MAX_CREATE_TTL): number {
  const lo = Math.max(start, MIN_TTL);
  return Math.min(Math.max(lo, 7200), Math.max(lo, Math.min(end, MAX_TTL)));
}

/** A raised TTL for an update: strictly above `ttl` (by an hour when there is room), at most 86400. */
export function randHigherTtl(ttl: number): number {
  return Math.min(ttl + 3600, MAX_TTL);
}

let nextAddress = 0;
/**
 * An IPv4 address for record data (the plugin's rand_ip draws any): documentation addresses
 * of TEST-NET-1 (RFC 5737), in turn, so records of one check differ; they are only stored.
 */
export function randIp(): string {
  nextAddress = (nextAddress % 254) + 1;
  return `192.0.2.${nextAddress}`;
}

/** `<run prefix>zone-…​.com.`, as the plugin's rand_zone_name (suffix `.com.`). */
export function randZoneName(ctx: CheckContext): string {
  return `${ctx.name('zone')}.com.`;
}

/** The plugin's zones_client.create_zone defaults: random name, email, ttl, description. */
export function randZoneData(ctx: CheckContext): { name: string; email: string; ttl: number; description: string } {
  const name = randZoneName(ctx);
  return { name, email: `example@${name.replace(/\.$/, '')}`, ttl: randTtl(), description: `${ctx.prefix}test-zone-${randomBytes(4).toString('hex')}` };
}

/** rand_recordset_data: a random name under the zone, one random address (A), a random TTL. */
export function randRecordsetData(type: string, zoneName: string, name?: string): { name: string; type: string; records: string[]; ttl: number } {
  return {
    name: name ?? `${type.toLowerCase()}-${randomBytes(5).toString('hex')}.${zoneName}`,
    type,
    records: [randIp()],
    ttl: randTtl(),
  };
}

/**
 * Creates a zone (202) and registers its removal: the plugin's wait_zone_delete
 * (delete, then wait until it answers 404), tolerant of a zone the check deleted.
 */
export async function createZone(ctx: CheckContext, dns: DnsClient, data = randZoneData(ctx)): Promise<Zone> {
  const { body: zone } = await dns.createZone(data);
  ctx.defer(`delete zone ${zone.name}`, () => deleteZoneAndWait(dns, zone.id));
  return zone;
}

/** waiters.wait_for_zone_status: polls GET /v2/zones/{id} until `status`, within the build timeout. */
export async function waitForZoneStatus(ctx: CheckContext, dns: DnsClient, id: string, status: string): Promise<Zone> {
  const { body } = await waitFor({
    what: `zone ${id} to reach status ${status}`,
    poll: () => dns.showZone(id),
    done: (r) => r.body.status === status,
    describe: (r) => `status ${r.body.status}, action ${r.body.action}`,
    timeoutMs: BUILD_TIMEOUT_MS,
    maxDelayMs: 1000,
    signal: ctx.signal,
  });
  return body;
}

/** waiters.wait_for_zone_404: polls until GET /v2/zones/{id} answers 404, within the build timeout. */
export async function waitForZone404(ctx: CheckContext, dns: DnsClient, id: string): Promise<void> {
  await waitFor({
    what: `zone ${id} to answer 404`,
    poll: () => zoneGone(dns, id),
    done: (gone) => gone,
    timeoutMs: BUILD_TIMEOUT_MS,
    maxDelayMs: 1000,
    signal: ctx.signal,
  });
}

/**
 * The plugin's assertExpected: every key of `expected` but the excluded ones is
 * present in `actual` with an equal value.
 */
export function expectMatches(expected: Record<string, unknown>, actual: Record<string, unknown>, excluded: readonly string[], what: string): void {
  for (const [key, value] of Object.entries(expected)) {
    if (excluded.includes(key)) continue;
    expectThat(key in actual, `${what}: key ${key} is missing`);
    expectEqual(actual[key], value, `${what}: ${key}`);
  }
}
