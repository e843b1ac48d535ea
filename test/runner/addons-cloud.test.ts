/**
 * @cloud: the add-on programs run natively against the dev cloud (Designate with
 * BIND 9; Heat), pass, and leave no zone or stack of the run behind (listed as
 * admin across all projects).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEV_CLOUD_ARGS, runCli } from '../helpers/cli.js';
import { devCloudOrSkip } from '../helpers/cloud.js';
import type { CloudSession } from '../../src/cloud/session.js';
import type { Evaluation } from '../../src/evaluate/model.js';
import type { TestResult } from '../../src/results/model.js';

/** Names of every zone in the cloud, all projects (Designate's admin header). */
async function allZoneNames(admin: CloudSession): Promise<string[]> {
  const r = await admin.request<{ zones: { name: string }[] }>({
    method: 'GET',
    service: 'dns',
    path: 'v2/zones',
    query: { limit: 1000 },
    headers: { 'X-Auth-All-Projects': 'true' },
  });
  assert.equal(r.status, 200, `GET /v2/zones (all projects) answered ${r.status}`);
  return r.body.zones.map((z) => z.name);
}

async function requireService(ctx: Mocha.Context, admin: CloudSession, service: string): Promise<void> {
  try {
    await admin.endpoint(service);
  } catch (err) {
    if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error(`dev cloud required (DEFCORE_REQUIRE_CLOUD): no ${service} endpoint: ${(err as Error).message}`);
    ctx.skip();
  }
}

describe('@cloud defcore run: the DNS add-on (dns.2020.06) on the dev cloud', function () {
  this.timeout(20 * 60_000);
  let admin: CloudSession;
  let tmp: string;
  before(async function () {
    admin = await devCloudOrSkip(this, 'devcloud-admin');
    await requireService(this, admin, 'dns');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-dns-'));
  });
  after(async () => {
    admin?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('every test passes, the program passes, and no zone of the run remains', async () => {
    const out = path.join(tmp, 'dns');
    const r = await runCli(['run', '--guideline', 'dns.2020.06', '--program', 'dns', ...DEV_CLOUD_ARGS, '--output', out, '--format', 'json']);
    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { results: TestResult[]; prefix: string };
    const notPassed = results.results.filter((x) => x.status !== 'pass').map((x) => `${x.name}: ${x.status} ${x.reason ?? ''}`);
    assert.deepEqual(notPassed, []);
    assert.equal(results.results.length, 10);
    assert.equal(r.code, 0, r.stderr);
    const evaluation = JSON.parse(r.stdout) as Evaluation;
    assert.equal(evaluation.verdict, 'pass');
    const left = (await allZoneNames(admin)).filter((n) => n.startsWith(results.prefix));
    assert.deepEqual(left, [], 'zones of the run remain');
  });
});

/**
 * Names of the stacks of the given accounts' projects. Heat's all-projects listing
 * (stacks:global_index) is denied to everybody under Zed's legacy policy, so the
 * projects the checks run in are listed one by one.
 */
async function stackNames(sessions: CloudSession[]): Promise<string[]> {
  const names: string[] = [];
  for (const s of sessions) {
    const r = await s.request<{ stacks: { stack_name: string }[] }>({ method: 'GET', service: 'orchestration', path: 'stacks' });
    assert.equal(r.status, 200, `GET /stacks answered ${r.status}: ${r.text.slice(0, 200)}`);
    names.push(...r.body.stacks.map((x) => x.stack_name));
  }
  return names;
}

/**
 * What the server-booting stacks make and must remove, named with the run prefix
 * (stack-made servers, ports and volumes carry the stack's name) or, for the
 * key pairs and networks the checks name, the prefix itself.
 */
async function serverSideLeaks(s: CloudSession, prefix: string): Promise<string[]> {
  const left: string[] = [];
  const list = async (service: string, p: string, key: string, nameOf: (x: Record<string, unknown>) => string) => {
    const r = await s.request<Record<string, Array<Record<string, unknown>>>>({ method: 'GET', service, path: p });
    assert.equal(r.status, 200, `GET ${p} answered ${r.status}`);
    for (const x of r.body[key] ?? []) if (nameOf(x).startsWith(prefix)) left.push(`${key}: ${nameOf(x)}`);
  };
  await list('compute', 'servers', 'servers', (x) => String(x['name']));
  await list('compute', 'os-keypairs', 'keypairs', (x) => String((x['keypair'] as Record<string, unknown>)['name']));
  await list('network', 'v2.0/ports', 'ports', (x) => String(x['name']));
  await list('network', 'v2.0/networks', 'networks', (x) => String(x['name']));
  await list('volumev3', 'volumes', 'volumes', (x) => String(x['name']));
  return left;
}

describe('@cloud defcore run: the Orchestration add-on (orchestration.2020.06) on the dev cloud', function () {
  this.timeout(20 * 60_000);
  let admin: CloudSession;
  let tmp: string;
  before(async function () {
    admin = await devCloudOrSkip(this, 'devcloud-admin');
    await requireService(this, admin, 'orchestration');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-orchestration-'));
  });
  after(async () => {
    admin?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('every test passes (the 23 gabbi API tests, 36 functional ones and the scenario), the program passes, and no stack, server, port, network, volume or key pair of the run remains', async function () {
    const primary = await devCloudOrSkip(this, 'devcloud');
    const out = path.join(tmp, 'orchestration');
    const r = await runCli(['run', '--guideline', 'orchestration.2020.06', '--program', 'orchestration', ...DEV_CLOUD_ARGS, '--output', out, '--format', 'json']);
    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { results: TestResult[]; prefix: string };
    const implemented = results.results.filter((x) => x.status !== 'not-implemented');
    assert.equal(implemented.filter((x) => x.name.includes('.test_heat_api.')).length, 23);
    assert.equal(implemented.length, 60);
    assert.equal(results.results.length, 60, 'every required test has a native check');
    assert.deepEqual(implemented.filter((x) => x.status !== 'pass').map((x) => `${x.name}: ${x.status} ${x.reason ?? ''}`), []);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Evaluation).verdict, 'pass');
    // The stacks that boot servers ran on the run's references, printed before the tests.
    assert.match(r.stderr, /compute image_ref: .*\n.*compute flavor_ref: /s);
    const left = (await stackNames([primary, admin])).filter((n) => n.startsWith(results.prefix));
    assert.deepEqual(left, [], 'stacks of the run remain');
    assert.deepEqual(await serverSideLeaks(primary, results.prefix), [], 'resources of the run remain');
    primary.close();
  });
});
