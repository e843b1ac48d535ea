/**
 * Cleanups of the network checks that Tempest's tests assert (issue 9): where a
 * Tempest test removes a resource in a test-level cleanup (addCleanup, bare or
 * through call_and_ignore_notfound_exc), a removal the cloud refuses, or a port
 * that never disappears, fails the check that passed otherwise; where Tempest
 * leaves the resource to the class's resource_cleanup, the check still passes
 * and the failure is only noted. The fake Neutron carries out each removal and
 * the fault only bends its answer, so nothing is left behind either way.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/network/networks.js';
import '../../../capabilities/network/ports.js';
import '../../../capabilities/network/routers.js';
import '../../../capabilities/network/routers-negative.js';
import '../../../capabilities/network/security-groups.js';
import '../../../capabilities/network/security-groups-negative.js';
import '../../../capabilities/network/subnetpools.js';
import { findCheck } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { ADMIN_PROJECT, fakeNeutron, PROJECT, type FakeRequest, type Fault, type Json } from '../../fakes/fake-neutron.js';

const ORIGIN = 'http://127.0.0.1:9696';
const one = (c: string) => new RegExp(`^/v2\\.0/${c}/[^/]+$`);
const all = (c: string) => new RegExp(`^/v2\\.0/${c}$`);
const REMOVE_INTERFACE = /^\/v2\.0\/routers\/[^/]+\/remove_router_interface$/;
const UUID = '[0-9a-f-]{36}';

let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[], opts: { cleanupTimeoutMs?: number; timeoutMs?: number } = {}): Promise<HarnessResult> {
  fakeNeutron(ORIGIN, faults);
  const primary = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
  const admin = nockCloud({
    authUrl: 'http://127.0.0.1:45001/v3', cloudName: 'nock-admin', catalog: { network: ORIGIN }, projectId: ADMIN_PROJECT, roles: ['admin'],
  });
  sessions.push(primary, admin);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  return runCheck(def, { accounts: { primary, admin }, timeoutMs: 15_000, ...opts });
}

/** Answers `code` instead of what the fake answered (after it acted), optionally only instead of `from`. */
function answer(method: string, path: RegExp, code: number, from?: number): Fault {
  return { method, path, reply: (r) => (from !== undefined && r.status !== from ? r : { status: code, body: { NeutronError: { type: 'Injected', message: `injected ${code}`, detail: '' } } }) };
}

/** Answers `code` to the `n`-th matching request only (counted among those `when` accepts). */
function nth(method: string, path: RegExp, n: number, code: number, when: (req: FakeRequest) => boolean = () => true): Fault {
  let seen = 0;
  return { method, path, reply: (r, req) => (when(req) && ++seen === n ? { status: code, body: { NeutronError: { type: 'Injected', message: `injected ${code}`, detail: '' } } } : r) };
}

/** A deleted port still answers GET (it never disappears). */
const portNeverGone: Fault = { method: 'GET', path: one('ports'), reply: (r, req) => (r.status === 404 ? { status: 200, body: { port: { id: req.path.split('/').pop() } } } : r) };

/** Security groups keep appearing in listings after their deletion. */
function ghostGroups(): Fault[] {
  const made: Json[] = [];
  return [
    { method: 'POST', path: all('security-groups'), reply: (r) => { if (r.status === 201) made.push((r.body as Json).security_group as Json); return r; } },
    { method: 'GET', path: all('security-groups'), reply: (r) => {
      const body = JSON.parse(JSON.stringify(r.body)) as { security_groups: Json[] };
      for (const g of made) if (!body.security_groups.some((x) => x.id === g.id)) body.security_groups.push(g);
      return { ...r, body };
    } },
  ];
}

/** The failure of cleanup `what` (e.g. "delete network") answering `code`. */
const refused = (what: string, code: number) => new RegExp(`^cleanup "${what} ${UUID}" failed: .*expected status \\d+.*, got ${code}`);

interface Case {
  id: string;
  name: string;
  label: string;
  faults: Fault[];
  says: RegExp;
  cleanupTimeoutMs?: number;
  timeoutMs?: number;
}

const networkRefused = (id: string, name: string, from?: number): Case => ({
  id, name, label: 'its network\'s test-level deletion answers 409', faults: [answer('DELETE', one('networks'), 409, from)], says: refused('delete network', 409),
});
const groupRefused = (id: string, name: string): Case => ({
  id, name, label: 'its security group\'s deletion answers 409', faults: [answer('DELETE', one('security-groups'), 409)], says: refused('delete security group', 409),
});

/** Checks that must now fail when the named cleanup fails. */
const FAILING: Case[] = [
  // NetworksTest: the test's own network (addCleanup + call_and_ignore_notfound_exc)
  networkRefused('0e269138-0da6-4efc-a46d-578161e7b221', 'test_create_update_delete_network_subnet', 404),
  networkRefused('f04f61a9-b7f3-4194-90b2-9bcf660d1bfe', 'test_delete_network_with_subnet', 404),
  networkRefused('3d3852eb-3009-49ec-97ac-5ce83b73010a', 'test_update_subnet_gw_dns_host_routes_dhcp'),
  // PortsTestJSON
  networkRefused('67f1b811-f8db-43e2-86bd-72c074d4a42c', 'test_create_bulk_port'),
  { id: '0435f278-40ae-48cb-a404-b8a087bc09b1', name: 'test_create_port_in_allowed_allocation_pools', label: 'the port\'s cleanup deletion answers 409', faults: [answer('DELETE', one('ports'), 409, 404)], says: refused('delete port', 409) },
  { id: '0435f278-40ae-48cb-a404-b8a087bc09b1', name: 'test_create_port_in_allowed_allocation_pools', label: 'the port never disappears', faults: [portNeverGone], says: new RegExp(`^cleanup "delete port ${UUID}" failed: took longer than 1500 ms`), cleanupTimeoutMs: 1500 },
  { id: '0435f278-40ae-48cb-a404-b8a087bc09b1', name: 'test_create_port_in_allowed_allocation_pools', label: 'the subnet\'s deletion answers 409', faults: [answer('DELETE', one('subnets'), 409)], says: refused('delete subnet', 409) },
  { id: 'c72c1c0c-2193-4aca-aaa4-b1442640f51c', name: 'test_create_update_delete_port', label: 'the deleted port never disappears', faults: [portNeverGone], says: /did not finish within its deadline of 2 s/, timeoutMs: 2000 },
  { id: '5ad01ed0-0e6e-4c5d-8194-232801b15c72', name: 'test_port_list_filter_by_router_id', label: 'removing the interface answers 409', faults: [answer('PUT', REMOVE_INTERFACE, 409)], says: /^cleanup "remove interface \{"port_id":"[0-9a-f-]{36}"\} of router [0-9a-f-]{36}" failed: .*got 409/ },
  { id: '5ad01ed0-0e6e-4c5d-8194-232801b15c72', name: 'test_port_list_filter_by_router_id', label: 'the interface\'s port never disappears', faults: [portNeverGone], says: /^cleanup "remove interface .*" failed: took longer than 1500 ms/, cleanupTimeoutMs: 1500 },
  { id: '5ad01ed0-0e6e-4c5d-8194-232801b15c72', name: 'test_port_list_filter_by_router_id', label: 'the router\'s deletion answers 409', faults: [answer('DELETE', one('routers'), 409)], says: refused('delete router', 409) },
  { id: '58091b66-4ff4-4cc1-a549-05d60c7acd1a', name: 'test_update_port_with_security_group_and_extra_attributes', label: 'the port\'s deletion answers 409', faults: [answer('DELETE', one('ports'), 409)], says: refused('delete port', 409) },
  { id: 'edf6766d-3d40-4621-bc6e-2521a44c257d', name: 'test_update_port_with_two_security_groups_and_extra_attributes', label: 'a security group\'s deletion answers 409', faults: [answer('DELETE', one('security-groups'), 409)], says: refused('delete security group', 409) },
  { id: '13e95171-6cbd-489c-9d7c-3f9c58215c18', name: 'test_create_show_delete_port_user_defined_mac', label: 'the second port\'s deletion answers 409', faults: [nth('DELETE', one('ports'), 2, 409)], says: refused('delete port', 409) },
  { id: '4179dcb9-1382-4ced-84fe-1b91c54f5735', name: 'test_create_port_with_no_securitygroups', label: 'the port\'s deletion answers 409', faults: [answer('DELETE', one('ports'), 409)], says: refused('delete port', 409) },
  networkRefused('4179dcb9-1382-4ced-84fe-1b91c54f5735', 'test_create_port_with_no_securitygroups'),
  // RoutersTest: bare delete_router (a 404 fails too), networks and subnets, routes
  { id: 'f64403e2-8483-4b34-8ccd-b09a87bcc68c', name: 'test_create_show_list_update_delete_router', label: 'the router\'s deletion answers 409', faults: [answer('DELETE', one('routers'), 409)], says: refused('delete router', 409) },
  { id: 'f64403e2-8483-4b34-8ccd-b09a87bcc68c', name: 'test_create_show_list_update_delete_router', label: 'the router\'s deletion answers 404', faults: [answer('DELETE', one('routers'), 404)], says: new RegExp(`^cleanup "delete router ${UUID}" failed: .*expected status 204, got 404`) },
  { id: 'b42e6e39-2e37-49cc-a6f4-8467e940900a', name: 'test_add_remove_router_interface_with_subnet_id', label: 'the subnet\'s deletion answers 409', faults: [answer('DELETE', one('subnets'), 409)], says: refused('delete subnet', 409) },
  { id: '2b7d2f37-6748-4d78-92e5-1d590234f0d5', name: 'test_add_remove_router_interface_with_port_id', label: 'the subnet\'s deletion answers 404', faults: [answer('DELETE', one('subnets'), 404)], says: new RegExp(`^cleanup "delete subnet ${UUID}" failed: .*expected status 204, got 404`) },
  { id: '2b7d2f37-6748-4d78-92e5-1d590234f0d5', name: 'test_add_remove_router_interface_with_port_id', label: 'the interface\'s cleanup removal answers 409', faults: [answer('PUT', REMOVE_INTERFACE, 409, 404)], says: /^cleanup "remove interface .*" failed: .*got 409/ },
  { id: 'c86ac3a8-50bd-4b00-a6b8-62af84a0765c', name: 'test_update_delete_extra_route', label: 'clearing the routes in the cleanup answers 500', faults: [nth('PUT', one('routers'), 2, 500, (req) => (req.body as { router?: Json }).router?.routes === null)], says: /^cleanup "clear routes of router .*" failed: .*expected status 200, got 500/ },
  networkRefused('c86ac3a8-50bd-4b00-a6b8-62af84a0765c', 'test_update_delete_extra_route'),
  { id: 'a8902683-c788-4246-95c7-ad9c6d63a4d9', name: 'test_update_router_admin_state', label: 'the router\'s deletion answers 409', faults: [answer('DELETE', one('routers'), 409)], says: refused('delete router', 409) },
  networkRefused('802c73c9-c937-4cef-824b-2191e24a6aab', 'test_add_multiple_router_interfaces'),
  // RoutersAdminTest._create_router: call_and_ignore_notfound_exc(delete_router)
  { id: 'ad81b7ee-4f81-407b-a19c-17e623f763e8', name: 'test_update_router_unset_gateway', label: 'the router\'s deletion answers 409', faults: [answer('DELETE', one('routers'), 409)], says: refused('delete router', 409) },
  { id: 'f2faf994-97f4-410b-a831-9bc977b64374', name: 'test_update_router_reset_gateway_without_snat', label: 'the router\'s deletion answers 409', faults: [answer('DELETE', one('routers'), 409)], says: refused('delete router', 409) },
  // RoutersNegativeTest: bare remove_router_interface
  { id: '957751a3-3c68-4fa2-93b6-eb52ea10db6e', name: 'test_add_router_interfaces_on_overlapping_subnets_returns_400', label: 'removing the interface answers 404', faults: [answer('PUT', REMOVE_INTERFACE, 404)], says: /^cleanup "remove interface .*" failed: .*expected status 200, got 404/ },
  { id: '04df80f9-224d-47f5-837a-bf23e33d1c20', name: 'test_router_remove_interface_in_use_returns_409', label: 'removing the interface answers 409', faults: [answer('PUT', REMOVE_INTERFACE, 409)], says: /^cleanup "remove interface .*" failed: .*expected status 200, got 409/ },
  // SecGroupTest and NegativeSecGroupTest: _create_security_group's cleanup
  { id: 'bfd128e5-3c92-44b6-9d66-7fe29d22c802', name: 'test_create_list_update_show_delete_security_group', label: 'the group\'s cleanup deletion answers 409', faults: [answer('DELETE', one('security-groups'), 409, 404)], says: refused('delete security group', 409) },
  { id: '87dfbcf9-1849-43ea-b1e4-efa3eeae9f71', name: 'test_create_security_group_rule_with_additional_args', label: 'the deleted group is still listed', faults: ghostGroups(), says: new RegExp(`^cleanup "delete security group ${UUID}" failed: GET /v2\\.0/security-groups: deleted security group ${UUID} is still listed`) },
  { id: '87dfbcf9-1849-43ea-b1e4-efa3eeae9f71', name: 'test_create_security_group_rule_with_additional_args', label: 'the rule\'s deletion answers 409', faults: [answer('DELETE', one('security-group-rules'), 409)], says: refused('delete security group rule', 409) },
  { id: 'c9463db8-b44d-4f52-b6c0-8dbda99f26ce', name: 'test_create_security_group_rule_with_icmp_type_code', label: 'a rule\'s deletion answers 409', faults: [answer('DELETE', one('security-group-rules'), 409)], says: refused('delete security group rule', 409) },
  groupRefused('cfb99e0e-7410-4a3d-8a0c-959a63ee77e9', 'test_create_show_delete_security_group_rule'),
  groupRefused('c2ed2deb-7a0c-44d8-8b4c-a5825b5c310b', 'test_create_security_group_rule_with_remote_group_id'),
  groupRefused('16459776-5da2-4634-bce4-4b55ee3ec188', 'test_create_security_group_rule_with_remote_ip_prefix'),
  groupRefused('0a307599-6655-4220-bebc-fd70c64f2290', 'test_create_security_group_rule_with_protocol_integer_value'),
  groupRefused('981bdc22-ce48-41ed-900a-73148b583958', 'test_create_security_group_rule_with_bad_protocol'),
  groupRefused('5f8daf69-3c5f-4aaa-88c9-db1d66f68679', 'test_create_security_group_rule_with_bad_remote_ip_prefix'),
  groupRefused('4bf786fd-2f02-443c-9716-5b98e159a49a', 'test_create_security_group_rule_with_non_existent_remote_groupid'),
  groupRefused('5666968c-fff3-40d6-9efc-df1c8bd01abb', 'test_create_security_group_rule_with_bad_ethertype'),
  groupRefused('0d9c7791-f2ad-4e2f-ac73-abf2373b0d2d', 'test_create_security_group_rule_with_invalid_ports'),
  groupRefused('8fde898f-ce88-493b-adc9-4e4692879fc5', 'test_create_duplicate_security_group_rule_fails'),
  // SubnetPoolsTestJSON
  { id: '62595970-ab1c-4b7f-8fcc-fddfe55e9811', name: 'test_create_list_show_update_delete_subnetpools', label: 'the pool\'s cleanup deletion answers 409', faults: [answer('DELETE', one('subnetpools'), 409, 404)], says: refused('delete subnet pool', 409) },
  { id: '62595970-ab1c-4b7f-8fcc-fddfe55e9811', name: 'test_create_list_show_update_delete_subnetpools', label: 'the pool\'s cleanup deletion answers 500 three times', faults: [answer('DELETE', one('subnetpools'), 500, 404)], says: /^cleanup "delete subnet pool .*" failed: .*got 500 \(attempt 3\)/ },
];

/** Checks whose removals Tempest leaves to resource_cleanup (or tolerates): they pass, the failure noted. */
const PASSING: Case[] = [
  { id: '2bf13842-c93f-4a69-83ed-717d2ec3b44e', name: 'test_show_network', label: 'the class\'s network and subnet cannot be deleted (409)', faults: [answer('DELETE', one('networks'), 409), answer('DELETE', one('subnets'), 409)], says: /delete subnet .*got 409/ },
  { id: 'd2d596e2-8e76-47a9-ac51-d4648009f4d3', name: 'test_create_delete_subnet_without_gateway', label: 'the class-level removal of the network deleted in the body answers 409', faults: [answer('DELETE', one('networks'), 409, 404)], says: /delete network .*got 409/ },
  { id: 'c9a685bd-e83f-499c-939f-9f7863ca259f', name: 'test_show_port', label: 'the class\'s port cannot be deleted (409)', faults: [answer('DELETE', one('ports'), 409)], says: /delete port .*got 409/ },
  { id: '37a94fc0-a834-45b9-bd23-9a81d2fd1e22', name: 'test_router_add_gateway_invalid_network_returns_404', label: 'the class\'s router cannot be deleted (409)', faults: [answer('DELETE', one('routers'), 409)], says: /delete router .*got 409/ },
  { id: '0a307599-6655-4220-bebc-fd70c64f2290', name: 'test_create_security_group_rule_with_protocol_integer_value', label: 'the rule (which goes with its group in Tempest) cannot be deleted (409)', faults: [answer('DELETE', one('security-group-rules'), 409)], says: /delete security group rule .*got 409/ },
  { id: 'ad81b7ee-4f81-407b-a19c-17e623f763e8', name: 'test_update_router_unset_gateway', label: 'the router\'s deletion answers 404 (ignored, as call_and_ignore_notfound_exc does)', faults: [answer('DELETE', one('routers'), 404)], says: /^$/ },
  { id: '62595970-ab1c-4b7f-8fcc-fddfe55e9811', name: 'test_create_list_show_update_delete_subnetpools', label: 'the pool\'s cleanup deletion answers 500 twice, then 404 (tried again, as call_and_ignore_notfound_exc does)', faults: [{ ...answer('DELETE', one('subnetpools'), 500, 404), times: 3 }], says: /^$/ },
];

describe('network cleanups Tempest asserts (nock, fake Neutron)', function () {
  this.timeout(30_000);

  before(() => nock.disableNetConnect());
  afterEach(() => {
    for (const s of sessions) s.close();
    sessions = [];
    nock.cleanAll();
  });
  after(() => nock.enableNetConnect());

  for (const c of FAILING) {
    it(`${c.name} fails when ${c.label}`, async () => {
      const r = await run(c.id, c.faults, {
        ...(c.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: c.cleanupTimeoutMs }),
        ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }),
      });
      assert.equal(r.status, 'fail', `expected fail, got ${r.status}: ${r.message}`);
      assert.match(r.message, c.says);
    });
  }

  for (const c of PASSING) {
    it(`${c.name} still passes when ${c.label}`, async () => {
      const r = await run(c.id, c.faults);
      assert.equal(r.status, 'pass', r.message);
      assert.match(r.cleanupErrors.join('\n'), c.says);
    });
  }
});
