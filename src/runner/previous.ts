/** An earlier run's results, for --rerun-failed. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readResults } from '../results/read.js';
import type { TestResult } from '../results/model.js';

export interface PreviousRun {
  /** Names and uuids of tests to run again. */
  rerun: Set<string>;
  /** Results that stand (passed last time). */
  kept: TestResult[];
}

/** Reads a run directory (its results.json) or a results file. */
export async function previousResults(where: string): Promise<PreviousRun> {
  let file = where;
  try {
    if ((await stat(where)).isDirectory()) file = path.join(where, 'results.json');
  } catch {
    /* readResults names the missing file */
  }
  const { results } = await readResults(file);
  const rerun = new Set<string>();
  const kept: TestResult[] = [];
  for (const r of results) {
    if (r.status === 'pass') kept.push(r);
    else {
      rerun.add(r.name);
      if (r.uuid) rerun.add(r.uuid);
    }
  }
  return { rerun, kept };
}
