/**
 * Unit tests of the network checks only the guidelines 2016.08 … 2018.02
 * require: a port with a user-defined MAC, a port without security groups, and
 * resetting a router's gateway without SNAT (admin). Each passes against a
 * conforming in-memory Neutron leaving nothing, and fails on the bent response
 * its title names.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/network/ports.js';
import '../../../capabilities/network/routers.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { ADMIN_PROJECT, fakeNeutron, PROJECT, type FakeNeutron, type FakeReply, type Fault, type Json } from '../../fakes/fake-neutron.js';
import { OLDER_NETWORK_IDS } from './older-ids.js';

const ORIGIN = 'http://127.0.0.1:9696';
const one = (c: string) => new RegExp(`^/v2\\.0/${c}/[^/]+$`);
const all = (c: string) => new RegExp(`^/v2\\.0/${c}$`);

let fake: FakeNeutron;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = [], setup?: (f: FakeNeutron) => void): Promise<HarnessResult> {
  fake = fakeNeutron(ORIGIN, faults);
  setup?.(fake);
  const primary = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
  const admin = nockCloud({ authUrl: 'http://127.0.0.1:45001/v3', cloudName: 'nock-admin', catalog: { network: ORIGIN }, projectId: ADMIN_PROJECT, roles: ['admin'] });
  sessions.push(primary, admin);
  return runCheck(findCheck(id)!, { accounts: { primary, admin }, timeoutMs: 15_000 });
}

function leftovers(): string[] {
  const out: string[] = [];
  for (const n of fake.networks.values()) if (n.id !== fake.publicNetworkId) out.push(`network ${String(n.name)}`);
  for (const s of fake.subnets.values()) if (s.network_id !== fake.publicNetworkId) out.push(`subnet ${String(s.name)}`);
  for (const p of fake.ports.values()) out.push(`port ${String(p.name)} (${String(p.device_owner)})`);
  for (const r of fake.routers.values()) out.push(`router ${String(r.name)}`);
  return out;
}

/** Edits the JSON body of successful matching replies (a deep copy). */
function edit(method: string, path: RegExp, change: (body: Json) => void): Fault {
  return {
    method,
    path,
    reply: (r: FakeReply) => {
      if (r.body === undefined || r.status >= 400) return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body);
      return { ...r, body };
    },
  };
}

const port = (b: Json) => b.port as Json;
const router = (b: Json) => b.router as Json;

interface Case {
  label: string;
  faults: Fault[];
  says: RegExp;
  setup?: (f: FakeNeutron) => void;
}

const CASES: Record<string, Case[]> = {
  '13e95171-6cbd-489c-9d7c-3f9c58215c18': [
    { label: 'the shown port has another MAC', faults: [edit('GET', one('ports'), (b) => { port(b).mac_address = 'fa:16:3e:00:00:01'; })], says: /mac_address of a port created with it/ },
    { label: 'deleting the first port answers 200', faults: [{ method: 'DELETE', path: one('ports'), times: 1, reply: (r) => ({ ...r, status: 200 }) }], says: /expected status 204, got 200/ },
  ],
  '4179dcb9-1382-4ced-84fe-1b91c54f5735': [
    { label: 'the port gets the default group', faults: [edit('POST', all('ports'), (b) => { port(b).security_groups = ['default-group']; })], says: /security_groups of a port created with none/ },
    { label: 'security_groups is null', faults: [edit('POST', all('ports'), (b) => { port(b).security_groups = null; })], says: /security_groups/ },
  ],
  'f2faf994-97f4-410b-a831-9bc977b64374': [
    { label: 'enable_snat stays true', faults: [edit('GET', one('routers'), (b) => { (router(b).external_gateway_info as Json).enable_snat = true; })], says: /enable_snat: expected false, got true/ },
    { label: 'the gateway moves to another network', faults: [edit('GET', one('routers'), (b) => { (router(b).external_gateway_info as Json).network_id = 'other'; })], says: /external_gateway_info\.network_id/ },
    { label: 'two gateway ports are listed', faults: [edit('GET', all('ports'), (b) => { const l = b.ports as Json[]; if (l.length === 1) l.push({ ...l[0]!, id: 'copy' }); })], says: /gateway ports: expected 1, got 2/ },
    { label: 'the gateway IP is on a foreign subnet', faults: [edit('GET', all('ports'), (b) => { for (const p of b.ports as Json[]) for (const ip of p.fixed_ips as Json[]) ip.subnet_id = 'elsewhere'; })], says: /fixed IP on subnet elsewhere/ },
    { label: 'the cloud lacks ext-gw-mode', faults: [edit('GET', all('extensions'), (b) => { b.extensions = (b.extensions as Json[]).filter((e) => e.alias !== 'ext-gw-mode'); })], says: /ext-gw-mode/ },
  ],
};

describe('network checks of the older guidelines (in-memory Neutron)', function () {
  this.timeout(30_000);
  before(() => nock.disableNetConnect());
  afterEach(() => {
    for (const s of sessions) s.close();
    sessions = [];
    nock.cleanAll();
  });
  after(() => nock.enableNetConnect());

  it('every check listed here is registered, and every case has one', () => {
    assert.deepEqual(registeredChecks().map((c) => c.id).filter((id) => OLDER_NETWORK_IDS.has(id)).sort(), [...OLDER_NETWORK_IDS].sort());
    assert.deepEqual(Object.keys(CASES).sort(), [...OLDER_NETWORK_IDS].sort());
  });

  for (const [id, cases] of Object.entries(CASES)) {
    const name = findCheck(id)?.test.split('.').slice(-2).join('.') ?? id;
    it(`${name} passes on a conforming Neutron and cleans up`, async () => {
      const r = await run(id);
      assert.equal(r.status, 'pass', r.message);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual(leftovers(), []);
    });
    for (const c of cases) {
      it(`${name} ${/lacks/.test(c.label) ? 'skips' : 'fails'} when ${c.label}`, async () => {
        const r = await run(id, c.faults.map((f) => ({ ...f })), c.setup);
        assert.equal(r.status, /lacks/.test(c.label) ? 'skip' : 'fail', `got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
        assert.deepEqual(leftovers(), []);
      });
    }
  }
});
