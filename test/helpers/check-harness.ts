/**
 * Runs one CheckDefinition through the runner's own execution path
 * (src/runner/execute.ts executeCheck): the same CheckContext, deadline, cleanups
 * (asserted ones included) and classification as a real run, over given
 * CloudClients. For unit and @cloud tests of checks.
 */
import type { AccountRole, CheckContext, CheckDefinition } from '../../src/check/api.js';
import type { HttpExchange } from '../../src/results/model.js';
import type { CloudClient } from '../../src/cloud/types.js';
import { newRunPrefix } from '../../src/runner/context.js';
import { executeCheck } from '../../src/runner/execute.js';

export interface HarnessOptions {
  accounts: Partial<Record<AccountRole, CloudClient>>;
  /** Run prefix (default `defcore-<6 hex>-`). */
  prefix?: string;
  /** Deadline of the check; wins over the check's own (unit tests shorten it). */
  timeoutMs?: number;
  /** Deadline of each cleanup (default 10 minutes, longer than any cleanup's own waits). */
  cleanupTimeoutMs?: number;
  /** Guest validation settings the check sees (ctx.validation). */
  validation?: CheckContext['validation'];
  /** The run's compute references the check sees (ctx.computeReferences). */
  computeReferences?: CheckContext['computeReferences'];
}

export interface HarnessResult {
  status: 'pass' | 'fail' | 'error' | 'skip';
  message: string;
  notes: string[];
  /** Failures of registered cleanups; an asserted one also fails a passing check. */
  cleanupErrors: string[];
  durationMs: number;
  /** The HTTP exchanges as evidence records them (redacted). */
  exchanges: HttpExchange[];
}

/** A fresh run prefix, as the runner makes one per run. */
export function newPrefix(): string {
  return newRunPrefix();
}

export async function runCheck(def: CheckDefinition, opts: HarnessOptions): Promise<HarnessResult> {
  const outcome = await executeCheck(def, {
    accounts: opts.accounts,
    prefix: opts.prefix ?? newPrefix(),
    timeoutMs: opts.timeoutMs ?? def.timeoutMs ?? 60_000,
    cleanupTimeoutMs: opts.cleanupTimeoutMs ?? 600_000,
    runSignal: new AbortController().signal,
    ...(opts.validation ? { validation: opts.validation } : {}),
    ...(opts.computeReferences ? { computeReferences: opts.computeReferences } : {}),
  });
  return {
    status: outcome.status,
    message: outcome.reason ?? '',
    notes: outcome.notes,
    cleanupErrors: outcome.cleanupFailures,
    durationMs: outcome.durationMs,
    exchanges: outcome.exchanges,
  };
}
