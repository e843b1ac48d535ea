/**
 * Whole-test retries (`run --retries N`). Real clouds drop connections and answer
 * 502/503/504 under load; the HTTP layer already retries idempotent requests, and a
 * test that still failed because of such a transport fault may be run again. Only a
 * transport fault qualifies: a wrong answer from a healthy cloud is never retried
 * away. Every earlier attempt stays in the result, and a pass after a retry is
 * marked flaky, so a reviewer sees it.
 */
import type { Attempt, TestResult } from '../results/model.js';

const GATEWAY = new Set([502, 503, 504]);

/**
 * Why a failed result counts as a transport failure, or undefined: its last exchange
 * got no answer (a reset, a refused connection, a deadline) or a gateway status.
 */
export function transportFault(r: TestResult): string | undefined {
  if (r.status !== 'fail' && r.status !== 'error') return undefined;
  const last = r.evidence?.exchanges.at(-1);
  if (!last) return undefined;
  if (last.error !== undefined && last.status === undefined) return `${last.method} ${last.url}: ${last.error}`;
  if (last.status !== undefined && GATEWAY.has(last.status)) return `${last.method} ${last.url}: ${last.status}`;
  return undefined;
}

function asAttempt(r: TestResult): Attempt {
  const a: Attempt = { status: r.status };
  if (r.durationMs !== undefined) a.durationMs = r.durationMs;
  if (r.reason !== undefined) a.reason = r.reason;
  if (r.evidence) a.evidence = r.evidence;
  return a;
}

/**
 * Runs `attempt` once, and again up to `retries` times while it fails for a transport
 * reason and the run is not interrupted.
 */
export async function withRetries(attempt: () => Promise<TestResult>, retries: number, signal: AbortSignal): Promise<TestResult> {
  let result = await attempt();
  const earlier: Attempt[] = [];
  while (earlier.length < retries && !signal.aborted && transportFault(result) !== undefined) {
    earlier.push(asAttempt(result));
    result = await attempt();
  }
  if (!earlier.length) return result;
  return { ...result, attempts: earlier, ...(result.status === 'pass' ? { flaky: true } : {}) };
}
