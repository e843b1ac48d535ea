/**
 * The Compute program on a cloud configured unlike the dev cloud's defaults, as
 * vendors' clouds are (scripts/dev-cloud's variant: RegionTwo, own projects,
 * private zero-disk flavors listed first under Nova's default policy, private
 * images that are not bootable, a second external network the projects may not
 * use). Without any reference flag the run must choose what that cloud boots,
 * print it, reach the same verdict as on the default dev cloud, and leave nothing.
 *
 * Both runs take the Compute program's tests whose outcome those choices decide: the
 * classes that boot, rebuild, resize or attach to servers on the chosen image, flavor
 * and network or filter servers by them, and the router tests (which external network
 * a router's gateway uses). The Platform run in platform-cloud.test.ts covers the rest
 * on the default cloud.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from 'mocha';
import { main } from '../../src/cli/main.js';
import { loadCloudConfig } from '../../src/cloud/config.js';
import { createCloudClient, type CloudSession } from '../../src/cloud/session.js';
import type { Evaluation } from '../../src/evaluate/model.js';
import type { TestResult } from '../../src/results/model.js';
import { DEV_CLOUD_ARGS } from '../helpers/cli.js';
import { devCloudOrSkip, REPO_ROOT } from '../helpers/cloud.js';

const VARIANT_FILE = path.join(REPO_ROOT, '.dev-cloud', 'clouds-variant.yaml');
const VARIANT_ARGS = ['--os-cloud', 'devcloud-variant', '--alt-cloud', 'devcloud-variant-alt', '--admin-cloud', 'devcloud-variant-admin'];
/** What scripts/dev-cloud gives the variant projects that no server can boot from or on. */
const ZERO_DISK_FLAVORS = ['v1.zero', 'v1.zero-large'];
const UNBOOTABLE_IMAGES = ['cirros-kernel', 'cirros-ramdisk', 'cirros-live.iso', 'cirros-queued'];
/** The tests whose outcome the cloud's flavors, images and external networks can change. */
const DEPENDS_ON_REFERENCES = String.raw`\.(ServersTestJSON|ServerActionsTestJSON|ListServerFiltersTestJSON|FlavorsV2TestJSON|ImagesOneServerTestJSON|ServersTestManualDisk|AttachVolumeTestJSON|RoutersTest)\.`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  evaluation: Evaluation;
  results: { prefix: string; results: TestResult[]; references?: { compute: { setting: string; id: string; name: string; source: string }[] } };
  report: { references?: unknown };
}

async function run(argv: string[], out: string, env: NodeJS.ProcessEnv): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(['run', '--guideline', '2020.06', '--program', 'compute', '--only', DEPENDS_ON_REFERENCES, ...argv, '--output', out, '--format', 'json'], {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    isTTY: false,
    env,
    cwd: REPO_ROOT,
  });
  assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
  return {
    code,
    stdout,
    stderr,
    evaluation: JSON.parse(stdout) as Evaluation,
    results: JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as Run['results'],
    report: JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Run['report'],
  };
}

function variantClient(ctx: Context, name: string): CloudSession {
  if (!existsSync(VARIANT_FILE)) {
    if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error(`dev cloud required: no ${VARIANT_FILE} (scripts/dev-cloud start makes it)`);
    ctx.skip();
  }
  return createCloudClient(loadCloudConfig({ cloud: name, env: { OS_CLIENT_CONFIG_FILE: VARIANT_FILE, HOME: '/nonexistent' }, cwd: REPO_ROOT }));
}

/** Names of what the run's prefix could have left, seen by the variant admin (RegionTwo) and user. */
async function leftovers(admin: CloudSession, user: CloudSession, prefix: string): Promise<string[]> {
  const names: string[] = [];
  const list = async (client: CloudSession, service: string, p: string, key: string, query: Record<string, string> = {}) => {
    const r = await client.request<Record<string, Array<{ name?: string; keypair?: { name: string } }>>>({ method: 'GET', service, path: p, query });
    assert.equal(r.status, 200, `${service} ${p} answered ${r.status}`);
    for (const x of r.body[key] ?? []) names.push(x.name ?? x.keypair?.name ?? '');
  };
  await list(admin, 'compute', 'servers', 'servers', { all_tenants: '1' });
  await list(admin, 'image', 'v2/images', 'images', { limit: '1000' });
  await list(admin, 'volumev3', 'volumes', 'volumes', { all_tenants: '1' });
  await list(admin, 'network', 'v2.0/networks', 'networks');
  await list(admin, 'network', 'v2.0/ports', 'ports');
  await list(admin, 'network', 'v2.0/security-groups', 'security_groups');
  await list(user, 'compute', 'os-keypairs', 'keypairs');
  return names.filter((n) => n.startsWith(prefix));
}

describe('@cloud defcore run: the Compute program on a differently configured cloud (dev-cloud variant)', function () {
  this.timeout(60 * 60_000);
  let tmp: string;
  const clients: CloudSession[] = [];
  let admin: CloudSession;
  let user: CloudSession;
  before(async function () {
    clients.push(await devCloudOrSkip(this, 'devcloud'));
    admin = variantClient(this, 'devcloud-variant-admin');
    user = variantClient(this, 'devcloud-variant');
    clients.push(admin, user);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-variant-'));
  });
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    for (const c of clients) c.close();
    // kept when the test failed: the two runs' results and reports are what explains it
    if (tmp && !failed) await rm(tmp, { recursive: true, force: true });
    else if (tmp) process.stderr.write(`variant-cloud: the runs' output is kept in ${tmp}\n`);
  });

  it('without reference flags: chooses what the cloud boots, prints it, reaches the default cloud verdict, leaves nothing', async () => {
    // The two runs at once: same machine, separate projects and run prefixes.
    const [base, variant] = await Promise.all([
      run(DEV_CLOUD_ARGS, path.join(tmp, 'default'), process.env),
      run(VARIANT_ARGS, path.join(tmp, 'variant'), { ...process.env, OS_CLIENT_CONFIG_FILE: VARIANT_FILE }),
    ]);

    // The selection is what it says (a pattern that matched nothing would compare two empty runs).
    const ran = (r: Run) => r.results.results.map((t) => t.name).sort();
    assert.ok(ran(base).length >= 40, `the default run took ${ran(base).length} tests`);
    assert.deepEqual(ran(variant), ran(base));

    // The references were discovered, printed one line each, recorded, and are bootable ones.
    const refs = variant.results.references?.compute ?? [];
    assert.deepEqual(refs.map((c) => c.setting), ['image_ref', 'image_ref_alt', 'flavor_ref', 'flavor_ref_alt', 'fixed_network_name']);
    assert.ok(refs.every((c) => c.source === 'discovered'));
    assert.deepEqual(variant.report.references, variant.results.references);
    for (const c of refs) assert.match(variant.stderr, new RegExp(`^defcore: compute ${c.setting}: .*discovered`, 'm'));
    assert.match(variant.stderr, /^defcore: compute flavor_ref: .*passed over .*v1\.zero \(zero disk/m);
    const by = (s: string) => refs.find((c) => c.setting === s)!;
    for (const s of ['flavor_ref', 'flavor_ref_alt']) assert.ok(!ZERO_DISK_FLAVORS.includes(by(s).name), `${s} is ${by(s).name}`);
    for (const s of ['image_ref', 'image_ref_alt']) assert.ok(!UNBOOTABLE_IMAGES.includes(by(s).name), `${s} is ${by(s).name}`);
    assert.notEqual(by('flavor_ref').id, by('flavor_ref_alt').id);
    assert.notEqual(by('fixed_network_name').name, 'public-2', 'not the external network the projects may not use');

    // Same verdict, capability by capability and test by test.
    assert.equal(variant.code, base.code, `exit codes: default ${base.code}, variant ${variant.code}`);
    assert.equal(variant.evaluation.verdict, base.evaluation.verdict);
    const caps = (e: Evaluation) => e.capabilities.map((c) => `${c.id}: ${c.verdict}`);
    assert.deepEqual(caps(variant.evaluation), caps(base.evaluation));
    const statuses = (r: Run) => Object.fromEntries(r.results.results.map((t) => [t.name, t.status === 'skip' ? `skip: ${t.reason}` : t.status]));
    assert.deepEqual(statuses(variant), statuses(base));

    assert.deepEqual(await leftovers(admin, user, variant.results.prefix), [], 'nothing of the variant run is left');
  });
});
