import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';
import { devCloudOrSkip } from '../helpers/cloud.js';

const SCRIPT = path.join(repoRoot(), 'scripts', 'dev-cloud');

function devCloud(...args: string[]): { code: number | null; out: string; err: string } {
  return devCloudIn(process.env['DEVCLOUD_HOME'], ...args);
}

function devCloudIn(home: string | undefined, ...args: string[]): { code: number | null; out: string; err: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DEVCLOUD_SERVICES: '' };
  if (home) env['DEVCLOUD_HOME'] = home;
  const r = spawnSync(SCRIPT, args, { encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// How long these take is measured by `npm run bench`; here: what they do.
describe('@cloud scripts/dev-cloud on a running cloud', function () {
  this.timeout(620_000);

  before(async function () {
    (await devCloudOrSkip(this)).close();
  });

  it('`start` finds everything up and provisioned and only checks it (no daemon started, no provisioning)', () => {
    const r = devCloud('start');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /already up: all \d+ daemons answer/);
    assert.doesNotMatch(r.err, /starting|provision|installing/i);
  });

  it('`status` lists every daemon as OK with its endpoint, pid and log', () => {
    const r = devCloud('status');
    assert.equal(r.code, 0, r.out + r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.length >= 4, r.out);
    for (const l of lines) assert.match(l, /^(\x1b\[32m)?OK\s.*\bpid \d+\s+log \//);
    assert.ok(lines.some((l) => /\bkeystone\s+http:\/\/127\.0\.0\.1:5000/.test(l)), r.out);
  });

  it('`status` tells a daemon that is running but does not answer from one that answers (batched probes)', () => {
    // A state dir of its own: PID files naming live processes of "this" cloud (their command
    // lines carry the dir). keystone's probe asks the real Keystone on :5000 and answers;
    // mariadb's asks a socket that this dir does not have, so it is DOWN though alive.
    const real = process.env['DEVCLOUD_HOME'] ?? '/var/lib/defcore-devcloud';
    const home = mkdtempSync(path.join(os.tmpdir(), 'defcore-dh-'));
    const sleepers = ['keystone', 'mariadb'].map((d) => {
      const p = spawn('bash', ['-c', 'sleep 60; true', path.join(home, d)], { stdio: 'ignore' });
      return { d, p };
    });
    try {
      mkdirSync(path.join(home, 'run'));
      for (const f of ['installed', 'installed-addons']) if (existsSync(path.join(real, f))) copyFileSync(path.join(real, f), path.join(home, f));
      for (const { d, p } of sleepers) writeFileSync(path.join(home, 'run', `${d}.pid`), `${p.pid}\n`);
      const r = devCloudIn(home, 'status');
      assert.equal(r.code, 1, r.out + r.err);
      const state = (d: string) => new RegExp(`^(?:\\x1b\\[\\d+m)?(OK|DOWN)\\s*(?:\\x1b\\[0m)?\\s+${d}\\s`, 'm').exec(r.out)?.[1];
      assert.equal(state('keystone'), 'OK', r.out);
      assert.equal(state('mariadb'), 'DOWN', r.out);
      assert.equal(state('memcached'), 'DOWN', r.out);
      assert.match(r.out, new RegExp(`keystone .*pid ${sleepers[0]!.p.pid}`));
    } finally {
      for (const { p } of sleepers) p.kill();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
