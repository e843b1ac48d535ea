// Review-service figures (run by scripts/bench.mjs under tsx, or: node --import tsx scripts/bench-serve.mjs):
// submissions verified and stored per second over HTTP, embedded database and PostgreSQL,
// and the product list page's p95 latency with 10,000 stored submissions.
// Everything listens on 127.0.0.1; PostgreSQL is a throwaway cluster (skipped when not installed).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const imp = (p) => import(path.join(root, p));
const { setupContext } = await imp('src/serve/setup.ts');
const { buildApp } = await imp('src/serve/app.ts');
const { openEmbedded, openPostgres } = await imp('src/serve/db.ts');
const { startPostgres } = await imp('test/serve/postgres.ts');
const support = await imp('test/serve/support.ts');

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 200);
const CONCURRENCY = 8;
const LIST_ROWS = 10_000;
const LIST_REQUESTS = 60;

async function serverOn(db) {
  const ctx = await setupContext({ db, guidelinesDir: await support.guidelinesDir(), admin: support.ADMIN });
  const app = await buildApp({ ctx, rateLimit: 1_000_000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { ctx, app, base: `http://127.0.0.1:${app.server.address().port}` };
}

async function submissionsPerSecond(label, base) {
  const vendor = await support.makeVendor(base);
  const reports = await support.signedReportsInMemory(vendor.keyFile, SUBMISSIONS);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < reports.length) {
        const r = reports[next++];
        const res = await fetch(`${base}/api/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${vendor.api.token}` }, body: JSON.stringify(r) });
        if (res.status !== 201) throw new Error(`submission refused: ${res.status} ${await res.text()}`);
      }
    }),
  );
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${`serve: submissions verified+stored (${label}, ${CONCURRENCY} at once)`.padEnd(58)} ${(SUBMISSIONS / s).toFixed(1).padStart(8)} /s (${SUBMISSIONS} in ${s.toFixed(1)} s)`);
  return vendor;
}

async function productListP95(label, ctx, base, vendor) {
  // 10,000 stored submissions over 200 products (copies of a real row under new addresses), 50 certified
  const db = ctx.db;
  const v = (await db.query('select v.id from vendors v where v.name = $1', [vendor.name]))[0].id;
  const have = Number((await db.query('select count(*) as n from submissions'))[0].n);
  await db.query(
    `insert into products (vendor_id, name, type) select $1, 'bench product ' || g, 'public-cloud' from generate_series(1, 200) g on conflict do nothing`,
    [v],
  );
  const missing = Math.max(0, LIST_ROWS - have);
  await db.query(
    `insert into submissions (sha256, kind, vendor_id, body, signature, public_key, key_fingerprint, guideline_id, guideline_sha256, program, verdict, cloud_id, cloud_name, product_id, public, state)
     select md5(random()::text || g) || md5(g::text), s.kind, s.vendor_id, s.body, s.signature, s.public_key, s.key_fingerprint, s.guideline_id, s.guideline_sha256, s.program, s.verdict, s.cloud_id, s.cloud_name,
            (select id from products where vendor_id = $1 order by id offset (g % 200) limit 1), true, 'submitted'
     from generate_series(1, $2::integer) g, (select * from submissions where vendor_id = $1 limit 1) s`,
    [v, missing],
  );
  await db.query(
    `insert into certifications (product_id, program, guideline_id, submission_id, certified_since, valid_until, statement, signature)
     select p.id, 'object', '2099.01', (select id from submissions where vendor_id = $1 limit 1), now(), now() + interval '1 year', '{}', '{}'
     from (select id from products where vendor_id = $1 order by id limit 50) p`,
    [v],
  );
  const times = [];
  for (let i = 0; i < LIST_REQUESTS; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/`);
    await res.text();
    if (res.status !== 200) throw new Error(`product list: ${res.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const p95 = times[Math.ceil(times.length * 0.95) - 1];
  const n = Number((await db.query('select count(*) as n from submissions'))[0].n);
  console.log(`${`serve: product list page p95 (${label}, ${n} submissions)`.padEnd(58)} ${p95.toFixed(1).padStart(8)} ms (median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, ${LIST_REQUESTS} requests)`);
}

for (const engine of ['embedded', 'postgresql']) {
  let db;
  let cluster;
  if (engine === 'embedded') db = await openEmbedded();
  else {
    cluster = await startPostgres();
    if (!cluster) {
      console.log('serve: PostgreSQL not installed: its figures skipped (apt-get install -y postgresql)');
      continue;
    }
    db = await openPostgres(cluster.url);
  }
  const { ctx, app, base } = await serverOn(db);
  try {
    const vendor = await submissionsPerSecond(engine, base);
    await productListP95(engine, ctx, base, vendor);
  } finally {
    await app.close();
    await db.close();
    cluster?.stop();
  }
}
process.exit(0);
