/**
 * Native check for tempest.api.identity.v2.test_tokens.TokensTest.test_create_token,
 * which the guidelines 2015.05 and 2015.07 require. Keystone removed the
 * Identity API v2.0 in Queens (2018): on a cloud without it the check fails and
 * says so, since those guidelines still require the test.
 *
 * Tempest posted the user's password to /v2.0/tokens. The harness never hands
 * the password to a check, so this check exchanges the session's token for a
 * v2.0 token scoped to the same project (the v2.0 API's token method); the
 * facts asserted about the issued token are Tempest's: a non-empty string id,
 * an expiry in the future, the project's id and name as its tenant.
 */
import { describeRequest, expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { unversionedBase } from '../../src/services/endpoint.js';

const tokensTests = tempestClass('tempest.api.identity.v2.test_tokens.TokensTest');

interface V2Access {
  access?: { token?: { id?: unknown; expires?: unknown; tenant?: { id?: unknown; name?: unknown } } };
}

tokensTests.test('test_create_token', '65ae3b78-91ff-467b-a705-f6678863b8ec', async (ctx) => {
  const cloud = ctx.account('primary');
  const identity = await cloud.identity();
  const root = unversionedBase(await cloud.endpoint('identity'));
  const res = await cloud.request<V2Access>({
    method: 'POST',
    url: `${root.replace(/\/$/, '')}/v2.0/tokens`,
    body: { auth: { token: { id: await cloud.token() }, tenantId: identity.projectId } },
  });
  if (res.status === 404 || res.status === 410) {
    fail(`${describeRequest(res)}: ${res.status}: the cloud does not offer the Identity API v2.0 (Keystone removed it in Queens, 2018), which this guideline's TokensTest.test_create_token requires`);
  }
  expectEqual(res.status, 200, `${describeRequest(res)}: status`);
  const token = res.body?.access?.token;
  const where = describeRequest(res);
  expectThat(typeof token?.id === 'string' && token.id !== '', `${where}: access.token.id is not a non-empty string`);
  const expires = typeof token?.expires === 'string' ? Date.parse(token.expires) : Number.NaN;
  expectThat(!Number.isNaN(expires), `${where}: access.token.expires ${JSON.stringify(token?.expires)} is not a time`);
  expectThat(expires > Date.now(), `${where}: access.token.expires ${String(token?.expires)} is not in the future`);
  expectEqual(token?.tenant?.id, identity.projectId, `${where}: access.token.tenant.id`);
  if (identity.projectName !== undefined) expectEqual(token?.tenant?.name, identity.projectName, `${where}: access.token.tenant.name`);
});
