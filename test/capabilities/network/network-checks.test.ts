/**
 * Unit tests of the network checks: each of the 64 passes against a conforming
 * (fake) Neutron, leaving nothing behind, and fails when one response is bent
 * away from the Networking API (wrong status, schema violation, wrong body).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nock from 'nock';
import '../../../capabilities/network/networks.js';
import '../../../capabilities/network/ports.js';
import '../../../capabilities/network/routers.js';
import '../../../capabilities/network/routers-negative.js';
import '../../../capabilities/network/security-groups.js';
import '../../../capabilities/network/security-groups-negative.js';
import '../../../capabilities/network/subnetpools.js';
import '../../../capabilities/network/versions.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { OLDER_NETWORK_IDS } from './older-ids.js';
import { ADMIN_PROJECT, fakeNeutron, PROJECT, type FakeNeutron, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-neutron.js';

const ORIGIN = 'http://127.0.0.1:9696';
const one = (c: string) => new RegExp(`^/v2\\.0/${c}/[^/]+$`);
const all = (c: string) => new RegExp(`^/v2\\.0/${c}$`);

let fake: FakeNeutron;
let sessions: CloudSession[] = [];

/** Primary and admin accounts of a mocked cloud (two Keystones, one Neutron). */
function clients(): { primary: CloudSession; admin: CloudSession } {
  const primary = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
  const admin = nockCloud({
    authUrl: 'http://127.0.0.1:45001/v3', cloudName: 'nock-admin', catalog: { network: ORIGIN }, projectId: ADMIN_PROJECT, roles: ['admin'],
  });
  sessions.push(primary, admin);
  return { primary, admin };
}

async function run(id: string, faults: Fault[] = [], setup?: (f: FakeNeutron) => void): Promise<HarnessResult> {
  fake = fakeNeutron(ORIGIN, faults);
  setup?.(fake);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  return runCheck(def, { accounts: clients(), timeoutMs: 15_000 });
}

/** What the run left in the fake beyond its initial state (public network, its subnet, the default group). */
function leftovers(): string[] {
  const out: string[] = [];
  for (const n of fake.networks.values()) if (n.id !== fake.publicNetworkId) out.push(`network ${String(n.name)}`);
  for (const s of fake.subnets.values()) if (s.network_id !== fake.publicNetworkId) out.push(`subnet ${String(s.name)}`);
  for (const p of fake.ports.values()) out.push(`port ${String(p.name)} (${String(p.device_owner)})`);
  for (const r of fake.routers.values()) out.push(`router ${String(r.name)}`);
  for (const g of fake.groups.values()) if (g.name !== 'default') out.push(`security group ${String(g.name)}`);
  for (const p of fake.pools.values()) out.push(`subnet pool ${String(p.name)}`);
  return out;
}

// --- fault builders --------------------------------------------------------------

/** Edits the JSON body of matching replies (a deep copy), keeping the status. */
function edit(method: string, path: RegExp, change: (body: Json, req: FakeRequest) => void, opts: { times?: number; when?: (r: FakeReply, req: FakeRequest) => boolean } = {}): Fault {
  return {
    method,
    path,
    ...(opts.times === undefined ? {} : { times: opts.times }),
    reply: (r, req) => {
      if (r.body === undefined || (opts.when && !opts.when(r, req))) return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body, req);
      return { ...r, body };
    },
  };
}

/** Replaces the status (and optionally the body) of matching replies; `from` limits it to replies with that status. */
function status(method: string, path: RegExp, code: number, opts: { from?: number; body?: unknown; times?: number } = {}): Fault {
  return {
    method,
    path,
    ...(opts.times === undefined ? {} : { times: opts.times }),
    reply: (r) => (opts.from !== undefined && r.status !== opts.from ? r : { status: code, body: opts.body ?? r.body }),
  };
}

const obj = (body: Json, key: string) => body[key] as Json;
const arr = (body: Json, key: string) => body[key] as Json[];
const ruleBody = (over: Json = {}) => ({
  security_group_rule: {
    id: randomUUID(), security_group_id: randomUUID(), direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp',
    port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: null, ...over,
  },
});

/** Rules keep appearing in listings after their deletion. */
function ghostRules(): Fault[] {
  const created: Json[] = [];
  return [
    edit('POST', all('security-group-rules'), (b) => { created.push(obj(b, 'security_group_rule')); }),
    edit('GET', all('security-group-rules'), (b) => {
      const rules = arr(b, 'security_group_rules');
      for (const c of created) if (!rules.some((r) => r.id === c.id)) rules.push(c);
    }),
  ];
}

/** Ports keep appearing in listings after their deletion (the very port, as created). */
function ghostPorts(): Fault[] {
  const created: Json[] = [];
  return [
    edit('POST', all('ports'), (b) => { if (b.port) created.push(obj(b, 'port')); }),
    edit('GET', all('ports'), (b) => {
      const ports = arr(b, 'ports');
      for (const c of created) if (!ports.some((p) => p.id === c.id)) ports.push(c);
    }),
  ];
}

interface Case {
  id: string;
  /** Ways of not conforming; the check must fail on each, with a reason matching `says`. */
  faults: { label: string; faults: Fault[]; says: RegExp }[];
}

const CASES: Case[] = [
  // --- NetworksTest ---
  { id: '0e269138-0da6-4efc-a46d-578161e7b221', faults: [
    { label: 'a new network is not ACTIVE', faults: [edit('POST', all('networks'), (b) => { obj(b, 'network').status = 'BUILD'; })], says: /status of new network/ },
    { label: 'the network rename does not show', faults: [edit('PUT', one('networks'), (b) => { obj(b, 'network').name = 'other'; })], says: /name/ },
    { label: 'the subnet update answers 202', faults: [status('PUT', one('subnets'), 202)], says: /expected status 200, got 202/ },
  ] },
  { id: '2bf13842-c93f-4a69-83ed-717d2ec3b44e', faults: [
    { label: 'show gives another name', faults: [edit('GET', one('networks'), (b) => { obj(b, 'network').name = 'other'; })], says: /name/ },
    { label: 'show lacks subnets', faults: [edit('GET', one('networks'), (b) => { delete obj(b, 'network').subnets; })], says: /schema network\/v2\.0\/network: \/network\/subnets is required/ },
  ] },
  { id: '867819bb-c4b6-45f7-acf9-90edcf70aa5e', faults: [
    { label: 'fields= also returns project_id', faults: [edit('GET', one('networks'), (b) => { obj(b, 'network').project_id = PROJECT; })], says: /should have exactly \[id, mtu, name\]/ },
  ] },
  { id: 'f7ffdeda-e200-4a7a-bcbe-05716e86bf43', faults: [
    { label: 'the list omits the new network', faults: [edit('GET', all('networks'), (b) => { b.networks = arr(b, 'networks').filter((n) => n.name === 'public'); })], says: /is not listed/ },
    { label: 'a listed network has a string admin_state_up', faults: [edit('GET', all('networks'), (b) => { arr(b, 'networks')[0]!.admin_state_up = 'UP'; })], says: /\/networks\/0\/admin_state_up/ },
  ] },
  { id: '6ae6d24f-9194-4869-9c85-c313cb20e080', faults: [
    { label: 'fields= is ignored', faults: [edit('GET', all('networks'), (b) => { arr(b, 'networks')[0]!.status = 'ACTIVE'; })], says: /should have exactly/ },
  ] },
  { id: 'bd635d81-6030-4dd1-b3b9-31ba0cfdf6cc', faults: [
    { label: 'show gives another cidr', faults: [edit('GET', one('subnets'), (b) => { obj(b, 'subnet').cidr = '10.0.0.0/8'; })], says: /cidr/ },
    { label: 'show answers 203', faults: [status('GET', one('subnets'), 203)], says: /expected status 200, got 203/ },
  ] },
  { id: '270fff0b-8bfc-411f-a184-1e8fd35286f0', faults: [
    { label: 'fields= drops network_id', faults: [edit('GET', one('subnets'), (b) => { delete obj(b, 'subnet').network_id; })], says: /should have exactly \[id, network_id\]/ },
  ] },
  { id: 'db68ba48-f4ea-49e9-81d1-e367f6d0b20a', faults: [
    { label: 'the list is empty', faults: [edit('GET', all('subnets'), (b) => { b.subnets = []; })], says: /is not listed/ },
    { label: 'the list is not under "subnets"', faults: [edit('GET', all('subnets'), (b) => { b.items = b.subnets; delete b.subnets; })], says: /array under "subnets"/ },
  ] },
  { id: '842589e3-9663-46b0-85e4-7f01273b0412', faults: [
    { label: 'fields= adds cidr', faults: [edit('GET', all('subnets'), (b) => { for (const s of arr(b, 'subnets')) s.cidr = '10.0.0.0/8'; })], says: /should have exactly/ },
  ] },
  { id: 'f04f61a9-b7f3-4194-90b2-9bcf660d1bfe', faults: [
    { label: 'the subnet survives its network', faults: [status('GET', one('subnets'), 200, { from: 404, body: { subnet: { id: 'x' } } })], says: /expected status 404, got 200/ },
    { label: 'network deletion answers 200', faults: [status('DELETE', one('networks'), 200, { times: 1 })], says: /expected status 204, got 200/ },
  ] },
  { id: 'd2d596e2-8e76-47a9-ac51-d4648009f4d3', faults: [
    { label: 'a gateway is set although null was asked', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').gateway_ip = '10.100.0.1'; })], says: /gateway_ip/ },
  ] },
  { id: '9393b468-186d-496d-aa36-732348cd76e7', faults: [
    { label: 'the gateway differs', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').gateway_ip = '192.0.2.1'; })], says: /gateway_ip/ },
    { label: 'create answers 200', faults: [status('POST', all('subnets'), 200)], says: /expected status 201, got 200/ },
  ] },
  { id: 'bec949c4-3147-4ba6-af5f-cd2306118404', faults: [
    { label: 'the pool differs', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').allocation_pools = [{ start: '10.100.0.2', end: '10.100.0.14' }]; })], says: /allocation_pools/ },
  ] },
  { id: '8217a149-0c6c-4cfb-93db-0486f707d13f', faults: [
    { label: 'allocation_pools is not an array', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').allocation_pools = 'x'; })], says: /\/subnet\/allocation_pools must be array/ },
  ] },
  { id: 'd830de0a-be47-468f-8f02-1fd996118289', faults: [
    { label: 'a DNS server is dropped', faults: [edit('POST', all('subnets'), (b) => { arr(obj(b, 'subnet'), 'dns_nameservers').pop(); })], says: /dns_nameservers/ },
    { label: 'host routes are dropped', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').host_routes = []; })], says: /host_routes/ },
  ] },
  { id: '94ce038d-ff0a-4a4c-a56b-09da3ca0b55d', faults: [
    { label: 'DHCP is off', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').enable_dhcp = false; })], says: /enable_dhcp/ },
  ] },
  { id: 'a4d9ec4c-0306-4111-a75c-db01a709030b', faults: [
    { label: 'host routes are dropped', faults: [edit('POST', all('subnets'), (b) => { obj(b, 'subnet').host_routes = []; })], says: /host_routes/ },
  ] },
  { id: '3d3852eb-3009-49ec-97ac-5ce83b73010a', faults: [
    { label: 'the gateway update is ignored', faults: [edit('PUT', one('subnets'), (b) => { obj(b, 'subnet').gateway_ip = '192.0.2.1'; })], says: /gateway_ip/ },
    { label: 'the DNS update is ignored', faults: [edit('PUT', one('subnets'), (b) => { obj(b, 'subnet').dns_nameservers = ['192.0.2.53']; })], says: /dns_nameservers/ },
  ] },
  { id: 'af774677-42a9-4e4b-bb58-16fe6a5bc1ec', faults: [
    { label: 'the router:external filter lets an internal network through', faults: [edit('GET', all('networks'), (b) => { arr(b, 'networks').push({ ...arr(b, 'networks')[0], id: 'internal', 'router:external': false }); })], says: /lists non-external networks internal/ },
    { label: 'subnets of the shared external network are hidden', faults: [edit('GET', all('subnets'), (b) => { b.subnets = []; })], says: /should be visible/ },
    {
      label: 'the external network is the project\'s own, not shared, and its subnets are visible',
      faults: [edit('GET', all('networks'), (b) => {
        for (const n of arr(b, 'networks')) if (n.id === fake.publicNetworkId) Object.assign(n, { project_id: PROJECT, tenant_id: PROJECT, shared: false });
      })],
      says: /subnets of the non-shared external network should not be visible/,
    },
  ] },
  // --- PortsTestJSON ---
  { id: 'c72c1c0c-2193-4aca-aaa4-b1442640f51c', faults: [
    { label: 'admin_state_up stays up', faults: [edit('PUT', one('ports'), (b) => { obj(b, 'port').admin_state_up = true; })], says: /admin_state_up/ },
    { label: 'the deleted port is still listed', faults: ghostPorts(), says: /GET \/v2\.0\/ports: deleted port [0-9a-f-]{36} is still listed/ },
  ] },
  { id: '67f1b811-f8db-43e2-86bd-72c074d4a42c', faults: [
    { label: 'the ports come back swapped', faults: [edit('POST', all('ports'), (b) => { arr(b, 'ports').reverse(); })], says: /network_id of the first port/ },
    { label: 'bulk create answers 200', faults: [status('POST', all('ports'), 200)], says: /expected status 201, got 200/ },
  ] },
  { id: '0435f278-40ae-48cb-a404-b8a087bc09b1', faults: [
    { label: 'the address is outside the pool', faults: [edit('POST', all('ports'), (b) => { arr(obj(b, 'port'), 'fixed_ips')[0]!.ip_address = '192.0.2.1'; })], says: /outside the allocation pool/ },
    { label: 'the address is no IPv4 address', faults: [edit('POST', all('ports'), (b) => { arr(obj(b, 'port'), 'fixed_ips')[0]!.ip_address = '999.1.1.1'; })], says: /outside the allocation pool/ },
    { label: 'the port gets no address', faults: [edit('POST', all('ports'), (b) => { obj(b, 'port').fixed_ips = []; })], says: /got no fixed IP/ },
  ] },
  { id: 'c9a685bd-e83f-499c-939f-9f7863ca259f', faults: [
    { label: 'show gives another MAC', faults: [edit('GET', one('ports'), (b) => { obj(b, 'port').mac_address = 'fa:16:3e:00:00:00'; })], says: /mac_address/ },
    { label: 'show has a malformed MAC', faults: [edit('GET', one('ports'), (b) => { obj(b, 'port').mac_address = 'nonsense'; })], says: /\/port\/mac_address must match pattern/ },
  ] },
  { id: '45fcdaf2-dab0-4c13-ac6c-fcddfb579dbd', faults: [
    { label: 'fields= also returns name', faults: [edit('GET', one('ports'), (b) => { obj(b, 'port').name = 'x'; })], says: /should have exactly \[id, mac_address\]/ },
  ] },
  { id: 'cf95b358-3e92-4a29-a148-52445e1ac50e', faults: [
    { label: 'the list is empty', faults: [edit('GET', all('ports'), (b) => { b.ports = []; })], says: /is not listed/ },
  ] },
  { id: 'ff7f117f-f034-4e0e-abff-ccef05c454b4', faults: [
    { label: 'the list is empty', faults: [edit('GET', all('ports'), (b) => { b.ports = []; })], says: /list is empty/ },
    { label: 'fields= is ignored', faults: [edit('GET', all('ports'), (b) => { for (const p of arr(b, 'ports')) p.status = 'DOWN'; })], says: /should have exactly/ },
  ] },
  { id: '5ad01ed0-0e6e-4c5d-8194-232801b15c72', faults: [
    { label: 'the device_id filter is ignored', faults: [edit('GET', all('ports'), (b, req) => { if (req.query.has('device_id')) arr(b, 'ports').push({ ...arr(b, 'ports')[0], id: 'other', device_owner: '' }); })], says: /ports listed/ },
  ] },
  { id: '58091b66-4ff4-4cc1-a549-05d60c7acd1a', faults: [
    { label: 'the security groups are not updated', faults: [edit('PUT', one('ports'), (b) => { obj(b, 'port').security_groups = []; })], says: /is not among the port's security_groups/ },
    { label: 'the fixed IP does not move', faults: [edit('PUT', one('ports'), (b) => { arr(obj(b, 'port'), 'fixed_ips')[0]!.subnet_id = 'old'; })], says: /subnet of the first fixed IP/ },
  ] },
  { id: 'edf6766d-3d40-4621-bc6e-2521a44c257d', faults: [
    { label: 'only one of two groups is applied', faults: [edit('PUT', one('ports'), (b) => { arr(obj(b, 'port'), 'security_groups').pop(); })], says: /is not among the port's security_groups/ },
  ] },
  // --- RoutersTest ---
  { id: 'f64403e2-8483-4b34-8ccd-b09a87bcc68c', faults: [
    { label: 'the gateway is dropped', faults: [edit('POST', all('routers'), (b) => { obj(b, 'router').external_gateway_info = null; })], says: /external_gateway_info.network_id/ },
    { label: 'the rename does not stick', faults: [edit('GET', one('routers'), (b) => { obj(b, 'router').name = 'stale'; }, { times: 2 })], says: /name/ },
  ] },
  { id: 'b42e6e39-2e37-49cc-a6f4-8467e940900a', faults: [
    { label: 'the interface port is not the router\'s', faults: [edit('GET', one('ports'), (b) => { obj(b, 'port').device_id = ''; })], says: /device_id of the router interface port/ },
    { label: 'remove answers another subnet', faults: [edit('PUT', /remove_router_interface$/, (b) => { b.subnet_id = 'other'; }, { times: 1 })], says: /remove_router_interface: subnet_id/ },
  ] },
  { id: '2b7d2f37-6748-4d78-92e5-1d590234f0d5', faults: [
    { label: 'add answers without port_id', faults: [edit('PUT', /add_router_interface$/, (b) => { delete b.port_id; })], says: /router-interface: \/port_id is required/ },
  ] },
  { id: 'c86ac3a8-50bd-4b00-a6b8-62af84a0765c', faults: [
    { label: 'routes are not stored', faults: [edit('PUT', one('routers'), (b) => { obj(b, 'router').routes = []; }, { times: 1 })], says: /routes/ },
    { label: 'the update answer has no routes', faults: [edit('PUT', one('routers'), (b) => { delete obj(b, 'router').routes; }, { times: 1 })], says: /PUT \/v2\.0\/routers\/[^:]+: the router has no routes attribute/ },
    { label: 'the router drops routes once they are cleared', faults: [edit('GET', one('routers'), (b) => { const r = obj(b, 'router'); if (Array.isArray(r.routes) && r.routes.length === 0) delete r.routes; })], says: /after deleting the routes: the router has no routes attribute/ },
    { label: 'routes are not deleted', faults: [edit('GET', one('routers'), (b) => { obj(b, 'router').routes = [{ destination: '172.31.0.0/24', nexthop: '10.100.0.2' }]; }, { when: (_r, req) => !req.query.has('fields') })], says: /routes/ },
  ] },
  { id: 'a8902683-c788-4246-95c7-ad9c6d63a4d9', faults: [
    { label: 'the update is ignored', faults: [edit('PUT', one('routers'), (b) => { obj(b, 'router').admin_state_up = false; })], says: /admin_state_up/ },
    { label: 'a new router is up although created down', faults: [edit('POST', all('routers'), (b) => { obj(b, 'router').admin_state_up = true; })], says: /admin_state_up/ },
  ] },
  { id: '802c73c9-c937-4cef-824b-2191e24a6aab', faults: [
    { label: 'the interface port is on another subnet', faults: [edit('GET', one('ports'), (b) => { arr(obj(b, 'port'), 'fixed_ips')[0]!.subnet_id = 'other'; })], says: /subnet of the router interface port/ },
  ] },
  { id: 'ad81b7ee-4f81-407b-a19c-17e623f763e8', faults: [
    { label: 'the gateway stays', faults: [edit('GET', one('routers'), (b) => { obj(b, 'router').external_gateway_info = { network_id: 'x' }; })], says: /external_gateway_info after unsetting/ },
    { label: 'a gateway port is left', faults: [edit('GET', all('ports'), (b, req) => { if (req.query.has('network_id')) arr(b, 'ports').push({ id: 'gw', name: '', network_id: 'x', admin_state_up: true, mac_address: 'fa:16:3e:00:00:01', fixed_ips: [], device_id: 'r', device_owner: 'network:router_gateway', status: 'DOWN' }); })], says: /gateway ports left/ },
  ] },
  // --- RoutersNegativeTest ---
  { id: '37a94fc0-a834-45b9-bd23-9a81d2fd1e22', faults: [
    { label: 'an unknown gateway network answers 400', faults: [status('PUT', one('routers'), 400, { from: 404 })], says: /expected status 404, got 400/ },
  ] },
  { id: '11836a18-0b15-4327-a50b-f0d9dc66bddd', faults: [
    { label: 'an internal gateway network is accepted', faults: [status('PUT', one('routers'), 200, { from: 400 })], says: /expected status 400, got 200/ },
  ] },
  { id: '957751a3-3c68-4fa2-93b6-eb52ea10db6e', faults: [
    { label: 'an overlapping interface answers 409', faults: [status('PUT', /add_router_interface$/, 409, { from: 400 })], says: /expected status 400, got 409/ },
  ] },
  { id: '04df80f9-224d-47f5-837a-bf23e33d1c20', faults: [
    { label: 'a router in use answers 400', faults: [status('DELETE', one('routers'), 400, { from: 409 })], says: /expected status 409, got 400/ },
  ] },
  { id: 'c2a70d72-8826-43a7-8208-0209e6360c47', faults: [
    { label: 'a missing router answers 400', faults: [status('GET', one('routers'), 400)], says: /expected status 404, got 400/ },
  ] },
  { id: 'b23d1569-8b0c-4169-8d4b-6abd34fad5c7', faults: [
    { label: 'updating a missing router answers 500', faults: [status('PUT', one('routers'), 500)], says: /expected status 404, got 500/ },
  ] },
  { id: 'c7edc5ad-d09d-41e6-a344-5c0c31e2e3e4', faults: [
    { label: 'deleting a missing router answers 204', faults: [status('DELETE', one('routers'), 204, { body: undefined })], says: /expected status 404, got 204/ },
  ] },
  // --- SecGroupTest ---
  { id: 'e30abd17-fef9-4739-8617-dc26da88e686', faults: [
    { label: 'no default group', faults: [edit('GET', all('security-groups'), (b) => { b.security_groups = arr(b, 'security_groups').filter((g) => g.name !== 'default'); })], says: /no security group named "default"/ },
    { label: 'a group without description', faults: [edit('GET', all('security-groups'), (b) => { delete arr(b, 'security_groups')[0]!.description; })], says: /\/security_groups\/0\/description is required/ },
  ] },
  { id: 'bfd128e5-3c92-44b6-9d66-7fe29d22c802', faults: [
    { label: 'the description update is ignored', faults: [edit('PUT', one('security-groups'), (b) => { obj(b, 'security_group').description = ''; })], says: /description/ },
    { label: 'show gives the old name', faults: [edit('GET', one('security-groups'), (b) => { obj(b, 'security_group').name = 'old'; })], says: /name/ },
    { label: 'delete answers 200', faults: [status('DELETE', one('security-groups'), 200, { times: 1 })], says: /expected status 204, got 200/ },
  ] },
  { id: 'cfb99e0e-7410-4a3d-8a0c-959a63ee77e9', faults: [
    { label: 'show gives another protocol', faults: [edit('GET', one('security-group-rules'), (b) => { obj(b, 'security_group_rule').protocol = 'sctp'; })], says: /protocol/ },
    { label: 'a rule has an unknown direction', faults: [edit('GET', one('security-group-rules'), (b) => { obj(b, 'security_group_rule').direction = 'inbound'; })], says: /\/security_group_rule\/direction must be equal to one of the allowed values/ },
  ] },
  { id: '87dfbcf9-1849-43ea-b1e4-efa3eeae9f71', faults: [
    { label: 'the port range is widened', faults: [edit('POST', all('security-group-rules'), (b) => { obj(b, 'security_group_rule').port_range_max = 78; })], says: /port_range_max/ },
    { label: 'the rule is still listed after deletion', faults: ghostRules(), says: /still listed/ },
  ] },
  { id: 'c9463db8-b44d-4f52-b6c0-8dbda99f26ce', faults: [
    { label: 'a missing ICMP code becomes 0', faults: [edit('POST', all('security-group-rules'), (b) => { const r = obj(b, 'security_group_rule'); if (r.port_range_max === null) r.port_range_max = 0; })], says: /port_range_max/ },
  ] },
  { id: 'c2ed2deb-7a0c-44d8-8b4c-a5825b5c310b', faults: [
    { label: 'the remote group is dropped', faults: [edit('POST', all('security-group-rules'), (b) => { obj(b, 'security_group_rule').remote_group_id = null; })], says: /remote_group_id/ },
  ] },
  { id: '16459776-5da2-4634-bce4-4b55ee3ec188', faults: [
    { label: 'the prefix becomes 0.0.0.0/0', faults: [edit('POST', all('security-group-rules'), (b) => { obj(b, 'security_group_rule').remote_ip_prefix = '0.0.0.0/0'; })], says: /remote_ip_prefix/ },
  ] },
  { id: '0a307599-6655-4220-bebc-fd70c64f2290', faults: [
    { label: 'protocol 17 comes back as tcp', faults: [edit('POST', all('security-group-rules'), (b) => { obj(b, 'security_group_rule').protocol = 'tcp'; })], says: /protocol of rule .* as a number/ },
  ] },
  // --- NegativeSecGroupTest ---
  { id: '424fd5c3-9ddc-486a-b45f-39bf0c820fc6', faults: [
    { label: 'a missing group answers 400', faults: [status('GET', one('security-groups'), 400)], says: /expected status 404, got 400/ },
  ] },
  { id: '4c094c09-000b-4e41-8100-9617600c02a6', faults: [
    { label: 'a missing rule answers 500', faults: [status('GET', one('security-group-rules'), 500)], says: /expected status 404, got 500/ },
  ] },
  { id: '1f1bb89d-5664-4956-9fcd-83ee0fa603df', faults: [
    { label: 'deleting a missing group answers 204', faults: [status('DELETE', one('security-groups'), 204, { body: undefined })], says: /expected status 404, got 204/ },
  ] },
  { id: '981bdc22-ce48-41ed-900a-73148b583958', faults: [
    { label: 'a bad protocol is accepted', faults: [status('POST', all('security-group-rules'), 201, { from: 400, body: ruleBody() })], says: /expected status 400, got 201/ },
  ] },
  { id: '5f8daf69-3c5f-4aaa-88c9-db1d66f68679', faults: [
    { label: 'a /33 prefix is accepted', faults: [{ method: 'POST', path: all('security-group-rules'), reply: (r, req) => (JSON.stringify(req.body).includes('/33') ? { status: 201, body: ruleBody() } : r) }], says: /expected status 400, got 201/ },
  ] },
  { id: '4bf786fd-2f02-443c-9716-5b98e159a49a', faults: [
    { label: 'a malformed remote group answers 400', faults: [status('POST', all('security-group-rules'), 400, { from: 404, times: 1 })], says: /expected status 404, got 400/ },
  ] },
  { id: '5666968c-fff3-40d6-9efc-df1c8bd01abb', faults: [
    { label: 'a bad ethertype answers 409', faults: [status('POST', all('security-group-rules'), 409, { from: 400 })], says: /expected status 400, got 409/ },
  ] },
  { id: '0d9c7791-f2ad-4e2f-ac73-abf2373b0d2d', faults: [
    { label: 'the refusal does not say why', faults: [edit('POST', all('security-group-rules'), (b) => { b.NeutronError = { type: 'BadRequest', message: 'Bad request', detail: '' }; }, { when: (r) => r.status === 400 })], says: /should say "Invalid value for port -16"/ },
    { label: 'an inverted ICMP range is accepted', faults: [{ method: 'POST', path: all('security-group-rules'), reply: (r, req) => ((req.body as { security_group_rule: Json }).security_group_rule.port_range_min === 300 ? { status: 201, body: ruleBody() } : r) }], says: /expected status 400, got 201/ },
  ] },
  { id: '2323061e-9fbf-4eb0-b547-7e8fafc90849', faults: [
    { label: 'a second default group is created', faults: [status('POST', all('security-groups'), 201, { from: 409, body: { security_group: { id: randomUUID(), name: 'default', description: '', security_group_rules: [] } } })], says: /expected status 409, got 201/ },
  ] },
  { id: '8fde898f-ce88-493b-adc9-4e4692879fc5', faults: [
    { label: 'a duplicate rule is created', faults: [status('POST', all('security-group-rules'), 201, { from: 409, body: ruleBody() })], says: /expected status 409, got 201/ },
    { label: 'the first rule is refused', faults: [status('POST', all('security-group-rules'), 400, { times: 1 })], says: /expected status 201, got 400/ },
  ] },
  { id: 'be308db6-a7cf-4d5c-9baf-71bafd73f35e', faults: [
    { label: 'a missing group answers 400', faults: [status('POST', all('security-group-rules'), 400)], says: /expected status 404, got 400/ },
  ] },
  // --- SubnetPoolsTestJSON ---
  { id: '62595970-ab1c-4b7f-8fcc-fddfe55e9811', faults: [
    { label: 'the pool survives deletion', faults: [status('GET', one('subnetpools'), 200, { from: 404, body: { subnetpool: {} } })], says: /expected status 404, got 200/ },
    { label: 'the pool has no prefixes', faults: [edit('POST', all('subnetpools'), (b) => { delete obj(b, 'subnetpool').prefixes; })], says: /\/subnetpool\/prefixes is required/ },
    { label: 'the rename is ignored', faults: [edit('PUT', one('subnetpools'), (b) => { obj(b, 'subnetpool').name = 'old'; })], says: /name/ },
  ] },
  // --- NetworksApiDiscovery ---
  { id: 'cac8a836-c2e0-4304-b556-cd299c7281d1', faults: [
    { label: 'a v3.0 is listed', faults: [edit('GET', /^\/$/, (b) => { arr(b, 'versions').push({ id: 'v3.0', status: 'EXPERIMENTAL', links: [] }); })], says: /only v2.0 is expected/ },
    { label: 'a version has no links', faults: [edit('GET', /^\/$/, (b) => { delete arr(b, 'versions')[0]!.links; })], says: /\/versions\/0\/links is required/ },
    { label: 'the root answers 300', faults: [status('GET', /^\/$/, 300)], says: /expected status 200, got 300/ },
  ] },
];

describe('network checks (nock, fake Neutron)', function () {
  this.timeout(30_000);

  before(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    for (const s of sessions) s.close();
    sessions = [];
    nock.cleanAll();
  });
  after(() => {
    nock.enableNetConnect();
  });

  it('covers the 64 networks-* tests, each exactly once', () => {
    const ids = new Set(CASES.map((c) => c.id));
    assert.equal(ids.size, CASES.length, 'a check appears twice in the table');
    assert.equal(ids.size, 64);
    // the older guidelines' checks have their own suite (older-network-checks.test.ts)
    const registered = registeredChecks().filter((c) => c.test.startsWith('tempest.api.network.') && !OLDER_NETWORK_IDS.has(c.id)).map((c) => c.id).sort();
    assert.deepEqual(registered, [...ids].sort());
  });

  for (const c of CASES) {
    const name = findCheck(c.id)?.test.split('.').slice(-2).join('.') ?? c.id;
    it(`${name} passes on a conforming Neutron and cleans up`, async () => {
      const outcome = await run(c.id);
      assert.equal(outcome.status, 'pass', outcome.message);
      assert.deepEqual(outcome.cleanupErrors, []);
      assert.deepEqual(leftovers(), [], 'resources left after the check');
    });
    for (const f of c.faults) {
      it(`${name} fails when ${f.label}`, async () => {
        const outcome = await run(c.id, f.faults);
        assert.equal(outcome.status, 'fail', `expected fail, got ${outcome.status}: ${outcome.message}`);
        assert.match(outcome.message, f.says);
        fake.faults = [];
        assert.deepEqual(leftovers(), [], 'resources left after the failed check');
      });
    }
  }

  it('skips the subnet pool check without subnet_allocation', async () => {
    const outcome = await run('62595970-ab1c-4b7f-8fcc-fddfe55e9811', [], (f) => {
      f.extensions = f.extensions.filter((e) => e !== 'subnet_allocation');
    });
    assert.equal(outcome.status, 'skip');
    assert.match(outcome.message, /subnet_allocation not enabled/);
  });

  it('skips gateway checks when no external network is visible', async () => {
    const outcome = await run('f64403e2-8483-4b34-8ccd-b09a87bcc68c', [], (f) => {
      const pub = f.networks.get(f.publicNetworkId)!;
      pub['router:external'] = false;
    });
    assert.equal(outcome.status, 'skip');
    assert.match(outcome.message, /no external/);
  });

  it('skips admin-marked checks without an admin account', async () => {
    fake = fakeNeutron(ORIGIN);
    const def = findCheck('c2a70d72-8826-43a7-8208-0209e6360c47')!;
    const outcome = await runCheck(def, { accounts: { primary: clients().primary } });
    assert.equal(outcome.status, 'skip');
  });

  it('skips security group checks without the security-group extension', async () => {
    const outcome = await run('e30abd17-fef9-4739-8617-dc26da88e686', [], (f) => {
      f.extensions = f.extensions.filter((e) => e !== 'security-group');
    });
    assert.equal(outcome.status, 'skip');
  });
});
