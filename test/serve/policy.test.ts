/** Certification validity (lifetime vs. supersession plus grace), and the log-in rate limit. */
import assert from 'node:assert/strict';
import { supersededAt, validUntil } from '../../src/serve/review.js';
import { Client, ENGINE, dbOrSkip, startServer, type TestServer } from './support.js';

describe('certification validity', () => {
  const ids = ['2019.11', '2020.06', '2021.11'];
  const policy = { lifetimeDays: 730, graceDays: 180 };

  it('a guideline is superseded on the first day of its successor\'s month; the newest never is', () => {
    assert.equal(supersededAt('2020.06', ids)?.toISOString(), '2021-11-01T00:00:00.000Z');
    assert.equal(supersededAt('2021.11', ids), undefined);
  });

  it('valid for the lifetime when the guideline is current', () => {
    const now = new Date('2022-01-01T00:00:00Z');
    assert.equal(validUntil(now, '2021.11', ids, policy).toISOString(), '2024-01-01T00:00:00.000Z');
  });

  it('cut short by supersession plus grace: not the full lifetime for a superseded guideline', () => {
    const now = new Date('2021-06-01T00:00:00Z');
    // 2021-11-01 + 180 days, earlier than 2023-06-01
    assert.equal(validUntil(now, '2020.06', ids, policy).toISOString(), '2022-04-30T00:00:00.000Z');
  });

  it('already past supersession plus grace: ends before it starts (approval refuses it)', () => {
    const now = new Date('2023-01-01T00:00:00Z');
    assert.ok(validUntil(now, '2020.06', ids, policy).getTime() <= now.getTime());
  });
});

describe(`rate limits (${ENGINE} database)`, function () {
  this.timeout(120_000);
  let s: TestServer;
  before(async function () {
    await dbOrSkip(this);
    s = await startServer({}, { rateLimit: 30 });
  });
  after(async () => s?.close());

  it('log-in attempts beyond a tenth of the per-minute limit get 429 with a retry time', async () => {
    const c = new Client(s.base);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await c.req('POST', '/api/v1/session', { email: 'x@y.test', password: 'not-the-password' })).status);
    assert.deepEqual(codes, [401, 401, 401, 429]);
    const r = await c.req('POST', '/api/v1/session', { email: 'x@y.test', password: 'not-the-password' });
    assert.match(r.json.message!, /too many requests; retry in \d+ s/);
  });
});
