/** The run as a stream of events, for reporters (terminal, files, reports). */
import type { Guideline } from '../guideline/model.js';
import type { SelectedTest } from '../guideline/select.js';
import type { Evaluation } from '../evaluate/model.js';
import type { TestResult } from '../results/model.js';
import type { AuthIdentity } from '../cloud/types.js';
import type { ReferenceChoice } from '../services/compute-refs.js';

/** The references a run used and why (recorded in results.json and the report). */
export interface RunReferences {
  compute: ReferenceChoice[];
  /** The preflight's quota check as printed. */
  preflight: string;
}

export interface RunInfo {
  guideline: Guideline;
  guidelineFile: string;
  guidelineSha256: string;
  program: string;
  cloudName: string;
  identity?: AuthIdentity;
  /** Service type -> endpoint URL discovered from the catalog. */
  services: Record<string, string>;
  /** Service type -> current API version its version document reports. */
  versions: Record<string, string>;
  prefix: string;
  tests: SelectedTest[];
  concurrency: number;
  outputDir: string;
  startedAt: Date;
  /** Every guideline the run judges, when more than one (`guideline` is the first). */
  guidelineIds?: string[];
  /** Set when the run resolved compute references (programs that boot servers). */
  references?: RunReferences;
}

/** One guideline's verdict on a run that judged several (`--guideline a,b,c`). */
export interface GuidelineEvaluation {
  /** The guideline as loaded: its model, its file and the file's sha256. */
  loaded: { guideline: Guideline; file: string; sha256: string };
  evaluation: Evaluation;
}

export interface RunSummary {
  info: RunInfo;
  results: TestResult[];
  evaluation: Evaluation;
  finishedAt: Date;
  interrupted: boolean;
  /** Leftovers with the run prefix removed by the final sweep (should be empty). */
  swept: string[];
  /** Tests with no native check yet. */
  notImplemented: string[];
  /**
   * Every guideline the run judged, the first (`evaluation`) included, when it judged
   * more than one; each evaluation is what that guideline alone gives these results.
   */
  guidelines?: GuidelineEvaluation[];
  /**
   * After an interrupt, tests whose teardown did not finish within the teardown budget
   * (their resources may be left; `defcore cleanup --prefix <prefix>` removes them).
   */
  teardownIncomplete?: string[];
  /** True when the final sweep did not run or did not finish (interrupt budget spent). */
  sweepIncomplete?: boolean;
}

/** Reporters see the run; each hook may be async. A failing reporter never stops the run. */
export interface Reporter {
  readonly name: string;
  onBegin?(info: RunInfo): void | Promise<void>;
  onTestBegin?(test: SelectedTest): void | Promise<void>;
  onTestEnd?(test: SelectedTest, result: TestResult): void | Promise<void>;
  onEnd?(summary: RunSummary): void | Promise<void>;
}

/** What a reporter factory gets to decide how to behave. */
export interface ReporterOptions {
  isTTY: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Signing key for reports, when the user asked for signed output. */
  signKey?: string;
}
