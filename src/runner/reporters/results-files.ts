/**
 * results.subunit (streamed as tests finish, so an interrupted run keeps what it
 * did) and results.json (every test with status, duration, reason and evidence).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { makeDirsSync } from '../../util/mkdirs.js';
import path from 'node:path';
import { encodeResult } from '../../results/subunit.js';
import type { TestResult } from '../../results/model.js';
import { registerReporter } from './registry.js';
import type { GuidelineEvaluation, RunInfo, RunReferences } from '../events.js';
import { cellOf, type MatrixCell } from '../../evaluate/matrix.js';

/** The results.json document. */
export interface ResultsFile {
  tool: { name: 'defcore'; version: string };
  guideline: { id: string; file: string; sha256: string };
  program: string;
  cloud: { name: string; authUrl?: string; region?: string; services: Record<string, string>; versions: Record<string, string> };
  prefix: string;
  startedAt: string;
  finishedAt?: string;
  interrupted: boolean;
  /** The compute references the run used and why (runs that boot servers). */
  references?: RunReferences;
  results: TestResult[];
  /** Each guideline's verdict, when the run judged several (`--guideline a,b,c`). */
  verdicts?: Array<MatrixCell & { sha256: string }>;
}

/** The matrix row of each guideline a run judged. */
export function verdictCells(judged: readonly GuidelineEvaluation[]): Array<MatrixCell & { sha256: string }> {
  return judged.map((j) => ({ ...cellOf(j.evaluation), sha256: j.loaded.sha256 }));
}

export function resultsDocument(info: RunInfo, version: string, results: TestResult[], finishedAt?: Date, interrupted = false): ResultsFile {
  const doc: ResultsFile = {
    tool: { name: 'defcore', version },
    guideline: { id: info.guideline.id, file: path.basename(info.guidelineFile), sha256: info.guidelineSha256 },
    program: info.program,
    cloud: { name: info.cloudName, services: info.services, versions: info.versions },
    prefix: info.prefix,
    startedAt: info.startedAt.toISOString(),
    interrupted,
    results,
  };
  if (info.identity?.authUrl) doc.cloud.authUrl = info.identity.authUrl;
  if (info.identity?.region) doc.cloud.region = info.identity.region;
  if (finishedAt) doc.finishedAt = finishedAt.toISOString();
  if (info.references) doc.references = info.references;
  return doc;
}

registerReporter({
  name: 'results-files',
  default: true,
  create: () => {
    let subunit = '';
    const started = new Map<string, Date>();
    return {
      name: 'results-files',
      onBegin(info) {
        makeDirsSync(info.outputDir);
        subunit = path.join(info.outputDir, 'results.subunit');
        writeFileSync(subunit, Buffer.alloc(0));
      },
      onTestBegin(t) {
        started.set(t.name, new Date());
      },
      onTestEnd(t, r) {
        appendFileSync(subunit, encodeResult(r, started.get(t.name) ?? new Date()));
      },
      async onEnd(summary) {
        const { toolVersion } = await import('../../util/version.js');
        const doc = resultsDocument(summary.info, toolVersion(), summary.results, summary.finishedAt, summary.interrupted);
        if (summary.guidelines) doc.verdicts = verdictCells(summary.guidelines);
        writeFileSync(path.join(summary.info.outputDir, 'results.json'), JSON.stringify(doc, null, 2) + '\n');
      },
    };
  },
});
