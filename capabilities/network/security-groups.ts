/**
 * Native checks for tempest.api.network.test_security_groups.SecGroupTest
 * (guideline capability networks-security-groups-CRUD): the project's default
 * group, group create/list/update/show/delete, and rules for TCP, UDP and ICMP
 * with ports, ICMP type/code, a remote group, a remote prefix and a numeric
 * protocol, each created as asked and removable.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import type { Attributes, NetworkClient, SecurityGroupRule } from '../../src/services/network.js';
import { ASSERTED, created, createSecurityGroup, primaryWith, removal, SECURITY_GROUP_CLEANUP, type Removal } from './steps.js';

const secGroup = tempestClass('tempest.api.network.test_security_groups.SecGroupTest');

// Every group here is BaseSecGroupTest._create_security_group's, removed in a
// test-level cleanup that deletes it (a 404 ignored) and asserts it unlisted;
// _create_verify_security_group_rule removes its rule the same way. Rules a test
// creates itself are deleted in its body or go with their group.

/** Checks a deleted rule is no longer listed. */
async function expectRuleUnlisted(client: NetworkClient, id: string): Promise<void> {
  const list = (await client.listSecurityGroupRules()).body.security_group_rules;
  expectThat(!list.some((r) => r.id === id), `GET /v2.0/security-group-rules: deleted rule ${id} is still listed`);
}

/** Deletes a rule (204) and checks it is no longer listed. */
async function deleteRuleAndVerify(client: NetworkClient, id: string): Promise<void> {
  await client.deleteSecurityGroupRule(id);
  await expectRuleUnlisted(client, id);
}

/**
 * Creates a rule (201 + schema) and registers its deletion; an asserted one, as
 * Tempest's _delete_security_group_rule cleanup, then checks the rule unlisted
 * (unless it was already gone).
 */
async function createRule(ctx: CheckContext, client: NetworkClient, attrs: Attributes, how: Removal = {}): Promise<SecurityGroupRule> {
  const register = (id: string) =>
    ctx.defer(`delete security group rule ${id}`, async () => {
      const res = await removal(`security group rule ${id}`, () => client.deleteSecurityGroupRule(id), 204, how);
      if (how.asserted && res.status !== 404) await expectRuleUnlisted(client, id);
    }, { asserted: how.asserted === true });
  return (await created(client.createSecurityGroupRule(attrs), 'security_group_rule', register)).body.security_group_rule;
}

/**
 * Creates an ingress IPv4 rule with the given protocol, ports and remote and
 * checks every one of those fields comes back as sent. The rule stays until
 * the test-level cleanup deletes it and checks it unlisted.
 */
async function createVerifyRule(
  ctx: CheckContext,
  client: NetworkClient,
  groupId: string,
  spec: { protocol: string; min: number | null; max: number | null; remoteGroup?: string; remotePrefix?: string },
): Promise<void> {
  const expected: Attributes = {
    direction: 'ingress',
    ethertype: 'IPv4',
    protocol: spec.protocol,
    port_range_min: spec.min,
    port_range_max: spec.max,
    remote_group_id: spec.remoteGroup ?? null,
    remote_ip_prefix: spec.remotePrefix ?? null,
  };
  const rule = await createRule(ctx, client, { security_group_id: groupId, ...expected }, ASSERTED);
  for (const [key, value] of Object.entries(expected)) {
    expectEqual(rule[key], value, `POST /v2.0/security-group-rules: ${key} of rule ${rule.id}`);
  }
}

secGroup.test('test_list_security_groups', 'e30abd17-fef9-4739-8617-dc26da88e686', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const list = (await client.listSecurityGroups()).body.security_groups;
  expectThat(list.some((g) => g.name === 'default'), 'GET /v2.0/security-groups: the project has no security group named "default"');
});

secGroup.test('test_create_list_update_show_delete_security_group', 'bfd128e5-3c92-44b6-9d66-7fe29d22c802', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  const listed = (await client.listSecurityGroups()).body.security_groups;
  expectThat(listed.some((g) => g.id === group.id), `GET /v2.0/security-groups: created group ${group.id} is not listed`);
  const name = ctx.name('secgroup-renamed');
  const description = `description of ${name}`;
  const res = await client.updateSecurityGroup(group.id, { name, description });
  const updated = res.body.security_group;
  expectEqual(updated.name, name, `PUT /v2.0/security-groups/${group.id}: name`);
  expectEqual(updated.description, description, `PUT /v2.0/security-groups/${group.id}: description`);
  const shown = (await client.showSecurityGroup(group.id)).body.security_group;
  expectEqual(shown.name, name, `GET /v2.0/security-groups/${group.id}: name`);
  expectEqual(shown.description, description, `GET /v2.0/security-groups/${group.id}: description`);
  await client.deleteSecurityGroup(group.id);
  const after = (await client.listSecurityGroups()).body.security_groups;
  expectThat(!after.some((g) => g.id === group.id), `GET /v2.0/security-groups: deleted group ${group.id} is still listed`);
});

secGroup.test('test_create_show_delete_security_group_rule', 'cfb99e0e-7410-4a3d-8a0c-959a63ee77e9', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  for (const protocol of ['tcp', 'udp', 'icmp']) {
    const rule = await createRule(ctx, client, { security_group_id: group.id, protocol, direction: 'ingress', ethertype: 'IPv4' });
    const shown = (await client.showSecurityGroupRule(rule.id)).body.security_group_rule;
    for (const [key, value] of Object.entries(rule)) {
      expectEqual(shown[key], value, `GET /v2.0/security-group-rules/${rule.id}: ${key} (compared with the create response)`);
    }
    const list = (await client.listSecurityGroupRules()).body.security_group_rules;
    expectThat(list.some((r) => r.id === rule.id), `GET /v2.0/security-group-rules: created ${protocol} rule ${rule.id} is not listed`);
    await deleteRuleAndVerify(client, rule.id);
  }
});

secGroup.test('test_create_security_group_rule_with_additional_args', '87dfbcf9-1849-43ea-b1e4-efa3eeae9f71', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  await createVerifyRule(ctx, client, group.id, { protocol: 'tcp', min: 77, max: 77 });
});

secGroup.test('test_create_security_group_rule_with_icmp_type_code', 'c9463db8-b44d-4f52-b6c0-8dbda99f26ce', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  // For ICMP the port range carries type (min) and code (max); a missing code is allowed.
  const typeCodes: [number, number | null][] = [[3, 2], [3, 0], [8, 0], [0, 0], [11, null]];
  for (const [type, code] of typeCodes) {
    await createVerifyRule(ctx, client, group.id, { protocol: 'icmp', min: type, max: code });
  }
});

secGroup.test('test_create_security_group_rule_with_remote_group_id', 'c2ed2deb-7a0c-44d8-8b4c-a5825b5c310b', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  const remote = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  await createVerifyRule(ctx, client, group.id, { protocol: 'udp', min: 50, max: 55, remoteGroup: remote.id });
});

secGroup.test('test_create_security_group_rule_with_remote_ip_prefix', '16459776-5da2-4634-bce4-4b55ee3ec188', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  await createVerifyRule(ctx, client, group.id, { protocol: 'tcp', min: 76, max: 77, remotePrefix: '10.100.0.0/16' });
});

secGroup.test('test_create_security_group_rule_with_protocol_integer_value', '0a307599-6655-4220-bebc-fd70c64f2290', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  // 17 is UDP; the API may echo it as a string.
  const rule = await createRule(ctx, client, { security_group_id: group.id, direction: 'ingress', protocol: 17 });
  expectEqual(rule.direction, 'ingress', `POST /v2.0/security-group-rules: direction of rule ${rule.id}`);
  expectEqual(Number(rule.protocol), 17, `POST /v2.0/security-group-rules: protocol of rule ${rule.id} as a number`);
});
