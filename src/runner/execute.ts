/** Runs one selected test: the native check under a deadline, then its cleanups. */
import type { AccountRole } from '../check/api.js';
import { findCheck, findCheckByName } from '../check/api.js';
import type { SelectedTest } from '../guideline/select.js';
import type { TestResult, TestStatus } from '../results/model.js';
import { MemoryRecorder } from '../cloud/recorder.js';
import { createScope, missingAccountReason, type Accounts } from './context.js';

export interface ExecuteOptions {
  accounts: Accounts;
  prefix: string;
  timeoutMs: number;
  cleanupTimeoutMs: number;
  /** Aborted when the run is interrupted. */
  runSignal: AbortSignal;
}

/**
 * Failures of the cloud (an assertion, a cloud that stopped answering, a deadline)
 * are `fail`; a bug in the harness is `error`. Classified by name because checks
 * may be loaded as separate module instances.
 */
export function classify(err: unknown, interrupted: boolean): { status: TestStatus; reason: string } {
  const e = err as Error | undefined;
  const message = e?.message ?? String(err);
  if (interrupted) return { status: 'error', reason: `interrupted: ${message}` };
  switch (e?.name) {
    case 'CheckFailure':
    case 'AssertionError':
    case 'CloudError':
    case 'DeadlineError':
      return { status: 'fail', reason: message };
    case 'CheckSkip':
      return { status: 'skip', reason: message };
    default:
      return { status: 'error', reason: `harness error: ${e?.name ?? 'Error'}: ${message}` };
  }
}

class DeadlineError extends Error {
  constructor(ms: number) {
    super(`did not finish within its deadline of ${Math.round(ms / 1000)} s`);
    this.name = 'DeadlineError';
  }
}

export async function executeTest(test: SelectedTest, opts: ExecuteOptions): Promise<TestResult> {
  const base: TestResult = { name: test.name, status: 'not-implemented' };
  if (test.uuid) base.uuid = test.uuid;
  // schema 1.2 guidelines name tests without idempotent ids: those resolve by name
  const check = test.uuid ? findCheck(test.uuid) : findCheckByName(test.name, test.aliases);
  if (!check) return { ...base, reason: 'no native check for this test yet', durationMs: 0 };
  const needed = new Set<AccountRole>(['primary', ...(check.accounts ?? [])]);
  // the guideline, not the check, decides what is admin-only
  if (test.admin) needed.add('admin');
  for (const role of needed) {
    if (!opts.accounts[role]) return { ...base, status: 'skip', reason: missingAccountReason(role), durationMs: 0 };
  }

  const recorder = new MemoryRecorder();
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(opts.runSignal.reason);
  opts.runSignal.addEventListener('abort', onRunAbort, { once: true });
  const scope = createScope(opts.accounts, opts.prefix, recorder, controller.signal);
  const timeoutMs = check.timeoutMs ?? opts.timeoutMs;
  const started = performance.now();
  let status: TestStatus = 'pass';
  let reason: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.run(scope.ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const e = new DeadlineError(timeoutMs);
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
  const cleanupFailures = await scope.cleanup(opts.cleanupTimeoutMs);
  const notes = [...scope.notes, ...cleanupFailures];
  const result: TestResult = { ...base, status, durationMs, evidence: { exchanges: recorder.exchanges, ...(notes.length ? { notes } : {}) } };
  if (reason) result.reason = reason;
  return result;
}
