import assert from 'node:assert/strict';
import '../helpers/node20.js';
import nock from 'nock';
import '../../capabilities/identity/tokens.js';
import { findCheck } from '../../src/check/api.js';
import { nockCloud } from '../helpers/cloud.js';
import { runCheck, type HarnessResult } from '../helpers/check-harness.js';
import { devCloudClients } from '../helpers/dev-cloud-clients.js';

const AUTH = 'http://127.0.0.1:45300/v3';
const CREATE = '6f8e4436-fc96-4282-8122-e41df57197a9';
const LIFECYCLE = '0f9f5a5f-d5cd-4a86-8a5b-c5ded151f212';

interface Faults {
  methods?: string[];
  /** The token stays valid after DELETE. */
  revokeIgnored?: boolean;
  /** The token names another user. */
  userId?: string;
  /** The token expires before it is issued. */
  expiresFirst?: boolean;
}

/** A tiny Keystone: the session login, one more password token, and the X-Subject-Token operations. */
async function runAgainstFakeKeystone(id: string, faults: Faults = {}): Promise<HarnessResult> {
  nock.disableNetConnect();
  const client = nockCloud({
    authUrl: AUTH,
    persist: false,
    token: 'session-token',
    userId: 'u-1',
    userName: 'Alice',
    catalog: { identity: AUTH },
  });
  const issued = 'subject-token-42';
  const now = Date.now();
  const body = {
    token: {
      methods: faults.methods ?? ['password'],
      user: { id: faults.userId ?? 'u-1', name: 'alice', domain: { id: 'default', name: 'Default' } },
      audit_ids: ['a1'],
      expires_at: new Date(faults.expiresFirst ? now - 1000 : now + 3_600_000).toISOString(),
      issued_at: new Date(now).toISOString(),
    },
  };
  let revoked = false;
  const origin = new URL(AUTH).origin;
  nock(origin).post('/v3/auth/tokens').reply(201, body, { 'X-Subject-Token': issued, 'Content-Type': 'application/json' });
  // nock 15 passes the reply function a fetch Request.
  const known = (req: unknown) => (req as Request).headers.get('x-subject-token') === issued && !revoked;
  nock(origin)
    .persist()
    .intercept('/v3/auth/tokens', 'HEAD')
    .reply((req: unknown) => (known(req) ? [200, ''] : [404, '']))
    .intercept('/v3/auth/tokens', 'GET')
    .reply((req: unknown) =>
      known(req) ? [200, body, { 'Content-Type': 'application/json' }] : [404, { error: { code: 404 } }],
    )
    .intercept('/v3/auth/tokens', 'DELETE')
    .reply((req: unknown) => {
      if (!known(req)) return [404, ''];
      if (!faults.revokeIgnored) revoked = true;
      return [204, ''];
    });
  try {
    const def = findCheck(id);
    assert.ok(def, `check ${id} registered`);
    return await runCheck(def, { accounts: { primary: client }, prefix: 'defcore-unit-' });
  } finally {
    client.close();
    nock.cleanAll();
    nock.enableNetConnect();
  }
}

describe('identity token checks (unit, fake Keystone)', () => {
  it('test_create_token passes on a conforming token and fails when methods[0] is not "password"', async () => {
    const good = await runAgainstFakeKeystone(CREATE);
    assert.equal(good.status, 'pass', good.message);
    const bad = await runAgainstFakeKeystone(CREATE, { methods: ['token'] });
    assert.equal(bad.status, 'fail');
    assert.match(bad.message, /token\.methods\[0\]: expected "password", got "token"/);
    const other = await runAgainstFakeKeystone(CREATE, { userId: 'u-2' });
    assert.equal(other.status, 'fail');
    assert.match(other.message, /token\.user\.id: expected "u-1", got "u-2"/);
    const expired = await runAgainstFakeKeystone(CREATE, { expiresFirst: true });
    assert.equal(expired.status, 'fail');
    assert.match(expired.message, /expires_at .* is not after issued_at/);
  });

  it('test_token_auth_creation_existence_deletion passes and fails when a revoked token stays valid', async () => {
    const good = await runAgainstFakeKeystone(LIFECYCLE);
    assert.equal(good.status, 'pass', good.message);
    const bad = await runAgainstFakeKeystone(LIFECYCLE, { revokeIgnored: true });
    assert.equal(bad.status, 'fail');
    assert.match(bad.message, /a revoked token should be unknown \(404\), got 200/);
    const other = await runAgainstFakeKeystone(LIFECYCLE, { userId: 'u-2' });
    assert.equal(other.status, 'fail');
    assert.match(other.message, /token\.user\.id: expected "u-1", got "u-2"/);
  });
});

describe('@cloud identity token checks against the dev cloud', () => {
  it('both checks pass', async function () {
    this.timeout(60_000);
    const r = await devCloudClients();
    if ('unavailable' in r) {
      if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error(`dev cloud required: ${r.unavailable}`);
      this.skip();
    }
    try {
      for (const id of [CREATE, LIFECYCLE]) {
        const res = await runCheck(findCheck(id)!, { accounts: r.clients });
        assert.equal(res.status, 'pass', `${id}: ${res.message}`);
      }
    } finally {
      for (const c of Object.values(r.clients)) c.close();
    }
  });
});
