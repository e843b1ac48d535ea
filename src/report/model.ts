/**
 * The defcore report (format version 1): everything a reviewer needs to judge a
 * run, and to re-derive its verdict. `report.schema.json` beside this file is the
 * published JSON Schema of this shape; FORMAT.md documents both.
 */
import type { CapabilityStatus } from '../guideline/model.js';
import type { Evaluation, Verdict } from '../evaluate/model.js';
import type { TestResult } from '../results/model.js';

/** `format` of every report. */
export const REPORT_FORMAT = 'defcore-report';
/** Bumped when old readers could not read a new report. */
export const REPORT_FORMAT_VERSION = 1;

/** The cloud under test as the run saw it. */
export interface ReportCloud {
  /**
   * Stable cloud id: md5 (hex) of the Keystone endpoint's host name, the way
   * refstack-client derived RefStack's `cpid` from an endpoint.
   */
  id: string;
  /** Name of the cloud in clouds.yaml (or the environment). */
  name: string;
  /** Keystone URL used for authentication. */
  authUrl: string;
  region?: string;
  /** Service type -> what discovery found for it (endpoint URL or version). */
  services: Record<string, string>;
}

/** One compute reference of the run (Tempest's [compute] setting), how it was decided and why. */
export interface ReportReferenceChoice {
  setting: 'image_ref' | 'image_ref_alt' | 'flavor_ref' | 'flavor_ref_alt' | 'fixed_network_name';
  /** Empty when nothing was chosen. */
  id: string;
  name: string;
  source: 'setting' | 'discovered';
  why: string;
}

/** The references a run that boots servers used. */
export interface ReportReferences {
  compute: ReportReferenceChoice[];
  /** The preflight's quota check. */
  preflight: string;
}

/** The machine that ran the tests. */
export interface ReportEnvironment {
  node: string;
  os: { platform: string; release: string; arch: string };
}

/** A report, format version 1. */
export interface Report {
  format: typeof REPORT_FORMAT;
  formatVersion: typeof REPORT_FORMAT_VERSION;
  tool: { name: 'defcore'; version: string };
  /** The guideline judged against; `sha256` is of its YAML file's bytes. */
  guideline: { id: string; file: string; sha256: string };
  program: string;
  /** Capability statuses that were evaluated (needed to re-derive the evaluation). */
  statuses: CapabilityStatus[];
  cloud: ReportCloud;
  startedAt: string;
  finishedAt: string;
  /** True when the run was interrupted: tests not started are absent from `tests`. */
  interrupted: boolean;
  environment: ReportEnvironment;
  /** The compute references used and why; absent when the run booted no servers. */
  references?: ReportReferences;
  /** Every executed test with its result, duration and redacted evidence. */
  tests: TestResult[];
  /** The per-capability and program verdict derived from `tests`. */
  evaluation: Evaluation;
  /**
   * Every guideline the run judged (`run --guideline a,b,c`), this report's own
   * first: each cell is what that guideline alone gives `tests`.
   */
  matrix?: ReportMatrixCell[];
}

/** One guideline's verdict on the report's tests, for the same program and statuses. */
export interface ReportMatrixCell {
  guideline: { id: string; file: string; sha256: string };
  program: string;
  verdict: Verdict;
  requiredCapabilities: { passed: number; total: number };
  requiredTests: { passed: number; total: number };
}

/** A report that cannot be read, validated, signed or verified; shown as one line (exit 2). */
export class ReportError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'ReportError';
  }
}
