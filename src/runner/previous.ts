/** An earlier run's results, for --rerun-failed. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readResults } from '../results/read.js';
import type { CarriedFrom, TestResult } from '../results/model.js';

export interface PreviousRun {
  /** Names and uuids of tests to run again. */
  rerun: Set<string>;
  /**
   * Results that stand (passed last time), each marked with the run that produced
   * it; a result already carried keeps its original origin.
   */
  kept: TestResult[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * defcore's own results.json keeps each result whole (evidence, origin) and names
 * the run; other formats give only statuses, and the file stands for the run.
 */
async function readEarlier(file: string): Promise<{ results: TestResult[]; origin: CarriedFrom }> {
  const { results } = await readResults(file); // validates the shape, whatever the format
  const origin: CarriedFrom = { run: path.basename(path.dirname(path.resolve(file))) + '/' + path.basename(file) };
  try {
    const { readInputFile, INPUT_LIMITS } = await import('../util/input-file.js');
    const doc: unknown = JSON.parse((await readInputFile(file, INPUT_LIMITS.results)).toString('utf8'));
    if (isObj(doc) && isObj(doc['tool']) && doc['tool']['name'] === 'defcore' && Array.isArray(doc['results'])) {
      if (typeof doc['prefix'] === 'string' && doc['prefix']) origin.run = doc['prefix'];
      if (typeof doc['startedAt'] === 'string') origin.startedAt = doc['startedAt'];
      const whole = doc['results'] as TestResult[];
      if (whole.length === results.length) {
        // Same order as read: take evidence and origins from the full records.
        return { results: results.map((r, i) => ({ ...r, ...pick(whole[i]) })), origin };
      }
    }
  } catch {
    /* not JSON: subunit or a list, read above */
  }
  return { results, origin };
}

function pick(r: TestResult | undefined): Partial<TestResult> {
  if (!isObj(r)) return {};
  const out: Partial<TestResult> = {};
  if (isObj(r.evidence) && Array.isArray(r.evidence.exchanges)) out.evidence = r.evidence;
  if (isObj(r.carriedFrom) && typeof r.carriedFrom.run === 'string' && r.carriedFrom.run) {
    out.carriedFrom = typeof r.carriedFrom.startedAt === 'string' ? { run: r.carriedFrom.run, startedAt: r.carriedFrom.startedAt } : { run: r.carriedFrom.run };
  }
  return out;
}

/** Reads a run directory (its results.json) or a results file. */
export async function previousResults(where: string): Promise<PreviousRun> {
  let file = where;
  try {
    if ((await stat(where)).isDirectory()) file = path.join(where, 'results.json');
  } catch {
    /* readResults names the missing file */
  }
  const { results, origin } = await readEarlier(file);
  const rerun = new Set<string>();
  const kept: TestResult[] = [];
  for (const r of results) {
    if (r.status === 'pass') kept.push({ ...r, carriedFrom: r.carriedFrom ?? origin });
    else {
      rerun.add(r.name);
      if (r.uuid) rerun.add(r.uuid);
    }
  }
  return { rerun, kept };
}
