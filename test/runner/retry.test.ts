import assert from 'node:assert/strict';
import nock from 'nock';
import { CheckFailure, registerCheck, type CheckDefinition } from '../../src/check/api.js';
import { executeTest } from '../../src/runner/execute.js';
import { transportFault, withRetries } from '../../src/runner/retry.js';
import type { SelectedTest } from '../../src/guideline/select.js';
import type { TestResult } from '../../src/results/model.js';
import { buildReport } from '../../src/report/build.js';
import { reportSchemaProblems } from '../../src/report/schema.js';
import { renderReport } from '../../src/report/render/index.js';
import { nockCloud } from '../helpers/cloud.js';
import { tinyInput, tinyLoaded, tinyResults } from '../report/support.js';

const HOST = 'http://127.0.0.1:48082';
const SWIFT = `${HOST}/v1/AUTH_p`;
let seq = 0;

function withCheck(run: CheckDefinition['run']): SelectedTest {
  seq++;
  const uuid = `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`;
  registerCheck({ id: uuid, test: `pkg.Retry.test_${seq}`, run });
  return { name: `pkg.Retry.test_${seq}`, uuid, aliases: [], admin: false, capabilities: [] };
}

/** A check that GETs the account once and wants 204, as a Swift check would. */
const getAccount: CheckDefinition['run'] = async (ctx) => {
  const r = await ctx.account('primary').request({ method: 'GET', service: 'object-store' });
  if (r.status !== 204) throw new CheckFailure(`GET account: expected 204, got ${r.status}`);
};

const exchange = (over: object) => ({ method: 'GET', url: SWIFT, requestHeaders: {}, durationMs: 1, ...over });

describe('run --retries: a test that failed for a transport reason runs again, and shows it', () => {
  const client = nockCloud({ catalog: { 'object-store': SWIFT } });
  const base = { accounts: { primary: client }, prefix: 'defcore-abcdef-', timeoutMs: 5000, cleanupTimeoutMs: 1000, runSignal: new AbortController().signal };
  afterEach(() => nock.cleanAll());

  it('a reset or a gateway status on the last exchange is a transport fault; a wrong answer or a pass is not', () => {
    const r = (status: TestResult['status'], x: object): TestResult => ({ name: 't', status, evidence: { exchanges: [exchange(x)] } });
    assert.match(transportFault(r('fail', { error: 'socket hang up' }))!, /socket hang up/);
    assert.match(transportFault(r('error', { status: 503 }))!, /503/);
    assert.equal(transportFault(r('fail', { status: 500 })), undefined);
    assert.equal(transportFault(r('fail', { status: 200 })), undefined);
    assert.equal(transportFault(r('pass', { error: 'socket hang up' })), undefined);
    assert.equal(transportFault({ name: 't', status: 'fail', reason: 'x' }), undefined);
  });

  it('a 503 that outlasts the HTTP layer\'s own retries, then a pass: flaky, with the first attempt kept', async () => {
    const t = withCheck(getAccount);
    // the HTTP layer retries idempotent requests itself: answer 503 until it gives up, then 204
    nock(HOST).get('/v1/AUTH_p').times(20).reply(503, 'busy');
    let calls = 0;
    const attempt = async () => {
      calls++;
      if (calls === 2) {
        nock.cleanAll();
        nock(HOST).get('/v1/AUTH_p').reply(204);
      }
      return executeTest(t, base);
    };
    const r = await withRetries(attempt, 1, base.runSignal);
    assert.equal(calls, 2);
    assert.equal(r.status, 'pass');
    assert.equal(r.flaky, true);
    assert.equal(r.attempts!.length, 1);
    assert.equal(r.attempts![0]!.status, 'fail');
    assert.equal(r.attempts![0]!.evidence!.exchanges.at(-1)!.status, 503);
  });

  it('a wrong answer (500) is never retried away: one attempt, fail, no attempts recorded', async () => {
    const t = withCheck(getAccount);
    nock(HOST).get('/v1/AUTH_p').times(5).reply(500, 'broken');
    let calls = 0;
    const r = await withRetries(() => (calls++, executeTest(t, base)), 3, base.runSignal);
    assert.equal(calls, 1);
    assert.equal(r.status, 'fail');
    assert.equal(r.attempts, undefined);
    assert.equal(r.flaky, undefined);
  });

  it('a gateway fault on every attempt: N+1 attempts, still fail, every earlier attempt kept, not flaky', async () => {
    const t = withCheck(getAccount);
    nock(HOST).get('/v1/AUTH_p').times(100).reply(502, 'bad gateway');
    let calls = 0;
    const r = await withRetries(() => (calls++, executeTest(t, base)), 2, base.runSignal);
    assert.equal(calls, 3);
    assert.equal(r.status, 'fail');
    assert.equal(r.attempts!.length, 2);
    assert.equal(r.flaky, undefined);
  });

  it('--retries 0 and an interrupted run never retry', async () => {
    const t = withCheck(getAccount);
    nock(HOST).get('/v1/AUTH_p').times(100).reply(504, 'timeout');
    let calls = 0;
    await withRetries(() => (calls++, executeTest(t, base)), 0, base.runSignal);
    assert.equal(calls, 1);
    const stopped = new AbortController();
    stopped.abort();
    calls = 0;
    await withRetries(() => (calls++, executeTest(t, base)), 3, stopped.signal);
    assert.equal(calls, 1);
  });

  it('the report keeps every attempt (schema-valid); HTML, Markdown and JUnit show the test as flaky', async () => {
    const loaded = await tinyLoaded();
    const results = tinyResults();
    results[0] = { ...results[0]!, status: 'pass', flaky: true, attempts: [{ status: 'fail', reason: 'GET account: expected 204, got 503', durationMs: 4, evidence: { exchanges: [exchange({ status: 503 })] } }] };
    const report = buildReport(tinyInput(loaded, results));
    assert.deepEqual(reportSchemaProblems(report), []);
    assert.equal(report.tests[0]!.attempts![0]!.evidence!.exchanges[0]!.status, 503);
    assert.match(await renderReport(report, 'html'), /badge flaky[\s\S]*flaky: passed on attempt 2 after 1 earlier attempt/);
    assert.match(await renderReport(report, 'markdown'), /\| Flaky \| 1 test\(s\) passed only after a transport failure/);
    assert.match(await renderReport(report, 'junit'), /<system-out>flaky: passed on attempt 2; earlier attempts failed for a transport reason:\nattempt 1: fail: GET account: expected 204, got 503/);
  });

  it('a report that calls a failed test flaky, or a flaky one without its attempts, is refused by the schema', async () => {
    const loaded = await tinyLoaded();
    const report = buildReport(tinyInput(loaded, tinyResults()));
    const forged = structuredClone(report) as unknown as { tests: Array<Record<string, unknown>> };
    forged.tests[0]!['flaky'] = true;
    assert.ok(reportSchemaProblems(forged).length > 0, 'flaky without attempts accepted');
    const failed = forged.tests.findIndex((x) => x['status'] === 'fail');
    forged.tests[0]!['flaky'] = undefined;
    delete forged.tests[0]!['flaky'];
    forged.tests[failed]!['flaky'] = true;
    forged.tests[failed]!['attempts'] = [{ status: 'fail' }];
    assert.ok(reportSchemaProblems(forged).length > 0, 'flaky on a failed test accepted');
  });
});
