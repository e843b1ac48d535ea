import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEV_CLOUD_ARGS, runCli } from '../helpers/cli.js';
import { devCloudOrSkip, REPO_ROOT } from '../helpers/cloud.js';
import { parseResults } from '../../src/results/read.js';
import type { CloudSession } from '../../src/cloud/session.js';

const DEV = DEV_CLOUD_ARGS;

async function containers(client: CloudSession): Promise<string[]> {
  const r = await client.request<{ name: string }[]>({ method: 'GET', service: 'object-store', query: { format: 'json' } });
  assert.equal(r.status === 200 || r.status === 204, true, `account listing answered ${r.status}`);
  return (Array.isArray(r.body) ? r.body : []).map((c) => c.name);
}

describe('@cloud defcore run against the dev cloud (Storage program)', function () {
  this.timeout(300_000);
  let client: CloudSession;
  let tmp: string;
  before(async function () {
    client = await devCloudOrSkip(this, 'devcloud');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-run-'));
  });
  after(async () => {
    client?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('passes every required capability of 2020.06 object, writes readable results, leaves nothing behind', async () => {
    const out = path.join(tmp, 'object');
    const before = await containers(client);
    const r = await runCli(['run', '--guideline', '2020.06', '--program', 'object', ...DEV, '--concurrency', '8', '--output', out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Verdict: PASS \(20\/20 required capabilities passed\)/);
    const json = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { results: { status: string }[]; prefix: string };
    assert.equal(json.results.length, 58);
    assert.ok(json.results.every((x) => x.status === 'pass'));
    const sub = parseResults(await readFile(path.join(out, 'results.subunit')), 'results.subunit');
    assert.equal(sub.results.filter((x) => x.status === 'pass').length, 58);
    const evaluated = await runCli(['evaluate', path.join(out, 'results.subunit'), '--guideline', '2020.06', '--program', 'object']);
    assert.equal(evaluated.code, 0);
    const after = await containers(client);
    assert.deepEqual(after.filter((c) => c.startsWith(json.prefix)), [], 'no container of this run remains');
    assert.deepEqual(after.filter((c) => c.startsWith('defcore-') && !before.includes(c)), []);
    for (const f of ['results.json', 'results.subunit']) {
      const text = await readFile(path.join(out, f), 'latin1');
      assert.doesNotMatch(text, /gAAAAA[A-Za-z0-9_-]{40,}/, `${f} contains a Fernet token`);
    }
  });

  it('--guideline 2015.07,2020.06: runs the union once and judges each guideline as its own run does', async () => {
    type Doc = { results: { name: string; uuid?: string; status: string }[]; verdicts?: { guideline: string; verdict: string; requiredCapabilities: { passed: number; total: number } }[] };
    type Evaluation = { guideline: string; verdict: string; capabilities: { id: string; verdict: string }[] };
    const both = path.join(tmp, 'both');
    const r = await runCli(['run', '--guideline', '2015.07,2020.06', '--program', 'object', ...DEV, '--concurrency', '8', '--output', both, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const together = JSON.parse(r.stdout) as Evaluation[];
    assert.deepEqual(together.map((e) => e.guideline), ['2015.07', '2020.06']);
    const doc = JSON.parse(await readFile(path.join(both, 'results.json'), 'utf8')) as Doc;
    const keys = doc.results.map((x) => x.uuid ?? x.name);
    assert.equal(new Set(keys).size, keys.length, 'a test shared by the guidelines ran once');
    assert.deepEqual(doc.verdicts?.map((v) => v.guideline), ['2015.07', '2020.06']);
    const report = JSON.parse(await readFile(path.join(both, 'report.json'), 'utf8')) as { matrix?: { guideline: { id: string }; verdict: string }[] };
    assert.deepEqual(report.matrix?.map((c) => [c.guideline.id, c.verdict]), together.map((e) => [e.guideline, e.verdict]));
    for (const e of together) {
      const alone = await runCli(['run', '--guideline', e.guideline, '--program', 'object', ...DEV, '--concurrency', '8', '--output', path.join(tmp, `alone-${e.guideline}`), '--format', 'json']);
      const own = JSON.parse(alone.stdout) as Evaluation;
      assert.equal(e.verdict, own.verdict, `${e.guideline}: verdict of the union run vs its own run`);
      assert.deepEqual(e.capabilities.map((c) => [c.id, c.verdict]), own.capabilities.map((c) => [c.id, c.verdict]), `${e.guideline}: capability verdicts`);
      assert.equal(r.code, together.every((x) => x.verdict === 'pass') ? 0 : 1, 'exit 0 only when every guideline passes');
    }
  });

  it('Ctrl-C: exits 130, keeps what it did, cleans up what it created', async () => {
    const out = path.join(tmp, 'interrupted');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'defcore.js'), 'run', '--guideline', '2020.06', '--program', 'object', ...DEV, '--concurrency', '2', '--output', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // interrupt once a few tests have finished and others are under way
      if (/\[\s*6\/58\]/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stderr);
    const json = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { interrupted: boolean; prefix: string; results: unknown[] };
    assert.equal(json.interrupted, true);
    assert.ok(json.results.length >= 6 && json.results.length < 58, `kept ${json.results.length} results`);
    assert.deepEqual((await containers(client)).filter((c) => c.startsWith(json.prefix)), []);
  });

  it('defcore cleanup removes leftovers of earlier runs by prefix, and only those', async () => {
    const prefix = `defcore-left${Date.now().toString(36)}-`;
    const mine = `${prefix}container`;
    const theirs = `keep-${prefix}container`;
    for (const c of [mine, theirs]) {
      assert.equal((await client.request({ method: 'PUT', service: 'object-store', path: c })).status, 201);
      assert.equal((await client.request({ method: 'PUT', service: 'object-store', path: `${c}/obj`, body: 'x' })).status, 201);
    }
    try {
      const r = await runCli(['cleanup', '--os-cloud', 'devcloud', '--prefix', prefix]);
      assert.equal(r.code, 0, r.stderr);
      const left = await containers(client);
      assert.ok(!left.includes(mine), 'the prefixed container is gone');
      assert.ok(left.includes(theirs), 'a container whose name merely contains the prefix stays');
    } finally {
      await client.request({ method: 'DELETE', service: 'object-store', path: `${theirs}/obj` });
      await client.request({ method: 'DELETE', service: 'object-store', path: theirs });
    }
    const refused = await runCli(['cleanup', '--os-cloud', 'devcloud', '--prefix', 'prod-']);
    assert.equal(refused.code, 2);
  });

  it('an unusable cloud is one line and exit 2', async () => {
    const r = await runCli(['run', '--guideline', '2020.06', '--program', 'object', '--os-cloud', 'no-such-cloud']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-cloud/);
  });
});
