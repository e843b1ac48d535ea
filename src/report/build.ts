/** Assembling a report from a finished run (or from imported results). */
import os from 'node:os';
import path from 'node:path';
import type { CapabilityStatus, Guideline } from '../guideline/model.js';
import { CAPABILITY_STATUSES } from '../guideline/model.js';
import type { Evaluation } from '../evaluate/model.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { Attempt, Evidence, HttpExchange, TestResult } from '../results/model.js';
import { REDACTED, isSecretHeader, redactUrl } from '../cloud/redact.js';
import { cloudId } from './cloud-id.js';
import { canonicalJson } from './canonical.js';
import { cellOf } from '../evaluate/matrix.js';
import { REPORT_FORMAT, REPORT_FORMAT_VERSION, ReportError, type Report, type ReportEnvironment, type ReportMatrixCell, type ReportReferences } from './model.js';

/** What the runner knows at the end of a run; everything a report needs. */
export interface ReportInput {
  /** The guideline as loaded (`loadGuideline`): the model, its file and the file's sha256. */
  guideline: { guideline: Guideline; file: string; sha256: string };
  program: string;
  /** Capability statuses the run evaluated (default: all). */
  statuses?: readonly CapabilityStatus[];
  cloud: {
    name: string;
    /** Keystone URL the run authenticated against; the cloud id derives from it. */
    authUrl: string;
    region?: string;
    /** Service type -> discovered endpoint or version. */
    services: Record<string, string>;
  };
  startedAt: Date | string;
  finishedAt: Date | string;
  interrupted?: boolean;
  results: readonly TestResult[];
  /**
   * The run's evaluation. When given it must be exactly what the results give
   * (a mismatch is a harness bug and is refused); when absent it is computed.
   */
  evaluation?: Evaluation;
  toolVersion: string;
  /** The compute references the run used and why. */
  references?: ReportReferences;
  /** Defaults to this process's node version and OS. */
  environment?: ReportEnvironment;
  /**
   * The other guidelines the run judged (`run --guideline a,b,c`); the report then
   * carries a matrix of every guideline's verdict on its tests.
   */
  also?: ReadonlyArray<{ guideline: Guideline; file: string; sha256: string }>;
}

/** Each guideline's verdict on `tests`: the report's matrix (its own guideline first). */
export function matrixOf(
  judged: ReadonlyArray<{ guideline: Guideline; file: string; sha256: string }>,
  program: string,
  tests: readonly TestResult[],
  statuses: readonly CapabilityStatus[],
): ReportMatrixCell[] {
  return judged.map((j) => {
    const cell = cellOf(evaluate(j.guideline, program, tests, { statuses }));
    return { guideline: { id: j.guideline.id, file: path.basename(j.file), sha256: j.sha256 }, program, verdict: cell.verdict, requiredCapabilities: cell.requiredCapabilities, requiredTests: cell.requiredTests };
  });
}

/** The node version and OS of this process. */
export function currentEnvironment(): ReportEnvironment {
  return { node: process.version, os: { platform: process.platform, release: os.release(), arch: process.arch } };
}

function iso(t: Date | string, field: string): string {
  const d = typeof t === 'string' ? new Date(t) : t;
  if (Number.isNaN(d.getTime())) throw new ReportError(`report ${field}: invalid time ${String(t)}`);
  return d.toISOString();
}

function redactHeaders(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, isSecretHeader(k) ? REDACTED : v]));
}

/**
 * Evidence was redacted when it was recorded; a report is shared and signed, so
 * secret headers and signed-URL parameters are masked once more in case a
 * recorder missed them.
 */
function safeExchange(x: HttpExchange): HttpExchange {
  const out: HttpExchange = { ...x, url: redactUrl(x.url), requestHeaders: redactHeaders(x.requestHeaders) };
  if (x.responseHeaders) out.responseHeaders = redactHeaders(x.responseHeaders);
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function safeResult(r: TestResult): TestResult {
  // copies only the known fields, so a report never carries stray properties
  const out: TestResult = { name: r.name, status: r.status };
  // a malformed uuid can never match a guideline test, so leaving it out changes no
  // verdict; keeping it would make the whole report invalid and lose the run
  if (r.uuid && UUID.test(r.uuid)) out.uuid = r.uuid.toLowerCase();
  if (r.durationMs !== undefined && Number.isFinite(r.durationMs) && r.durationMs >= 0) out.durationMs = r.durationMs;
  if (r.reason !== undefined) out.reason = r.reason;
  if (r.carriedFrom) out.carriedFrom = r.carriedFrom.startedAt !== undefined ? { run: r.carriedFrom.run, startedAt: r.carriedFrom.startedAt } : { run: r.carriedFrom.run };
  if (r.evidence) out.evidence = safeEvidence(r.evidence);
  if (r.attempts?.length) {
    out.attempts = r.attempts.map((a) => {
      const c: Attempt = { status: a.status };
      if (a.durationMs !== undefined && Number.isFinite(a.durationMs) && a.durationMs >= 0) c.durationMs = a.durationMs;
      if (a.reason !== undefined) c.reason = a.reason;
      if (a.evidence) c.evidence = safeEvidence(a.evidence);
      return c;
    });
    if (r.flaky && r.status === 'pass') out.flaky = true;
  }
  return out;
}

function safeEvidence(e: Evidence): Evidence {
  const out: Evidence = { exchanges: e.exchanges.map(safeExchange) };
  if (e.notes) out.notes = [...e.notes];
  return out;
}

/** Builds the report of a run. Throws ReportError on inconsistent input. */
export function buildReport(input: ReportInput): Report {
  const g = input.guideline.guideline;
  const statuses = input.statuses ? CAPABILITY_STATUSES.filter((s) => input.statuses!.includes(s)) : [...CAPABILITY_STATUSES];
  const tests = input.results.map(safeResult);
  const seen = new Set<string>();
  for (const t of tests) {
    for (const k of t.uuid ? [t.uuid, t.name] : [t.name]) {
      // verify rejects such a report: a second passing result would hide a failure
      if (seen.has(k)) throw new ReportError(`test ${k} has more than one result; refusing to write a report`, 3);
      seen.add(k);
    }
  }
  const evaluation = evaluate(g, input.program, tests, { statuses });
  if (input.evaluation && canonicalJson(input.evaluation) !== canonicalJson(evaluation)) {
    throw new ReportError(`the run's evaluation does not follow from its results (guideline ${g.id}, program ${input.program}); refusing to write a report`, 3);
  }
  const cloud: Report['cloud'] = {
    id: cloudId(input.cloud.authUrl),
    name: input.cloud.name,
    authUrl: input.cloud.authUrl,
    services: { ...input.cloud.services },
  };
  if (input.cloud.region) cloud.region = input.cloud.region;
  const references = input.references
    ? { compute: input.references.compute.map((c) => ({ setting: c.setting, id: c.id, name: c.name, source: c.source, why: c.why })), preflight: input.references.preflight }
    : undefined;
  return {
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    tool: { name: 'defcore', version: input.toolVersion },
    guideline: { id: g.id, file: path.basename(input.guideline.file), sha256: input.guideline.sha256 },
    program: input.program,
    statuses,
    cloud,
    startedAt: iso(input.startedAt, 'startedAt'),
    finishedAt: iso(input.finishedAt, 'finishedAt'),
    interrupted: Boolean(input.interrupted),
    environment: input.environment ?? currentEnvironment(),
    ...(references ? { references } : {}),
    tests,
    evaluation,
    ...(input.also?.length ? { matrix: matrixOf([input.guideline, ...input.also], input.program, tests, statuses) } : {}),
  };
}
