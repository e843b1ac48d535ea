import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';

let version: string | undefined;

/** defcore's own version, from package.json. */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
