/** Unit tests of src/services/wait.ts: done, error state, timeout, abort. */
import assert from 'node:assert/strict';
import { ErrorStateFailure, WaitTimeoutFailure, waitFor } from '../../../src/services/wait.js';

describe('waitFor', () => {
  it('returns the first observation that is done, after backing off', async () => {
    let n = 0;
    const got = await waitFor({ what: 'n to reach 3', poll: async () => ++n, done: (v) => v === 3, initialDelayMs: 1 });
    assert.equal(got, 3);
    assert.equal(n, 3);
  });

  it('fails at once on an error state, with the reason', async () => {
    let n = 0;
    await assert.rejects(
      waitFor({
        what: 'server x to become ACTIVE',
        poll: async () => (++n === 2 ? 'ERROR' : 'BUILD'),
        done: (v) => v === 'ACTIVE',
        failed: (v) => (v === 'ERROR' ? 'status ERROR, fault: No valid host was found' : undefined),
        initialDelayMs: 1,
      }),
      (err: unknown) => err instanceof ErrorStateFailure && /No valid host/.test(err.message) && n === 2,
    );
  });

  it('times out naming the last observation', async () => {
    await assert.rejects(
      waitFor({ what: 'x', poll: async () => 'BUILD', done: () => false, describe: (v) => `status ${v}`, timeoutMs: 30, initialDelayMs: 5 }),
      (err: unknown) => err instanceof WaitTimeoutFailure && /last seen: status BUILD/.test(err.message),
    );
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await assert.rejects(
      waitFor({ what: 'x', poll: async () => 1, done: () => false, signal: controller.signal, initialDelayMs: 10_000 }),
      WaitTimeoutFailure,
    );
    assert.ok(Date.now() - started < 2000);
  });
});
