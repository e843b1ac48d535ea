import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cloud.js';
import { startHostileCloud, type HostileCloud } from '../helpers/hostile-cloud.js';

const BIN = path.join(REPO_ROOT, 'bin', 'defcore.js');

/** A cloud that accepts the login and then never answers a storage request. */
async function hangingCloud(): Promise<HostileCloud> {
  return startHostileCloud({
    services: { 'object-store': '/v1/AUTH_p' },
    handler: (req, res) => {
      if (!req.url?.startsWith('/v1/')) return void res.writeHead(404).end(); // discovery: quick
      // hang: the socket stays open, nothing is ever sent
    },
  });
}

interface Child {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

function start(cloudsFile: string, out: string): Child {
  const proc = spawn(process.execPath, [BIN, 'run', '--guideline', '2020.06', '--program', 'object', '--os-cloud', 'hostile',
    '--only', 'ContainerTest.test_create_container$', '--teardown-timeout', '3', '--output', out], {
    env: { ...process.env, OS_CLIENT_CONFIG_FILE: cloudsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout!.resume();
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => proc.on('exit', (code) => resolve({ code, at: Date.now() })));
  return { proc, stderr: () => err, exited };
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('CLI: Ctrl-C during a run against a cloud that hangs (child process)', function () {
  this.timeout(60_000);
  let cloud: HostileCloud | undefined;
  let child: Child | undefined;
  before(function () {
    if (!existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'))) this.skip(); // npm test builds dist first
  });
  afterEach(async () => {
    if (child && child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
    await cloud?.close();
    cloud = undefined;
  });

  it('the first Ctrl-C tears down within the budget with a countdown, writes partial results marked interrupted, exits 130', async () => {
    cloud = await hangingCloud();
    const out = await mkdtemp(path.join(tmpdir(), 'defcore-int-'));
    child = start(await cloud.cloudsYaml(), out);
    await until(() => cloud!.seen.some((s) => s.startsWith('PUT ')), 30_000, 'the test to start creating its container');
    const sent = Date.now();
    child.proc.kill('SIGINT');
    const { code, at } = await child.exited;
    assert.equal(code, 130, child.stderr());
    // 3 s budget plus writing: never the 300 s test deadline nor the 60 s request deadline
    assert.ok(at - sent < 8_000, `took ${at - sent} ms`);
    const err = child.stderr();
    assert.match(err, /interrupted: starting no more tests; tearing down what exists \(at most 3 s; Ctrl-C again to quit at once\)/);
    assert.match(err, /remove them with: defcore cleanup --os-cloud hostile --prefix defcore-[0-9a-f]{6}-/);
    const doc = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { interrupted: boolean; results: { name: string; status: string; reason?: string }[] };
    assert.equal(doc.interrupted, true);
    assert.equal(doc.results.length, 1);
    assert.equal(doc.results[0]!.status, 'error');
    assert.match(doc.results[0]!.reason ?? '', /^interrupted/);
  });

  it('a second Ctrl-C quits at once, naming what may be left and the cleanup command', async () => {
    cloud = await hangingCloud();
    const out = await mkdtemp(path.join(tmpdir(), 'defcore-int-'));
    child = start(await cloud.cloudsYaml(), out);
    await until(() => cloud!.seen.some((s) => s.startsWith('PUT ')), 30_000, 'the test to start creating its container');
    child.proc.kill('SIGINT');
    await until(() => /tearing down what exists/.test(child!.stderr()), 5_000, 'the first interrupt to be acknowledged');
    const sent = Date.now();
    child.proc.kill('SIGINT');
    const { code, at } = await child.exited;
    assert.equal(code, 130, child.stderr());
    assert.ok(at - sent < 2_000, `took ${at - sent} ms`);
    const err = child.stderr();
    assert.match(err, /interrupted again: quitting now, without finishing the teardown/);
    assert.match(err, /may be left on the cloud: resources named defcore-[0-9a-f]{6}-… of 1 unfinished test\(s\): tempest\.api\.object_storage\.test_container_services\.ContainerTest\.test_create_container/);
    assert.match(err, /remove them with: defcore cleanup --os-cloud hostile --prefix defcore-[0-9a-f]{6}-/);
  });
});
