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

/** Runs every sweeper whose service is in the catalog; per-service failures are reported, not thrown. */
export async function sweepAll(client: CloudClient, prefix: string): Promise<{ removed: string[]; failures: string[] }> {
  const removed: string[] = [];
  const failures: string[] = [];
  for (const s of await loadSweepers()) {
    try {
      await client.endpoint(s.service);
    } catch {
      continue; // the cloud has no such service
    }
    try {
      removed.push(...(await s.sweep(client, prefix)));
    } catch (e) {
      failures.push(`${s.service}: ${(e as Error).message}`);
    }
  }
  return { removed, failures };
}
