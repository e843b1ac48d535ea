import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The repository root (where package.json lives), found from this module's location,
 * so data files (guidelines/, schemas/) resolve the same from src/ (tsx) and dist/.
 */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the defcore installation root (package.json)');
    dir = up;
  }
  cached = dir;
  return dir;
}
