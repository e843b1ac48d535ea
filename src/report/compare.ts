/** What changed between two reports: for CI on a distribution, run after run. */
import type { CapabilityStatus } from '../guideline/model.js';
import type { TestOutcome } from '../evaluate/model.js';
import type { Report } from './model.js';

/** How a capability differs between the old and the new report. */
export type Change = 'regressed' | 'improved' | 'added' | 'removed';

/** A capability whose verdict changed, or that one report has and the other lacks. */
export interface CapabilityChange {
  id: string;
  /** Status in the new report (the old one's when removed). */
  status: CapabilityStatus;
  change: Change;
  from?: 'pass' | 'fail';
  to?: 'pass' | 'fail';
}

/** A test that started or stopped passing. */
export interface TestChange {
  name: string;
  uuid?: string;
  change: 'regressed' | 'improved';
  from: TestOutcome['status'];
  to: TestOutcome['status'];
  flagged: boolean;
}

/** Everything `defcore compare` reports. */
export interface Comparison {
  old: { guideline: string; program: string; cloud: string; verdict: 'pass' | 'fail'; startedAt: string };
  new: { guideline: string; program: string; cloud: string; verdict: 'pass' | 'fail'; startedAt: string };
  capabilities: CapabilityChange[];
  tests: TestChange[];
  /** Capabilities required in the new report that passed before and fail now. */
  requiredRegressions: string[];
}

function key(t: { uuid?: string; name: string }): string {
  return t.uuid ?? t.name;
}

function outcomes(r: Report): Map<string, TestOutcome> {
  const m = new Map<string, TestOutcome>();
  for (const c of r.evaluation.capabilities) for (const t of c.tests) if (!m.has(key(t))) m.set(key(t), t);
  return m;
}

function side(r: Report): Comparison['old'] {
  return { guideline: r.guideline.id, program: r.program, cloud: r.cloud.name, verdict: r.evaluation.verdict, startedAt: r.startedAt };
}

/** Compares two reports capability by capability and test by test (tests keyed by uuid, else name). */
export function compareReports(oldR: Report, newR: Report): Comparison {
  const oldCaps = new Map(oldR.evaluation.capabilities.map((c) => [c.id, c]));
  const newCaps = new Map(newR.evaluation.capabilities.map((c) => [c.id, c]));
  const capabilities: CapabilityChange[] = [];
  for (const c of newR.evaluation.capabilities) {
    const o = oldCaps.get(c.id);
    if (!o) capabilities.push({ id: c.id, status: c.status, change: 'added', to: c.verdict });
    else if (o.verdict !== c.verdict) capabilities.push({ id: c.id, status: c.status, change: c.verdict === 'fail' ? 'regressed' : 'improved', from: o.verdict, to: c.verdict });
  }
  for (const o of oldR.evaluation.capabilities) if (!newCaps.has(o.id)) capabilities.push({ id: o.id, status: o.status, change: 'removed', from: o.verdict });

  const oldT = outcomes(oldR);
  const tests: TestChange[] = [];
  for (const [k, t] of outcomes(newR)) {
    const o = oldT.get(k);
    if (!o || (o.status === 'pass') === (t.status === 'pass')) continue;
    const c: TestChange = { name: t.name, change: t.status === 'pass' ? 'improved' : 'regressed', from: o.status, to: t.status, flagged: t.flagged };
    if (t.uuid) c.uuid = t.uuid;
    tests.push(c);
  }
  return {
    old: side(oldR),
    new: side(newR),
    capabilities,
    tests,
    requiredRegressions: capabilities.filter((c) => c.change === 'regressed' && c.status === 'required').map((c) => c.id),
  };
}

/** The comparison as text for a terminal or a CI log. */
export function renderComparisonText(c: Comparison): string {
  const out: string[] = [];
  const sideText = (s: Comparison['old']) => `${s.guideline} ${s.program} on ${s.cloud} at ${s.startedAt}: ${s.verdict.toUpperCase()}`;
  out.push(`old: ${sideText(c.old)}`, `new: ${sideText(c.new)}`);
  if (c.old.guideline !== c.new.guideline || c.old.program !== c.new.program) out.push('note: the reports are of different guidelines or programs');
  const caps = (ch: Change) => c.capabilities.filter((x) => x.change === ch);
  for (const ch of ['regressed', 'improved', 'added', 'removed'] as const) {
    const list = caps(ch);
    if (!list.length) continue;
    out.push('', `capabilities ${ch} (${list.length}):`);
    for (const x of list) out.push(`  ${x.id} [${x.status}]${x.from || x.to ? ` ${x.from ?? '-'} -> ${x.to ?? '-'}` : ''}`);
  }
  for (const ch of ['regressed', 'improved'] as const) {
    const list = c.tests.filter((t) => t.change === ch);
    if (!list.length) continue;
    out.push('', `tests ${ch} (${list.length}):`);
    for (const t of list) out.push(`  ${t.from} -> ${t.to}  ${t.name}${t.uuid ? ` [${t.uuid}]` : ''}${t.flagged ? ' (flagged)' : ''}`);
  }
  if (!c.capabilities.length && !c.tests.length) out.push('', 'no changes');
  out.push('', c.requiredRegressions.length ? `${c.requiredRegressions.length} required capabilit${c.requiredRegressions.length === 1 ? 'y' : 'ies'} regressed` : 'no required capability regressed');
  return out.join('\n') + '\n';
}
