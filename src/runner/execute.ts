/**
 * Runs one check: the native check under a deadline, then its cleanups, and the
 * outcome classified (src/runner/classify.ts). `executeTest` does it for a test a
 * guideline selected; unit tests of checks call `executeCheck` directly, so they
 * exercise this very path rather than a copy of it.
 */
import type { AccountRole, ComputeReferences, NamedCheckDefinition } from '../check/api.js';
import { findCheckForTest } from '../check/api.js';
import type { SelectedTest } from '../guideline/select.js';
import type { HttpExchange, TestResult } from '../results/model.js';
import { MemoryRecorder } from '../cloud/recorder.js';
import { classify, type CheckStatus } from './classify.js';
import { createScope, DeadlineError, missingAccountReason, type Accounts } from './context.js';

export { classify } from './classify.js';
import type { ResolvedValidation } from '../validation/resolve.js';

export interface ExecuteOptions {
  accounts: Accounts;
  prefix: string;
  /** Deadline of a check that sets none of its own. */
  timeoutMs: number;
  /** Deadline of each cleanup: longer than any wait a cleanup makes itself. */
  cleanupTimeoutMs: number;
  /** Aborted when the run is interrupted. */
  runSignal: AbortSignal;
  /** The run's resolved compute references, handed to checks through their context. */
  computeReferences?: ComputeReferences;
  /** Guest validation settings, when the run has them. */
  validation?: ResolvedValidation;
  /**
   * Told the status once it is final: after the body and the asserted cleanups,
   * before the cleanups that are only recorded (the runner may then start another test).
   */
  onVerdict?: (status: CheckStatus) => void;
}

export interface CheckRunOptions extends Omit<ExecuteOptions, 'timeoutMs'> {
  /** The deadline applied to this check, as is. */
  timeoutMs: number;
  /** The guideline marks the capability admin-only: the admin account is needed too. */
  admin?: boolean;
}

export interface CheckOutcome {
  /** False when the check was not started (an account it needs is missing). */
  ran: boolean;
  status: CheckStatus;
  reason?: string;
  durationMs: number;
  exchanges: HttpExchange[];
  /** What the check noted. */
  notes: string[];
  /** Every cleanup that failed, asserted or not, as evidence lines. */
  cleanupFailures: string[];
}

export async function executeCheck(check: NamedCheckDefinition, opts: CheckRunOptions): Promise<CheckOutcome> {
  const needed = new Set<AccountRole>(['primary', ...(check.accounts ?? [])]);
  // the guideline, not the check, decides what is admin-only
  if (opts.admin) needed.add('admin');
  for (const role of needed) {
    if (!opts.accounts[role]) return { ran: false, status: 'skip', reason: missingAccountReason(role), durationMs: 0, exchanges: [], notes: [], cleanupFailures: [] };
  }

  const recorder = new MemoryRecorder();
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(opts.runSignal.reason);
  opts.runSignal.addEventListener('abort', onRunAbort, { once: true });
  const scope = createScope(opts.accounts, opts.prefix, recorder, controller.signal, {
    ...(opts.computeReferences ? { computeReferences: opts.computeReferences } : {}),
    ...(opts.validation ? { validation: opts.validation } : {}),
  });
  const timeoutMs = opts.timeoutMs;
  const started = performance.now();
  let status: CheckStatus = 'pass';
  let reason: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.run(scope.ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const e = new DeadlineError(`did not finish within its deadline of ${Math.round(timeoutMs / 1000)} s`);
          controller.abort(e);
          reject(e);
        }, timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason ?? new Error('aborted')), { once: true });
      }),
    ]);
  } catch (err) {
    ({ status, reason } = classify(err, opts.runSignal.aborted));
  } finally {
    clearTimeout(timer);
    opts.runSignal.removeEventListener('abort', onRunAbort);
  }
  const durationMs = Math.round(performance.now() - started);
  const bound = await scope.cleanupAsserted(opts.cleanupTimeoutMs);
  // An asserted cleanup is part of the test, as Tempest's test-level cleanups are:
  // its failure decides a test that had passed (never one that already failed).
  const binding = bound.find((f) => f.asserted);
  if (status === 'pass' && binding) {
    status = classify(binding.error, opts.runSignal.aborted).status;
    reason = binding.text;
  }
  opts.onVerdict?.(status);
  const failures = [...bound, ...(await scope.cleanup(opts.cleanupTimeoutMs))];
  return {
    ran: true,
    status,
    ...(reason !== undefined ? { reason } : {}),
    durationMs,
    exchanges: recorder.exchanges,
    notes: scope.notes,
    cleanupFailures: failures.map((f) => f.text),
  };
}

export async function executeTest(test: SelectedTest, opts: ExecuteOptions): Promise<TestResult> {
  const base: TestResult = { name: test.name, status: 'not-implemented' };
  if (test.uuid) base.uuid = test.uuid;
  // schema 1.2 guidelines name tests without idempotent ids: those resolve by name
  const check = findCheckForTest(test);
  if (!check) return { ...base, reason: 'no native check for this test yet', durationMs: 0 };
  const outcome = await executeCheck(check, { ...opts, timeoutMs: check.timeoutMs ?? opts.timeoutMs, admin: test.admin });
  if (!outcome.ran) return { ...base, status: outcome.status, reason: outcome.reason ?? '', durationMs: 0 };
  const notes = [...outcome.notes, ...outcome.cleanupFailures];
  const result: TestResult = {
    ...base,
    status: outcome.status,
    durationMs: outcome.durationMs,
    evidence: { exchanges: outcome.exchanges, ...(notes.length ? { notes } : {}) },
  };
  if (outcome.reason !== undefined) result.reason = outcome.reason;
  return result;
}
