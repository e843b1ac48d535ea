import assert from 'node:assert/strict';
import nock from 'nock';
import { CheckFailure, CheckSkip, registerCheck, registerNamedCheck, type CheckDefinition } from '../../src/check/api.js';
import { executeTest } from '../../src/runner/execute.js';
import type { SelectedTest } from '../../src/guideline/select.js';
import { nockCloud } from '../helpers/cloud.js';
import { runCheck } from '../helpers/check-harness.js';
import { ErrorStateFailure, WaitTimeoutFailure, waitFor } from '../../src/services/wait.js';

const SWIFT = 'http://127.0.0.1:48081/v1/AUTH_p';
let seq = 0;

/** Registers a check under a fresh uuid and returns the SelectedTest that names it. */
function withCheck(run: CheckDefinition['run'], extra: Partial<CheckDefinition> = {}, admin = false): SelectedTest {
  seq++;
  const uuid = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  registerCheck({ id: uuid, test: `pkg.T.test_${seq}`, run, ...extra });
  return { name: `pkg.T.test_${seq}`, uuid, aliases: [], admin, capabilities: [] };
}

describe('runner: executing one test', () => {
  const client = nockCloud({ catalog: { 'object-store': SWIFT } });
  const base = { accounts: { primary: client }, prefix: 'defcore-abcdef-', timeoutMs: 2000, cleanupTimeoutMs: 1000, runSignal: new AbortController().signal };
  afterEach(() => nock.cleanAll());

  it('a test without a native check is not-implemented, never passed', async () => {
    const r = await executeTest({ name: 'pkg.T.nothing', uuid: 'ffffffff-0000-4000-8000-000000000000', aliases: [], admin: false, capabilities: [] }, base);
    assert.equal(r.status, 'not-implemented');
  });

  it('records the exchanges of a passing check, with the token redacted', async () => {
    const t = withCheck(async (ctx) => {
      const r = await ctx.account('primary').request({ method: 'GET', service: 'object-store' });
      if (r.status !== 204) throw new CheckFailure(`status ${r.status}`);
    });
    nock('http://127.0.0.1:48081').get('/v1/AUTH_p').reply(204);
    const r = await executeTest(t, base);
    assert.equal(r.status, 'pass', r.reason);
    const ex = r.evidence!.exchanges.find((e) => e.url.startsWith(SWIFT))!;
    assert.equal(ex.status, 204);
    assert.equal(ex.requestHeaders['x-auth-token'], '<redacted>');
  });

  it('an assertion failure is fail (the cloud), a bug is error (the harness)', async () => {
    const fail = await executeTest(withCheck(async () => { throw new CheckFailure('expected 201, got 500'); }), base);
    assert.deepEqual([fail.status, fail.reason], ['fail', 'expected 201, got 500']);
    const err = await executeTest(withCheck(async () => { (undefined as unknown as { x: number }).x; }), base);
    assert.equal(err.status, 'error');
    assert.match(err.reason!, /^harness error: TypeError/);
    const skip = await executeTest(withCheck(async () => { throw new CheckSkip('needs a data plane'); }), base);
    assert.deepEqual([skip.status, skip.reason], ['skip', 'needs a data plane']);
  });

  it('a resource reaching an error state or a wait running out is the cloud failing (fail), not error', async () => {
    const broken = await executeTest(withCheck(async () => { throw new ErrorStateFailure('waiting for volume v to become available: volume v went to status error'); }), base);
    assert.deepEqual([broken.status, broken.reason], ['fail', 'waiting for volume v to become available: volume v went to status error']);
    const late = await executeTest(withCheck(async () => {
      await waitFor({ what: 'server s to become ACTIVE', poll: async () => 'BUILD', done: (s) => s === 'ACTIVE', timeoutMs: 30, initialDelayMs: 10 });
    }), base);
    assert.equal(late.status, 'fail', late.reason);
    assert.match(late.reason!, /^timed out after \d+ s waiting for server s to become ACTIVE/);
    const timeout = await executeTest(withCheck(async () => { throw new WaitTimeoutFailure('timed out'); }), base);
    assert.equal(timeout.status, 'fail');
  });

  it('classifies by class names, so an error of a second copy of the modules (tsx: CJS and ESM) is still a failure', async () => {
    // Stand-ins for classes of another module instance: same names, other identities.
    class CheckFailure extends Error {}
    class ErrorStateFailure extends CheckFailure {
      constructor(m: string) { super(m); this.name = 'ErrorStateFailure'; }
    }
    class CheckSkip extends Error {}
    const fail = await executeTest(withCheck(async () => { throw new ErrorStateFailure('server went to ERROR'); }), base);
    assert.deepEqual([fail.status, fail.reason], ['fail', 'server went to ERROR']);
    const skip = await executeTest(withCheck(async () => { throw new CheckSkip('no data plane'); }), base);
    assert.deepEqual([skip.status, skip.reason], ['skip', 'no data plane']);
    const bug = await executeTest(withCheck(async () => { throw new RangeError('bad index'); }), base);
    assert.equal(bug.status, 'error');
  });

  it('an asserted cleanup that fails fails a test that otherwise passed; an ordinary one is only noted', async () => {
    const asserted = await executeTest(withCheck(async (ctx) => {
      ctx.defer('delete volume v', async () => { throw new ErrorStateFailure('volume v went to status error_deleting'); }, { asserted: true });
    }), base);
    assert.deepEqual([asserted.status, asserted.reason], ['fail', 'cleanup "delete volume v" failed: volume v went to status error_deleting']);
    const ordinary = await executeTest(withCheck(async (ctx) => {
      ctx.defer('delete container c', async () => { throw new CheckFailure('409'); });
    }), base);
    assert.equal(ordinary.status, 'pass');
    assert.deepEqual(ordinary.evidence!.notes, ['cleanup "delete container c" failed: 409']);
  });

  it('an asserted cleanup past its deadline fails the test; it never replaces the reason of a test that failed already', async () => {
    const slow = await executeTest(withCheck(async (ctx) => {
      ctx.defer('delete server s', () => new Promise((resolve) => setTimeout(resolve, 500)), { asserted: true });
    }), { ...base, cleanupTimeoutMs: 50 });
    assert.equal(slow.status, 'fail');
    assert.match(slow.reason!, /^cleanup "delete server s" failed: took longer than 50 ms/);
    const failed = await executeTest(withCheck(async (ctx) => {
      ctx.defer('delete volume v', async () => { throw new CheckFailure('500'); }, { asserted: true });
      throw new CheckFailure('expected 202, got 500');
    }), base);
    assert.deepEqual([failed.status, failed.reason], ['fail', 'expected 202, got 500']);
    assert.deepEqual(failed.evidence!.notes, ['cleanup "delete volume v" failed: 500']);
    const bug = await executeTest(withCheck(async (ctx) => {
      ctx.defer('delete volume v', async () => { throw new TypeError('x is undefined'); }, { asserted: true });
    }), base);
    assert.equal(bug.status, 'error', 'a bug in a cleanup is the harness breaking');
  });

  it('the unit-test harness runs checks through this same path (classification, asserted cleanups)', async () => {
    seq++;
    const errorState = { id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, test: 'pkg.T.h', run: async () => { throw new ErrorStateFailure('went to ERROR'); } };
    assert.deepEqual((await runCheck(errorState, { accounts: { primary: client } })).status, 'fail');
    const cleanup = {
      id: errorState.id,
      test: 'pkg.T.h',
      run: async (ctx: Parameters<CheckDefinition['run']>[0]) => { ctx.defer('delete image i', async () => { throw new CheckFailure('never deleted'); }, { asserted: true }); },
    };
    const r = await runCheck(cleanup, { accounts: { primary: client } });
    assert.deepEqual([r.status, r.message, r.cleanupErrors], ['fail', 'cleanup "delete image i" failed: never deleted', ['cleanup "delete image i" failed: never deleted']]);
  });

  it('a check past its deadline fails and is told to stop', async () => {
    let aborted = false;
    const t = withCheck(async (ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      aborted = true;
    }, { timeoutMs: 100 });
    const r = await executeTest(t, base);
    assert.equal(r.status, 'fail');
    assert.match(r.reason!, /deadline/);
    assert.ok(aborted);
  });

  it('cleanups run newest first even when the check fails; a failing cleanup is noted, not hidden', async () => {
    const order: string[] = [];
    const t = withCheck(async (ctx) => {
      ctx.defer('first', async () => { order.push('first'); });
      ctx.defer('second', async () => { order.push('second'); throw new Error('409 conflict'); });
      ctx.defer('third', async () => { order.push('third'); });
      throw new CheckFailure('boom');
    });
    const r = await executeTest(t, base);
    assert.equal(r.status, 'fail');
    assert.deepEqual(order, ['third', 'second', 'first']);
    assert.deepEqual(r.evidence!.notes, ['cleanup "second" failed: 409 conflict']);
  });

  it('the verdict is told after the asserted cleanups and before the recorded-only ones, whose failure is still noted', async () => {
    const order: string[] = [];
    const t = withCheck(async (ctx) => {
      ctx.defer('recorded, oldest', async () => { order.push('recorded oldest'); throw new Error('409 conflict'); });
      ctx.defer('asserted', async () => { order.push('asserted'); }, { asserted: true });
      ctx.defer('recorded, newest', async () => { order.push('recorded newest'); });
      order.push('body');
    });
    const r = await executeTest(t, { ...base, onVerdict: (status) => order.push(`verdict ${status}`) });
    assert.deepEqual(order, ['body', 'recorded newest', 'asserted', 'verdict pass', 'recorded oldest']);
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.evidence!.notes, ['cleanup "recorded, oldest" failed: 409 conflict']);
    const failing = withCheck(async (ctx) => {
      ctx.defer('asserted', async () => { throw new CheckFailure('DELETE answered 500'); }, { asserted: true });
    });
    const told: string[] = [];
    await executeTest(failing, { ...base, onVerdict: (status) => told.push(status) });
    assert.deepEqual(told, ['fail'], 'the asserted cleanup decided the verdict before it was told');
  });

  it('names carry the run prefix', async () => {
    let name = '';
    await executeTest(withCheck(async (ctx) => { name = ctx.name('container'); }), base);
    assert.match(name, /^defcore-abcdef-container-\d+-[0-9a-f]{4}$/);
  });

  it('missing accounts and admin-only capabilities skip with the reason, never pass', async () => {
    const alt = await executeTest(withCheck(async () => undefined, { accounts: ['alt'] }), base);
    assert.deepEqual([alt.status, alt.reason], ['skip', 'needs the alt account (--alt-cloud), which is not configured']);
    const admin = await executeTest(withCheck(async () => undefined, {}, true), base);
    assert.deepEqual([admin.status, admin.reason], ['skip', 'needs the admin account (--admin-cloud), which is not configured']);
  });

  it('an interrupted run stops the check, runs its cleanup and reports error', async () => {
    const controller = new AbortController();
    let cleaned = false;
    const t = withCheck(async (ctx) => {
      ctx.defer('remove', async () => { cleaned = true; });
      await new Promise((resolve) => setTimeout(resolve, 5000));
    });
    setTimeout(() => controller.abort(new Error('interrupted by the user')), 50);
    const r = await executeTest(t, { ...base, runSignal: controller.signal });
    assert.equal(r.status, 'error');
    assert.match(r.reason!, /^interrupted/);
    assert.ok(cleaned);
  });

  it('a schema 1.2 test (no idempotent id) runs the check registered for its Tempest name', async () => {
    const t = withCheck(async () => { throw new CheckFailure('ran by name'); });
    const byName = await executeTest({ ...t, uuid: undefined } as SelectedTest, base);
    assert.deepEqual([byName.status, byName.reason], ['fail', 'ran by name']);
    registerNamedCheck({ test: 'pkg.Sub.test_named', run: async () => { throw new CheckFailure('named check'); } });
    const named = await executeTest({ name: 'pkg.Sub.test_named', aliases: [], admin: false, capabilities: [] }, base);
    assert.deepEqual([named.status, named.reason], ['fail', 'named check']);
    const viaAlias = await executeTest({ name: 'pkg.Old.test_x', aliases: ['pkg.Sub.test_named'], admin: false, capabilities: [] }, base);
    assert.equal(viaAlias.reason, 'named check');
  });

  it('a name-only test without such a check is not-implemented; a test with an id never falls back to its name', async () => {
    const none = await executeTest({ name: 'pkg.T.no_such', aliases: [], admin: false, capabilities: [] }, base);
    assert.equal(none.status, 'not-implemented');
    const t = withCheck(async () => undefined);
    const otherId = await executeTest({ ...t, uuid: 'eeeeeeee-0000-4000-8000-000000000000' }, base);
    assert.equal(otherId.status, 'not-implemented');
  });
});
