/**
 * Native checks for tempest.api.network.test_security_groups_negative.NegativeSecGroupTest
 * (guideline capability networks-security-groups-CRUD): groups and rules that
 * do not exist (404), rules with a bad protocol, ethertype or remote prefix
 * (400), out-of-range or inverted ports and ICMP type/code (400 with the reason),
 * a remote group or group that does not exist (404), a second "default" group
 * (409) and a duplicate rule (409).
 */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectRefused, expectStatus } from '../../src/check/expect.js';
import type { Attributes, NetworkClient, SecurityGroupRule } from '../../src/services/network.js';
import { anyReply, expectErrorStatus, seeReply, type Reply } from '../../src/services/protocol.js';
import { createSecurityGroup, primaryWith, SECURITY_GROUP_CLEANUP } from './steps.js';

const negativeSecGroup = tempestClass('tempest.api.network.test_security_groups_negative.NegativeSecGroupTest');

/** Creates a rule; should it be created although a refusal was expected, it is removed afterwards. */
function ruleCreation(ctx: CheckContext, client: NetworkClient, attrs: Attributes): () => Promise<Reply<unknown>> {
  return () =>
    seeReply(client.createSecurityGroupRule(attrs), (res) => {
      const id = (res.body as { security_group_rule?: Partial<SecurityGroupRule> } | null)?.security_group_rule?.id;
      if (res.status === 201 && typeof id === 'string') {
        ctx.defer(`delete wrongly created rule ${id}`, () => anyReply(() => client.deleteSecurityGroupRule(id)));
      }
    });
}

/** Creates a rule expected to be refused with `status`; returns the refusal. */
function attemptRule(ctx: CheckContext, client: NetworkClient, attrs: Attributes, status: number): Promise<Reply<unknown>> {
  return expectErrorStatus(status, ruleCreation(ctx, client, attrs));
}

/**
 * A security group of the run and its client, skipping without the
 * security-group extension. The group is BaseSecGroupTest._create_security_group's:
 * its test-level cleanup deletes it (a 404 ignored) and asserts it is no longer listed.
 */
async function withGroup(ctx: CheckContext): Promise<{ client: NetworkClient; groupId: string }> {
  const client = await primaryWith(ctx, 'security-group');
  const group = await createSecurityGroup(ctx, client, {}, SECURITY_GROUP_CLEANUP);
  return { client, groupId: group.id };
}

negativeSecGroup.test('test_show_non_existent_security_group', '424fd5c3-9ddc-486a-b45f-39bf0c820fc6', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  await expectErrorStatus(404, () => client.showSecurityGroup(randomUUID()));
});

negativeSecGroup.test('test_show_non_existent_security_group_rule', '4c094c09-000b-4e41-8100-9617600c02a6', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  await expectErrorStatus(404, () => client.showSecurityGroupRule(randomUUID()));
});

negativeSecGroup.test('test_delete_non_existent_security_group', '1f1bb89d-5664-4956-9fcd-83ee0fa603df', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  await expectErrorStatus(404, () => client.deleteSecurityGroup(randomUUID()));
});

negativeSecGroup.test('test_create_security_group_rule_with_bad_protocol', '981bdc22-ce48-41ed-900a-73148b583958', async (ctx) => {
  const { client, groupId } = await withGroup(ctx);
  await attemptRule(ctx, client, {
    security_group_id: groupId, protocol: 'no-such-protocol', direction: 'ingress', ethertype: 'IPv4',
  }, 400);
});

negativeSecGroup.test('test_create_security_group_rule_with_bad_remote_ip_prefix', '5f8daf69-3c5f-4aaa-88c9-db1d66f68679', async (ctx) => {
  const { client, groupId } = await withGroup(ctx);
  // A truncated address, a prefix length over 32, a word and a bare number.
  for (const prefix of ['10.20.30./24', '10.20.30.40/33', 'not-a-prefix', '256']) {
    await attemptRule(ctx, client, {
      security_group_id: groupId, protocol: 'tcp', direction: 'ingress', ethertype: 'IPv4', remote_ip_prefix: prefix,
    }, 400);
  }
});

negativeSecGroup.test('test_create_security_group_rule_with_non_existent_remote_groupid', '4bf786fd-2f02-443c-9716-5b98e159a49a', async (ctx) => {
  const { client, groupId } = await withGroup(ctx);
  for (const remote of ['no-such-group', randomUUID()]) {
    await attemptRule(ctx, client, {
      security_group_id: groupId, protocol: 'tcp', direction: 'ingress', ethertype: 'IPv4', remote_group_id: remote,
    }, 404);
  }
});

negativeSecGroup.test('test_create_security_group_rule_with_bad_ethertype', '5666968c-fff3-40d6-9efc-df1c8bd01abb', async (ctx) => {
  const { client, groupId } = await withGroup(ctx);
  await attemptRule(ctx, client, {
    security_group_id: groupId, protocol: 'udp', direction: 'ingress', ethertype: 'IPv5',
  }, 400);
});

/** Port ranges Neutron must refuse, with the words its refusal must contain. */
const BAD_PORT_RANGES: { protocol: string; min: number | null; max: number | null; says: string }[] = [
  { protocol: 'tcp', min: -16, max: 80, says: 'Invalid value for port -16' },
  { protocol: 'tcp', min: 80, max: 79, says: 'port_range_min must be <= port_range_max' },
  { protocol: 'tcp', min: 80, max: 65536, says: 'Invalid value for port 65536' },
  { protocol: 'tcp', min: null, max: 6, says: 'port_range_min must be <= port_range_max' },
  { protocol: 'tcp', min: -16, max: 65536, says: 'Invalid value for port' },
  { protocol: 'icmp', min: 1, max: 256, says: 'Invalid value for ICMP code' },
  { protocol: 'icmp', min: -1, max: 25, says: 'Invalid value' },
  { protocol: 'icmp', min: null, max: 6, says: 'ICMP type (port-range-min) is missing' },
  { protocol: 'icmp', min: 300, max: 1, says: 'Invalid value for ICMP type' },
];

negativeSecGroup.test('test_create_security_group_rule_with_invalid_ports', '0d9c7791-f2ad-4e2f-ac73-abf2373b0d2d', async (ctx) => {
  const { client, groupId } = await withGroup(ctx);
  for (const c of BAD_PORT_RANGES) {
    const res = await attemptRule(ctx, client, {
      security_group_id: groupId, protocol: c.protocol, port_range_min: c.min, port_range_max: c.max,
      direction: 'ingress', ethertype: 'IPv4',
    }, 400);
    // Beyond the status, Tempest's test asserts the reason the refusal gives.
    expectRefused(res, 400, { says: c.says });
  }
});

negativeSecGroup.test('test_create_additional_default_security_group_fails', '2323061e-9fbf-4eb0-b547-7e8fafc90849', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  const attempt = () =>
    seeReply(client.createSecurityGroup({ name: 'default' }), (res) => {
      const id = (res.body as { security_group?: { id?: unknown } } | null)?.security_group?.id;
      if (res.status === 201 && typeof id === 'string') {
        ctx.defer(`delete wrongly created default group ${id}`, () => anyReply(() => client.deleteSecurityGroup(id)));
      }
    });
  await expectErrorStatus(409, attempt);
});

negativeSecGroup.test('test_create_duplicate_security_group_rule_fails', '8fde898f-ce88-493b-adc9-4e4692879fc5', async (ctx) => {
  const { client, groupId } = await withGroup(ctx);
  const rule = { security_group_id: groupId, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 66, port_range_max: 67 };
  // The first rule is judged by its status alone, as before: its body is not read.
  expectStatus(await anyReply(ruleCreation(ctx, client, rule)), 201);
  await attemptRule(ctx, client, rule, 409);
});

negativeSecGroup.test('test_create_security_group_rule_with_non_existent_security_group', 'be308db6-a7cf-4d5c-9baf-71bafd73f35e', async (ctx) => {
  const client = await primaryWith(ctx, 'security-group');
  await attemptRule(ctx, client, { security_group_id: randomUUID(), direction: 'ingress', ethertype: 'IPv4' }, 404);
});
