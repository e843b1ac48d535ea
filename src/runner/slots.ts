/**
 * How the run's tests share its concurrency: at most `concurrency` run at once. A
 * test whose verdict is final may hand its slot over while it finishes work that
 * cannot change the verdict (recorded-only cleanups); at most `lingering` tests do
 * so at once, and a test that finds no room keeps its slot until it is done.
 */
import pLimit from 'p-limit';

export function runWithSlots<T>(
  items: readonly T[],
  concurrency: number,
  lingering: number,
  run: (item: T, handOver: () => void) => Promise<void>,
): Promise<void[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const linger = pLimit(Math.max(1, lingering));
  return Promise.all(
    items.map((item) => {
      let finished: Promise<void> = Promise.resolve();
      return limit(() => new Promise<void>((freeSlot) => {
        let handed = false;
        const handOver = (): void => {
          if (lingering <= 0 || handed) return;
          handed = true;
          void linger(() => {
            freeSlot();
            return finished.catch(() => undefined);
          });
        };
        finished = run(item, handOver).finally(freeSlot);
      })).then(() => finished);
    }),
  );
}

/** `defcore run`'s concurrency when none is given. */
export const DEFAULT_CONCURRENCY = 4;

/** Tests whose resources no count quota limits (Swift containers and objects, Keystone tokens). */
const UNCOUNTED = /^tempest\.api\.(object_storage|identity)\./;

/**
 * How many finished tests may linger (finish their recorded-only cleanups) beside
 * `concurrency` running ones. A run of Storage tests alone may linger as many as
 * run. Elsewhere quotas count what tests hold (Cinder's and Designate's defaults are
 * 10 volumes, 10 zones), so running and lingering tests together never outnumber a
 * run at the default concurrency, which a cloud has to host anyway; and the compute
 * preflight's server quota (`serverRoom`) bounds it further.
 */
export function lingeringFor(tests: readonly { name: string }[], concurrency: number, serverRoom?: number): number {
  if (tests.every((t) => UNCOUNTED.test(t.name))) return concurrency;
  const envelope = Math.min(concurrency, Math.max(0, DEFAULT_CONCURRENCY - concurrency));
  return serverRoom === undefined ? envelope : Math.min(envelope, serverRoom);
}
