/**
 * Results against a guideline program: which capabilities pass. A test passes when
 * a passing result matches its idempotent uuid, its name or an alias; a capability
 * passes when all of its non-flagged tests pass; the program passes when every
 * required capability does.
 */
import type { CapabilityStatus, Guideline } from '../guideline/model.js';
import { CAPABILITY_STATUSES } from '../guideline/model.js';
import type { TestResult, TestStatus } from '../results/model.js';
import { programCapabilities } from '../guideline/select.js';
import { testUuid } from '../guideline/ids.js';
import type { CapabilityVerdict, Evaluation, TestOutcome } from './model.js';

/** When several results match one test and none passed, the most telling one is shown. */
const SHOW_ORDER: TestStatus[] = ['fail', 'error', 'not-implemented', 'skip'];

class ResultIndex {
  private readonly byUuid = new Map<string, TestResult[]>();
  private readonly byName = new Map<string, TestResult[]>();
  constructor(results: readonly TestResult[]) {
    for (const r of results) {
      if (r.uuid) push(this.byUuid, r.uuid.toLowerCase(), r);
      push(this.byName, r.name, r);
    }
  }
  lookup(uuid: string | undefined, name: string, aliases: readonly string[]): { result: TestResult; by: TestOutcome['matchedBy'] }[] {
    const out: { result: TestResult; by: TestOutcome['matchedBy'] }[] = [];
    if (uuid) for (const r of this.byUuid.get(uuid) ?? []) out.push({ result: r, by: 'uuid' });
    for (const r of this.byName.get(name) ?? []) out.push({ result: r, by: 'name' });
    for (const a of aliases) for (const r of this.byName.get(a) ?? []) out.push({ result: r, by: 'alias' });
    return out;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export interface EvaluateOptions {
  /** Capability statuses to evaluate (default: all). */
  statuses?: readonly CapabilityStatus[];
}

export function evaluate(g: Guideline, program: string, results: readonly TestResult[], opts: EvaluateOptions = {}): Evaluation {
  const index = new ResultIndex(results);
  const capabilities: CapabilityVerdict[] = [];
  const counts = Object.fromEntries(CAPABILITY_STATUSES.map((s) => [s, { passed: 0, failed: 0 }])) as Evaluation['counts'];
  for (const sc of programCapabilities(g, program, opts.statuses)) {
    const cap = g.capabilities[sc.id]!;
    const tests: TestOutcome[] = cap.tests.map((t) => {
      const uuid = testUuid(t.idempotent_id);
      const matches = index.lookup(uuid, t.name, t.aliases ?? []);
      const passed = matches.find((m) => m.result.status === 'pass');
      const shown = passed ?? SHOW_ORDER.map((s) => matches.find((m) => m.result.status === s)).find(Boolean);
      const o: TestOutcome = { name: t.name, status: shown ? shown.result.status : 'missing', flagged: Boolean(t.flagged) };
      if (uuid) o.uuid = uuid;
      if (t.flagged?.reason) o.flagReason = t.flagged.reason;
      if (shown) o.matchedBy = shown.by;
      if (shown?.result.reason && !passed) o.reason = shown.result.reason;
      return o;
    });
    const verdict = tests.every((t) => t.flagged || t.status === 'pass') ? 'pass' : 'fail';
    counts[sc.status][verdict === 'pass' ? 'passed' : 'failed']++;
    capabilities.push({ id: sc.id, status: sc.status, component: sc.component, verdict, admin: cap.admin, tests });
  }
  const verdict = capabilities.every((c) => c.status !== 'required' || c.verdict === 'pass') ? 'pass' : 'fail';
  return { guideline: g.id, program, capabilities, verdict, counts };
}
