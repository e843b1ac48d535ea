/** Results of running (or importing) tests, independent of how they were produced. */
import type { Evidence } from '../common/exchange.js';

/**
 * Ordered by severity: a run's worst status is its summary. `fail` means the cloud
 * did not conform; `error` means the harness could not decide (a bug, a broken
 * precondition); `not-implemented` means no native check exists yet.
 */
export const TEST_STATUSES = ['pass', 'skip', 'not-implemented', 'fail', 'error'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

// Recorded by the cloud layer; re-exported here, where results carry them.
export type { HttpExchange, Evidence } from '../common/exchange.js';

/**
 * Where a result that was not produced by this run came from (`--rerun-failed`
 * keeps the earlier passes): a reviewer must be able to see that the test did
 * not run again.
 */
export interface CarriedFrom {
  /** The earlier run: its resource prefix (`defcore-1a2b3c-`) when known, else its file. */
  run: string;
  /** When that run started (ISO 8601), when known. */
  startedAt?: string;
}

/**
 * An earlier attempt of a test that was run again because it failed for a transport
 * reason (`run --retries N`): kept whole, so a reviewer sees every attempt's evidence.
 */
export interface Attempt {
  status: TestStatus;
  durationMs?: number;
  reason?: string;
  evidence?: Evidence;
}

export interface TestResult {
  /** Full test name as the guideline lists it (no attributes). */
  name: string;
  /** Bare uuid, lower case, when known. */
  uuid?: string;
  status: TestStatus;
  durationMs?: number;
  reason?: string;
  evidence?: Evidence;
  /** Set when the result was carried over from an earlier run instead of produced by this one. */
  carriedFrom?: CarriedFrom;
  /** The attempts before this one, oldest first, when the test was retried. */
  attempts?: Attempt[];
  /** True when the test passed only after an attempt failed for a transport reason. */
  flaky?: boolean;
}

/** Results as read from a file or produced by a run. */
export interface ResultSet {
  source: string;
  results: TestResult[];
}
