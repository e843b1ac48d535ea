/**
 * Unit tests of the heat-tempest-plugin checks whose stacks boot servers
 * (BasicResourcesTest, ParallelDeploymentsTest): each passes against a
 * conforming fake Heat (with heat-api-cfn and Nova), boots on the run's compute
 * references, writes no signature or EC2 secret into its evidence and leaves no
 * stack, deployment, server or key pair; and fails when one answer is bent away
 * from what the plugin's test asserts — the fault each title names.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/orchestration/scenario.js';
import { DEPLOYMENTS_FAILED_MS } from '../../../capabilities/orchestration/software-config.js';
import { FLOW_WAIT } from '../../../capabilities/orchestration/flow.js';
import { findCheck, registeredChecks, type ComputeReferences } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { EC2_SECRET, fakeHeatDeploy, PROJECT, SIGNATURE, type FakeHeatDeploy, type FakeRequest, type Fault, type Json } from '../../fakes/fake-heat-deploy.js';

const ORIGINS = { heat: 'http://127.0.0.1:48006', cfn: 'http://127.0.0.1:48008', nova: 'http://127.0.0.1:48007' };
const P = `/v1/${PROJECT}`;
const STACK = new RegExp(`^${P}/stacks/[^/]+/[0-9a-f-]{36}$`);
const METADATA = new RegExp(`^${P}/stacks/[^/]+/[0-9a-f-]{36}/resources/server/metadata$`);
const DEPLOYMENTS = new RegExp(`^${P}/software_deployments$`);
const REFS: ComputeReferences = { imageRef: 'image-1', flavorRef: 'flavor-1', flavorRefAlt: 'flavor-2', network: { id: 'net-1', name: 'private' } };

const BASE = 'bd151ea4-2dcd-4440-9bf0-eff63a98e5d4';
const METADATA_TEST = '8ee231ff-f80a-4a17-a860-5cda87e18ad0';
const TIMEOUT_TEST = 'bd539232-b999-4bec-b47d-ff4822fc8b82';

let heat: FakeHeatDeploy;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = [], refs: ComputeReferences = REFS): Promise<HarnessResult> {
  heat = fakeHeatDeploy(ORIGINS, faults);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  const s = nockCloud({ catalog: { orchestration: `${ORIGINS.heat}${P}`, compute: `${ORIGINS.nova}/v2.1` }, projectId: PROJECT });
  sessions.push(s);
  return runCheck(def, { accounts: { primary: s }, timeoutMs: 20_000, computeReferences: refs });
}

function edit(method: string, p: RegExp, change: (body: Json, req: FakeRequest) => void): Fault {
  return {
    method,
    path: p,
    reply: (r, req) => {
      if (r.body === undefined || r.status >= 400 || typeof r.body !== 'object') return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body, req);
      return { ...r, body };
    },
  };
}

const stackOf = (b: Json) => b['stack'] as Json;
const outputsOf = (b: Json) => stackOf(b)['outputs'] as Json[];
const deploymentsOf = (b: Json) => (b['metadata'] as Json)['deployments'] as Json[];
/** The config stacks (not the server's: those have outputs). */
const isConfigStack = (b: Json) => outputsOf(b).length === 0;

interface Case { label: string; faults: () => Fault[]; says: RegExp }

const CASES: Record<string, Case[]> = {
  [BASE]: [
    { label: 'the stack fails to create', faults: () => [edit('GET', STACK, (b) => { stackOf(b)['stack_status'] = 'CREATE_FAILED'; })], says: /CREATE_FAILED/ },
    { label: 'Nova does not know the server Heat reports', faults: () => [{ method: 'GET', path: /^\/v2\.1\/servers\//, reply: () => ({ status: 404, body: { itemNotFound: { code: 404 } } }) }], says: /GET .*\/servers\/.*expected status 200, got 404|expected 200, got 404/ },
    { label: 'Nova answers another server', faults: () => [edit('GET', /^\/v2\.1\/servers\//, (b) => { (b['server'] as Json)['id'] = 'another'; })], says: /server\.id/ },
    { label: "the server_networks output does not name the stack's network", faults: () => [edit('GET', STACK, (b) => { for (const o of outputsOf(b)) o['output_value'] = { 'some-other-net': ['10.0.0.3'] }; })], says: /does not name the stack's network/ },
    { label: 'an output carries output_error', faults: () => [edit('GET', STACK, (b) => { for (const o of outputsOf(b)) o['output_error'] = 'boom'; })], says: /output_error "boom"/ },
    { label: 'the key pair made for the test cannot be deleted', faults: () => [{ method: 'DELETE', path: /^\/v2\.1\/os-keypairs\//, reply: () => ({ status: 500, body: { computeFault: { code: 500 } } }) }], says: /delete keypair/ },
  ],
  [METADATA_TEST]: [
    { label: "the server stack's output is not the server's id", faults: () => [edit('GET', STACK, (b) => { for (const o of outputsOf(b)) o['output_value'] = null; })], says: /outputs\[0\]\.output_value is null/ },
    { label: "the server's metadata has no deployments list", faults: () => [edit('GET', METADATA, (b) => { delete (b['metadata'] as Json)['deployments']; })], says: /metadata\.deployments is missing/ },
    { label: "the server's metadata never lists all 19 deployments", faults: () => [edit('GET', METADATA, (b) => { deploymentsOf(b).splice(18); })], says: /to list 19 deployments.*18 deployments/ },
    { label: 'a deployment has no deploy_signal_id', faults: () => [edit('GET', METADATA, (b) => { const d = deploymentsOf(b)[0]; if (d) d['inputs'] = []; })], says: /deployment 0 has no deploy_signal_id input/ },
    { label: 'the signal URLs carry a signature heat-api-cfn refuses', faults: () => [edit('GET', METADATA, (b) => { for (const d of deploymentsOf(b)) for (const i of d['inputs'] as Json[]) if (i['name'] === 'deploy_signal_id') i['value'] = String(i['value']).replace(/Signature=[^&]*/, 'Signature=forged'); })], says: /to reach CREATE_COMPLETE: CREATE_FAILED/ },
  ],
  [TIMEOUT_TEST]: [
    { label: 'the stack completes though nobody signalled', faults: () => [edit('GET', STACK, (b) => { if (isConfigStack(b) && stackOf(b)['stack_status'] === 'CREATE_FAILED') stackOf(b)['stack_status'] = 'CREATE_COMPLETE'; })], says: /to reach CREATE_FAILED: CREATE_COMPLETE/ },
    { label: 'a deployment stays IN_PROGRESS after its stack timed out', faults: () => [edit('GET', DEPLOYMENTS, (b) => { const d = (b['software_deployments'] as Json[])[0]; if (d) d['status'] = 'IN_PROGRESS'; })], says: /IN_PROGRESS.*expected all FAILED/ },
  ],
};

describe('Orchestration checks booting servers: BasicResourcesTest, ParallelDeploymentsTest (fake Heat, heat-api-cfn, Nova)', function () {
  this.timeout(30_000);
  const patience = FLOW_WAIT.timeoutMs;
  const grace = DEPLOYMENTS_FAILED_MS.value;
  before(() => {
    FLOW_WAIT.timeoutMs = 3000;
    DEPLOYMENTS_FAILED_MS.value = 1000;
  });
  after(() => {
    FLOW_WAIT.timeoutMs = patience;
    DEPLOYMENTS_FAILED_MS.value = grace;
  });
  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });

  it('registers the 3 checks, each declaring that it boots servers', () => {
    const mine = registeredChecks().filter((c) => /\.(BasicResourcesTest|ParallelDeploymentsTest)\./.test(c.test));
    assert.deepEqual(mine.map((c) => c.id).sort(), Object.keys(CASES).sort());
    for (const c of mine) assert.equal(c.needsCompute, true, c.test);
  });

  for (const id of Object.keys(CASES)) {
    const name = (findCheck(id)?.test ?? id).split('.').slice(-2).join('.');
    it(`${name} passes against a conforming Heat on the run's references, records no secret and leaves nothing`, async () => {
      const r = await run(id);
      assert.equal(r.status, 'pass', r.message);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual([...heat.stacks.values()].map((s) => s.name), []);
      assert.equal(heat.deployments.size, 0);
      assert.equal(heat.servers.size, 0);
      assert.equal(heat.keypairs.size, 0);
      assert.ok(r.notes.some((n) => n.includes('image image-1') && n.includes('flavor flavor-1')), r.notes.join('\n'));
      const evidence = JSON.stringify(r.exchanges) + r.notes.join('\n');
      for (const secret of [SIGNATURE, decodeURIComponent(SIGNATURE), EC2_SECRET]) assert.ok(!evidence.includes(secret), `evidence shows ${secret}`);
      if (id !== BASE) assert.ok(r.exchanges.some((x) => /software_deployments|metadata/.test(x.url)));
    });
    for (const c of CASES[id]!) {
      it(`${name} fails when ${c.label}`, async () => {
        const r = await run(id, c.faults());
        assert.equal(r.status, 'fail', `expected a failure, got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
      });
    }
  }

  it("ParallelDeploymentsTest boots its server on the run's image, flavor and network", async () => {
    const seen: Json[] = [];
    const r = await run(TIMEOUT_TEST, [{ method: 'POST', path: new RegExp(`^${P}/stacks$`), reply: (rep, req) => (seen.push((req.body as Json)['parameters'] as Json), rep) }]);
    assert.equal(r.status, 'pass', r.message);
    assert.deepEqual(seen[0], { flavor: 'flavor-1', image: 'image-1', network: 'net-1' });
  });

  it('ParallelDeploymentsTest skips, creating nothing, when the run chose no network', async () => {
    const { network: _none, ...noNetwork } = REFS;
    const r = await run(TIMEOUT_TEST, [], noNetwork);
    assert.equal(r.status, 'skip', r.message);
    assert.match(r.message, /--fixed-network/);
    assert.equal(heat.log.length, 0);
  });

  it('the metadata test signals every deployment once, by POST to its URL', async () => {
    const r = await run(METADATA_TEST);
    assert.equal(r.status, 'pass', r.message);
    assert.equal(heat.log.filter((l) => l.startsWith('cfn POST /v1/signal/')).length, 19);
    assert.ok(r.notes.some((n) => n.includes('signalled 19 deployments: 19× HTTP 200')), r.notes.join('\n'));
  });
});
