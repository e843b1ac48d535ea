/** Importing a whole upstream interop checkout into guidelines/. */
import { readdir, writeFile } from 'node:fs/promises';
import { makeDirs } from '../util/mkdirs.js';
import { INPUT_LIMITS, readFailure, readInputFile } from '../util/input-file.js';
import path from 'node:path';
import { importUpstream } from './upstream-import.js';
import { exportUpstream } from './upstream-export.js';
import { guidelineFile, guidelinesDir } from './load.js';
import { guidelineToYaml } from './yaml.js';
import { GuidelineError } from './errors.js';
import { isDeepStrictEqual } from 'node:util';

const GUIDELINE_FILE = /^([a-z]+\.)?([0-9]{4}\.[0-9]{2}|next)\.json$/;

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => GUIDELINE_FILE.test(f)).sort().map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/**
 * Imports every guideline JSON in `dir` and `dir/add-ons`, refusing any file whose
 * YAML would not export back to the same JSON (so nothing upstream has is lost).
 */
export async function importDirectory(dir: string, outDir = guidelinesDir()): Promise<{ id: string; file: string }[]> {
  const files = [...(await jsonFiles(dir)), ...(await jsonFiles(path.join(dir, 'add-ons')))];
  if (!files.length) throw new GuidelineError(`${dir}: no guideline JSON files (YYYY.MM.json, next.json, add-ons/NAME.YYYY.MM.json)`);
  const out: { id: string; file: string }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = (await readInputFile(file, INPUT_LIMITS.guideline)).toString('utf8');
    } catch (e) {
      throw new GuidelineError(`${file}: cannot read (${readFailure(e)})`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new GuidelineError(`${file}: invalid JSON: ${(e as Error).message}`);
    }
    const g = importUpstream(doc, file);
    // Files are addressed by name (as RefStack did); keep upstream's own id when it disagrees.
    const id = path.basename(file, '.json');
    if (g.id !== id) {
      g.upstream.id = g.id;
      g.id = id;
    }
    if (!isDeepStrictEqual(exportUpstream(g), doc)) throw new GuidelineError(`${file}: import would not round-trip; refusing to write it`);
    const target = guidelineFile(id, outDir);
    await makeDirs(path.dirname(target));
    const rel = path.relative(dir, file).split(path.sep).join('/');
    await writeFile(target, guidelineToYaml(g, `upstream ${rel}`));
    out.push({ id, file: target });
  }
  return out;
}
