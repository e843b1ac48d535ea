/**
 * The plain-words note under a verdict when required tests were skipped for want of
 * guest validation: such a run cannot certify the program (Compute, Platform), and
 * the note names the setting that enables it.
 */
import type { Evaluation } from '../evaluate/model.js';
import type { TestResult } from '../results/model.js';
import { HOW_TO_ENABLE } from './settings.js';

/** The skip reason of checks that need a guest when validation is off (tests match on it). */
export const NO_VALIDATION_REASON = 'needs a data plane: guest validation is not configured and this test logs in to a server over SSH';

export function uncertifiedNote(evaluation: Evaluation, results: readonly TestResult[]): string | undefined {
  const skipped = new Set(results.filter((r) => r.status === 'skip' && (r.reason ?? '').startsWith(NO_VALIDATION_REASON)).map((r) => r.name));
  const required = evaluation.capabilities
    .filter((c) => c.status === 'required')
    .flatMap((c) => c.tests.filter((t) => skipped.has(t.name)).map((t) => t.name.split('.').pop()!));
  if (!required.length) return undefined;
  const program = evaluation.program.charAt(0).toUpperCase() + evaluation.program.slice(1);
  return (
    `\nThis run cannot certify OpenStack Powered ${program}: ${required.length} required test(s) log in to a guest over SSH ` +
    `(${[...new Set(required)].join(', ')}) and were skipped because guest validation is not configured. ` +
    `To enable it, ${HOW_TO_ENABLE}.\n`
  );
}
