import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEV_CLOUD_ARGS, runCli } from '../helpers/cli.js';
import { devCloudOrSkip } from '../helpers/cloud.js';
import type { CloudSession } from '../../src/cloud/session.js';
import type { Evaluation } from '../../src/evaluate/model.js';
import type { TestResult } from '../../src/results/model.js';
import { repoRoot } from '../../src/util/paths.js';

const DEV = DEV_CLOUD_ARGS;

/** Names of everything the admin can see that a run could have created. */
async function visibleNames(admin: CloudSession): Promise<string[]> {
  const names: string[] = [];
  const collect = async (service: string, p: string, key: string, query: Record<string, string> = {}) => {
    try {
      await admin.endpoint(service);
    } catch {
      return; // service not in this cloud
    }
    const r = await admin.request<Record<string, { name?: string; display_name?: string }[]>>({ method: 'GET', service, path: p, query });
    assert.equal(r.status, 200, `${service} ${p} answered ${r.status}`);
    for (const x of r.body[key] ?? []) names.push(x.name ?? x.display_name ?? '');
  };
  await collect('network', 'v2.0/networks', 'networks');
  await collect('network', 'v2.0/subnets', 'subnets');
  await collect('network', 'v2.0/ports', 'ports');
  await collect('network', 'v2.0/routers', 'routers');
  await collect('network', 'v2.0/security-groups', 'security_groups');
  await collect('network', 'v2.0/subnetpools', 'subnetpools');
  await collect('network', 'v2.0/floatingips', 'floatingips');
  await collect('image', 'v2/images', 'images', { limit: '1000' });
  await collect('compute', 'servers', 'servers', { all_tenants: '1' });
  await collect('volumev3', 'volumes', 'volumes', { all_tenants: '1' });
  await collect('volumev3', 'snapshots', 'snapshots', { all_tenants: '1' });
  return names;
}

/** The run config scripts/dev-cloud writes: guest validation on its data plane. */
const RUN_CONFIG = path.join(repoRoot(), '.dev-cloud', 'defcore.yaml');

describe('@cloud defcore run: the full Platform program of 2020.06 on the dev cloud', function () {
  this.timeout(45 * 60_000);
  let admin: CloudSession;
  let users: CloudSession[] = [];
  let tmp: string;
  before(async function () {
    admin = await devCloudOrSkip(this, 'devcloud-admin');
    users = [await devCloudOrSkip(this, 'devcloud'), await devCloudOrSkip(this, 'devcloud-alt')];
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-platform-'));
  });
  after(async () => {
    admin?.close();
    for (const u of users) u.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('with guest validation on the data plane: 284 tests, none skipped, 78/78 required capabilities, PASS (exit 0); nothing is left behind', async () => {
    const out = path.join(tmp, 'platform');
    const r = await runCli(['run', '--guideline', '2020.06', '--program', 'platform', ...DEV, '--config', RUN_CONFIG, '--output', out, '--format', 'json']);
    const evaluation = JSON.parse(r.stdout) as Evaluation;
    const results = (JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { results: TestResult[]; prefix: string });
    const notPassed = results.results.filter((x) => x.status !== 'pass').map((x) => `${x.name}: ${x.status}: ${x.reason ?? ''}`);
    assert.deepEqual(notPassed, [], 'every test of the program passes, the two guest-login tests included');
    assert.equal(results.results.length, 284);
    const required = evaluation.capabilities.filter((c) => c.status === 'required');
    assert.equal(required.length, 78);
    assert.deepEqual(required.filter((c) => c.verdict !== 'pass').map((c) => c.id), []);
    assert.equal(evaluation.verdict, 'pass');
    assert.equal(r.code, 0, r.stderr);
    const names = await visibleNames(admin);
    for (const user of users) {
      const kp = await user.request<{ keypairs: { keypair: { name: string } }[] }>({ method: 'GET', service: 'compute', path: 'os-keypairs' });
      assert.equal(kp.status, 200);
      names.push(...kp.body.keypairs.map((k) => k.keypair.name));
    }
    const left = names.filter((n) => n.startsWith(results.prefix));
    assert.deepEqual(left, [], 'resources of the run remain');
  });
});
