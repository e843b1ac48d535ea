/**
 * Unit tests of the volume checks only the guidelines 2016.08 … 2018.02 require:
 * Cinder's own reserve/unreserve/attach/detach actions, the VolumesV2 metadata
 * update, and their negatives. Each passes against a conforming in-memory
 * Cinder (with an in-memory Nova for the server the attachments name) leaving
 * nothing, and fails on the bent response its title names.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/volume/volumes-attach-legacy.js';
import '../../../capabilities/volume/volumes-negative.js';
import '../../../capabilities/volume/volume-metadata.js';
import { polling } from '../../../capabilities/compute/steps.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { newPrefix, runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeNova, GLANCE, NEUTRON, NOVA, type FakeNova } from '../../fakes/fake-nova.js';
import { fakeCinder, PROJECT, type FakeCinder, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-cinder.js';
import { OLDER_VOLUME_IDS } from './older-ids.js';

const ORIGIN = 'http://127.0.0.1:48777';
const P = `/v3/${PROJECT}`;
const ONE = new RegExp(`^${P}/volumes/[0-9a-f-]{36}$`);
const ACTION = new RegExp(`^${P}/volumes/[^/]+/action$`);
const METADATA = new RegExp(`^${P}/volumes/[0-9a-f-]{36}/metadata$`);

let cinder: FakeCinder;
let nova: FakeNova;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  nova = fakeNova();
  cinder = fakeCinder(ORIGIN, faults);
  const primary = nockCloud({ catalog: { compute: `${NOVA}/v2.1`, image: GLANCE, network: NEUTRON, 'block-storage': `${ORIGIN}${P}` }, projectId: PROJECT });
  sessions.push(primary);
  const prefix = newPrefix();
  const result = await runCheck(findCheck(id)!, { accounts: { primary }, prefix, timeoutMs: 30_000 });
  assert.deepEqual(await teardownRunFixtures(prefix, primary), [], 'fixture teardown');
  return result;
}

function leftovers(): string[] {
  const out: string[] = [];
  for (const v of cinder.volumes.values()) out.push(`volume ${String(v.name)} (${String(v.status)})`);
  for (const s of nova.servers.values()) if (!s.deleting) out.push(`server ${s.name}`);
  return out;
}

const isAction = (name: string) => (req: FakeRequest) => typeof req.body === 'object' && req.body !== null && name in (req.body as Json);

/** Replaces the status of the answers to one volume action. */
function actionStatus(name: string, code: number): Fault {
  return { method: 'POST', path: ACTION, reply: (r, req) => (isAction(name)(req) ? { ...r, status: code } : r) };
}

/** Edits volume shows (a deep copy) when `when` holds. */
function showEdit(change: (v: Json) => void, when: (v: Json) => boolean): Fault {
  return {
    method: 'GET',
    path: ONE,
    reply: (r: FakeReply) => {
      const v = (r.body as { volume?: Json } | undefined)?.volume;
      if (r.status !== 200 || !v || !when(v)) return r;
      const copy = JSON.parse(JSON.stringify(v)) as Json;
      change(copy);
      return { ...r, body: { volume: copy } };
    },
  };
}

const attachments = (v: Json) => (v.attachments as Json[] | undefined) ?? [];

interface Case {
  label: string;
  faults: () => Fault[];
  says: RegExp;
}

const CASES: Record<string, Case[]> = {
  'fff42874-7db5-4487-a8e1-ddda5fb5288d': [
    { label: 'os-attach answers 200', faults: () => [actionStatus('os-attach', 200)], says: /expected status 202, got 200/ },
    { label: 'the attached volume goes to error', faults: () => [showEdit((v) => { v.status = 'error'; }, (v) => v.status === 'in-use')], says: /went to status error/ },
    { label: 'os-detach answers 200', faults: () => [actionStatus('os-detach', 200)], says: /expected status 202, got 200/ },
  ],
  '9516a2c8-9135-488c-8dd6-5677a7e5f371': [
    { label: 'the attachment names another device', faults: () => [showEdit((v) => { attachments(v)[0]!.device = '/dev/vdz'; }, (v) => attachments(v).length > 0)], says: /attachments\[0\]\.device/ },
    { label: 'the attachment names another server', faults: () => [showEdit((v) => { attachments(v)[0]!.server_id = 'other'; }, (v) => attachments(v).length > 0)], says: /attachments\[0\]\.server_id/ },
    { label: 'the attachment id is not the volume id', faults: () => [showEdit((v) => { attachments(v)[0]!.id = 'other'; }, (v) => attachments(v).length > 0)], says: /attachments\[0\]\.id/ },
    { label: 'no attachment is shown', faults: () => [showEdit((v) => { v.attachments = []; }, (v) => v.status === 'in-use')], says: /no attachments after os-attach/ },
  ],
  '92c4ef64-51b2-40c0-9f7e-4749fbaaba33': [
    { label: 'os-reserve answers 200', faults: () => [actionStatus('os-reserve', 200)], says: /expected status 202, got 200/ },
    { label: 'the reserved volume shows available', faults: () => [showEdit((v) => { v.status = 'available'; }, (v) => v.status === 'attaching')], says: /after os-reserve is "available"/ },
    {
      label: 'the unreserved volume still shows attaching',
      faults: () => {
        let unreserved = false;
        return [
          { method: 'POST', path: ACTION, reply: (r, req) => { if (isAction('os-unreserve')(req)) unreserved = true; return r; } },
          showEdit((v) => { v.status = 'attaching'; }, () => unreserved),
        ];
      },
      says: /after os-unreserve is "attaching"/,
    },
  ],
  '774d2918-9beb-4f30-b3d1-2a4e8179ec0a': [
    { label: 'PUT metadata merges instead of replacing', faults: () => [{ method: 'GET', path: METADATA, reply: (r) => { const m = (r.body as { metadata?: Json } | undefined)?.metadata; return m && m.key4 ? { ...r, body: { metadata: { ...m, key2: 'value2' } } } : r; } }], says: /after replacing it/ },
    { label: 'PUT metadata answers 202', faults: () => [{ method: 'PUT', path: METADATA, reply: (r) => ({ ...r, status: 202 }) }], says: /expected status 200, got 202/ },
  ],
  'ac6084c0-0546-45f9-b284-38a367e0e0e2': [{ label: 'reserving a missing volume answers 400', faults: () => [{ method: 'POST', path: ACTION, reply: (r) => ({ ...r, status: 400 }) }], says: /expected status 404, got 400/ }],
  'eb467654-3dc1-4a72-9b46-47c29d22654c': [{ label: 'unreserving a missing volume answers 202', faults: () => [{ method: 'POST', path: ACTION, reply: (r) => ({ status: 202, body: r.body }) }], says: /expected status 404, got 202/ }],
  '9f9c24e4-011d-46b5-b992-952140ce237a': [{ label: 'detaching volume "xxx" answers 400', faults: () => [{ method: 'POST', path: ACTION, reply: (r) => ({ ...r, status: 400 }) }], says: /expected status 404, got 400/ }],
  '449c4ed2-ecdd-47bb-98dc-072aeccf158c': [
    {
      label: 'a second os-reserve is accepted',
      faults: () => {
        let reserves = 0;
        return [{ method: 'POST', path: ACTION, reply: (r, req) => (isAction('os-reserve')(req) && ++reserves === 2 ? { status: 202 } : r) }];
      },
      says: /expected status 400, got 202/,
    },
    { label: 'os-unreserve answers 200', faults: () => [actionStatus('os-unreserve', 200)], says: /expected status 202, got 200/ },
  ],
  'f5e56b0a-5d02-43c1-a2a7-c9b792c2e3f6': [{ label: 'attaching a missing volume answers 400', faults: () => [{ method: 'POST', path: ACTION, reply: (r) => ({ ...r, status: 400 }) }], says: /expected status 404, got 400/ }],
};

describe('volume checks of the older guidelines (in-memory Cinder and Nova)', function () {
  this.timeout(60_000);
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

  it('every check listed here is registered, and every case has one', () => {
    const registered = registeredChecks().map((c) => c.id).filter((id) => OLDER_VOLUME_IDS.has(id));
    assert.deepEqual(registered.sort(), [...OLDER_VOLUME_IDS].sort());
    assert.deepEqual(Object.keys(CASES).sort(), [...OLDER_VOLUME_IDS].sort());
  });

  for (const [id, cases] of Object.entries(CASES)) {
    const name = findCheck(id)?.test.split('.').slice(-2).join('.') ?? id;
    it(`${name} passes against a conforming Cinder and leaves nothing`, async () => {
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
        assert.deepEqual(leftovers(), []);
      });
    }
  }
});
