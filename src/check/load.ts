/** Loads every native check: each file in capabilities/ registers its own. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registeredChecks, type CheckDefinition } from './api.js';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (/\.(js|ts)$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(full);
  }
  return out.sort();
}

let loaded: Promise<CheckDefinition[]> | undefined;

/**
 * Imports capabilities/ once. The directory sits two levels above this module both
 * in the source tree (src/check) and in the build (dist/src/check).
 */
export function loadChecks(dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'capabilities')): Promise<CheckDefinition[]> {
  loaded ??= (async () => {
    const files = await walk(dir);
    const ext = files.some((f) => f.endsWith('.js')) ? '.js' : '.ts';
    for (const f of files.filter((x) => x.endsWith(ext))) await import(pathToFileURL(f).href);
    return registeredChecks();
  })();
  return loaded;
}
