/**
 * `defcore serve` as users start it: the embedded database with no other setup
 * (data directory created, migrations run, committee key generated), a clean stop
 * on SIGTERM; bad flags are one line and exit 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../report/support.js';

describe('defcore serve (the command)', function () {
  this.timeout(180_000);

  it('starts on the embedded database with nothing else set up, serves pages and the committee key, stops on SIGTERM', async function () {
    if (!existsSync(path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is not built: run npx tsc -p tsconfig.json');
    const dir = await tempDir('defcore-serve-cli-');
    const env = { ...process.env };
    delete env['DATABASE_URL'];
    const proc = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'defcore.js'), 'serve', '--port', '0', '--data', path.join(dir, 'data')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        const t = setTimeout(() => reject(new Error(`no start within 120 s: ${err}`)), 120_000);
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /defcore serve: (http:\/\/127\.0\.0\.1:\d+) \(embedded database in /.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
        proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        proc.on('exit', (c) => reject(new Error(`exited ${c}: ${err}`)));
      });
      const home = await fetch(`${base}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /<h1>Products<\/h1>/);
      const key = await (await fetch(`${base}/api/v1/committee-key`)).text();
      assert.match(key, /^ssh-ed25519 AAAA\S+ defcore-committee\n$/);
      assert.ok(existsSync(path.join(dir, 'data', 'committee_ed25519')));
      assert.ok(existsSync(path.join(dir, 'data', 'db')));
    } finally {
      const code = await new Promise<number | null>((resolve) => {
        proc.on('exit', (c) => resolve(c));
        proc.kill('SIGTERM');
      });
      assert.equal(code, 0);
    }
  });

  it('bad flags: one line, exit 2', async () => {
    const r = await runCli(['serve', '--port', 'eighty']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'defcore: --port: an integer from 0 to 65535\n');
    const s = await runCli(['submit', 'r.json', '--server', 'ftp://x']);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /^defcore: --server: http or https URL\n$/);
  });
});
