/**
 * Two `defcore serve` processes (the built CLI) on one PostgreSQL: both start at
 * once (migrations applied once), then take concurrent submissions, each report
 * sent to both: nothing lost, nothing duplicated.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateKeyFiles } from '../../src/report/keys.js';
import { openPostgres } from '../../src/serve/db.js';
import { repoRoot } from '../../src/util/paths.js';
import { tempDir } from '../report/support.js';
import { startPostgres, type PostgresCluster } from './postgres.js';
import { ADMIN, ENGINE, guidelinesDir, makeVendor, sharedDb, signedReportsInMemory } from './support.js';

function startServe(url: string, dir: string, key: string, gdir: string): Promise<{ proc: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'defcore.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dir, '--committee-key', key, '--guidelines-dir', gdir, '--quiet', '--rate-limit', '100000'], {
      env: { ...process.env, DATABASE_URL: url, DEFCORE_ADMIN_EMAIL: ADMIN.email, DEFCORE_ADMIN_PASSWORD: ADMIN.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start within 60 s: ${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /defcore serve: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, base: m[1]! });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe('two serve processes on one PostgreSQL', function () {
  this.timeout(180_000);
  let cluster: PostgresCluster | undefined;
  let url: string;
  const procs: ChildProcess[] = [];

  before(async function () {
    if (!existsSync(path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is not built: run npx tsc -p tsconfig.json');
    if (ENGINE === 'postgresql') url = (await sharedDb()).url!;
    else {
      cluster = await startPostgres();
      if (!cluster) {
        if (process.env['DEFCORE_REQUIRE_POSTGRES']) throw new Error('PostgreSQL is not installed and DEFCORE_REQUIRE_POSTGRES is set');
        console.log('    skipped: PostgreSQL is not installed (apt-get install -y postgresql)');
        this.skip();
      }
      url = cluster.url;
    }
  });
  after(() => {
    for (const p of procs) p.kill('SIGTERM');
    cluster?.stop();
  });

  it('start together, then take 30 reports each sent to both at once: 30 submissions, one id per report', async () => {
    const dir = await tempDir('defcore-serve-mp-');
    const key = path.join(dir, 'committee');
    await generateKeyFiles(key, 'ed25519');
    const gdir = await guidelinesDir();
    const [one, two] = await Promise.all([startServe(url, path.join(dir, 'a'), key, gdir), startServe(url, path.join(dir, 'b'), key, gdir)]);
    procs.push(one.proc, two.proc);
    const vendor = await makeVendor(one.base);
    const reports = await signedReportsInMemory(vendor.keyFile, 30);
    const send = async (base: string, r: { report: string; signature: string }) => {
      const res = await fetch(`${base}/api/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${vendor.api.token}` }, body: JSON.stringify(r) });
      const j = (await res.json()) as { submission?: { id: number }; duplicate?: boolean; message?: string };
      assert.ok(res.status === 201 || res.status === 200, `${res.status} ${j.message}`);
      return { id: j.submission!.id, duplicate: j.duplicate! };
    };
    const results = await Promise.all(reports.map(async (r) => Promise.all([send(one.base, r), send(two.base, r)])));
    for (const [x, y] of results) {
      assert.equal(x.id, y.id, 'both processes name the same submission');
      assert.equal(Number(x.duplicate) + Number(y.duplicate), 1, 'exactly one of the two stored it');
    }
    assert.equal(new Set(results.map(([x]) => x.id)).size, 30);
    const db = await openPostgres(url, 1);
    try {
      const rows = await db.query<{ n: string }>('select count(*) as n from submissions s join vendors v on v.id = s.vendor_id where v.name = $1', [vendor.name]);
      assert.equal(Number(rows[0]!.n), 30);
      const migrations = await db.query<{ n: string }>('select count(*) as n from schema_migrations');
      assert.equal(Number(migrations[0]!.n), 1, 'the migration was applied once');
    } finally {
      await db.close();
    }
  });
});
