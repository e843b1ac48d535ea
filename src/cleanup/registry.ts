/**
 * Sweepers remove leftovers whose names carry a prefix, one per service. Every
 * sweeper is listed here, in one table; each one's sweep lives beside its service
 * client as services/<service>-sweep.ts (checks reuse parts of them, e.g. purging a
 * container). `defcore cleanup` and the end of every run call all of them whose
 * service the cloud has. Adding a sweeper is writing services/<x>-sweep.ts and
 * adding a row here.
 */
import type { CloudClient } from '../cloud/types.js';
import { sweepCompute } from '../services/compute-sweep.js';
import { DNS_SERVICE } from '../services/dns.js';
import { sweepZones } from '../services/dns-sweep.js';
import { sweepImages } from '../services/image-sweep.js';
import { sweepNetwork } from '../services/network-sweep.js';
import { sweepObjectStorage } from '../services/object-storage-sweep.js';
import { ORCHESTRATION_SERVICE } from '../services/orchestration.js';
import { sweepStacks } from '../services/orchestration-sweep.js';
import { VOLUME_SERVICE } from '../services/volume.js';
import { sweepVolumes } from '../services/volume-sweep.js';

export interface Sweeper {
  /** Catalog service type it needs. */
  service: string;
  /** Removes what carries the prefix; returns descriptions of what it removed. */
  sweep(client: CloudClient, prefix: string): Promise<string[]>;
}

/** Every sweeper, by service (the order in which their removals are listed). */
export const SWEEPERS: readonly Sweeper[] = [
  { service: 'compute', sweep: sweepCompute },
  { service: DNS_SERVICE, sweep: sweepZones },
  { service: 'image', sweep: sweepImages },
  { service: 'network', sweep: sweepNetwork },
  { service: 'object-store', sweep: sweepObjectStorage },
  { service: ORCHESTRATION_SERVICE, sweep: sweepStacks },
  { service: VOLUME_SERVICE, sweep: sweepVolumes },
];

/**
 * Services whose leftovers can be held by servers (attached volumes, ports): swept once the
 * compute sweep has finished. Everything else is swept side by side with compute.
 */
const AFTER_COMPUTE = new Set(['network', 'volumev3', 'block-storage', 'volume']);

/**
 * Runs every sweeper whose service is in the catalog, independent services side by side: one
 * service that hangs must not keep the others' leftovers in place when an interrupted run's
 * teardown budget runs out. Per-service failures are reported, not thrown.
 */
export interface SweepOptions {
  /**
   * Sweep each service this many times, `settleMs` apart (default once). After an interrupt
   * a create whose answer was lost may be applied by the cloud only after the first look.
   */
  passes?: number;
  settleMs?: number;
}

export async function sweepAll(client: CloudClient, prefix: string, opts: SweepOptions = {}): Promise<{ removed: string[]; failures: string[] }> {
  const all = SWEEPERS;
  const first = await sweepStage(client, prefix, all.filter((s) => !AFTER_COMPUTE.has(s.service)), opts);
  const then = await sweepStage(client, prefix, all.filter((s) => AFTER_COMPUTE.has(s.service)), opts);
  return { removed: [...first.removed, ...then.removed], failures: [...first.failures, ...then.failures] };
}

async function sweepStage(client: CloudClient, prefix: string, stage: Sweeper[], opts: SweepOptions): Promise<{ removed: string[]; failures: string[] }> {
  const outcomes = await Promise.all(
    stage.map(async (s): Promise<{ removed: string[]; failure?: string }> => {
      try {
        await client.endpoint(s.service);
      } catch {
        return { removed: [] }; // the cloud has no such service
      }
      try {
        const removed = await s.sweep(client, prefix);
        for (let pass = 1; pass < (opts.passes ?? 1); pass++) {
          await new Promise((r) => setTimeout(r, opts.settleMs ?? 0));
          removed.push(...(await s.sweep(client, prefix)));
        }
        return { removed };
      } catch (e) {
        return { removed: [], failure: `${s.service}: ${(e as Error).message}` };
      }
    }),
  );
  return {
    removed: outcomes.flatMap((o) => o.removed),
    failures: outcomes.flatMap((o) => (o.failure ? [o.failure] : [])),
  };
}
