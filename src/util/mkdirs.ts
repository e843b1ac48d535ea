/**
 * `mkdir -p` that cannot spin: Node's recursive mkdir loops for ever where mkdir answers
 * ENOENT for a parent that exists (e.g. anything under /proc). One level at a time instead.
 */
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

function missingLevels(dir: string, exists: (d: string) => boolean): string[] {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!exists(d)) {
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return missing;
}

/** Creates `dir` and its missing parents; throws the first mkdir error (ENOENT, EACCES…). */
export async function makeDirs(dir: string, mode?: number): Promise<void> {
  const levels: string[] = [];
  let d = path.resolve(dir);
  while (!(await stat(d).catch(() => undefined))) {
    levels.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const l of levels) {
    try {
      await mkdir(l, mode !== undefined ? { mode } : {});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Synchronous makeDirs. */
export function makeDirsSync(dir: string, mode?: number): void {
  for (const l of missingLevels(dir, (d) => statSync(d, { throwIfNoEntry: false }) !== undefined)) {
    try {
      mkdirSync(l, mode !== undefined ? { mode } : {});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
