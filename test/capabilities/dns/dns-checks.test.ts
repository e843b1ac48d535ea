/**
 * Unit tests of the DNS checks: each of the 10 passes against a conforming (fake)
 * Designate, leaving no zone behind, and fails when one response is bent away
 * from what designate-tempest-plugin asserts (status, schema, state, body).
 * Also the protocol helper's messages and the DNS sweeper.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/dns/zones.js';
import '../../../capabilities/dns/zones-scenario.js';
import '../../../capabilities/dns/recordsets.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { sweepZones } from '../../../src/services/dns-sweep.js';
import { DnsClient } from '../../../src/services/dns.js';
import { expectErrorStatus } from '../../../src/services/protocol.js';
import { runCheck, newPrefix, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeDesignate, PROJECT, type FakeDesignate, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-designate.js';

const ORIGIN = 'http://127.0.0.1:49001';
const ZONES = /^\/v2\/zones$/;
const ZONE = /^\/v2\/zones\/[0-9a-f-]{36}$/;
const RECORDSETS = /^\/v2\/zones\/[0-9a-f-]{36}\/recordsets$/;
const RECORDSET = /^\/v2\/zones\/[0-9a-f-]{36}\/recordsets\/[0-9a-f-]{36}$/;

let designate: FakeDesignate;
let sessions: CloudSession[] = [];

function session(): CloudSession {
  const s = nockCloud({ catalog: { dns: `${ORIGIN}/` }, projectId: PROJECT });
  sessions.push(s);
  return s;
}

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  designate = fakeDesignate(ORIGIN, faults);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  return runCheck(def, { accounts: { primary: session() }, timeoutMs: 20_000 });
}

/** Zones still there (not deleted) after a run. */
function leftovers(): string[] {
  return [...designate.zones.values()].filter((z) => z.action !== 'DELETE' && !z._gone).map((z) => String(z.name));
}

/** Edits the JSON body of matching successful replies (a deep copy). */
function edit(method: string, path: RegExp, change: (body: Json, req: FakeRequest) => void, opts: { times?: number; when?: (r: FakeReply, req: FakeRequest) => boolean } = {}): Fault {
  return {
    method,
    path,
    ...(opts.times === undefined ? {} : { times: opts.times }),
    reply: (r, req) => {
      if (r.body === undefined || r.status >= 400 || (opts.when && !opts.when(r, req))) return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body, req);
      return { ...r, body };
    },
  };
}

/** Replaces the status of matching replies (only those with status `from`, when given). */
function status(method: string, path: RegExp, code: number, opts: { from?: number; times?: number } = {}): Fault {
  return {
    method,
    path,
    ...(opts.times === undefined ? {} : { times: opts.times }),
    reply: (r) => (opts.from !== undefined && r.status !== opts.from ? r : { status: code, body: r.body }),
  };
}

/** The update answers the created value of `field` (remembered from the create's answer). */
function keepCreated(field: 'records' | 'ttl'): Fault[] {
  let created: unknown;
  return [
    { method: 'POST', path: RECORDSETS, reply: (r) => { created = (r.body as Json)[field]; return r; } },
    edit('PUT', RECORDSET, (b) => { b[field] = created; }),
  ];
}

interface Case {
  label: string;
  faults: Fault[];
  says: RegExp;
}

const CASES: Record<string, Case[]> = {
  // ZonesTest
  '02ca5d6a-86ce-4f02-9d94-9e5db55c3055': [
    { label: 'create answers 201', faults: [status('POST', ZONES, 201)], says: /POST http:\/\/127\.0\.0\.1:49001\/v2\/zones: expected status 202, got 201/ },
    { label: 'the shown zone has another email', faults: [edit('GET', ZONE, (b) => { b.email = 'other@example.org'; })], says: /GET \/v2\/zones\/.* against the created zone: email/ },
    { label: 'the shown zone lacks serial', faults: [edit('GET', ZONE, (b) => { delete b.serial; })], says: /schema dns\/v2\/zone: \/serial is required/ },
  ],
  '5bfa3cfe-5bc8-443b-bf48-cfba44cbb247': [
    { label: 'the list is empty', faults: [edit('GET', ZONES, (b) => { b.zones = []; })], says: /no zone listed/ },
    { label: 'a listed zone has a numeric name', faults: [edit('GET', ZONES, (b) => { (b.zones as Json[])[0]!.name = 7; })], says: /schema dns\/v2\/zone: \/zones\/0\/name must be string/ },
    { label: 'the list answers 500', faults: [status('GET', ZONES, 500)], says: /expected status 200, got 500/ },
  ],
  '123f51cb-19d5-48a9-aacc-476742c02141': [
    { label: 'update answers 200', faults: [status('PATCH', ZONE, 200)], says: /PATCH .*: expected status 202, got 200/ },
    { label: 'update answers action NONE', faults: [edit('PATCH', ZONE, (b) => { b.action = 'NONE'; })], says: /action: expected "UPDATE", got "NONE"/ },
    { label: 'update answers ACTIVE', faults: [edit('PATCH', ZONE, (b) => { b.status = 'ACTIVE'; })], says: /status: expected "PENDING", got "ACTIVE"/ },
    { label: 'the description is not updated', faults: [edit('PATCH', ZONE, (b) => { b.description = 'old'; })], says: /description: expected/ },
  ],
  // scenario ZonesTest
  'd0648f53-4114-45bd-8792-462a82f69d32': [
    { label: 'create answers ACTIVE at once', faults: [edit('POST', ZONES, (b) => { b.status = 'ACTIVE'; })], says: /POST \/v2\/zones: status: expected "PENDING"/ },
    { label: 'the active zone keeps action CREATE', faults: [edit('GET', ZONE, (b) => { b.action = 'CREATE'; }, { when: (r) => (r.body as Json).status === 'ACTIVE' })], says: /once ACTIVE: action: expected "NONE", got "CREATE"/ },
    { label: 'delete answers action NONE', faults: [edit('DELETE', ZONE, (b) => { b.action = 'NONE'; })], says: /DELETE \/v2\/zones\/.*: action: expected "DELETE"/ },
    { label: 'delete answers 204', faults: [status('DELETE', ZONE, 204, { times: 1 })], says: /expected status 202, got 204/ },
  ],
  // RecordsetsTest
  'd03b69a5-5052-43bc-a38a-b511b6b34304': [
    { label: 'an SSHFP recordset is refused', faults: [{ method: 'POST', path: RECORDSETS, reply: (r, req) => ((req.body as Json).type === 'SSHFP' ? { status: 400, body: { code: 400, type: 'invalid_object' } } : r) }], says: /recordsets: expected status 202, got 400/ },
    { label: 'a recordset is created ACTIVE', faults: [edit('POST', RECORDSETS, (b) => { b.status = 'ACTIVE'; }, { when: (_r, req) => (req.body as Json).type === 'TXT' })], says: /\(TXT\): status: expected "PENDING", got "ACTIVE"/ },
  ],
  '5964f730-5546-46e6-9105-5030e9c492b2': [
    { label: 'the list lacks links', faults: [edit('GET', RECORDSETS, (b) => { delete b.links; })], says: /schema dns\/v2\/recordsets: \/links is required/ },
    { label: 'a listed recordset has records as a string', faults: [edit('GET', RECORDSETS, (b) => { (b.recordsets as Json[])[0]!.records = '1.2.3.4'; })], says: /\/recordsets\/0\/records must be array/ },
  ],
  '84c13cb2-9020-4c1e-aeb0-c348d9a70caa': [
    { label: 'the shown recordset has other records', faults: [edit('GET', RECORDSET, (b) => { b.records = ['192.0.2.99']; })], says: /against the created recordset: records/ },
    { label: 'the shown recordset has another ttl', faults: [edit('GET', RECORDSET, (b) => { b.ttl = 1; })], says: /against the created recordset: ttl/ },
    { label: 'show answers 301', faults: [status('GET', RECORDSET, 301)], says: /expected status 200, got 301/ },
  ],
  '855399c1-8806-4ae5-aa31-cb8a6f35e218': [
    { label: 'the deleted recordset still shows', faults: [{ method: 'GET', path: RECORDSET, reply: (r) => (r.status === 404 ? { status: 200, body: {} } : r) }], says: /expected status 404, got 200/ },
    { label: 'the deleted recordset answers 500', faults: [{ method: 'GET', path: RECORDSET, reply: (r) => (r.status === 404 ? { status: 500, body: { code: 500 } } : r) }], says: /expected status 404, got 500/ },
    { label: 'delete answers 204', faults: [status('DELETE', RECORDSET, 204)], says: /expected status 202, got 204/ },
  ],
  '8d41c85f-09f9-48be-a202-92d1bdf5c796': [
    { label: 'the update keeps the old records', faults: keepCreated('records'), says: /records unchanged/ },
    { label: 'the update renames the recordset', faults: [edit('PUT', RECORDSET, (b) => { b.name = `x.${String(b.name)}`; })], says: /name: expected/ },
    { label: 'update answers 201', faults: [status('PUT', RECORDSET, 201)], says: /expected status one of 200, 202, got 201/ },
  ],
  '60904cc5-148b-4e3b-a0c6-35656dc8d44c': [
    { label: 'the ttl is not updated', faults: keepCreated('ttl'), says: /ttl still/ },
    { label: 'the update drops the records', faults: [edit('PUT', RECORDSET, (b) => { b.records = []; })], says: /records: expected/ },
    { label: 'the update clears the description', faults: [edit('PUT', RECORDSET, (b) => { b.description = 'changed'; })], says: /description: expected null/ },
  ],
};

describe('DNS checks (fake Designate)', function () {
  this.timeout(30_000);

  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });

  it('registers the 10 checks of the DNS guidelines, each with fault cases', () => {
    const ids = registeredChecks().filter((c) => c.test.startsWith('designate_tempest_plugin.')).map((c) => c.id).sort();
    assert.equal(ids.length, 10);
    assert.deepEqual(ids, Object.keys(CASES).sort());
  });

  for (const id of Object.keys(CASES)) {
    const name = findCheck(id)?.test.split('.').slice(-2).join('.') ?? id;
    it(`${name} passes against a conforming Designate and leaves no zone`, async () => {
      const r = await run(id);
      assert.equal(r.status, 'pass', r.message);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual(leftovers(), []);
    });
    for (const c of CASES[id]!) {
      it(`${name} fails when ${c.label}`, async () => {
        const r = await run(id, c.faults.map((f) => ({ ...f })));
        assert.equal(r.status, 'fail', `expected a failure, got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
      });
    }
  }

  it('expectErrorStatus fails naming the request when the call succeeds', async () => {
    designate = fakeDesignate(ORIGIN);
    const dns = new DnsClient(session());
    const { body: zone } = await dns.createZone({ name: 'example.com.', email: 'a@example.com' });
    await assert.rejects(expectErrorStatus(404, () => dns.showZone(zone.id)), /GET http:\/\/127\.0\.0\.1:49001\/v2\/zones\/[0-9a-f-]+: expected status 404, got 200/);
  });

  it('sweepZones removes the zones named with the prefix, and only those', async () => {
    designate = fakeDesignate(ORIGIN);
    const primary = session();
    const dns = new DnsClient(primary);
    const prefix = newPrefix();
    await dns.createZone({ name: `${prefix}zone-a.com.`, email: 'a@example.com' });
    await dns.createZone({ name: `${prefix}zone-b.com.`, email: 'a@example.com' });
    await dns.createZone({ name: 'someone-else.com.', email: 'a@example.com' });
    const removed = await sweepZones(primary, prefix);
    assert.equal(removed.length, 2);
    assert.deepEqual(leftovers(), ['someone-else.com.']);
  });
});
