import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEV_CLOUD_ARGS } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/cloud.js';
import { devCloudClientsOrSkip } from '../helpers/dev-cloud-clients.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { accountMetadata, containerLeaks, type Clients } from '../helpers/leaks.js';

interface Results {
  prefix: string;
  results: { name: string; status: string; reason?: string; flaky?: boolean; attempts?: unknown[] }[];
}

describe('@cloud a run through a fault-injecting proxy (Storage program, every account) leaks nothing', function () {
  this.timeout(900_000);
  let clients: Clients;
  let tmp: string;
  let proxy: FaultProxy | undefined;
  before(async function () {
    clients = await devCloudClientsOrSkip(this, 'object-store');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-fault-'));
  });
  after(async () => {
    await proxy?.close();
    for (const c of Object.values(clients ?? {})) c?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('resets before and after forwarding, 503 bursts and latency: the run ends with a verdict, no harness error, zero leaked containers and account metadata as before', async () => {
    // Keystone is spared: without a token no test runs, and that is not what this tests.
    proxy = await startFaultProxy({ resetBeforeEvery: 37, resetAfterEvery: 41, burstEvery: 53, burst: 3, latencyEvery: 7, latencyMs: 150, spare: ['127.0.0.1:5000'] });
    const metaBefore = await accountMetadata(clients);
    const out = path.join(tmp, 'run');
    const env = { ...process.env, http_proxy: proxy.url, HTTP_PROXY: proxy.url, no_proxy: '', NO_PROXY: '' };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'defcore.js'), 'run', '--guideline', '2020.06', '--program', 'object', ...DEV_CLOUD_ARGS,
      '--concurrency', '4', '--retries', '2', '--output', out], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const c = proxy.counts;
    // the proxy really injected every kind of fault, or this test proves nothing
    for (const [k, v] of Object.entries(c)) assert.ok(v > 0, `no ${k} happened: ${JSON.stringify(c)}; exit ${code}: ${stderr.slice(-2000)}`);
    assert.ok(code === 0 || code === 1, `exit ${code} (a verdict is 0 or 1): ${stderr.slice(-2000)}`);
    const json = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as Results;
    const harness = json.results.filter((r) => r.status === 'error' && /harness error/.test(r.reason ?? ''));
    assert.deepEqual(harness.map((r) => `${r.name}: ${r.reason}`), []);
    const left = await containerLeaks(clients, json.prefix);
    const metaAfter = await accountMetadata(clients);
    const by = (s: string) => json.results.filter((r) => r.status === s).length;
    console.log(`      faults ${JSON.stringify(c)}; exit ${code}; ${by('pass')} pass (${json.results.filter((r) => r.flaky).length} flaky), ${by('fail')} fail, ${by('error')} error; ${left.length} leaked container(s)`);
    assert.deepEqual(left, [], `leaks of ${json.prefix}`);
    assert.deepEqual(metaAfter, metaBefore, 'account metadata changed by the run');
  });
});
