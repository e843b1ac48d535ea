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
import { describeRequest, expectEqual, expectHeader, expectSchema, expectStatus, expectThat } from '../../src/check/expect.js';
import { IdentityClient } from '../../src/services/identity.js';
import { IdentityTokensClient } from '../../src/services/identity-tokens.js';

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

  const listed = await identity.listUserProjects(me.userId);
  expectStatus(listed, 200);
  expectSchema('identity', 'list-user-projects', listed.body, listed);
  const projects = listed.body.projects;
  ctx.note(`projects listed for the user: ${projects.map((p) => p.name).join(', ')}`);
  expectThat(projects.length > 0, `${describeRequest(listed)}: no project listed, yet the user is authenticated in project ${me.projectId}`);

  const unscoped = await tokens.createToken({ unscoped: true });
  expectStatus(unscoped, 201);
  const token = expectHeader(unscoped, 'x-subject-token');
  ctx.defer('revoke the unscoped token', () => tokens.revokeToken(token));

  for (const project of projects) {
    // By name within the listed domain, as Tempest does: the listing's name and domain_id must lead to this project.
    const res = await identity.scopeTokenToProject(token, { name: project.name, domainId: project.domain_id });
    expectStatus(res, 201);
    const scoped = expectHeader(res, 'x-subject-token');
    ctx.defer(`revoke the token scoped to ${project.name}`, () => tokens.revokeToken(scoped));
    expectThat(scoped.length > 0, `${describeRequest(res)}: X-Subject-Token is empty`);
    expectSchema('identity', 'token', res.body, res);
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
  const refused = await identity.scopeTokenToProject(
    token,
    other.projectName !== undefined ? { name: other.projectName, domainId } : { id: other.projectId },
  );
  if (refused.status === 201) {
    const leaked = refused.headers['x-subject-token'];
    if (leaked) ctx.defer('revoke the token wrongly granted', () => tokens.revokeToken(leaked));
  }
  expectStatus(refused, [401, 403]);
});
