/**
 * The one mapping from what a check threw to a test status, used by the runner and
 * (through the runner's own execution path) by the unit tests of checks.
 *
 * `fail`: the cloud did not conform — an assertion, a resource that reached an
 * error state, a wait or a deadline that ran out, a cloud that stopped answering.
 * `skip`: the check cannot run here. `error`: the harness broke.
 *
 * Decided by class *names* (the error's own and those of its prototype chain),
 * never by `instanceof`: tsx may load a module twice (CJS and ESM), and an error
 * built by the other copy is not an instance of this copy's class.
 */
import type { TestStatus } from '../results/model.js';

export type CheckStatus = Exclude<TestStatus, 'not-implemented'>;

/** Names of errors that mean the cloud failed; subclasses (by prototype chain) count too. */
const CLOUD_FAILURES = new Set(['CheckFailure', 'AssertionError', 'CloudError', 'DeadlineError']);
const SKIPS = new Set(['CheckSkip']);

/** The error's name and the names of every class it descends from, most derived first. */
function lineage(err: unknown): string[] {
  if (typeof err !== 'object' || err === null) return [];
  const names: string[] = [];
  const own = (err as { name?: unknown }).name;
  if (typeof own === 'string') names.push(own);
  for (let p = Object.getPrototypeOf(err) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const ctor = (p as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name !== '') names.push(ctor.name);
  }
  return names;
}

export function classify(err: unknown, interrupted: boolean): { status: CheckStatus; reason: string } {
  const e = err as Error | undefined;
  const message = e?.message ?? String(err);
  if (interrupted) return { status: 'error', reason: `interrupted: ${message}` };
  const names = lineage(err);
  if (names.some((n) => SKIPS.has(n))) return { status: 'skip', reason: message };
  if (names.some((n) => CLOUD_FAILURES.has(n))) return { status: 'fail', reason: message };
  return { status: 'error', reason: `harness error: ${e?.name ?? 'Error'}: ${message}` };
}
