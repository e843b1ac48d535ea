/**
 * Unit tests of the compute checks only the guidelines 2015.03 … 2017.01
 * require (Nova's image proxy, soft reboot, listing by limit). Each passes
 * against a conforming in-memory Nova leaving nothing once its run fixtures
 * are torn down, and fails on the bent response its title names.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/compute/authorization.js';
import '../../../capabilities/compute/create-server-manual-disk.js';
import '../../../capabilities/compute/images-proxy.js';
import '../../../capabilities/compute/list-server-filters.js';
import '../../../capabilities/compute/servers-negative.js';
import '../../../capabilities/image/list-user-images.js';
import '../../../capabilities/compute/list-servers-negative.js';
import '../../../capabilities/compute/server-actions.js';
import '../../../capabilities/compute/volumes-proxy.js';
import { polling } from '../../../capabilities/compute/steps.js';
import { consoleWait } from '../../../capabilities/compute/server-actions.js';
import { findCheck, findCheckByName, registeredChecks, type NamedCheckDefinition } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { newPrefix, runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { OLDER_COMPUTE_IDS } from './older-ids.js';
import { CINDER, fakeNova, GLANCE, NEUTRON, NOVA, PROJECT, USER, type FakeNova, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-nova.js';

const IMAGES = /^\/v2\.1\/images$/;
const IMAGES_DETAIL = /^\/v2\.1\/images\/detail$/;
const IMAGE = /^\/v2\.1\/images\/[^/]+$/;
const ACTION = /^\/v2\.1\/servers\/[^/]+\/action$/;
const LIST = /^\/v2\.1\/servers$/;

let fake: FakeNova;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  return runDef(findCheck(id)!, faults);
}

async function runDef(def: NamedCheckDefinition, faults: Fault[] = []): Promise<HarnessResult> {
  fake = fakeNova(faults);
  const client = nockCloud({ catalog: { compute: `${NOVA}/v2.1`, image: GLANCE, network: NEUTRON, 'block-storage': `${CINDER}/v3/${PROJECT}` }, projectId: PROJECT, userId: USER });
  sessions.push(client);
  const prefix = newPrefix();
  const alt = nockCloud({ authUrl: 'http://127.0.0.1:45002/v3', cloudName: 'nock-alt', token: 'alt-token', catalog: { compute: `${NOVA}/v2.1`, image: GLANCE }, projectId: 'p-alt', userId: 'u-alt' });
  sessions.push(alt);
  fake.foreignTokens = new Set(['alt-token']);
  const result = await runCheck({ id: '00000000-0000-4000-8000-000000000000', ...def }, { accounts: { primary: client, alt }, prefix, timeoutMs: 30_000 });
  fake.faults.length = 0; // teardown sees a conforming cloud
  assert.deepEqual(await teardownRunFixtures(prefix, client), [], 'fixture teardown');
  return result;
}

function leftovers(): string[] {
  const out: string[] = [];
  for (const s of fake.servers.values()) if (!s.deleting) out.push(`server ${s.name}`);
  for (const i of fake.images.values()) if (i['id'] !== fake.imageId) out.push(`image ${String(i['name'])}`);
  return out;
}

/** Edits the JSON body of successful matching replies (a deep copy). */
function edit(method: string, path: RegExp, change: (body: Json, req: FakeRequest) => void): Fault {
  return {
    method,
    path,
    reply: (r: FakeReply, req) => {
      if (r.body === undefined || r.status >= 400) return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body, req);
      return { ...r, body };
    },
  };
}

const images = (b: Json) => b['images'] as Json[];
/** Drops from listings the images whose name matches. */
const hide = (path: RegExp, name: RegExp) => edit('GET', path, (b) => { b['images'] = images(b).filter((i) => !name.test(String(i['name']))); });
/** Adds to listings every image of the fake (as if the filter were ignored). */
const ignoreFilter = (path: RegExp, detail: boolean) => edit('GET', path, (b) => {
  b['images'] = [...fake.images.values()].map((i) => (detail
    ? { id: i['id'], name: i['name'], status: 'ACTIVE', progress: 100, minDisk: 0, minRam: 0, metadata: {}, created: i['created_at'], updated: i['updated_at'], links: [{ href: `${NOVA}/v2.1/images/${String(i['id'])}`, rel: 'self' }] }
    : { id: i['id'], name: i['name'], links: [{ href: `${NOVA}/v2.1/images/${String(i['id'])}`, rel: 'self' }] }));
});

interface Case {
  label: string;
  faults: () => Fault[];
  says: RegExp;
}

const filterCases = (detail: boolean): Record<string, Case[]> => {
  const path = detail ? IMAGES_DETAIL : IMAGES;
  return {
    [detail ? '9b0ea018-6185-4f71-948a-a123a107988e' : 'a3f5b513-aeb3-42a9-b18e-f091ef73254d']: [
      { label: 'an active image is missing', faults: () => [hide(path, /image-2$/)], says: /active image .* is not listed/ },
      { label: 'a listed image has no links', faults: () => [edit('GET', path, (b) => { for (const i of images(b)) delete i['links']; })], says: /links is required/ },
    ],
    [detail ? '644ea267-9bd9-4f3b-af9f-dffa02396a17' : '33163b73-79f5-4d07-a7ea-9213bcc468ff']: [
      { label: 'the name filter is ignored', faults: () => [ignoreFilter(path, detail)], says: /image of another name .* is listed/ },
      { label: 'the named image is missing', faults: () => [hide(path, /image-1$/)], says: /image named in the filter .* is not listed/ },
    ],
    [detail ? 'ba2fa9a9-b672-47cc-b354-3b4c0600e2cb' : '3a484ca9-67ba-451e-b494-7fcf28d32d62']: [
      { label: 'the limit is ignored', faults: () => [ignoreFilter(path, detail)], says: /images listed: expected 1, got \d+/ },
    ],
    [detail ? '8c78f822-203b-4bf6-8bba-56ebd551cf84' : '05a377b8-28cf-4734-a1e6-2ab5c38bf606']: [
      { label: 'the server filter is ignored', faults: () => [ignoreFilter(path, detail)], says: /snapshot of the other server .* is listed/ },
      { label: 'the server\'s snapshot is missing', faults: () => [hide(path, /snapshot-3$/)], says: /snapshot of this server .* is not listed/ },
    ],
    [detail ? '888c0cc0-7223-43c5-9db0-b125fd0a393b' : 'e3356918-4d3e-4756-81d5-abc4524ba29f']: [
      { label: 'a snapshot is missing', faults: () => [hide(path, /snapshot-2$/)], says: /snapshot .* is not listed/ },
      ...(detail ? [] : [{ label: 'the type filter is ignored', faults: () => [ignoreFilter(path, detail)], says: /non-snapshot\) image servers boot from .* is listed/ }]),
    ],
    [detail ? '7d439e18-ac2e-4827-b049-7e18004712c4' : '18bac3ae-da27-436c-92a9-b22474d13aab']: [
      { label: 'the image changed at that time is missing', faults: () => [hide(path, /image-3$/)], says: /image changed at that time .* is not listed/ },
    ],
  };
};

const CASES: Record<string, Case[]> = {
  ...filterCases(false),
  ...filterCases(true),
  '9f238683-c763-45aa-b848-232ec3ce3105': [
    { label: 'the server filter is ignored', faults: () => [ignoreFilter(IMAGES, false)], says: /snapshot of the other server .* is listed/ },
    { label: 'a snapshot of the server is missing', faults: () => [hide(IMAGES, /snapshot-1$/)], says: /snapshot of this server .* is not listed/ },
  ],
  '490d0898-e12a-463f-aef0-c50156b9f789': [
    { label: 'the image shown has another id', faults: () => [edit('GET', IMAGE, (b) => { (b['image'] as Json)['id'] = 'other'; })], says: /: id: expected "[0-9a-f-]{36}", got "other"/ },
    { label: 'the image lacks its status', faults: () => [edit('GET', IMAGE, (b) => { delete (b['image'] as Json)['status']; })], says: /status is required/ },
  ],
  'fd51b7f4-d4a3-4331-9885-866658112a6f': [
    { label: 'the boot image is not listed', faults: () => [edit('GET', IMAGES, (b) => { b['images'] = []; })], says: /the image servers boot from .* is not listed/ },
    { label: 'a listed image has an extra property', faults: () => [edit('GET', IMAGES, (b) => { for (const i of images(b)) i['x-vendor'] = 1; })], says: /x-vendor is not allowed/ },
  ],
  '9f94cb6b-7f10-48c5-b911-a0b84d7d4cd6': [
    { label: 'the boot image is not listed', faults: () => [edit('GET', IMAGES_DETAIL, (b) => { b['images'] = []; })], says: /the image servers boot from .* is not listed/ },
    { label: 'the listing is no array', faults: () => [edit('GET', IMAGES_DETAIL, (b) => { b['images'] = {}; })], says: /images must be array/ },
  ],
  'aa06b52b-2db5-4807-b218-9441f75d74e3': [
    { label: 'deleting the saving image answers 200', faults: () => [{ method: 'DELETE', path: IMAGE, reply: (r) => ({ ...r, status: 200 }) }], says: /expected status 204, got 200/ },
    { label: 'createImage answers without Location', faults: () => [{ method: 'POST', path: ACTION, reply: (r) => (r.status === 202 && r.headers?.['location'] ? { status: 202 } : r) }], says: /no Location header/ },
  ],
  '4640e3ef-a5df-482e-95a1-ceeeb0faa84d': [
    { label: 'the soft reboot answers 200', faults: () => [{ method: 'POST', path: ACTION, reply: (r, req) => ('reboot' in ((req.body ?? {}) as Json) ? { ...r, status: 200 } : r) }], says: /expected status 202, got 200/ },
  ],
  'bc2dd1a0-15af-48e5-9990-f2e75a48325d': [
    { label: 'a volume is listed unlike its show', faults: () => [edit('GET', /^\/v2\.1\/os-volumes$/, (b) => { for (const v of b['volumes'] as Json[]) v['displayName'] = 'renamed'; })], says: /not listed as shown/ },
    { label: 'creating a volume answers 202', faults: () => [{ method: 'POST', path: /^\/v2\.1\/os-volumes$/, reply: (r) => ({ ...r, status: 202 }) }], says: /expected status 200, got 202/ },
  ],
  'bad0567a-5a4f-420b-851e-780b55bb867c': [
    { label: 'the metadata is missing from the listing', faults: () => [edit('GET', /^\/v2\.1\/os-volumes\/detail$/, (b) => { for (const v of b['volumes'] as Json[]) v['metadata'] = {}; })], says: /not listed as shown/ },
  ],
  'f01904f2-e975-4915-98ce-cb5fa27bde4f': [
    { label: 'an invalid id answers 400', faults: () => [{ method: 'GET', path: /^\/v2\.1\/os-volumes\/.+$/, reply: (r) => ({ ...r, status: 400 }) }], says: /should be refused with 404, got 400/ },
  ],
  '62bab09a-4c03-4617-8cca-8572bc94af9b': [
    { label: 'an empty id lists the volumes (200)', faults: () => [{ method: 'GET', path: /^\/v2\.1\/os-volumes\/?$/, reply: () => ({ status: 200, body: { volumes: [] } }) }], says: /should be refused with 404, got 200/ },
  ],
  '6158df09-4b82-4ab3-af6d-29cf36af858d': [
    { label: 'changePassword answers 200', faults: () => [{ method: 'POST', path: ACTION, reply: (r, req) => ('changePassword' in ((req.body ?? {}) as Json) ? { ...r, status: 200 } : r) }], says: /expected status 202, got 200/ },
  ],
  '4b8867e6-fffa-4d54-b1d1-6fdda57be2f3': [
    { label: 'the console output has 3 lines', faults: () => [edit('POST', ACTION, (b) => { if ('output' in b) b['output'] = 'a\nb\nc'; })], says: /lines of console output asked for 10: expected 10, got 3/ },
    { label: 'the console output is empty', faults: () => [edit('POST', ACTION, (b) => { if ('output' in b) b['output'] = ''; })], says: /console output was empty/ },
  ],
  '85bcdd8f-56b4-4868-ae56-63fbf6f7e405': [
    { label: 'the alt account reads the keypair', faults: () => [{ method: 'GET', path: /^\/v2\.1\/os-keypairs\/.+$/, reply: (r) => (r.status === 404 ? { status: 200, body: { keypair: { name: 'k' } } } : r) }], says: /should be refused with 404, got 200/ },
  ],
  'dea1936a-473d-49f2-92ad-97bb7aded22e': [
    { label: 'the alt account reads the metadata item', faults: () => [{ method: 'GET', path: /^\/v2\.1\/servers\/[^/]+\/metadata\/.+$/, reply: (r) => (r.status === 404 ? { status: 200, body: { meta: { meta1: 'data1' } } } : r) }], says: /should be refused with 404, got 200/ },
  ],
  'c5f52351-53d9-4fc9-83e5-917f7f5e3d71': [
    { label: 'the alt account is refused with 403', faults: () => [{ method: 'PUT', path: /^\/v2\.1\/servers\/[^/]+\/metadata$/, reply: (r) => (r.status === 404 ? { status: 403, body: { forbidden: { code: 403, message: 'x' } } } : r) }], says: /should be refused with 404, got 403/ },
  ],
  '95d445f6-babc-4f2e-aea3-aa24ec5e7f0d': [
    { label: 'the alt account boots from the private image', faults: () => [{ method: 'POST', path: LIST, reply: (r, req) => (r.status === 400 && req.headers['x-auth-token'] === 'alt-token' ? { status: 202, body: { server: { id: 'x', links: [] } } } : r) }], says: /should be refused with 400, got 202/ },
  ],
  '543d84c1-dd2e-4c6d-8cb2-b9da0efaa384': [
    { label: 'the alt account renames the server', faults: () => [{ method: 'PUT', path: /^\/v2\.1\/servers\/[^/]+$/, reply: (r) => (r.status === 404 ? { status: 200, body: { server: {} } } : r) }], says: /should be refused with 404, got 200/ },
  ],
  '5c75009d-3eea-423e-bea3-61b09fd25f9c': [
    { label: 'the alt account deletes the server', faults: () => [{ method: 'DELETE', path: /^\/v2\.1\/servers\/[^/]+$/, reply: (r) => (r.status === 404 ? { status: 204 } : r) }], says: /should be refused with 404, got 204/ },
  ],
  'acf8724b-142b-4044-82c3-78d31a533f24': [
    { label: 'the alt token creates a server at the primary URL', faults: () => [{ method: 'POST', path: LIST, reply: (r, req) => (r.status === 400 && req.headers['x-auth-token'] === 'alt-token' ? { status: 202, body: { server: { id: 'x', links: [] } } } : r) }], says: /should be refused with 400, got 202/ },
  ],
  '12c80a9f-2dec-480e-882b-98ba15757659': [
    { label: 'the limit is ignored', faults: () => [edit('GET', LIST, (b, req) => { if (req.query.get('limit') === '1') { const l = b['servers'] as Json[]; l.push({ ...l[0]!, id: 'another' }); } })], says: /servers with an id listed: expected 1, got 2/ },
  ],
};

describe('compute checks of the older guidelines (in-memory Nova)', function () {
  this.timeout(120_000);
  const saved = polling.initialDelayMs;
  const savedConsole = consoleWait.timeoutMs;
  before(() => {
    nock.disableNetConnect();
    polling.initialDelayMs = 5;
    consoleWait.timeoutMs = 200;
  });
  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });
  after(() => {
    polling.initialDelayMs = saved;
    consoleWait.timeoutMs = savedConsole;
    nock.enableNetConnect();
  });

  // its URL-impersonation case needs per-project compute URLs, which the fake (like modern Nova) does not have
  const KEYPAIR_ELSEWHERE = 'f03d1ded-7fd4-4d29-bc13-e2391f29c625';

  it('every check listed here is registered, and every case has one', () => {
    assert.deepEqual(registeredChecks().map((c) => c.id).filter((id) => OLDER_COMPUTE_IDS.has(id)).sort(), [...OLDER_COMPUTE_IDS].sort());
    assert.deepEqual([...Object.keys(CASES), KEYPAIR_ELSEWHERE].sort(), [...OLDER_COMPUTE_IDS].sort());
  });

  it('AuthorizationTestJSON.test_create_keypair_in_analt_user_tenant skips, as Tempest does, when compute URLs carry no project id', async () => {
    const r = await run(KEYPAIR_ELSEWHERE);
    assert.equal(r.status, 'skip', r.message);
    assert.match(r.message, /Service urls don't include project_id/);
    assert.deepEqual([...fake.keypairs.keys()], []);
  });

  for (const [id, cases] of Object.entries(CASES)) {
    const name = findCheck(id)?.test.split('.').slice(-2).join('.') ?? id;
    it(`${name} passes against a conforming Nova and leaves nothing`, async () => {
      const r = await run(id);
      assert.equal(r.status, 'pass', r.message);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual(leftovers(), []);
    });
    for (const c of cases) {
      it(`${name} fails when ${c.label}`, async () => {
        const r = await run(id, c.faults());
        assert.equal(r.status, 'fail', `expected a failure, got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
      });
    }
  }
});

const SERVERS = 'tempest.api.compute.servers';
const MANUAL = `${SERVERS}.test_create_server.ServersTestManualDisk`;
const SERVER = /^\/v2\.1\/servers\/[^/]+$/;
const DETAIL = /^\/v2\.1\/servers\/detail$/;

const NAMED: Record<string, { conforming?: 'skip'; cases: Case[] }> = {
  [`${MANUAL}.test_verify_server_details`]: { cases: [
    { label: 'accessIPv4 is not kept', faults: () => [edit('GET', SERVER, (b) => { (b['server'] as Json)['accessIPv4'] = '2.2.2.2'; })], says: /accessIPv4: expected "1\.1\.1\.1", got "2\.2\.2\.2"/ },
    { label: 'the metadata is lost', faults: () => [edit('GET', SERVER, (b) => { (b['server'] as Json)['metadata'] = {}; })], says: /metadata/ },
  ] },
  [`${MANUAL}.test_list_servers`]: { cases: [
    { label: 'the server is not listed', faults: () => [edit('GET', LIST, (b) => { b['servers'] = []; })], says: /is not listed/ },
  ] },
  [`${MANUAL}.test_list_servers_with_detail`]: { cases: [
    { label: 'the server is not listed', faults: () => [edit('GET', DETAIL, (b) => { b['servers'] = []; })], says: /is not listed/ },
  ] },
  [`${MANUAL}.test_verify_created_server_vcpus`]: { conforming: 'skip', cases: [] },
  [`${MANUAL}.test_host_name_is_same_as_server_name`]: { conforming: 'skip', cases: [] },
  [`${SERVERS}.test_servers_negative.ServersNegativeTestJSON.test_rebuild_reboot_deleted_server`]: { cases: [
    { label: 'rebooting the deleted server answers 409', faults: () => [{ method: 'POST', path: ACTION, reply: (r, req) => ('reboot' in ((req.body ?? {}) as Json) ? { status: 409, body: { conflictingRequest: { code: 409, message: 'x' } } } : r) }], says: /rebooting deleted server .* should be refused with 404, got 409/ },
    { label: 'rebuilding the deleted server answers 400', faults: () => [{ method: 'POST', path: ACTION, reply: (r, req) => ('rebuild' in ((req.body ?? {}) as Json) ? { status: 400, body: { badRequest: { code: 400, message: 'x' } } } : r) }], says: /rebuilding deleted server .* should be refused with 404, got 400/ },
  ] },
};

describe('checks that schema 1.2 guidelines name without ids (in-memory Nova)', function () {
  this.timeout(120_000);
  const saved = polling.initialDelayMs;
  before(() => {
    nock.disableNetConnect();
    polling.initialDelayMs = 5;
  });
  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });
  after(() => {
    polling.initialDelayMs = saved;
    nock.enableNetConnect();
  });

  it('Tempest 4 names resolve to the checks of the renamed tests', () => {
    assert.equal((findCheckByName(`${SERVERS}.test_list_server_filters.ListServerFiltersTestJSON.test_list_servers_filter_by_server_status`) as { id?: string } | undefined)?.id, 'ca78e20e-fddb-4ce6-b7f7-bcbf8605e66e');
    assert.equal((findCheckByName('tempest.api.image.v2.test_images.ListImagesTest.test_index_no_params') as { id?: string } | undefined)?.id, '1e341d7a-90a9-494c-b143-2cdf2aeb6aee');
  });

  for (const [name, { conforming, cases }] of Object.entries(NAMED)) {
    const short = name.split('.').slice(-2).join('.');
    it(`${short} ${conforming === 'skip' ? 'skips' : 'passes'} against a conforming Nova and leaves nothing`, async () => {
      const def = findCheckByName(name);
      assert.ok(def, `no check found by the name ${name}`);
      const r = await runDef(def);
      assert.equal(r.status, conforming ?? 'pass', r.message);
      if (conforming === 'skip') assert.match(r.message, /^needs a data plane: /);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual(leftovers(), []);
    });
    for (const c of cases) {
      it(`${short} fails when ${c.label}`, async () => {
        const r = await runDef(findCheckByName(name)!, c.faults());
        assert.equal(r.status, 'fail', `expected a failure, got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
      });
    }
  }
});
