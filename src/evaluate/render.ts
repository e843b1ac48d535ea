/** Evaluations as text for a terminal, or JSON for machines. */
import type { Evaluation } from './model.js';
import { CAPABILITY_STATUSES } from '../guideline/model.js';

export function renderEvaluationText(e: Evaluation, opts: { notImplemented?: string[] } = {}): string {
  const out: string[] = [`Guideline ${e.guideline}, program ${e.program}`];
  for (const status of CAPABILITY_STATUSES) {
    const caps = e.capabilities.filter((c) => c.status === status);
    if (!caps.length) continue;
    const passed = caps.filter((c) => c.verdict === 'pass').length;
    out.push('', `${status}: ${passed}/${caps.length} capabilities passed`);
    for (const c of caps) {
      out.push(`  ${c.verdict === 'pass' ? 'PASS' : 'FAIL'}  ${c.id}`);
      for (const t of c.tests) {
        if (t.status === 'pass' && !t.flagged) continue;
        const label = t.flagged ? `flagged, ${t.status}` : t.status;
        const why = t.reason ? ` — ${t.reason.split('\n')[0]!.slice(0, 200)}` : '';
        out.push(`        ${label}: ${t.name}${t.uuid ? `[id-${t.uuid}]` : ''}${why}`);
      }
    }
  }
  if (opts.notImplemented?.length) {
    // each one is already listed under its capability; a count is enough here
    out.push('', `not implemented natively: ${opts.notImplemented.length} test(s), shown as not-implemented above (never counted as passed)`);
  }
  const req = e.counts.required;
  out.push('', `Verdict: ${e.verdict.toUpperCase()} (${req.passed}/${req.passed + req.failed} required capabilities passed)`);
  return out.join('\n') + '\n';
}
