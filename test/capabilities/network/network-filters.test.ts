/**
 * Unit tests: the network listing checks whose filter Tempest can only see
 * ignored when other resources happen to exist fail, every run, on a Neutron that
 * ignores the filter in a project holding nothing but the check's own resources.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/network/networks.js';
import '../../../capabilities/network/ports.js';
import { findCheck } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { ADMIN_PROJECT, fakeNeutron, PROJECT, type FakeNeutron, type Fault, type Json } from '../../fakes/fake-neutron.js';

const ORIGIN = 'http://127.0.0.1:9696';
const RUNS = 20;

let fake: FakeNeutron;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  fake = fakeNeutron(ORIGIN, faults);
  const primary = nockCloud({ catalog: { network: ORIGIN }, projectId: PROJECT });
  const admin = nockCloud({
    authUrl: 'http://127.0.0.1:45001/v3', cloudName: 'nock-admin', catalog: { network: ORIGIN }, projectId: ADMIN_PROJECT, roles: ['admin'],
  });
  sessions.push(primary, admin);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  return runCheck(def, { accounts: { primary, admin }, timeoutMs: 15_000 });
}

/** A Neutron listing `collection` unfiltered (every stored item) whenever `param` is in the query. */
function ignoring(collection: 'ports' | 'networks', param: string): Fault {
  return {
    method: 'GET',
    path: new RegExp(`^/v2\\.0/${collection}$`),
    reply: (r, req) => {
      if (r.status !== 200 || !req.query.has(param)) return r;
      const items = [...(collection === 'ports' ? fake.ports : fake.networks).values()] as Json[];
      return { ...r, body: { [collection]: items } };
    },
  };
}

const CASES: Array<{ id: string; title: string; fault: () => Fault; says: RegExp }> = [
  {
    id: '5ad01ed0-0e6e-4c5d-8194-232801b15c72',
    title: 'test_port_list_filter_by_router_id fails when device_id is ignored',
    fault: () => ignoring('ports', 'device_id'),
    says: /ports listed: expected \["[^"]+"\], got \["[^"]+","[^"]+"\]/,
  },
  {
    id: 'af774677-42a9-4e4b-bb58-16fe6a5bc1ec',
    title: 'test_external_network_visibility fails when router:external is ignored',
    fault: () => ignoring('networks', 'router:external'),
    says: /lists non-external networks/,
  },
];

describe('network listing filters ignored, project holding only the check\'s resources (nock, fake Neutron)', function () {
  this.timeout(30_000);
  before(() => nock.disableNetConnect());
  afterEach(() => {
    for (const s of sessions) s.close();
    sessions = [];
    nock.cleanAll();
  });
  after(() => nock.enableNetConnect());

  for (const c of CASES) {
    it(`${c.title.split(' fails')[0]} passes on a conforming Neutron`, async () => {
      const outcome = await run(c.id);
      assert.equal(outcome.status, 'pass', outcome.message);
      assert.deepEqual(outcome.cleanupErrors, []);
    });
    for (let i = 1; i <= RUNS; i++) {
      it(`${c.title} (run ${i}/${RUNS})`, async () => {
        const outcome = await run(c.id, [c.fault()]);
        assert.equal(outcome.status, 'fail', `expected fail, got ${outcome.status}: ${outcome.message}`);
        assert.match(outcome.message, c.says);
      });
    }
  }
});
