/**
 * Waiting for a resource to reach a state (a server ACTIVE, a volume available,
 * an image active, a deletion): poll with exponential backoff until a predicate
 * holds, fail at once when the resource reports an error state, and give up at a
 * deadline (an explicit one, or when the check's AbortSignal fires).
 *
 * Both failures are CheckFailures: the cloud did not do what the API promised.
 * The error-state failure carries whatever the detector returns (e.g. Nova's
 * `fault` message), so the evidence says why the resource broke.
 *
 *   const server = await waitFor({
 *     what: `server ${id} to become ACTIVE`,
 *     poll: () => compute.showServer(id),
 *     done: (res) => res.status === 200 && res.body.server.status === 'ACTIVE',
 *     failed: (res) => (res.body.server?.status === 'ERROR' ? faultOf(res.body.server) : undefined),
 *     describe: (res) => `status ${res.body.server?.status}`,
 *     signal: ctx.signal,
 *   });
 */
import { CheckFailure } from '../common/failures.js';

/** How to poll and what counts as done, broken, or too late. */
export interface WaitOptions<T> {
  /** What is awaited, for messages: "server 1234 to become ACTIVE". */
  what: string;
  /** One observation (usually one GET); a rejection ends the wait with that error. */
  poll: () => Promise<T>;
  /** True when the awaited state is reached; `waitFor` then returns the observation. */
  done: (value: T) => boolean;
  /**
   * Detects an error state: returns why (e.g. the API's fault) to fail at once,
   * or undefined to keep waiting. Checked before `done`.
   */
  failed?: (value: T) => string | undefined;
  /** The last observation in a timeout message ("status BUILD, task spawning"). */
  describe?: (value: T) => string;
  /** The check's deadline (ctx.signal): the wait ends when it aborts. */
  signal?: AbortSignal;
  /** A deadline of the wait's own, in ms from now (default: only the signal's). */
  timeoutMs?: number;
  /** First pause between polls (default 250 ms). */
  initialDelayMs?: number;
  /** Longest pause between polls (default 3000 ms). */
  maxDelayMs?: number;
  /** Backoff factor (default 1.5). */
  factor?: number;
}

/** The resource reached an error state while awaited. */
export class ErrorStateFailure extends CheckFailure {
  constructor(message: string) {
    super(message);
    this.name = 'ErrorStateFailure';
  }
}

/** The awaited state was not reached before the deadline. */
export class WaitTimeoutFailure extends CheckFailure {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutFailure';
  }
}

/** Resolves after `ms`, or early (false) when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls until `done` holds and returns that observation; throws
 * ErrorStateFailure when `failed` reports an error state, WaitTimeoutFailure when
 * the deadline passes (naming the last observation).
 */
export async function waitFor<T>(opts: WaitOptions<T>): Promise<T> {
  const started = Date.now();
  const deadline = opts.timeoutMs === undefined ? Infinity : started + opts.timeoutMs;
  const factor = opts.factor ?? 1.5;
  const maxDelay = opts.maxDelayMs ?? 3000;
  let delay = opts.initialDelayMs ?? 250;
  let last: T | undefined;
  let polled = false;
  for (;;) {
    if (!opts.signal?.aborted) {
      last = await opts.poll();
      polled = true;
      const broken = opts.failed?.(last);
      if (broken !== undefined) throw new ErrorStateFailure(`waiting for ${opts.what}: ${broken}`);
      if (opts.done(last)) return last;
    }
    const remaining = deadline - Date.now();
    if (opts.signal?.aborted || remaining <= 0) {
      const seen = polled && last !== undefined && opts.describe ? ` (last seen: ${opts.describe(last)})` : '';
      const secs = Math.round((Date.now() - started) / 1000);
      throw new WaitTimeoutFailure(`timed out after ${secs} s waiting for ${opts.what}${seen}`);
    }
    await pause(Math.min(delay, remaining), opts.signal);
    delay = Math.min(delay * factor, maxDelay);
  }
}
