/**
 * Native check for tempest.api.identity.v3.test_projects.IdentityV3ProjectsTest
 * (identity-v3-list-projects): the projects listed for the user are exactly ones
 * the user can obtain a token for, and another account's project is refused.
 *
 * Tempest authenticates with the password once per project (by name within the
 * listed domain). The session offers a password authentication only for its
 * configured scope or unscoped, so the check takes one unscoped password token
 * and scopes it to each project, also by name and domain, with the `token` method:
 * Keystone applies the same role-assignment rule to both.
 */
import { CheckSkip } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectHeader, expectStatus, expectThat } from '../../src/check/expect.js';
import { IdentityClient } from '../../src/services/identity.js';
import { IdentityTokensClient } from '../../src/services/identity-tokens.js';
import { anyReply, expectErrorStatus, seeReply, type Reply } from '../../src/services/protocol.js';

const identityV3Projects = tempestClass('tempest.api.identity.v3.test_projects.IdentityV3ProjectsTest', { accounts: ['alt'] });

identityV3Projects.test('test_list_projects_returns_only_authorized_projects', '86128d46-e170-4644-866a-cc487f699e1d', async (ctx) => {
  const primary = ctx.account('primary');
  const me = await primary.identity();
  const other = await ctx.account('alt').identity();
  if (other.projectId === me.projectId) {
    throw new CheckSkip('the primary and alt accounts share a project; the check needs a project the primary user has no role on');
  }
  const tokens = new IdentityTokensClient(primary);
  if (!tokens.canIssueTokens()) {
    throw new CheckSkip('the primary account is not configured with a password, so no token of its own can be issued');
  }
  const identity = new IdentityClient(primary);
  /** Registers the revocation of a token a 201 answer carries, whatever its body. */
  const revokeIssued = (what: string) => (r: Reply<unknown>) => {
    const issued = r.headers['x-subject-token'];
    if (r.status === 201 && issued !== undefined) ctx.defer(`revoke ${what}`, () => anyReply(() => tokens.revokeToken(issued)));
  };

  const listed = await identity.listUserProjects(me.userId);
  const projects = listed.body.projects;
  ctx.note(`projects listed for the user: ${projects.map((p) => p.name).join(', ')}`);
  expectThat(projects.length > 0, `${describeRequest(listed)}: no project listed, yet the user is authenticated in project ${me.projectId}`);

  // Status and header only, as the test asserts of this token: its body is not read.
  const unscoped = await anyReply(() => tokens.createToken({ unscoped: true }));
  expectStatus(unscoped, 201);
  const token = expectHeader(unscoped, 'x-subject-token');
  ctx.defer('revoke the unscoped token', () => anyReply(() => tokens.revokeToken(token)));

  for (const project of projects) {
    // By name within the listed domain, as Tempest does: the listing's name and domain_id must lead to this project.
    // The client asserts the 201, X-Subject-Token and the token schema; the revocation
    // is registered from the answer before it is judged.
    const res = await seeReply(identity.scopeTokenToProject(token, { name: project.name, domainId: project.domain_id }), revokeIssued(`the token scoped to ${project.name}`));
    expectThat(res.subjectToken.length > 0, `${describeRequest(res)}: X-Subject-Token is empty`);
    const body = res.body.token;
    expectEqual(body.project?.id, project.id, `${describeRequest(res)}: token.project.id`);
    expectEqual(body.project?.name, project.name, `${describeRequest(res)}: token.project.name`);
    if (body.project?.domain?.id !== undefined) {
      expectEqual(body.project.domain.id, project.domain_id, `${describeRequest(res)}: token.project.domain.id`);
    }
    expectEqual(body.user.id, me.userId, `${describeRequest(res)}: token.user.id`);
  }

  // Tempest names the other account's project within the domain of the last listed
  // project; its token client treats 401 and 403 alike as "unauthorized".
  const domainId = projects[projects.length - 1]?.domain_id ?? 'default';
  const elsewhere = other.projectName !== undefined ? { name: other.projectName, domainId } : { id: other.projectId };
  await expectErrorStatus([401, 403], () =>
    seeReply(identity.scopeTokenToProject(token, elsewhere), (r) => {
      const leaked = r.headers['x-subject-token'];
      if (r.status === 201 && leaked) ctx.defer('revoke the token wrongly granted', () => anyReply(() => tokens.revokeToken(leaked)));
    }),
  );
});
