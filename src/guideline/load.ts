/** Finding and loading committed guidelines by id. */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Guideline } from './model.js';
import { GuidelineError } from './errors.js';
import { formatProblem, MAX_GUIDELINE_BYTES, parseYamlText } from './yaml.js';
import { validateParsed } from './validate.js';
import { repoRoot } from '../util/paths.js';
import { InputFileError, readFailure, readInputFile } from '../util/input-file.js';

export interface LoadedGuideline {
  guideline: Guideline;
  file: string;
  /** sha256 (hex) of the YAML file's bytes: what reports pin. */
  sha256: string;
}

export function guidelinesDir(): string {
  return path.join(repoRoot(), 'guidelines');
}

/** The file an id lives in: `2020.06` -> guidelines/2020.06.yaml, `dns.2020.06` -> guidelines/add-ons/dns.2020.06.yaml. */
export function guidelineFile(id: string, dir = guidelinesDir()): string {
  return /^[a-z]+\./.test(id) ? path.join(dir, 'add-ons', `${id}.yaml`) : path.join(dir, `${id}.yaml`);
}

/** All guideline files in the directory, main guidelines first, each group sorted by id. */
export async function listGuidelineFiles(dir = guidelinesDir()): Promise<string[]> {
  const yamls = async (d: string) => {
    try {
      return (await readdir(d)).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(d, f));
    } catch {
      return [];
    }
  };
  return [...(await yamls(dir)), ...(await yamls(path.join(dir, 'add-ons')))];
}

/**
 * Loads a guideline by id (`2020.06`, `next`, `dns.2020.06`) or by path to a YAML file.
 * Invalid files are refused with their first located problems.
 */
export async function loadGuideline(idOrPath: string, opts: { dir?: string } = {}): Promise<LoadedGuideline> {
  const isPath = idOrPath.endsWith('.yaml') || idOrPath.endsWith('.yml') || idOrPath.includes('/');
  const file = isPath ? path.resolve(idOrPath) : guidelineFile(idOrPath, opts.dir);
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, MAX_GUIDELINE_BYTES);
  } catch (e) {
    if (isPath || !(e instanceof InputFileError && e.code === 'ENOENT')) throw new GuidelineError(`cannot read guideline file ${file}: ${readFailure(e)}`);
    const known = (await listGuidelineFiles(opts.dir)).map((f) => path.basename(f, '.yaml'));
    throw new GuidelineError(
      isPath ? `cannot read guideline file ${file}` : `unknown guideline "${idOrPath}" (known: ${known.join(', ') || 'none; run defcore guidelines import'})`,
    );
  }
  const parsed = parseYamlText(bytes.toString('utf8'), path.relative(process.cwd(), file) || file);
  const errors = validateParsed(parsed, { locate: 'errors' }).filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new GuidelineError(`invalid guideline: ${errors.slice(0, 3).map(formatProblem).join('; ')}${errors.length > 3 ? ` (+${errors.length - 3} more)` : ''}`);
  }
  return { guideline: parsed.data as Guideline, file, sha256: createHash('sha256').update(bytes).digest('hex') };
}
