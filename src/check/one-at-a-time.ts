/**
 * Tests of one Tempest class that share a resource and change it run one at a time,
 * as Tempest runs a class's tests one after another on the server its
 * resource_setup booted. Keyed by the run prefix and a name, so runs in one process
 * never wait for each other; a test waiting its turn still answers its own deadline.
 */
import type { CheckContext } from './api.js';

const tails = new Map<string, Promise<void>>();

/** Resolves when `turn` does, rejects when `signal` aborts first. */
function waitTurn(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Runs `body` once every earlier holder of `name` in this run has finished. */
export async function oneAtATime<T>(ctx: Pick<CheckContext, 'prefix' | 'signal'>, name: string, body: () => Promise<T>): Promise<T> {
  const key = `${ctx.prefix}\u0000${name}`;
  const before = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  // The next holder waits for this one, and through it for every earlier one,
  // even when this one gives up waiting (its deadline) before its turn came.
  const tail = before.then(() => mine);
  tails.set(key, tail);
  try {
    await waitTurn(before, ctx.signal);
    return await body();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
