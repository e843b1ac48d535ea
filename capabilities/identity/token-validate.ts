/**
 * Native check for tempest.api.identity.v3.test_tokens.TokensV3Test.test_validate_token
 * (identity-v3-tokens-validate): a token the user just obtained validates to the
 * same body Keystone issued, names the user, and is unknown once revoked. The two
 * other TokensV3Test checks live in tokens.ts.
 */
import { CheckSkip } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, fail } from '../../src/check/expect.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import { IdentityTokensClient, type TokenBody } from '../../src/services/identity-tokens.js';
import { anyReply, seeReply } from '../../src/services/protocol.js';

const tokensV3 = tempestClass('tempest.api.identity.v3.test_tokens.TokensV3Test');

/** The token with its roles (if any) ordered by id: role order carries no meaning. */
function normalised(token: TokenBody['token']): TokenBody['token'] {
  const roles = token.roles;
  if (!Array.isArray(roles)) return token;
  const sorted = [...(roles as { id?: string }[])].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return { ...token, roles: sorted };
}

tokensV3.test('test_validate_token', 'a9512ac3-3909-48a4-b395-11f438e16260', async (ctx) => {
  const primary = ctx.account('primary');
  const tokens = new IdentityTokensClient(primary);
  if (!tokens.canIssueTokens()) {
    throw new CheckSkip('the primary account is not configured with a password, so no token of its own can be issued');
  }
  const me = await primary.identity();

  // The client asserts 201, X-Subject-Token and the token schema; the revocation is
  // registered from the answer before its body is judged.
  const created = await seeReply(tokens.createToken({ unscoped: true }), (r) => {
    const issued = r.headers['x-subject-token'];
    if (r.status === 201 && issued !== undefined) ctx.defer('revoke the issued token', () => anyReply(() => tokens.revokeToken(issued)));
  });
  const subject = created.subjectToken;

  const shown = await tokens.showToken(subject);
  expectSameJson(
    normalised(shown.body.token),
    normalised(created.body.token),
    `${describeRequest(shown)}: validated token compared with the token as issued`,
  );
  expectEqual(shown.body.token.user.id, me.userId, `${describeRequest(shown)}: token.user.id`);
  // Backends may be case-insensitive but case-preserving: compare in lower case.
  if (me.userName !== undefined && shown.body.token.user.name.toLowerCase() !== me.userName.toLowerCase()) {
    fail(`${describeRequest(shown)}: token.user.name expected ${JSON.stringify(me.userName)}, got ${JSON.stringify(shown.body.token.user.name)}`);
  }

  await tokens.revokeToken(subject);
  const gone = await anyReply(() => tokens.showToken(subject));
  if (gone.status !== 404) fail(`${describeRequest(gone)}: a revoked token should be unknown (404), got ${gone.status}`);
});
