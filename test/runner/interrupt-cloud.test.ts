import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AccountRole } from '../../src/check/api.js';
import type { CloudSession } from '../../src/cloud/session.js';
import { DEV_CLOUD_ARGS } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/cloud.js';
import { devCloudClientsOrSkip } from '../helpers/dev-cloud-clients.js';
import { containerLeaks as leaks } from '../helpers/leaks.js';

/** Deterministic "random" moments (seeded), so a failure can be replayed; bounded to three runs. */
function moments(seed: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 500 + (x % 9000); // 0.5–9.5 s after the first test starts
  });
}

describe('@cloud Ctrl-C at random moments leaves nothing behind (Storage program, every account)', function () {
  this.timeout(600_000);
  let clients: Partial<Record<AccountRole, CloudSession>>;
  let tmp: string;
  before(async function () {
    clients = await devCloudClientsOrSkip(this, 'object-store');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'defcore-int-cloud-'));
  });
  after(async () => {
    for (const c of Object.values(clients ?? {})) c?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const seed = Number(process.env['DEFCORE_INTERRUPT_SEED'] ?? Date.now() % 100_000);
  for (const [i, delay] of moments(seed, 3).entries()) {
    it(`run ${i + 1}: interrupted ${delay} ms after it starts (seed ${seed}): exit 130 within the teardown budget, zero leaks`, async () => {
      const out = path.join(tmp, `run${i}`);
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'defcore.js'), 'run', '--guideline', '2020.06', '--program', 'object', ...DEV_CLOUD_ARGS,
        '--concurrency', '4', '--teardown-timeout', '30', '--output', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let sentAt = 0;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sentAt && /\d+ tests of 2020\.06\/object/.test(stderr)) {
          sentAt = -1;
          setTimeout(() => {
            sentAt = Date.now();
            child.kill('SIGINT');
          }, delay);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const took = Date.now() - sentAt;
      const json = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { interrupted: boolean; prefix: string; results: { status: string }[] };
      if (sentAt > 0 && json.interrupted) {
        assert.equal(code, 130, stderr);
        assert.ok(took < 45_000, `exit ${took} ms after Ctrl-C`);
      } else assert.equal(code, 0, `the run finished before the interrupt: ${stderr}`);
      const left = await leaks(clients, json.prefix);
      // the figure for the note: results kept and leaks
      console.log(`      interrupted after ${delay} ms: ${json.results.length} results kept, exit ${code} ${took} ms after Ctrl-C, ${left.length} leak(s)`);
      assert.deepEqual(left, [], `leaks of ${json.prefix}: ${stderr}`);
    });
  }
});
