/**
 * Unit tests of the volume checks: each of the 55 passes against a conforming
 * (fake) Cinder, leaving nothing behind, and fails when one response is bent
 * away from what Tempest asserts (wrong status, schema violation, wrong state or
 * body).
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/volume/service.js';
import '../../../capabilities/volume/volumes-get.js';
import '../../../capabilities/volume/volumes-list.js';
import '../../../capabilities/volume/volumes-negative.js';
import '../../../capabilities/volume/volumes-actions.js';
import '../../../capabilities/volume/volume-metadata.js';
import '../../../capabilities/volume/snapshot-metadata.js';
import '../../../capabilities/volume/snapshots.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { sweepVolumes } from '../../../src/cleanup/sweepers/volume.js';
import { VolumeClient, volumeBase, volumeRoot } from '../../../src/services/volume.js';
import { runCheck, newPrefix, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeGlance, type FakeGlance } from '../../fakes/fake-glance.js';
import { OLDER_VOLUME_IDS } from './older-ids.js';
import { fakeCinder, PROJECT, type FakeCinder, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-cinder.js';

const ORIGIN = 'http://127.0.0.1:48776';
const GLANCE = 'http://127.0.0.1:49292';
const P = `/v3/${PROJECT}`;
const one = (c: string) => new RegExp(`^${P}/${c}/[0-9a-f-]{36}$`);
const all = (c: string) => new RegExp(`^${P}/${c}$`);
const sub = (c: string, rest: string) => new RegExp(`^${P}/${c}/[0-9a-f-]{36}/${rest}$`);

let cinder: FakeCinder;
let glance: FakeGlance;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = [], opts: { cleanupTimeoutMs?: number; glanceFaults?: Fault[] } = {}): Promise<HarnessResult> {
  nock.cleanAll(); // a fake of an earlier run in the same test must not answer
  glance = fakeGlance(GLANCE, opts.glanceFaults ?? []);
  cinder = fakeCinder(ORIGIN, faults, glance);
  const primary = nockCloud({ catalog: { volumev3: `${ORIGIN}/v3/${PROJECT}`, image: GLANCE }, projectId: PROJECT });
  sessions.push(primary);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  const prefix = newPrefix();
  const result = await runCheck(def, { accounts: { primary }, prefix, timeoutMs: 20_000, ...(opts.cleanupTimeoutMs ? { cleanupTimeoutMs: opts.cleanupTimeoutMs } : {}) });
  // The run's final sweep tears down run-scoped fixtures (the list checks' volumes).
  const failures = await teardownRunFixtures(prefix, primary);
  assert.deepEqual(failures, [], 'fixture teardown failed');
  return result;
}

/** What a run left behind: volumes, snapshots, images other than the fake's public one. */
function leftovers(): string[] {
  const out: string[] = [];
  for (const v of cinder.volumes.values()) out.push(`volume ${String(v.name)} (${String(v.status)})`);
  for (const s of cinder.snapshots.values()) out.push(`snapshot ${String(s.name)} (${String(s.status)})`);
  for (const i of glance.images.values()) if (i.visibility !== 'public') out.push(`image ${String(i.name)}`);
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
      // Only successful answers are bent; errors (e.g. the 404 after a deletion) pass as they are.
      if (r.body === undefined || r.status >= 400 || (opts.when && !opts.when(r, req))) return r;
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
/** A request body's action name (POST /volumes/{id}/action). */
const isAction = (name: string) => (_r: FakeReply, req: FakeRequest) => typeof req.body === 'object' && req.body !== null && name in (req.body as Json);
/** Volume shows report `error` once the volume settled. */
const volumeBreaks = edit('GET', one('volumes'), (b) => { obj(b, 'volume').status = 'error'; }, { when: (r) => (r.body as Json | undefined)?.volume !== undefined && obj(r.body as Json, 'volume').status === 'available' });
const listNoDetail = all('volumes');
const listDetail = all('volumes/detail');
const okVolume = { volume: { id: '00000000-0000-4000-8000-000000000001', name: 'x', status: 'creating', size: 1 } };

interface Case {
  label: string;
  faults: Fault[];
  says: RegExp;
}

const CASES: Record<string, Case[]> = {
  // versions, zones, extensions
  '77838fc4-b49b-4c64-9533-166762517369': [
    { label: 'the versions answer 200', faults: [status('GET', /^\/$/, 200)], says: /expected status 300, got 200/ },
    { label: 'a version lacks min_version', faults: [edit('GET', /^\/$/, (b) => { delete arr(b, 'versions')[0]!.min_version; })], says: /\/versions\/0\/min_version is required/ },
  ],
  '01f1ae88-eba9-4c6b-a011-6f7ace06b725': [
    { label: 'no zone listed', faults: [edit('GET', all('os-availability-zone'), (b) => { b.availabilityZoneInfo = []; })], says: /availabilityZoneInfo is empty/ },
    { label: 'zones not an array', faults: [edit('GET', all('os-availability-zone'), (b) => { b.availabilityZoneInfo = {}; })], says: /availabilityZoneInfo must be array/ },
  ],
  '94607eb0-43a5-47ca-82aa-736b41bd2e2c': [
    { label: 'no Hosts extension', faults: [edit('GET', all('extensions'), (b) => { b.extensions = arr(b, 'extensions').filter((e) => e.name !== 'Hosts'); })], says: /no extension named "Hosts"/ },
    { label: 'an extension lacks updated', faults: [edit('GET', all('extensions'), (b) => { delete arr(b, 'extensions')[0]!.updated; })], says: /\/extensions\/0\/updated is required/ },
  ],
  // create / get / update / delete
  '27fb0e9f-fb64-41dd-8bdb-1ffa762f0d51': [
    { label: 'create answers 200', faults: [status('POST', all('volumes'), 200, { from: 202 })], says: /expected status 202, got 200/ },
    { label: 'the volume goes to error', faults: [volumeBreaks], says: /went to status error/ },
    { label: 'the rename does not show', faults: [edit('GET', one('volumes'), (b) => { obj(b, 'volume').name = 'other'; }, { when: (_r, req) => req.method === 'GET' })], says: /name/ },
    { label: 'update answer lacks bootable', faults: [edit('PUT', one('volumes'), (b) => { delete obj(b, 'volume').bootable; })], says: /schema volume\/v3\/update-volume: \/volume\/bootable is required/ },
  ],
  '54a01030-c7fc-447c-86ee-c1182beae638': [
    { label: 'a volume from an image is not bootable', faults: [edit('GET', one('volumes'), (b) => { obj(b, 'volume').bootable = 'false'; })], says: /bootable: expected "true", got "false"/ },
  ],
  '3f591b4a-7dc6-444c-bd51-77469506b3a1': [
    { label: 'the clone goes to error', faults: [edit('GET', one('volumes'), (b) => { if (obj(b, 'volume').source_volid) obj(b, 'volume').status = 'error'; })], says: /went to status error/ },
    { label: 'metadata is lost', faults: [edit('GET', one('volumes'), (b) => { obj(b, 'volume').metadata = {}; })], says: /metadata/ },
  ],
  // list
  '0b6ddd39-b948-471f-8038-4787978747c4': [
    { label: 'the list misses a volume', faults: [edit('GET', listNoDetail, (b) => { arr(b, 'volumes').pop(); })], says: /not found/ },
    { label: 'a listed volume lacks links', faults: [edit('GET', listNoDetail, (b) => { delete arr(b, 'volumes')[0]!.links; })], says: /\/volumes\/0\/links is required/ },
  ],
  'adcbb5a7-5ad8-4b61-bd10-5380e111a877': [
    { label: 'a detailed volume differs from its show', faults: [edit('GET', listDetail, (b) => { for (const v of arr(b, 'volumes')) v.description = 'changed'; })], says: /listed but differing/ },
    { label: 'size is a string', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes')[0]!.size = '1'; })], says: /\/volumes\/0\/size must be integer/ },
  ],
  'a28e8da4-0b56-472f-87a8-0f4d3f819c02': [
    { label: 'the name filter is ignored', faults: [edit('GET', listNoDetail, (b) => { arr(b, 'volumes').push({ ...arr(b, 'volumes')[0]!, id: '00000000-0000-4000-8000-000000000009' }); })], says: /expected exactly 1 volume/ },
  ],
  '2de3a6d4-12aa-403b-a8f2-fdeb42a89623': [
    { label: 'nothing found by name', faults: [edit('GET', listDetail, (b) => { b.volumes = []; })], says: /expected exactly 1 volume/ },
  ],
  '39654e13-734c-4dab-95ce-7613bf8407ce': [
    { label: 'available volumes are missing', faults: [edit('GET', listNoDetail, (b) => { b.volumes = []; }, { when: (_r, req) => req.query.get('status') === 'available' })], says: /not found/ },
  ],
  '2943f712-71ec-482a-bf49-d5ca06216b9f': [
    { label: 'a listed volume is not available', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes')[0]!.status = 'creating'; })], says: /status of volume/ },
  ],
  'c0cfa863-3020-40d7-b587-e35f597d5d87': [
    { label: 'the zone listing misses volumes', faults: [edit('GET', listNoDetail, (b) => { b.volumes = []; })], says: /not found/ },
  ],
  'e1b80d13-94f0-4ba2-a40e-386af29f8db1': [
    { label: 'a volume of another zone is listed', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes')[0]!.availability_zone = 'elsewhere'; })], says: /zone of volume/ },
  ],
  'b5ebea1b-0603-40a0-bb41-15fcd0a53214': [
    { label: 'the listing answers 400', faults: [status('GET', listNoDetail, 400)], says: /expected status 200, got 400/ },
  ],
  '1ca92d3c-4a8e-4b43-93f5-e4c7fb3b291d': [
    { label: 'a volume without the metadata is listed', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes')[0]!.metadata = {}; })], says: /listed for metadata/ },
  ],
  '777c87c1-2fc4-4883-8b8e-5c0b951d1ec8': [
    { label: 'the list envelope is renamed', faults: [edit('GET', listNoDetail, (b) => { b.items = b.volumes; delete b.volumes; })], says: /\/volumes is required/ },
  ],
  '856ab8ca-6009-4c37-b691-be1065528ad4': [
    { label: 'a volume with another name is listed', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes')[0]!.name = 'other'; })], says: /listed for name/ },
  ],
  '2a7064eb-b9c3-429b-b888-33928fc5edd3': [
    { label: 'limit is ignored', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes').push(arr(b, 'volumes')[0]!); })], says: /expected 2 volumes, got 3/ },
    { label: 'sort_dir is ignored', faults: [edit('GET', listDetail, (b) => { arr(b, 'volumes').reverse(); }, { when: (_r, req) => req.query.get('sort_dir') === 'desc' })], says: /not in desc order/ },
  ],
  'e9138a2c-f67b-4796-8efa-635c196d01de': [
    { label: 'no next link', faults: [edit('GET', listDetail, (b) => { delete b.volumes_links; })], says: /missing link to the next page/ },
    { label: 'the last page still links to a next one', faults: [edit('GET', listDetail, (b, req) => { if (arr(b, 'volumes').length === 0) b.volumes_links = [{ rel: 'next', href: `${ORIGIN}${req.path}?limit=1&marker=x` }]; })], says: /unexpected link to a next page/ },
  ],
  'af55e775-8e4b-4feb-8719-215c43b0238c': [
    { label: 'the next link points elsewhere', faults: [edit('GET', listNoDetail, (b) => { for (const l of arr(b, 'volumes_links') ?? []) l.href = String(l.href).replace('/volumes?', '/other?'); })], says: /pathname of the next link/ },
    { label: 'a page holds two volumes', faults: [edit('GET', listNoDetail, (b) => { arr(b, 'volumes').push(arr(b, 'volumes')[0]!); }, { times: 1 })], says: /expected 1 volume\(s\) on this page, got 2/ },
  ],
  // negative
  'f131c586-9448-44a4-a8b0-54ca838aa43e': [{ label: 'show answers 200', faults: [status('GET', one('volumes'), 200, { body: okVolume })], says: /expected status 404, got 200/ }],
  '555efa6e-efcd-44ef-8a3b-4a7ca4837a29': [{ label: 'delete answers 202', faults: [status('DELETE', one('volumes'), 202, { body: {} })], says: /expected status 404, got 202/ }],
  '1ed83a8a-682d-4dfb-a30e-ee63ffd6c049': [{ label: 'size #$% accepted', faults: [status('POST', all('volumes'), 202, { body: okVolume })], says: /expected status 400, got 202/ }],
  '9387686f-334f-4d31-a439-33494b9e2683': [{ label: 'empty size answers 500', faults: [status('POST', all('volumes'), 500)], says: /expected status 400, got 500/ }],
  '41331caa-eaf4-4001-869d-bc18c1869360': [{ label: 'size 0 answers 404', faults: [status('POST', all('volumes'), 404)], says: /expected status 400, got 404/ }],
  '8b472729-9eba-446e-a83b-916bdb34bef7': [{ label: 'size -1 accepted', faults: [status('POST', all('volumes'), 202, { body: okVolume })], says: /expected status 400, got 202/ }],
  '10254ed8-3849-454e-862e-3ab8e6aa01d2': [{ label: 'unknown type answers 400', faults: [status('POST', all('volumes'), 400)], says: /expected status 404, got 400/ }],
  '0c36f6ae-4604-4017-b0a9-34fdc63096f9': [{ label: 'unknown snapshot answers 400', faults: [status('POST', all('volumes'), 400)], says: /expected status 404, got 400/ }],
  '47c73e08-4be8-45bb-bfdf-0c4e79b88344': [{ label: 'unknown source accepted', faults: [status('POST', all('volumes'), 202, { body: okVolume })], says: /expected status 404, got 202/ }],
  '0186422c-999a-480e-a026-6a665744c30c': [{ label: 'update answers 400', faults: [status('PUT', one('volumes'), 400)], says: /expected status 404, got 400/ }],
  'e66e40d6-65e6-4e75-bdc7-636792fa152d': [{ label: 'update of an invalid id answers 400', faults: [status('PUT', /volumes\/invalid-/, 400)], says: /expected status 404, got 400/ }],
  '72aeca85-57a5-4c1f-9057-f320f9ea575b': [{ label: 'PUT volumes/ answers 405', faults: [status('PUT', /\/volumes\/$/, 405)], says: /expected status 404, got 405/ }],
  '30799cfd-7ee4-446c-b66c-45b383ed211b': [{ label: 'show of an invalid id answers 400', faults: [status('GET', /volumes\/invalid-/, 400)], says: /expected status 404, got 400/ }],
  'c6c3db06-29ad-4e91-beb0-2ab195fe49e3': [{ label: 'GET volumes/ lists', faults: [status('GET', /\/volumes\/$/, 200, { body: { volumes: [] } })], says: /expected status 404, got 200/ }],
  '1f035827-7c32-4019-9240-b4ec2dbd9dfd': [{ label: 'delete of an invalid id answers 400', faults: [status('DELETE', /volumes\/invalid-/, 400)], says: /expected status 404, got 400/ }],
  '441a1550-5d44-4b30-af0f-a6d402f52026': [{ label: 'DELETE volumes/ answers 405', faults: [status('DELETE', /\/volumes\/$/, 405)], says: /expected status 404, got 405/ }],
  '0f4aa809-8c7b-418f-8fb3-84c7a5dfc52f': [{ label: 'a volume is listed', faults: [edit('GET', listNoDetail, (b) => { b.volumes = [{ id: 'v1', name: 'n', links: [] }]; })], says: /expected no volumes, got 1/ }],
  '9ca17820-a0e7-4cbd-a7fa-f4468735e359': [{ label: 'the listing answers 500', faults: [status('GET', listDetail, 500)], says: /expected status 200, got 500/ }],
  '143b279b-7522-466b-81be-34a87d564a7c': [{ label: 'a volume is listed', faults: [edit('GET', listNoDetail, (b) => { b.volumes = [{ id: 'v1', name: 'n', links: [] }]; })], says: /expected no volumes, got 1/ }],
  'ba94b27b-be3f-496c-a00e-0283b373fa75': [{ label: 'status=null answers 400', faults: [status('GET', listDetail, 400)], says: /expected status 200, got 400/ }],
  // actions
  '63e21b4c-0a0c-41f6-bfc3-7c2816815599': [
    { label: 'set bootable answers 202', faults: [status('POST', sub('volumes', 'action'), 202, { from: 200 })], says: /expected status 200, got 202/ },
    { label: 'set bootable answers with a body', faults: [withBody('POST', sub('volumes', 'action'), { bootable: true }, isAction('os-set_bootable'))], says: /expected no response body, got "\{\\"bootable\\":true\}"/ },
    { label: 'bootable stays false', faults: [edit('GET', one('volumes'), (b) => { obj(b, 'volume').bootable = 'false'; })], says: /bootable after setting it to true/ },
  ],
  'fff74e1e-5bd3-4b33-9ea9-24c103bc3f59': [
    { label: 'readonly answers 200', faults: [status('POST', sub('volumes', 'action'), 200, { from: 202 })], says: /expected status 202, got 200/ },
    { label: 'readonly answers with a body', faults: [withBody('POST', sub('volumes', 'action'), {}, isAction('os-update_readonly_flag'))], says: /os-update_readonly_flag|expected no response body, got "\{\}"/ },
    { label: 'readonly is a boolean', faults: [edit('GET', one('volumes'), (b) => { const m = obj(obj(b, 'volume'), 'metadata'); if ('readonly' in m) m.readonly = m.readonly === 'True'; })], says: /metadata\.readonly/ },
  ],
  'd8f1ca95-3d5b-44a3-b8ca-909691c9532d': [
    { label: 'upload answers 200', faults: [status('POST', sub('volumes', 'action'), 200, { from: 202 })], says: /expected status 202, got 200/ },
    { label: 'the volume goes to error after the upload', faults: [edit('GET', one('volumes'), (b) => { obj(b, 'volume').status = 'error'; }, { when: () => cinderUploaded() })], says: /volume .* went to status error/ },
    { label: 'the image is killed', faults: [{ method: 'POST', path: sub('volumes', 'action'), reply: (r, req) => { if (isAction('os-volume_upload_image')(r, req)) killImages(); return r; } }], says: /went to status killed/ },
  ],
  // metadata
  '6f5b125b-f664-44bf-910f-751591fe5769': [
    { label: 'PUT metadata merges', faults: [edit('PUT', sub('volumes', 'metadata'), (b) => { obj(b, 'metadata').key2 = 'value2'; })], says: /metadata in the answer/ },
    { label: 'item delete answers 204', faults: [status('DELETE', sub('volumes', 'metadata/key1'), 204)], says: /expected status 200, got 204/ },
    { label: 'item delete answers with a body', faults: [withBody('DELETE', sub('volumes', 'metadata/key1'), { metadata: {} })], says: /DELETE .*\/metadata\/key1: expected no response body/ },
  ],
  '862261c5-8df4-475a-8c21-946e50e36a20': [
    { label: 'item show returns all keys', faults: [edit('GET', sub('volumes', 'metadata/key3'), (b) => { obj(b, 'meta').key1 = 'value1'; })], says: /meta/ },
    { label: 'meta is a list', faults: [edit('PUT', sub('volumes', 'metadata/key3'), (b) => { b.meta = ['key3']; })], says: /\/meta must be object/ },
  ],
  'a2f20f99-e363-4584-be97-bc33afb1a56c': [
    { label: 'snapshot goes to error', faults: [edit('GET', one('snapshots'), (b) => { obj(b, 'snapshot').status = 'error'; })], says: /snapshot .* went to status error/ },
    { label: 'key3 survives its deletion', faults: [edit('GET', sub('snapshots', 'metadata'), (b) => { obj(b, 'metadata').key3 = 'value3_update'; }, { when: () => cinder.log.some((l) => l.startsWith('DELETE') && l.endsWith('/metadata/key3')) })], says: /key3 still present/ },
    { label: 'a metadata value is a number', faults: [edit('GET', sub('snapshots', 'metadata'), (b) => { obj(b, 'metadata').key1 = 1; })], says: /\/metadata\/key1 must be string/ },
    { label: 'item delete answers with a body', faults: [withBody('DELETE', sub('snapshots', 'metadata/key3'), { metadata: {} })], says: /DELETE .*\/metadata\/key3: expected no response body/ },
  ],
  'e8ff85c5-8f97-477f-806a-3ac364a949ed': [
    { label: 'item update answers 201', faults: [status('PUT', sub('snapshots', 'metadata/key3'), 201)], says: /expected status 200, got 201/ },
    { label: 'item show lacks meta', faults: [edit('GET', sub('snapshots', 'metadata/key3'), (b) => { b.metadata = b.meta; delete b.meta; })], says: /\/meta is required/ },
  ],
  'bd2363bc-de92-48a4-bc98-28943c6e4be1': [
    { label: 'PUT metadata keeps old keys', faults: [edit('GET', sub('snapshots', 'metadata'), (b) => { const m = obj(b, 'metadata'); if (m.key4) m.key1 = 'value1'; })], says: /after replacing it/ },
  ],
  // snapshots
  '2a8abbe4-d871-46db-b049-c41f5af8216e': [
    { label: 'snapshot not listed', faults: [edit('GET', all('snapshots'), (b) => { b.snapshots = []; })], says: /is not listed/ },
    { label: 'show lacks progress', faults: [edit('GET', one('snapshots'), (b) => { delete obj(b, 'snapshot')['os-extended-snapshot-attributes:progress']; })], says: /progress is required/ },
    { label: 'snapshot delete answers 204', faults: [status('DELETE', one('snapshots'), 204, { times: 1 })], says: /expected status 202, got 204/ },
    { label: 'snapshot delete answers with a body', faults: [withBody('DELETE', one('snapshots'), { snapshot: {} })], says: /DELETE .*\/snapshots\/[0-9a-f-]{36}: expected no response body/ },
    { label: 'the snapshot has another size', faults: [edit('GET', one('snapshots'), (b) => { obj(b, 'snapshot').size = 7; })], says: /size/ },
  ],
  '677863d1-3142-456d-b6ac-9924f667a7f4': [
    { label: 'the new volume keeps the snapshot size', faults: [edit('GET', one('volumes'), (b) => { if (obj(b, 'volume').snapshot_id) obj(b, 'volume').size = 1; })], says: /size: expected 2, got 1/ },
    { label: 'snapshot_id is dropped', faults: [edit('GET', one('volumes'), (b) => { obj(b, 'volume').snapshot_id = null; })], says: /snapshot_id/ },
  ],
  '59f41f43-aebf-48a9-ab5d-d76340fab32b': [
    { label: 'the name filter is ignored', faults: [edit('GET', all('snapshots'), (b) => { for (const s of arr(b, 'snapshots')) s.name = 'other'; })], says: /name of snapshot/ },
  ],
  '220a1022-1fcd-4a74-a7bd-6b859156cda2': [
    { label: 'status filter lists a creating snapshot', faults: [edit('GET', all('snapshots/detail'), (b) => { for (const s of arr(b, 'snapshots')) s.status = 'creating'; })], says: /status of snapshot/ },
    { label: 'detail lacks project_id', faults: [edit('GET', all('snapshots/detail'), (b) => { for (const s of arr(b, 'snapshots')) delete s['os-extended-snapshot-attributes:project_id']; })], says: /project_id is required/ },
  ],
  'e3e466af-70ab-4f4b-a967-ab04e3532ea7': [{ label: 'snapshot of a missing volume answers 400', faults: [status('POST', all('snapshots'), 400)], says: /expected status 404, got 400/ }],
  'bb9da53e-d335-4309-9c15-7e76fd5e4d6d': [{ label: 'snapshot without volume answers 400', faults: [status('POST', all('snapshots'), 400)], says: /expected status 404, got 400/ }],
};

/** Replies of a bodiless operation that carry a body anyway (Tempest's schema has none for them). */
function withBody(method: string, path: RegExp, body: unknown, when?: (r: FakeReply, req: FakeRequest) => boolean): Fault {
  return { method, path, times: 1, reply: (r, req) => (r.status < 300 && (!when || when(r, req)) ? { ...r, body } : r) };
}

/** Once a volume's DELETE is accepted, its show keeps answering it in `status` (`deleting`: never gone). */
function deletionStuck(status: string): Fault[] {
  const deleted = new Set<string>();
  const idOf = (req: FakeRequest) => req.path.split('/').pop()!;
  return [
    { method: 'DELETE', path: one('volumes'), reply: (r, req) => { if (r.status === 202) deleted.add(idOf(req)); return r; } },
    { method: 'GET', path: one('volumes'), reply: (r, req) => (deleted.has(idOf(req)) ? { status: 200, body: { volume: { id: idOf(req), status } } } : r) },
  ];
}

// Helpers for stateful faults.
function cinderUploaded(): boolean {
  return cinder.log.some((l) => l.startsWith('POST') && l.endsWith('/action')) && glance.images.size > 1;
}
function killImages(): void {
  // The fault edits the upload's reply, so the handler has already created the image:
  // killed at once, before the check can read it (a later kill raced the first GET).
  const kill = () => {
    for (const i of glance.images.values()) if (i.visibility !== 'public') i.status = 'killed';
  };
  kill();
  setImmediate(kill);
}

describe('volume checks (fake Cinder)', function () {
  this.timeout(60_000);

  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });

  // the older guidelines' checks have their own suite (older-volume-checks.test.ts)
  const volumeChecks = () => registeredChecks().filter((c) => c.test.startsWith('tempest.api.volume.') && !OLDER_VOLUME_IDS.has(c.id));

  it('registers 55 checks, each with fault cases', () => {
    const ids = volumeChecks().map((c) => c.id).sort();
    assert.equal(ids.length, 55);
    assert.deepEqual(ids, Object.keys(CASES).sort());
  });

  for (const id of Object.keys(CASES)) {
    const name = findCheck(id)?.test.split('.').slice(-2).join('.') ?? id;
    it(`${name} passes against a conforming Cinder and leaves nothing`, async () => {
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
        assert.deepEqual(r.cleanupErrors, []);
        assert.deepEqual(leftovers(), []);
      });
    }
  }

  describe('deletions Tempest asserts in test-level cleanups fail the check; class-level ones do not', () => {
    const asserted: Record<string, string> = {
      '27fb0e9f-fb64-41dd-8bdb-1ffa762f0d51': 'test_volume_create_get_update_delete',
      '3f591b4a-7dc6-444c-bd51-77469506b3a1': 'test_volume_create_get_update_delete_as_clone',
      '677863d1-3142-456d-b6ac-9924f667a7f4': 'test_volume_from_snapshot',
    };
    for (const [id, title] of Object.entries(asserted)) {
      it(`${title} fails when its volume goes to error_deleting, is never deleted, or its DELETE is refused`, async () => {
        const broken = await run(id, deletionStuck('error_deleting'));
        assert.equal(broken.status, 'fail', broken.message);
        assert.match(broken.message, /^cleanup "delete volume [0-9a-f-]{36}" failed: waiting for volume .* to be deleted: volume .* is in status error_deleting/);
        const never = await run(id, deletionStuck('deleting'), { cleanupTimeoutMs: 1500 });
        assert.equal(never.status, 'fail', never.message);
        assert.match(never.message, /^cleanup "delete volume [0-9a-f-]{36}" failed: took longer than 1500 ms/);
        const refused = await run(id, [status('DELETE', one('volumes'), 500, { from: 202, times: 1 })]);
        assert.equal(refused.status, 'fail', refused.message);
        assert.match(refused.message, /DELETE volume [0-9a-f-]{36}: expected status 202, got 500/);
      });
    }

    it('test_volume_bootable still passes when its volume (a class-level resource in Tempest) cannot be deleted; the failure is noted', async () => {
      const r = await run('63e21b4c-0a0c-41f6-bfc3-7c2816815599', deletionStuck('error_deleting'));
      assert.equal(r.status, 'pass', r.message);
      assert.match(r.cleanupErrors.join('\n'), /error_deleting/);
    });

    it('test_volume_upload fails when the uploaded image cannot be deleted', async () => {
      const r = await run('d8f1ca95-3d5b-44a3-b8ca-909691c9532d', [], { glanceFaults: [{ method: 'DELETE', path: /^\/v2\/images\/[^/]+$/, reply: () => ({ status: 409 }) }] });
      assert.equal(r.status, 'fail', r.message);
      assert.match(r.message, /cleanup "delete image .*" failed: DELETE image .*: expected status 204, got 409/);
    });
  });

  it('a create refused for quota (413) is retried and noted, not failed', async () => {
    const overLimit: Fault = {
      method: 'POST',
      path: all('volumes'),
      times: 1,
      // As if the volume had not been created: the fake forgets it and answers 413.
      reply: (r) => {
        cinder.volumes.delete(String(obj(r.body as Json, 'volume').id));
        return { status: 413, body: { overLimit: { code: 413, message: 'VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded' } } };
      },
    };
    const r = await run('63e21b4c-0a0c-41f6-bfc3-7c2816815599', [overLimit]);
    assert.equal(r.status, 'pass', r.message);
    assert.ok(r.notes.some((n) => /refused for quota \(413\) 1 time/.test(n)), r.notes.join('; '));
    assert.deepEqual(leftovers(), []);
  });

  it('sweepVolumes removes the prefixed snapshots and volumes (named, or unnamed with a prefixed description), nothing else', async () => {
    glance = fakeGlance(GLANCE);
    cinder = fakeCinder(ORIGIN, [], glance);
    const primary = nockCloud({ catalog: { 'block-storage': `${ORIGIN}/v3/${PROJECT}`, image: GLANCE }, projectId: PROJECT });
    sessions.push(primary);
    const api = new VolumeClient(primary);
    const prefix = newPrefix();
    const mk = async (fields: Record<string, unknown>) => (await api.createVolume({ size: 1, ...fields })).body.volume.id;
    const a = await mk({ name: `${prefix}volume-a` });
    await mk({ description: `${prefix}@#$ description` });
    const other = await mk({ name: 'someone-else' });
    await api.showVolume(a);
    await api.createSnapshot({ volume_id: a, name: `${prefix}snapshot-a` });
    const removed = await sweepVolumes(primary, prefix);
    assert.equal(removed.length, 3, removed.join('; '));
    const live = (m: Map<string, Json>) => [...m.values()].filter((x) => x._settle !== 'gone').map((x) => x.id);
    assert.deepEqual(live(cinder.volumes), [other]);
    assert.deepEqual(live(cinder.snapshots), []);
  });
});

describe('volume endpoint bases', () => {
  it('turns catalog endpoints into v3 bases and version roots', () => {
    assert.equal(volumeBase('http://127.0.0.1:8776/v3/p1', 'p1'), 'http://127.0.0.1:8776/v3/p1');
    assert.equal(volumeBase('http://127.0.0.1:8776/v2/p1', 'p1'), 'http://127.0.0.1:8776/v3/p1');
    assert.equal(volumeBase('http://127.0.0.1:8776/', 'p1'), 'http://127.0.0.1:8776/v3/p1');
    assert.equal(volumeBase('http://127.0.0.1/volume/v3/p1', 'p1'), 'http://127.0.0.1/volume/v3/p1');
    assert.equal(volumeRoot('http://127.0.0.1:8776/v3/p1'), 'http://127.0.0.1:8776/');
    assert.equal(volumeRoot('http://127.0.0.1/volume/v3/p1'), 'http://127.0.0.1/volume/');
  });
});
