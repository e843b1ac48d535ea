/**
 * Unit tests of the compute checks: each passes against a conforming in-memory
 * Nova (test/fakes/fake-nova.ts), leaving nothing behind once its
 * run fixtures are torn down, and fails when one response is bent away from
 * the Compute API as Tempest checks it (wrong status, a schema violation such
 * as an additional property, a wrong state or value).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { attachWait } from '../../../capabilities/compute/attach-volume.js';
import '../../../capabilities/compute/basics.js';
import '../../../capabilities/compute/create-server.js';
import '../../../capabilities/compute/images-oneserver.js';
import '../../../capabilities/compute/lifecycle.js';
import '../../../capabilities/compute/list-server-filters.js';
import '../../../capabilities/compute/list-servers-negative.js';
import '../../../capabilities/compute/server-actions.js';
import '../../../capabilities/compute/server-metadata.js';
import '../../../capabilities/compute/servers-negative.js';
import '../../../capabilities/compute/servers.js';
import { polling } from '../../../capabilities/compute/steps.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { newPrefix, runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { OLDER_COMPUTE_IDS } from './older-ids.js';
import { CINDER, fakeNova, GLANCE, NEUTRON, NOVA, PROJECT, USER, type FakeNova, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-nova.js';

const one = (c: string) => new RegExp(`^/v2\\.1/${c}/[^/]+$`);
const all = (c: string) => new RegExp(`^/v2\\.1/${c}$`);
const sub = (c: string) => new RegExp(`^/v2\\.1/servers/[^/]+/${c}$`);
const ACTION = sub('action');
const SERVER = one('servers');
const LIST = all('servers');
const DETAIL = all('servers/detail');

let fake: FakeNova;
let sessions: CloudSession[] = [];

function primary(): CloudSession {
  const s = nockCloud({
    catalog: { compute: `${NOVA}/v2.1`, image: GLANCE, network: NEUTRON, 'block-storage': `${CINDER}/v3/${PROJECT}` },
    projectId: PROJECT,
    userId: USER,
  });
  sessions.push(s);
  return s;
}

async function run(id: string, faults: Fault[] = [], setup?: (f: FakeNova) => void): Promise<HarnessResult> {
  fake = fakeNova(faults);
  setup?.(fake);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  const client = primary();
  const prefix = newPrefix();
  const result = await runCheck(def, { accounts: { primary: client }, prefix, timeoutMs: 30_000 });
  fake.faults.length = 0; // teardown sees a conforming cloud
  const failures = await teardownRunFixtures(prefix, client);
  assert.deepEqual(failures, [], 'fixture teardown');
  return result;
}

function leftovers(): string[] {
  const out: string[] = [];
  for (const s of fake.servers.values()) if (!s.deleting) out.push(`server ${s.name}`);
  for (const k of fake.keypairs.keys()) out.push(`keypair ${k}`);
  for (const i of fake.images.values()) if (i['id'] !== fake.imageId) out.push(`image ${String(i['name'])}`);
  for (const v of fake.volumes.values()) out.push(`volume ${String(v['name'])}`);
  return out;
}

// --- fault builders ---------------------------------------------------------------

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

/** Replaces the status (and optionally body/headers) of matching replies; `from` limits it to replies with that status. */
function status(method: string, path: RegExp, code: number, opts: { from?: number; body?: unknown; times?: number; headers?: Record<string, string> } = {}): Fault {
  return {
    method,
    path,
    ...(opts.times === undefined ? {} : { times: opts.times }),
    reply: (r) => {
      if (opts.from !== undefined && r.status !== opts.from) return r;
      const out: FakeReply = { status: code, body: opts.body === undefined ? r.body : opts.body };
      const headers = opts.headers ?? r.headers;
      if (headers) out.headers = headers;
      return out;
    },
  };
}

/** An additional property where Tempest's schema forbids one. */
function extra(method: string, path: RegExp, at: (body: Json) => Json): Fault {
  return edit(method, path, (b) => { at(b)['x-vendor-extra'] = true; });
}

const CINDER_VOLUMES = new RegExp(`^/v3/${PROJECT}/volumes$`);
const CINDER_VOLUME = new RegExp(`^/v3/${PROJECT}/volumes/[0-9a-f-]{36}$`);

/** Nova's attachment listings keep every attachment ever made, detached or not. */
function ghostAttachments(): Fault[] {
  const made: Json[] = [];
  return [
    edit('POST', /\/os-volume_attachments$/, (b) => { made.push(b['volumeAttachment'] as Json); }),
    edit('GET', /\/os-volume_attachments$/, (b) => {
      const listed = b['volumeAttachments'] as Json[];
      for (const a of made) if (!listed.some((l) => l['id'] === a['id'])) listed.push(a);
    }),
  ];
}

/** The `n`th request of server action `name` (e.g. Tempest's cleanup, after the test's own) is refused with `code`. */
function nthActionRefused(name: string, n: number, code: number): Fault {
  let seen = 0;
  return { method: 'POST', path: ACTION, reply: (r, req) => (isAction(name)(r, req) && ++seen === n ? { status: code, body: { error: { code, message: 'refused' } } } : r) };
}

/** Only for the server action named `name`. */
const isAction = (name: string) => (_r: FakeReply, req: FakeRequest) => typeof req.body === 'object' && req.body !== null && name in (req.body as Json);

function actionStatus(name: string, code: number, body?: unknown): Fault {
  return { method: 'POST', path: ACTION, reply: (r, req) => (isAction(name)(r, req) ? { status: code, body: body ?? r.body } : r) };
}

/** The server turns ERROR (with a fault) at the first GET after `action`. */
function errorAfter(action: string): Fault[] {
  let armed = false;
  return [
    { method: 'POST', path: ACTION, reply: (r, req) => { if (isAction(action)(r, req)) armed = true; return r; } },
    edit('GET', SERVER, (b) => {
      const s = b['server'] as Json;
      s['status'] = 'ERROR';
      s['OS-EXT-STS:task_state'] = null;
      s['fault'] = { code: 500, created: '2020-01-01T00:00:00Z', message: 'Injected failure' };
    }, { when: () => armed }),
  ];
}

const server = (b: Json) => b['server'] as Json;
const servers = (b: Json) => b['servers'] as Json[];
const ghost = { id: randomUUID(), name: 'ghost', links: [{ href: `${NOVA}/v2.1/servers/x`, rel: 'self' }] };

/** A listed server that should not be there. */
function addGhost(path: RegExp): Fault {
  return edit('GET', path, (b) => { servers(b).push(ghost); });
}

/** Servers deleted earlier keep appearing in listings. */
function ghostDeleted(path: RegExp): Fault[] {
  const deleted: string[] = [];
  return [
    { method: 'DELETE', path: SERVER, reply: (r, req) => { deleted.push(req.path.split('/').pop()!); return r; } },
    // In a detailed list the ghost is a full copy of a listed server (seedServer keeps one there).
    edit('GET', path, (b) => { for (const id of deleted) servers(b).push({ ...(path === DETAIL ? servers(b)[0] : ghost), id }); }),
  ];
}

/** A filter is ignored: the list answers as if unfiltered. */
function ignoreFilter(path: RegExp, key: string): Fault {
  return {
    method: 'GET',
    path,
    reply: (r, req) => {
      if (!req.query.has(key)) return r;
      const detail = path === DETAIL;
      const list = [...fake.servers.values()].filter((s) => !s.deleting).map((s) => (detail ? { ...(servers(r.body as Json)[0] ?? {}), id: s.id, name: s.name, status: s.status } : { id: s.id, name: s.name, links: ghost.links }));
      return { status: 200, body: { servers: list } };
    },
  };
}

const CREATED = { server: { id: randomUUID(), links: ghost.links, adminPass: 'x', 'OS-DCF:diskConfig': 'AUTO', security_groups: [{ name: 'default' }] } };

interface Case {
  id: string;
  faults: { label: string; faults: Fault[]; says: RegExp; setup?: (f: FakeNova) => void }[];
  /** Expected status against the conforming fake (default pass). */
  conforming?: 'pass' | 'skip';
  setup?: (f: FakeNova) => void;
}

/** One server already in the project, for listings that must not be empty. */
function seedServer(f: FakeNova): void {
  const id = randomUUID();
  f.servers.set(id, {
    id, name: 'seed', status: 'ACTIVE', task: null, imageId: f.imageId, flavorId: '42', metadata: {}, accessIPv4: '', accessIPv6: '', keyName: null,
    created: '2020-01-01T00:00:00Z', updated: '2020-01-01T00:00:00Z', addr: '10.0.0.2', locked: false, deleting: false, actions: [], volumes: [],
  });
}

const refused = (method: string, path: RegExp, from: number, to: number, body?: unknown): Fault[] => [status(method, path, to, { from, ...(body === undefined ? {} : { body }) })];

const CASES: Case[] = [
  // --- basics ---
  { id: '6c0a0990-43b6-4529-9b61-5fd8daf7c55c', faults: [
    { label: 'v2.1 listed first', faults: [edit('GET', /^\/$/, (b) => { (b['versions'] as Json[]).reverse(); })], says: /first listed version: expected "v2.0", got "v2.1"/ },
    { label: 'an additional property in a version', faults: [extra('GET', /^\/$/, (b) => (b['versions'] as Json[])[0]!)], says: /versions\/0\/x-vendor-extra is not allowed/ },
  ] },
  { id: 'e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59', faults: [
    { label: 'the list carries a description (2.55 field)', faults: [edit('GET', all('flavors'), (b) => { for (const f of b['flavors'] as Json[]) f['description'] = null; })], says: /flavors\/0\/description is not allowed/ },
    { label: 'the reference flavor is not listed', faults: [edit('GET', all('flavors'), (b) => { b['flavors'] = (b['flavors'] as Json[]).filter((f) => f['id'] !== '42'); })], says: /lacks flavor 42/ },
  ] },
  { id: '6e85fde4-b3cd-4137-ab72-ed5f418e8c24', faults: [
    { label: 'the detailed list differs from show', faults: [edit('GET', all('flavors/detail'), (b) => { (b['flavors'] as Json[])[0]!['ram'] = 1; })], says: /lacks flavor 42/ },
    { label: 'list answers 203', faults: [status('GET', all('flavors/detail'), 203)], says: /expected status 200, got 203/ },
  ] },
  { id: 'a8333aa2-205c-449f-a828-d38c2489bf25', faults: [
    { label: 'no zones', faults: [edit('GET', all('os-availability-zone'), (b) => { b['availabilityZoneInfo'] = []; })], says: /availabilityZoneInfo is empty/ },
    { label: 'hosts listed to a non-admin', faults: [edit('GET', all('os-availability-zone'), (b) => { (b['availabilityZoneInfo'] as Json[])[0]!['hosts'] = {}; })], says: /hosts must be null/ },
  ] },
  { id: 'f1ef0a97-dbbb-4cca-adc5-c9fbc4f76107', faults: [
    { label: 'key_pairs missing', faults: [edit('GET', one('os-quota-sets'), (b) => { delete (b['quota_set'] as Json)['key_pairs']; })], says: /quota_set\/key_pairs is required/ },
    { label: 'the per-user view names another project', faults: [edit('GET', one('os-quota-sets'), (b) => { (b['quota_set'] as Json)['id'] = 'other'; }, { when: (_r, req) => req.query.has('user_id') })], says: /quota_set.id/ },
  ] },
  { id: '9bfecac7-b966-4f47-913f-1a9e2c12134a', faults: [
    { label: 'an additional quota', faults: [extra('GET', /os-quota-sets\/[^/]+\/defaults$/, (b) => b['quota_set'] as Json)], says: /quota_set\/x-vendor-extra is not allowed/ },
  ] },
  { id: '89d59d43-f735-441a-abcf-0601727f47b6', faults: [
    { label: 'create answers 200 at 2.2', faults: [status('POST', all('os-keypairs'), 200)], says: /expected status 201, got 200/ },
    { label: 'show loses the type', faults: [edit('GET', one('os-keypairs'), (b) => { (b['keypair'] as Json)['type'] = 'ssh'; })], says: /type: expected "x509", got "ssh"/ },
  ] },
  // --- create-server class ---
  { id: '5de47127-9977-400a-936f-abcfbec1218f', faults: [
    { label: 'accessIPv6 not canonical', faults: [edit('GET', SERVER, (b) => { server(b)['accessIPv6'] = '0000:0000:0000:0000:0000:babe:dc0c:1602'; })], says: /accessIPv6/ },
    { label: 'metadata lost', faults: [edit('GET', SERVER, (b) => { server(b)['metadata'] = {}; })], says: /metadata/ },
    { label: 'an additional property on the server', faults: [extra('GET', SERVER, server)], says: /server\/x-vendor-extra is not allowed/ },
  ] },
  { id: '9a438d88-10c6-4bcd-8b5b-5b6e25e1346f', faults: [
    { label: 'the server is not listed', faults: [edit('GET', LIST, (b) => { b['servers'] = []; })], says: /is not listed/ },
  ] },
  { id: '585e934c-448e-43c4-acbf-d06a9b899997', faults: [
    { label: 'the server is not listed', faults: [edit('GET', DETAIL, (b) => { b['servers'] = []; })], says: /is not listed/ },
    { label: 'a listed server has a bad power state', faults: [edit('GET', DETAIL, (b) => { for (const s of servers(b)) s['OS-EXT-STS:power_state'] = 99; })], says: /power_state must be equal to one of the allowed values/ },
  ] },
  { id: 'cbc0f52f-05aa-492b-bdc1-84b575ca294b', conforming: 'skip', faults: [] },
  { id: 'ac1ad47f-984b-4441-9274-c9079b7a0666', conforming: 'skip', faults: [] },
  // --- servers ---
  { id: 'b92d5ec7-b1dd-44a2-87e4-45e888c46ef0', faults: [
    { label: 'another adminPass echoed', faults: [edit('POST', LIST, (b) => { server(b)['adminPass'] = 'other'; })], says: /adminPass/ },
    { label: 'create answers 200', faults: [status('POST', LIST, 200)], says: /expected status 202, got 200/ },
    { label: 'create omits adminPass', faults: [edit('POST', LIST, (b) => { delete server(b)['adminPass']; })], says: /server\/adminPass is required/ },
  ] },
  { id: '8fea6be7-065e-47cf-89b8-496e6f96c699', faults: [
    { label: 'the names differ', faults: [edit('GET', SERVER, (b) => { server(b)['name'] = `n-${server(b)['id'] as string}`; })], says: /names of servers/ },
  ] },
  { id: 'f9e15296-d7f9-4e62-b53f-a04e89160833', faults: [
    { label: 'key_name not set', faults: [edit('GET', SERVER, (b) => { server(b)['key_name'] = null; })], says: /key_name/ },
    { label: 'keypair create answers 201 at 2.1', faults: [status('POST', all('os-keypairs'), 201)], says: /expected status 200, got 201/ },
  ] },
  { id: '5e6ccff8-349d-4852-a8b3-055df7988dd2', faults: [
    { label: 'the rename does not show', faults: [edit('GET', SERVER, (b) => { server(b)['name'] = 'stale'; })], says: /name after the update/ },
    { label: 'a stopped server reports progress', faults: [edit('GET', SERVER, (b) => { server(b)['progress'] = 0; }, { when: (r) => server(r.body as Json)['status'] === 'SHUTOFF' })], says: /should not report progress/ },
    { label: 'update carries an extended attribute', faults: [edit('PUT', SERVER, (b) => { server(b)['OS-EXT-STS:task_state'] = null; })], says: /server\/OS-EXT-STS:task_state is not allowed/ },
  ] },
  { id: '89b90870-bc13-4b73-96af-f9d4f2b70077', faults: [
    { label: 'accessIPv4 not updated', faults: [edit('GET', SERVER, (b) => { server(b)['accessIPv4'] = ''; })], says: /accessIPv4/ },
    { label: 'accessIPv4 malformed', faults: [edit('PUT', SERVER, (b) => { server(b)['accessIPv4'] = 'x.y'; })], says: /accessIPv4/ },
  ] },
  // --- lifecycle ---
  { id: '925fdfb4-5b13-47ea-ac8a-c36ae6fddb05', faults: [
    { label: 'delete answers 202', faults: [status('DELETE', SERVER, 202, { times: 1 })], says: /expected status 204, got 202/ },
    { label: 'deletion ends in ERROR', faults: [edit('GET', SERVER, (b) => { server(b)['status'] = 'ERROR'; }, { when: (r) => server(r.body as Json)['OS-EXT-STS:task_state'] === 'deleting' })], says: /deletion left it in status ERROR/ },
  ] },
  { id: '77ca5cc5-9990-45e0-ab98-1de8fead201a', faults: [
    { label: 'an extra action is listed', faults: [edit('GET', sub('os-instance-actions'), (b) => { const a = b['instanceActions'] as Json[]; a.push({ ...a[0], action: 'stop' }); })], says: /actions of server/ },
    { label: 'reboot never completes (ERROR)', faults: errorAfter('reboot'), says: /Injected failure/ },
  ] },
  { id: 'aacc71ca-1d70-4aa5-bbf6-0ff71470e43c', faults: [
    { label: 'the action is not create', faults: [edit('GET', /os-instance-actions\/[^/]+$/, (b) => { (b['instanceAction'] as Json)['action'] = 'reboot'; })], says: /action: expected "create"/ },
    { label: 'message missing', faults: [edit('GET', /os-instance-actions\/[^/]+$/, (b) => { delete (b['instanceAction'] as Json)['message']; })], says: /instanceAction\/message is required/ },
  ] },
  { id: '61e03386-89c3-449c-9bb1-a06f423fd9d1', faults: [
    { label: 'reservation_id returned', faults: [edit('POST', LIST, (b) => { b['reservation_id'] = 'r-1'; })], says: /reservation_id returned/ },
    { label: 'only one server made', faults: [edit('GET', LIST, (b) => { b['servers'] = servers(b).slice(0, 1); })], says: /expected 2, got 1/ },
    { label: 'deleting a server in Tempest\'s cleanup answers 500', faults: [status('DELETE', SERVER, 500, { times: 1 })], says: /^cleanup "delete the servers named .*" failed: DELETE .*\/servers\/[^:]+: expected status 204, got 500/ },
  ] },
  // --- server actions ---
  { id: '2cb1baf6-ac8d-4429-bf0d-ba8a0ba53e32', faults: [
    { label: 'reboot answers 200', faults: [actionStatus('reboot', 200)], says: /expected status 202, got 200/ },
    { label: 'reboot ends in ERROR', faults: errorAfter('reboot'), says: /status ERROR, fault 500 Injected failure/ },
  ] },
  { id: 'aaa6cdf3-55a7-461a-add9-1c8596b9a07c', faults: [
    { label: 'rebuild response without adminPass', faults: [edit('POST', ACTION, (b) => { delete server(b)['adminPass']; }, { when: isAction('rebuild') })], says: /server\/adminPass is required/ },
    { label: 'the rebuilt server keeps its image', faults: [edit('GET', SERVER, (b) => { (server(b)['image'] as Json)['id'] = 'old'; }, { when: (r) => server(r.body as Json)['name'] !== undefined && String(server(r.body as Json)['name']).includes('rebuilt') })], says: /after rebuild, expected/ },
    { label: 'addresses change', faults: [edit('GET', SERVER, (b) => { server(b)['addresses'] = {}; }, { when: (r) => String(server(r.body as Json)['name']).includes('rebuilt') })], says: /addresses after rebuild/ },
    { label: 'the rebuild back to the original image (Tempest\'s cleanup) is refused', faults: [nthActionRefused('rebuild', 2, 400)], says: /^cleanup "rebuild server .* back to image .*" failed: POST .*\/action: expected status 202, got 400/ },
  ] },
  { id: '1499262a-9328-4eda-9068-db1ac57498d2', faults: [
    { label: 'confirm answers 202', faults: [actionStatus('confirmResize', 202)], says: /expected status 204, got 202/ },
    { label: 'the flavor does not change', faults: [edit('GET', SERVER, (b) => { (server(b)['flavor'] as Json)['id'] = '42'; })], says: /flavor "42", expected "84"/ },
  ] },
  { id: 'c03aab19-adb1-44f5-917d-c419577e9e68', faults: [
    { label: 'the flavor is not reverted', faults: [edit('GET', SERVER, (b) => { (server(b)['flavor'] as Json)['id'] = '84'; })], says: /flavor "84", expected "42"/ },
    { label: 'resize ends in ERROR', faults: errorAfter('resize'), says: /Injected failure/ },
  ] },
  { id: 'af8eafd4-38a7-4a4b-bdbc-75145a580560', faults: [
    { label: 'stop answers with a body', faults: [actionStatus('os-stop', 202, { ok: true })], says: /expected no response body/ },
    { label: 'stop ends in ERROR', faults: errorAfter('os-stop'), says: /Injected failure/ },
  ] },
  { id: '80a8094c-211e-440a-ab88-9e59d556c7ee', faults: [
    { label: 'a locked server can be stopped', faults: [status('POST', ACTION, 202, { from: 409, body: undefined })], says: /should be refused with 409, got 202/ },
    { label: 'the unlock of Tempest\'s cleanup is refused', faults: [nthActionRefused('unlock', 2, 409)], says: /^cleanup "unlock server .*" failed: POST .*\/action: expected status 202, got 409/ },
  ] },
  // --- metadata ---
  { id: '479da087-92b3-4dcf-aeb3-fd293b2d14ce', faults: [
    { label: 'an extra key', faults: [edit('GET', sub('metadata'), (b) => { (b['metadata'] as Json)['x'] = 'y'; })], says: /metadata: expected/ },
    { label: 'an additional property', faults: [extra('GET', sub('metadata'), (b) => b)], says: /x-vendor-extra is not allowed/ },
  ] },
  { id: '211021f6-21de-4657-a68f-908878cfe251', faults: [
    { label: 'PUT merges instead of replacing', faults: [edit('GET', sub('metadata'), (b) => { (b['metadata'] as Json)['key1'] = 'value1'; })], says: /metadata: expected/ },
  ] },
  { id: '344d981e-0c33-4997-8a5d-6c1d803e4134', faults: [
    { label: 'POST replaces instead of merging', faults: [edit('GET', sub('metadata'), (b) => { delete (b['metadata'] as Json)['key2']; })], says: /metadata: expected/ },
    { label: 'POST answers 201', faults: [status('POST', sub('metadata'), 201)], says: /expected status 200, got 201/ },
  ] },
  { id: '3043c57d-7e0e-49a6-9a96-ad569c265e6a', faults: [
    { label: 'another value', faults: [edit('GET', /metadata\/[^/]+$/, (b) => { (b['meta'] as Json)['key2'] = 'other'; })], says: /meta.key2/ },
    { label: 'meta is not an object', faults: [edit('GET', /metadata\/[^/]+$/, (b) => { b['meta'] = 'key2=value2'; })], says: /\/meta must be object/ },
  ] },
  { id: '58c02d4f-5c67-40be-8744-d3fa5982eb1c', faults: [
    { label: 'PUT item answers 201', faults: [status('PUT', /metadata\/[^/]+$/, 201)], says: /expected status 200, got 201/ },
  ] },
  { id: '127642d6-4c7b-4486-b7cd-07265a378658', faults: [
    { label: 'DELETE item answers 200', faults: [status('DELETE', /metadata\/[^/]+$/, 200)], says: /expected status 204, got 200/ },
    { label: 'the item survives', faults: [edit('GET', sub('metadata'), (b) => { (b['metadata'] as Json)['key1'] = 'value1'; })], says: /metadata: expected/ },
  ] },
  // --- images ---
  { id: '3731d080-d4c5-4872-b41a-64d0d0021314', faults: [
    { label: 'no Location', faults: [{ method: 'POST', path: ACTION, reply: (r) => ({ status: r.status, body: r.body }) }], says: /header location is missing/ },
    { label: 'minRam differs', faults: [edit('GET', one('images'), (b) => { const i = b['image'] as Json; if (i['status'] === 'ACTIVE' && i['id'] !== fake.imageId) i['minRam'] = 64; })], says: /minRam/ },
    { label: 'an additional property on the image', faults: [extra('GET', one('images'), (b) => b['image'] as Json)], says: /image\/x-vendor-extra is not allowed/ },
  ] },
  { id: '3b7c6fe4-dfe7-477c-9243-b06359db51e6', faults: [
    { label: 'the snapshot fails', faults: [edit('GET', one('images'), (b) => { (b['image'] as Json)['status'] = 'ERROR'; })], says: /image status ERROR/ },
    { label: 'createImage answers 200', faults: [actionStatus('createImage', 200)], says: /expected status 202, got 200/ },
  ] },
  // --- list server filters ---
  ...([
    ['05e8a8e7-9659-459a-989d-92c2f501f4ba', LIST, 'image'], ['b3304c3b-97df-46d2-8cd3-e2b6659724e7', DETAIL, 'image'],
    ['573637f5-7325-47bb-9144-3476d0416908', LIST, 'flavor'], ['80c574cc-0925-44ba-8602-299028357dd9', DETAIL, 'flavor'],
    ['9b067a7b-7fee-4f6a-b29c-be43fe18fc5a', LIST, 'name'], ['f9eb2b70-735f-416c-b260-9914ac6181e4', DETAIL, 'name'],
  ] as const).map(([id, path, key]): Case => ({ id, faults: [
    { label: `${key} filter ignored`, faults: [ignoreFilter(path, key)], says: /should not be listed/ },
  ] })),
  { id: 'ca78e20e-fddb-4ce6-b7f7-bcbf8605e66e', faults: [
    { label: 'an ACTIVE server is left out', faults: [edit('GET', LIST, (b) => { b['servers'] = servers(b).slice(1); })], says: /should be listed/ },
  ] },
  { id: 'de2612ab-b7dd-4044-b0b1-d2539601911f', faults: [
    { label: 'a listed server is not ACTIVE', faults: [edit('GET', DETAIL, (b) => { servers(b)[0]!['status'] = 'BUILD'; })], says: /statuses of the three servers/ },
  ] },
  { id: '614cdfc1-d557-4bac-915b-3e67b48eee76', faults: [
    { label: 'limit ignored', faults: [ignoreFilter(LIST, 'limit')], says: /number of servers: expected 1, got 3/ },
  ] },
  { id: '67aec2d0-35fe-4503-9f92-f13272b867ed', faults: [
    { label: 'limit ignored', faults: [ignoreFilter(DETAIL, 'limit')], says: /number of servers: expected 1, got 3/ },
  ] },
  { id: 'e9f624ee-92af-4562-8bec-437945a18dcb', faults: [
    { label: 'name filter ignored', faults: [ignoreFilter(LIST, 'name')], says: /should not be listed/ },
  ] },
  { id: '43a1242e-7b31-48d1-88f2-3f72aa9f2077', faults: [
    { label: 'ip filter ignored', faults: [ignoreFilter(LIST, 'ip')], says: /should not be listed/ },
    { label: 'an address is malformed', faults: [edit('GET', SERVER, (b) => { ((server(b)['addresses'] as Json)['private'] as Json[])[0]!['version'] = 5; })], says: /version must be equal to one of the allowed values/ },
  ] },
  { id: 'a905e287-c35e-42f2-b132-d02b09f3654a', faults: [
    { label: 'the ip prefix matches nothing', faults: [edit('GET', LIST, (b) => { b['servers'] = []; }, { when: (_r, req) => req.query.has('ip') })], says: /should be listed/ },
  ] },
  // --- list servers negative ---
  { id: '24a26f1a-1ddc-4eea-b0d7-a90cc874ad8f', faults: [
    { label: 'the deleted server is listed', faults: ghostDeleted(LIST), says: /is still listed/ },
  ] },
  { id: '93055106-2d34-46fe-af68-d9ddbf7ee570', setup: seedServer, faults: [
    { label: 'the deleted server is listed', faults: ghostDeleted(DETAIL), says: /is still listed/ },
  ] },
  ...([
    ['ff01387d-c7ad-47b4-ae9e-64fa214638fe', 'image'], ['5913660b-223b-44d4-a651-a0fbfd44ca75', 'flavor'],
    ['e2c77c4a-000a-4af3-a0bd-629a328bde7c', 'name'], ['fcdf192d-0f74-4d89-911f-1ec002b822c4', 'status'],
    ['74745ad8-b346-45b5-b9b8-509d7447fc1f', 'changes-since'],
  ] as const).map(([id, key]): Case => ({ id, setup: seedServer, faults: [
    { label: `the ${key} filter lists a server`, faults: [ignoreFilter(LIST, key)], says: /servers listed: expected \[\]/ },
    { label: `the ${key} filter answers 400`, faults: [status('GET', LIST, 400, { body: { badRequest: { code: 400, message: 'no' } } })], says: /expected status 200, got 400/ },
  ] })),
  ...([
    ['679bc053-5e70-4514-9800-3dfab1a380a6', 'limit=testing'], ['62610dd9-4713-4ee0-8beb-fd2c1aa7f950', 'limit=-1'],
    ['87d12517-e20a-4c9c-97b6-dd1628d6d6c9', 'changes-since=2011/01/01'],
  ] as const).map(([id, what]): Case => ({ id, faults: [
    { label: `${what} accepted`, faults: refused('GET', LIST, 400, 200, { servers: [] }), says: /should be refused with 400, got 200/ },
  ] })),
  { id: 'd47c17fb-eebd-4287-8e95-f20a7e627b18', setup: seedServer, faults: [
    { label: 'a large limit truncates', faults: [edit('GET', LIST, (b) => { b['servers'] = []; }, { when: (_r, req) => req.query.has('limit') })], says: /number of servers/ },
  ] },
  // --- servers negative ---
  ...([
    'fd57f159-68d6-4c2a-902b-03070828a87e', '7fc74810-0bd2-4cd7-8244-4f33a9db865a', 'c3e0fb12-07fc-4d76-a22e-37409887afe8',
    '18f5227f-d155-4429-807c-ccb103887537', 'fcba1052-0a50-4cf3-b1ac-fae241edf02f', '4e72dc2d-44c5-4336-9667-f7972e95c402',
    '5226dd80-1e9c-4d8a-b5f9-b26ca4763fd0', 'dbbfd247-c40c-449e-8f6c-d2aa7c7da7cf',
  ]).map((id): Case => ({ id, faults: [
    { label: 'the invalid creation is accepted', faults: refused('POST', LIST, 400, 202, CREATED), says: /should be refused with 400.*got 202/ },
  ] })),
  ...([
    ['f4d7279b-5fd2-4bf2-9ba4-ae35df0d18c5', 'DELETE', SERVER], ['75f79124-277c-45e6-a373-a1d6803f4cc4', 'DELETE', SERVER],
    ['3436b02f-1b1e-4f03-881e-c6a602327439', 'GET', SERVER], ['d4c023a0-9c55-4747-9dd5-413b820143c7', 'POST', ACTION],
    ['98fa0458-1485-440f-873b-fe7f0d714930', 'POST', ACTION], ['d86141a7-906e-4731-b187-d64a2ea61422', 'POST', ACTION],
    ['a31460a9-49e1-42aa-82ee-06e0bb7c2d03', 'POST', ACTION], ['aa8eed43-e2cb-4ebf-930b-da14f6a21d81', 'PUT', SERVER],
  ] as const).map(([id, method, path]): Case => ({ id, faults: [
    { label: `${method} on a missing server answers 400`, faults: refused(method, path, 404, 400), says: /should be refused with 404, got 400/ },
  ] })),
  ...([
    ['ced1a1d7-2ab6-45c9-b90f-b27d87b30efd', 'POST', ACTION], ['45436a7d-a388-4a35-a9d8-3adc5d0d940b', 'POST', ACTION],
    ['5c8e244c-dada-4590-9944-749c455b431f', 'PUT', SERVER], ['38204696-17c6-44da-9590-40f87fb5a899', 'PUT', SERVER],
  ] as const).map(([id, method, path]): Case => ({ id, faults: [
    { label: 'the invalid change is accepted', faults: refused(method, path, 400, 202), says: /should be refused with 400, got 202/ },
  ] })),
  // --- attach volume ---
  { id: '52e9045a-e90d-4c0d-9087-79d657faffff', faults: [
    { label: 'the volume is in-use but its attachments name no server', faults: [edit('GET', CINDER_VOLUME, (b) => { (b['volume'] as Json)['attachments'] = []; })], says: /timed out after \d+ s waiting for volume .* to list an attachment to server .* \(last seen: status in-use, attachments to \[\]\)/ },
    { label: 'the volume is attached to another server', faults: [edit('GET', CINDER_VOLUME, (b) => { for (const a of (b['volume'] as Json)['attachments'] as Json[]) a['server_id'] = randomUUID(); })], says: /waiting for volume .* to list an attachment to server/ },
    { label: 'a show while waiting breaks the volume schema', faults: [edit('GET', CINDER_VOLUME, (b) => { (b['volume'] as Json)['size'] = '1'; })], says: /schema volume\/v3\/show-volume: \/volume\/size must be integer/ },
    { label: 'the create answer breaks the volume schema', faults: [edit('POST', CINDER_VOLUMES, (b) => { delete (b['volume'] as Json)['links']; })], says: /schema volume\/v3\/create-volume: \/volume\/links is required/ },
    { label: 'the volume goes to error', faults: [edit('GET', CINDER_VOLUME, (b) => { (b['volume'] as Json)['status'] = 'error'; })], says: /went to status error/ },
    { label: 'Nova keeps listing the detached volume (Tempest\'s detach cleanup times out)', faults: ghostAttachments(), says: /^cleanup "detach volume .*" failed: timed out after \d+ s waiting for server .* to stop listing volume/ },
    { label: 'attach answers 202', faults: [status('POST', sub('os-volume_attachments'), 202)], says: /expected status 200, got 202/ },
    { label: 'detach answers 204', faults: [status('DELETE', /os-volume_attachments\/[^/]+$/, 204, { times: 1 })], says: /expected status 202, got 204/ },
  ] },
  { id: '7fa563fe-f0f7-43eb-9e22-a1ece036b513', faults: [
    { label: 'show names another server', faults: [edit('GET', /os-volume_attachments\/[^/]+$/, (b) => { (b['volumeAttachment'] as Json)['serverId'] = 'other'; })], says: /serverId/ },
    { label: 'an attachment is listed twice', faults: [edit('GET', sub('os-volume_attachments'), (b) => { const a = b['volumeAttachments'] as Json[]; a.push({ ...a[0] }); })], says: /number of attachments/ },
    { label: 'an additional property on the attachment', faults: [extra('POST', sub('os-volume_attachments'), (b) => b['volumeAttachment'] as Json)], says: /volumeAttachment\/x-vendor-extra is not allowed/ },
  ] },
];

describe('compute checks (in-memory Nova)', function () {
  this.timeout(120_000);
  const saved = polling.initialDelayMs;
  const savedAttachWait = attachWait.timeoutMs;

  before(() => {
    nock.disableNetConnect();
    polling.initialDelayMs = 5;
    attachWait.timeoutMs = 2000;
  });

  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });

  after(() => {
    polling.initialDelayMs = saved;
    attachWait.timeoutMs = savedAttachWait;
    nock.enableNetConnect();
  });

  // the older guidelines' checks have their own suite (older-compute-checks.test.ts)
  const computeIds = registeredChecks().filter((c) => c.test.startsWith('tempest.api.compute.') && !OLDER_COMPUTE_IDS.has(c.id)).map((c) => c.id);

  it('has a check for each of the 81 required compute tests, each with a case here', () => {
    assert.equal(new Set(computeIds).size, 81);
    assert.deepEqual([...new Set(CASES.map((c) => c.id))].sort(), [...computeIds].sort());
  });

  for (const c of CASES) {
    const def = findCheck(c.id);
    const title = def ? def.test.split('.').slice(-2).join('.') : c.id;
    it(`${title}: ${c.conforming ?? 'pass'}es against a conforming Nova and leaves nothing`, async () => {
      const r = await run(c.id, [], c.setup);
      assert.equal(r.status, c.conforming ?? 'pass', r.message);
      if (c.conforming === 'skip') assert.match(r.message, /^needs a data plane: /);
      assert.deepEqual(r.cleanupErrors, []);
      const left = leftovers().filter((l) => l !== 'server seed');
      assert.deepEqual(left, [], 'leftovers');
    });
    for (const f of c.faults) {
      it(`${title}: fails when ${f.label}`, async () => {
        const r = await run(c.id, f.faults, f.setup ?? c.setup);
        assert.equal(r.status, 'fail', `expected fail, got ${r.status}: ${r.message}`);
        assert.match(r.message, f.says);
      });
    }
  }

  describe('class servers shared within a run', () => {
    const CLASSES = [
      { cls: 'ServerMetadataTestJSON', turns: true, ids: ['479da087-92b3-4dcf-aeb3-fd293b2d14ce', '211021f6-21de-4657-a68f-908878cfe251', '344d981e-0c33-4997-8a5d-6c1d803e4134', '3043c57d-7e0e-49a6-9a96-ad569c265e6a', '58c02d4f-5c67-40be-8744-d3fa5982eb1c', '127642d6-4c7b-4486-b7cd-07265a378658'] },
      { cls: 'ImagesOneServerTestJSON', turns: false, ids: ['3731d080-d4c5-4872-b41a-64d0d0021314', '3b7c6fe4-dfe7-477c-9243-b06359db51e6'] },
    ];
    for (const { cls, ids, turns } of CLASSES) {
      it(`${cls}: its ${ids.length} tests, started together, boot one server${turns ? ', take it in turn' : ''}, and the run's end removes it`, async () => {
        let boots = 0;
        // Every request on the server is held a little, so tests acting on it at the
        // same time would undo each other's metadata, or meet Nova's 409 for a second
        // snapshot, and fail: that all pass shows they took it in turn.
        fake = fakeNova([
          { method: 'POST', path: LIST, reply: (r) => { boots++; return r; } },
          { path: /^\/v2\.1\/servers\/[^/]+\/(metadata|action)/, delayMs: 15 },
        ]);
        const client = primary();
        const prefix = newPrefix();
        const results = await Promise.all(ids.map((id) => runCheck(findCheck(id)!, { accounts: { primary: client }, prefix, timeoutMs: 30_000 })));
        assert.deepEqual(results.map((r) => `${r.status} ${r.message}`), ids.map(() => 'pass '));
        assert.equal(boots, 1, 'servers booted');
        assert.deepEqual(await teardownRunFixtures(prefix, client), [], 'fixture teardown');
        assert.deepEqual(leftovers().filter((l) => l !== 'server seed'), [], 'leftovers');
      });
    }
  });
});
