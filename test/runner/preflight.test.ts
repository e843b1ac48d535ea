/**
 * The preflight before a run that boots servers: it reads flavors, images,
 * networks and limits (boots nothing), prints each reference with why, refuses a
 * cloud that cannot host the run (one line, CloudError → exit 2), and the checks
 * receive the references through their context.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { registerCheck, type ComputeReferences } from '../../src/check/api.js';
import { executeTest } from '../../src/runner/execute.js';
import { fitLingering, needsCompute, peakServers, prepareCompute, quotaNeed, quotaShortfall, serverTests, SHARED_SERVERS, sharedServers } from '../../src/runner/preflight.js';
import type { SelectedTest } from '../../src/guideline/select.js';
import { nockCloud } from '../helpers/cloud.js';
import { runCli } from '../helpers/cli.js';

const NOVA = 'http://127.0.0.1:48774';
const GLANCE = 'http://127.0.0.1:48292';
const NEUTRON = 'http://127.0.0.1:48696';
const CATALOG = { compute: `${NOVA}/v2.1`, image: GLANCE, network: NEUTRON };

const FLAVORS = [
  { id: '10', name: 'v1.zero', ram: 64, vcpus: 1, disk: 0, links: [] },
  { id: '42', name: 'm1.nano', ram: 128, vcpus: 1, disk: 1, links: [] },
  { id: '84', name: 'm1.micro', ram: 192, vcpus: 1, disk: 1, links: [] },
];
const IMAGES = [
  { id: 'i-iso', name: 'live.iso', status: 'active', visibility: 'public', disk_format: 'iso', container_format: 'bare', size: 1024, min_disk: 0, min_ram: 0 },
  { id: 'i-ok', name: 'cirros', status: 'active', visibility: 'public', disk_format: 'qcow2', container_format: 'bare', size: 1024, min_disk: 0, min_ram: 0 },
];
const NETWORKS = [{ id: 'n1', name: 'public', status: 'ACTIVE', shared: true, subnets: ['s1'], 'router:external': true, project_id: 'admin' }];

function mockCloud(limits: Record<string, number> | number): void {
  nock(NOVA).get('/v2.1/flavors/detail').query(true).reply(200, { flavors: FLAVORS });
  nock(GLANCE).get('/v2/images').query(true).reply(200, { images: IMAGES });
  nock(NEUTRON).get('/v2.0/networks').query(true).reply(200, { networks: NETWORKS });
  if (typeof limits === 'number') nock(NOVA).get('/v2.1/limits').reply(limits, { error: 'nope' });
  else nock(NOVA).get('/v2.1/limits').reply(200, { limits: { absolute: limits, rate: [] } });
}

const ROOMY = { maxTotalInstances: 12, totalInstancesUsed: 0, maxTotalCores: 20, totalCoresUsed: 0, maxTotalRAMSize: 51200, totalRAMUsed: 0 };

describe('runner: compute preflight', () => {
  afterEach(() => nock.cleanAll());

  it('prints each reference with why, then the quota check; zero-disk and unbootable ones passed over', async () => {
    mockCloud(ROOMY);
    let err = '';
    const r = await prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 4, computeTests: 50, err: (t) => (err += t) });
    assert.deepEqual(r.refs, { imageRef: 'i-ok', flavorRef: '42', flavorRefAlt: '84', network: { id: 'n1', name: 'public' } });
    const lines = err.trimEnd().split('\n');
    assert.equal(lines.length, 6, err);
    assert.match(lines[0]!, /^defcore: compute image_ref: cirros \(i-ok\): discovered: .*live\.iso \(disk format iso\)/);
    assert.match(lines[2]!, /^defcore: compute flavor_ref: m1\.nano \(42\): discovered: .*v1\.zero \(zero disk/);
    assert.match(lines[5]!, /^defcore: preflight: quota allows the 12 servers, 12 cores and 1664 MB RAM the run may hold at once$/);
    assert.equal(r.concurrency, 4);
  });

  it('runs at a lower concurrency when the quota cannot hold the peak of the requested one, saying so', async () => {
    mockCloud({ ...ROOMY, totalInstancesUsed: 3 });
    let err = '';
    const r = await prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 4, computeTests: 50, err: (t) => (err += t) });
    assert.equal(r.concurrency, 1, '9 free servers: 1 running test + 1 + 7 shared');
    assert.match(err, /preflight: quota allows the 9 servers.*running at concurrency 1 instead of 4/);
  });

  it('refuses when the quota cannot host the run even one test at a time, saying what to change', async () => {
    mockCloud({ ...ROOMY, totalInstancesUsed: 4 });
    await assert.rejects(
      prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 4, computeTests: 50, err: () => undefined }),
      (e: Error) => e.name === 'CloudError' && /^preflight: .*too small for the run even at --concurrency 1.*servers: 8 free \(12 allowed, 4 in use\), up to 9 needed.*Raise the quota/.test(e.message),
    );
  });

  it('a cloud whose RAM quota is too small for the flavors is refused', async () => {
    mockCloud({ ...ROOMY, maxTotalRAMSize: 512 });
    await assert.rejects(prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 2, computeTests: 50, err: () => undefined }), /RAM: 512 MB free .*up to 1280 MB needed/);
  });

  it('finished tests may linger beside the running ones only as far as the server quota holds their servers too', async () => {
    const flavors = { flavor: { id: '42', name: 'm1.nano', links: [], vcpus: 1, ram: 128 }, alt: { id: '84', name: 'm1.micro', links: [], vcpus: 1, ram: 192 } };
    // at concurrency 2 the run holds 2 + 1 + 7 servers; each lingering test one more
    assert.equal(fitLingering({ ...ROOMY, maxTotalInstances: 12 }, flavors, { concurrency: 2, computeTests: 50 }), 2);
    assert.equal(fitLingering({ ...ROOMY, maxTotalInstances: 11 }, flavors, { concurrency: 2, computeTests: 50 }), 1);
    assert.equal(fitLingering({ ...ROOMY, maxTotalInstances: 10 }, flavors, { concurrency: 2, computeTests: 50 }), 0);
    let err = '';
    mockCloud({ ...ROOMY, maxTotalInstances: 11 });
    const r = await prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 2, computeTests: 50, err: (t) => (err += t) });
    assert.deepEqual([r.concurrency, r.lingering], [2, 1], err);
    mockCloud(403);
    const unread = await prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 2, computeTests: 50, err: () => undefined });
    assert.equal(unread.lingering, 0, 'no lingering when the quota could not be read');
  });

  it('refuses an unknown setting before any test, naming it', async () => {
    mockCloud(ROOMY);
    await assert.rejects(
      prepareCompute(nockCloud({ catalog: CATALOG }), { flavor_ref: { value: 'm1.huge', origin: '--flavor-ref' } }, { concurrency: 1, computeTests: 5, err: () => undefined }),
      /^CloudError: compute references: flavor_ref "m1.huge" \(--flavor-ref\) names no flavor/,
    );
  });

  it('an unreadable /limits is reported, not a refusal', async () => {
    mockCloud(403);
    let err = '';
    await prepareCompute(nockCloud({ catalog: CATALOG }), {}, { concurrency: 4, computeTests: 50, err: (t) => (err += t) });
    assert.match(err, /preflight: quota not checked: GET \/limits answered HTTP 403/);
  });

  it('quota arithmetic: unlimited (-1) never refuses; cores and RAM count the bigger alt flavor twice', () => {
    const need = quotaNeed({ flavor: { id: 'a', name: 'a', links: [], vcpus: 1, ram: 128 }, alt: { id: 'b', name: 'b', links: [], vcpus: 2, ram: 256 } }, 10);
    assert.deepEqual(need, { servers: 10, cores: 12, ramMb: 1536 });
    assert.equal(quotaShortfall({ maxTotalInstances: -1, maxTotalCores: -1, maxTotalRAMSize: -1 }, need, 4), undefined);
    assert.match(quotaShortfall({ maxTotalCores: 11, totalCoresUsed: 0 }, need, 4)!, /cores: 11 free/);
    assert.equal(peakServers(4, 50), 4 + 1 + SHARED_SERVERS);
    assert.equal(peakServers(8, 2), 2 + 1 + SHARED_SERVERS, 'no more running tests than there are compute tests');
  });

  it('needs compute only when a Compute API test is selected', () => {
    const t = (name: string): SelectedTest => ({ name, aliases: [], admin: false, capabilities: [] });
    assert.equal(needsCompute([t('tempest.api.object_storage.test_x.T.test_a')]), false);
    assert.equal(needsCompute([t('tempest.api.object_storage.test_x.T.test_a'), t('tempest.api.compute.servers.test_x.T.test_b')]), true);
  });

  it('needs compute for a test whose check declares it boots servers (a Heat stack with a server), and then counts no shared servers', () => {
    const uuid = '00000000-0000-4000-8000-00000000fe02';
    registerCheck({ id: uuid, test: 'pkg.Stacks.test_server_stack', needsCompute: true, run: async () => undefined });
    const other = '00000000-0000-4000-8000-00000000fe03';
    registerCheck({ id: other, test: 'pkg.Stacks.test_no_server', run: async () => undefined });
    const t = (name: string, id: string): SelectedTest => ({ name, uuid: id, aliases: [], admin: false, capabilities: [] });
    assert.equal(needsCompute([t('pkg.Stacks.test_no_server', other)]), false);
    const tests = [t('pkg.Stacks.test_no_server', other), t('pkg.Stacks.test_server_stack', uuid)];
    assert.equal(needsCompute(tests), true);
    assert.deepEqual(serverTests(tests).map((x) => x.name), ['pkg.Stacks.test_server_stack']);
    assert.equal(sharedServers(tests), 0);
    assert.equal(peakServers(2, 1, sharedServers(tests)), 2);
  });

  it('a check receives the run references through its context', async () => {
    let seen: ComputeReferences | undefined;
    const uuid = '00000000-0000-4000-8000-00000000fe01';
    registerCheck({ id: uuid, test: 'pkg.Refs.test_refs', run: async (ctx) => void (seen = ctx.computeReferences) });
    const refs: ComputeReferences = { imageRef: 'i', flavorRef: 'f', flavorRefAlt: 'g' };
    const client = nockCloud({ catalog: CATALOG });
    const test: SelectedTest = { name: 'pkg.Refs.test_refs', uuid, aliases: [], admin: false, capabilities: [] };
    const r = await executeTest(test, { accounts: { primary: client }, prefix: 'defcore-abcdef-', timeoutMs: 2000, cleanupTimeoutMs: 1000, runSignal: new AbortController().signal, computeReferences: refs });
    assert.equal(r.status, 'pass', r.reason);
    assert.deepEqual(seen, refs);
  });

  it('defcore run: a bad compute section of defcore.yaml is one line and exit 2, before any cloud is contacted', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'defcore-refs-'));
    try {
      await writeFile(path.join(dir, 'defcore.yaml'), 'os_cloud: nowhere\ncompute:\n  image: cirros\n');
      const r = await runCli(['run', '--guideline', '2020.06', '--program', 'compute'], dir);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /defcore\.yaml: unknown setting compute\.image \(known: image_ref/);
      const flag = await runCli(['run', '--guideline', '2020.06', '--program', 'compute', '--image-ref', ''], dir);
      assert.equal(flag.code, 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
