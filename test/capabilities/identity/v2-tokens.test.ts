import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/identity/v2-tokens.js';
import { findCheck } from '../../../src/check/api.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';

const AUTH = 'http://127.0.0.1:45310/v3';
const ID = '65ae3b78-91ff-467b-a705-f6678863b8ec';

async function run(reply: (body: { auth: { token: { id: string }; tenantId: string } }) => [number, unknown]): Promise<HarnessResult> {
  const client = nockCloud({ authUrl: AUTH, catalog: { identity: AUTH }, projectName: 'proj' });
  try {
    nock('http://127.0.0.1:45310').post('/v2.0/tokens').reply(async (req: unknown) => {
      // nock 15 passes the reply function a fetch Request
      const [status, body] = reply((await (req as Request).json()) as never);
      return [status, body as Record<string, unknown>, { 'Content-Type': 'application/json' }];
    });
    return await runCheck(findCheck(ID)!, { accounts: { primary: client }, timeoutMs: 5000 });
  } finally {
    client.close();
    nock.cleanAll();
  }
}

const access = (tenantId: string, over: Record<string, unknown> = {}) => ({
  access: { token: { id: 'v2-token', expires: new Date(Date.now() + 3_600_000).toISOString(), tenant: { id: tenantId, name: 'proj' }, ...over } },
});

describe('identity v2 TokensTest.test_create_token (guidelines 2015.05, 2015.07)', () => {
  it('passes when v2.0 issues a token for the project', async () => {
    const r = await run((b) => [200, access(b.auth.tenantId)]);
    assert.equal(r.status, 'pass', r.message);
  });

  it('fails saying v2.0 is gone when the cloud answers 404 (Keystone since Queens)', async () => {
    const r = await run(() => [404, { error: { code: 404 } }]);
    assert.equal(r.status, 'fail');
    assert.match(r.message, /does not offer the Identity API v2\.0 \(Keystone removed it in Queens/);
  });

  it('fails when the token has already expired', async () => {
    const r = await run((b) => [200, access(b.auth.tenantId, { expires: '2001-01-01T00:00:00Z' })]);
    assert.equal(r.status, 'fail');
    assert.match(r.message, /is not in the future/);
  });

  it('fails when the token names another tenant', async () => {
    const r = await run(() => [200, access('other-project')]);
    assert.equal(r.status, 'fail');
    assert.match(r.message, /tenant\.id/);
  });

  it('fails when the token id is empty', async () => {
    const r = await run((b) => [200, access(b.auth.tenantId, { id: '' })]);
    assert.equal(r.status, 'fail');
    assert.match(r.message, /token\.id is not a non-empty string/);
  });
});
