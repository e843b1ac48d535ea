/**
 * The report as renderers see it: capabilities grouped by status, each test's
 * outcome joined to its result (duration, evidence). Shared by HTML, Markdown and
 * JUnit so the three never disagree.
 */
import type { CapabilityStatus } from '../../guideline/model.js';
import { CAPABILITY_STATUSES } from '../../guideline/model.js';
import type { TestOutcome } from '../../evaluate/model.js';
import type { TestResult } from '../../results/model.js';
import type { Report } from '../model.js';

/** One guideline test's outcome with the result it came from. */
export interface TestView {
  outcome: TestOutcome;
  result?: TestResult;
  /** pass, or not (anything else, including missing). */
  passed: boolean;
}

/** A capability with its tests, for rendering. */
export interface CapabilityView {
  id: string;
  status: CapabilityStatus;
  component: string;
  admin: boolean;
  verdict: 'pass' | 'fail';
  tests: TestView[];
  passedCount: number;
}

/** What every renderer draws from. */
export interface ReportView {
  report: Report;
  groups: { status: CapabilityStatus; capabilities: CapabilityView[]; passed: number; failed: number }[];
  durationSeconds: number;
  testCounts: Record<string, number>;
}

/** Joins outcomes to results the way evaluate matched them (uuid first, then name). */
function resultFor(o: TestOutcome, byUuid: Map<string, TestResult[]>, byName: Map<string, TestResult[]>): TestResult | undefined {
  const candidates = [...(o.uuid ? byUuid.get(o.uuid) ?? [] : []), ...(byName.get(o.name) ?? [])];
  return candidates.find((r) => r.status === o.status) ?? candidates[0];
}

/** The renderers' view of a report. */
export function reportView(report: Report): ReportView {
  const byUuid = new Map<string, TestResult[]>();
  const byName = new Map<string, TestResult[]>();
  for (const r of report.tests) {
    if (r.uuid) byUuid.set(r.uuid, [...(byUuid.get(r.uuid) ?? []), r]);
    byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  }
  const caps: CapabilityView[] = report.evaluation.capabilities.map((c) => {
    const tests = c.tests.map((o): TestView => {
      const result = o.status === 'missing' ? undefined : resultFor(o, byUuid, byName);
      return result ? { outcome: o, result, passed: o.status === 'pass' } : { outcome: o, passed: o.status === 'pass' };
    });
    return { id: c.id, status: c.status, component: c.component, admin: c.admin, verdict: c.verdict, tests, passedCount: tests.filter((t) => t.passed).length };
  });
  const groups = CAPABILITY_STATUSES.map((status) => {
    const capabilities = caps.filter((c) => c.status === status);
    return { status, capabilities, passed: capabilities.filter((c) => c.verdict === 'pass').length, failed: capabilities.filter((c) => c.verdict === 'fail').length };
  }).filter((g) => g.capabilities.length > 0);
  const testCounts: Record<string, number> = {};
  for (const t of report.tests) testCounts[t.status] = (testCounts[t.status] ?? 0) + 1;
  return {
    report,
    groups,
    durationSeconds: Math.max(0, (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000),
    testCounts,
  };
}
