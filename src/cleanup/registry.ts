/**
 * Sweepers remove leftovers whose names carry a prefix, one per service.
 * Each file in sweepers/ registers one; `defcore cleanup` and the end of every
 * run call all of them whose service the cloud has.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CloudClient } from '../cloud/types.js';

export interface Sweeper {
  /** Catalog service type it needs. */
  service: string;
  /** Removes what carries the prefix; returns descriptions of what it removed. */
  sweep(client: CloudClient, prefix: string): Promise<string[]>;
}

const sweepers: Sweeper[] = [];

export function registerSweeper(s: Sweeper): void {
  sweepers.push(s);
}

let loaded: Promise<Sweeper[]> | undefined;

export function loadSweepers(): Promise<Sweeper[]> {
  loaded ??= (async () => {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sweepers');
    const files = (await readdir(dir)).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'));
    const ext = files.some((f) => f.endsWith('.js')) ? '.js' : '.ts';
    for (const f of files.filter((x) => x.endsWith(ext)).sort()) await import(pathToFileURL(path.join(dir, f)).href);
    return sweepers;
  })();
  return loaded;
}

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
  const all = await loadSweepers();
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
