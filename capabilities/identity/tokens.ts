/**
 * Checks standing for tempest.api.identity.v3.test_tokens.TokensV3Test (the two
 * tests in the OpenStack Powered Storage program): issuing a password token, and
 * a token's life cycle (check, validate, revoke, then gone).
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { IdentityTokensClient } from '../../src/services/identity-tokens.js';
import { anyReply, seeReply } from '../../src/services/protocol.js';

const tokensV3 = tempestClass('tempest.api.identity.v3.test_tokens.TokensV3Test');

function tokensFor(ctx: CheckContext): IdentityTokensClient {
  const client = new IdentityTokensClient(ctx.account('primary'));
  if (!client.canIssueTokens()) {
    throw new CheckSkip('the primary account is not configured with a password, so no token of its own can be issued');
  }
  return client;
}

/** Issues an unscoped password token and registers its revocation. */
async function issue(ctx: CheckContext, tokens: IdentityTokensClient) {
  // The client asserts 201, X-Subject-Token and the token schema; the revocation is
  // registered from the answer before its body is judged.
  const res = await seeReply(tokens.createToken({ unscoped: true }), (r) => {
    const issued = r.headers['x-subject-token'];
    if (r.status === 201 && issued !== undefined) ctx.defer('revoke the issued token', () => anyReply(() => tokens.revokeToken(issued)));
  });
  return { res, subject: res.subjectToken, body: res.body };
}

function sameName(a: string, b: string | undefined): boolean {
  // Backends may be case-insensitive but case-preserving: compare in lower case.
  return b !== undefined && a.toLowerCase() === b.toLowerCase();
}

tokensV3.test('test_create_token', '6f8e4436-fc96-4282-8122-e41df57197a9', async (ctx) => {
  const tokens = tokensFor(ctx);
  const me = await ctx.account('primary').identity();
  const { res, subject, body } = await issue(ctx, tokens);
  expectThat(subject.length > 0, `${describeRequest(res)}: X-Subject-Token is empty`);
  const { expires_at: expiresAt, issued_at: issuedAt } = body.token;
  expectThat(expiresAt > issuedAt, `${describeRequest(res)}: expires_at ${expiresAt} is not after issued_at ${issuedAt}`);
  expectThat(Date.parse(expiresAt) > Date.now(), `${describeRequest(res)}: token already expired (expires_at ${expiresAt})`);
  expectEqual(body.token.user.id, me.userId, `${describeRequest(res)}: token.user.id`);
  if (me.userName !== undefined && !sameName(body.token.user.name, me.userName)) {
    fail(`${describeRequest(res)}: token.user.name expected ${JSON.stringify(me.userName)}, got ${JSON.stringify(body.token.user.name)}`);
  }
  expectEqual(body.token.methods[0], 'password', `${describeRequest(res)}: token.methods[0]`);
});

tokensV3.test('test_token_auth_creation_existence_deletion', '0f9f5a5f-d5cd-4a86-8a5b-c5ded151f212', async (ctx) => {
  const tokens = tokensFor(ctx);
  const me = await ctx.account('primary').identity();
  const { subject } = await issue(ctx, tokens);
  await tokens.checkToken(subject);
  const shown = await tokens.showToken(subject);
  const details = shown.body.token;
  expectEqual(details.user.id, me.userId, `${describeRequest(shown)}: token.user.id`);
  if (me.userName !== undefined && !sameName(details.user.name, me.userName)) {
    fail(`${describeRequest(shown)}: token.user.name expected ${JSON.stringify(me.userName)}, got ${JSON.stringify(details.user.name)}`);
  }
  await tokens.revokeToken(subject);
  const gone = await anyReply(() => tokens.checkToken(subject));
  if (gone.status !== 404) fail(`${describeRequest(gone)}: a revoked token should be unknown (404), got ${gone.status}`);
});
