import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';
import { devCloudOrSkip } from '../helpers/cloud.js';

const SCRIPT = path.join(repoRoot(), 'scripts', 'dev-cloud');

function devCloud(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(SCRIPT, args, { encoding: 'utf8', timeout: 600_000, env: { ...process.env, DEVCLOUD_SERVICES: '' } });
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
});
