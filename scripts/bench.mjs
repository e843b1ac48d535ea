#!/usr/bin/env node
// Benchmarks whole defcore processes: wall time and peak memory (max RSS) per case.
// Usage: npm run bench [-- --offline] [-- --runs N] [-- --tempest | --tempest-only]
// --tempest: Tempest 33 and defcore side by side on the dev cloud (Storage and Compute, concurrency 2).
// --tempest-only: only that comparison (about half an hour on the dev cloud), nothing else.
// --programs object: the comparison for these programs only (default object,compute).
// Cases against a cloud run only when the local dev cloud answers (scripts/dev-cloud start).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'defcore.js');
const args = process.argv.slice(2);
const offline = args.includes('--offline');
const runsIdx = args.indexOf('--runs');
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 5;
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// Tempest runs take minutes; they are part of a bench run only when asked for.
const tempestOnly = args.includes('--tempest-only');
const withTempest = tempestOnly || args.includes('--tempest');
// --programs object,compute: which programs the comparison takes (both by default)
const programsIdx = args.indexOf('--programs');
const programs = programsIdx >= 0 ? String(args[programsIdx + 1]).split(',') : ['object', 'compute'];
const SETTLE_SECONDS = 30;

if (!existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}

/** Runs one process; returns seconds, peak RSS in MiB (when GNU time is present) and exit code. */
function measure(argv, opts = {}) {
  const started = process.hrtime.bigint();
  const cmd = gnuTime ? gnuTime : process.execPath;
  const full = gnuTime ? ['-f', '__BENCH__ %M', process.execPath, bin, ...argv] : [bin, ...argv];
  const r = spawnSync(cmd, full, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...(opts.env ?? {}) } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = /__BENCH__ (\d+)/.exec(r.stderr ?? '');
  return { seconds, rssMiB: m ? Number(m[1]) / 1024 : undefined, code: r.status, stderr: r.stderr };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(name, argv, { repeat = runs, expectCodes = [0], env } = {}) {
  return benchSamples(name, argv, { repeat, expectCodes, env })?.seconds;
}

function benchSamples(name, argv, { repeat = runs, expectCodes = [0], env } = {}) {
  const samples = [];
  for (let i = 0; i < repeat; i++) {
    const r = measure(argv, { env });
    if (!expectCodes.includes(r.code)) {
      console.log(`${name.padEnd(58)} FAILED (exit ${r.code}): ${(r.stderr ?? '').split('\n').filter((l) => !l.startsWith('__BENCH__')).slice(-3).join(' | ')}`);
      return;
    }
    samples.push(r);
  }
  const t = median(samples.map((s) => s.seconds));
  const rss = samples.every((s) => s.rssMiB !== undefined) ? Math.max(...samples.map((s) => s.rssMiB)) : undefined;
  console.log(`${name.padEnd(58)} ${t.toFixed(3).padStart(8)} s (median of ${repeat})  ${rss !== undefined ? `${rss.toFixed(0).padStart(5)} MiB peak RSS` : 'peak RSS n/a (no /usr/bin/time)'}`);
  return { seconds: t, rssMiB: rss };
}

/**
 * Where a run's time went: no schedule at concurrency c beats max(longest test, sum of test
 * time / c); the gap between that bound and the wall time is waiting in series (shared
 * fixtures, leases, discovery, teardown). The longest tests are the critical path.
 */
async function criticalPath(outDir, concurrency, wallSeconds) {
  const file = path.join(outDir, 'results.json');
  if (!existsSync(file)) return;
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const tests = doc.results.filter((r) => typeof r.durationMs === 'number').sort((a, b) => b.durationMs - a.durationMs);
  if (!tests.length) return;
  const sum = tests.reduce((n, r) => n + r.durationMs, 0) / 1000;
  const longest = tests[0].durationMs / 1000;
  const bound = Math.max(longest, sum / concurrency);
  const short = (n) => n.replace(/^.*\.([A-Za-z0-9_]+\.test_[A-Za-z0-9_]+)$/, '$1');
  console.log(`  critical path: wall ${wallSeconds.toFixed(1)} s; ${tests.length} tests, ${sum.toFixed(1)} s of test time; bound at concurrency ${concurrency} ${bound.toFixed(1)} s (${longest >= sum / concurrency ? 'the longest test' : 'test time / concurrency'}); in series beyond it ${(wallSeconds - bound).toFixed(1)} s`);
  console.log(`  longest: ${tests.slice(0, 5).map((r) => `${short(r.name)} ${(r.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
}

async function makeSubunit(file, n) {
  const { encodeResult } = await import(path.join(root, 'dist', 'src', 'results', 'subunit.js'));
  const { loadGuideline } = await import(path.join(root, 'dist', 'src', 'guideline', 'load.js'));
  const { selectTests } = await import(path.join(root, 'dist', 'src', 'guideline', 'select.js'));
  const { guideline } = await loadGuideline('2020.06');
  const real = selectTests(guideline, 'platform');
  const parts = [];
  const t0 = new Date('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    // the guideline's own tests first, then filler like a full Tempest run has
    const t = real[i];
    const r = t ? { name: t.name, uuid: t.uuid, status: 'pass', durationMs: 120 } : { name: `tempest.api.filler.test_module_${i % 97}.FillerTest.test_case_${i}`, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, status: i % 13 === 0 ? 'skip' : 'pass', durationMs: 40, reason: i % 13 === 0 ? 'not configured' : undefined };
    parts.push(encodeResult(r, t0));
  }
  writeFileSync(file, Buffer.concat(parts));
}

/** scripts/tempest-run: Tempest's own wall time for the test run (configuration excluded). */
function tempestRun(program, concurrency, out) {
  const r = spawnSync(path.join(root, 'scripts', 'tempest-run'), ['--guideline', '2020.06', '--program', program, '--concurrency', String(concurrency), '--out', out], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /tempest exit (\d+), ([\d.]+)s wall/.exec(r.stderr ?? '');
  return m ? { seconds: Number(m[2]), code: Number(m[1]) } : { error: (r.stderr ?? '').trim().split('\n').slice(-2).join(' | ') };
}

/**
 * A pause before each side of the comparison: what one side leaves the cloud doing
 * (Swift's expirer and updaters working through its deletions, Nova finishing its
 * deletes) must not be timed as the other side's run. Prints the load it leaves.
 */
async function settle(seconds = SETTLE_SECONDS) {
  await new Promise((r) => setTimeout(r, seconds * 1000));
  console.log(`  (cloud left ${seconds} s to settle; load ${os.loadavg()[0].toFixed(1)})`);
}

async function devCloudUp() {
  const r = spawnSync(path.join(root, 'scripts', 'dev-cloud'), ['status'], { encoding: 'utf8' });
  return r.status === 0;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'defcore-bench-'));
try {
  console.log(`defcore bench on ${os.cpus().length} cores, node ${process.version}`);
  if (!tempestOnly) await offlineCases();
  if (offline) {
    // nothing against a cloud
  } else if (!(await devCloudUp())) {
    console.log('dev cloud not running: cloud runs skipped (scripts/dev-cloud start)');
  } else {
    if (!tempestOnly) devCloudCommands();
    const cloud = ['--os-cloud', 'devcloud', '--alt-cloud', 'devcloud-alt', '--reseller-cloud', 'devcloud-reseller', '--admin-cloud', 'devcloud-admin'];
    if (withTempest) await sideBySide(cloud);
    if (!tempestOnly) await cloudCases(cloud);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** What needs no cloud: start-up, the guideline toolkit, evaluation, the review service. */
async function offlineCases() {
  bench('defcore --help (start-up)', ['--help']);
  bench('guidelines validate (all 26 guidelines)', ['guidelines', 'validate', '--quiet-warnings']);
  bench('guidelines diff 2019.11 2020.06', ['guidelines', 'diff', '2019.11', '2020.06']);
  bench('guidelines tests 2020.06 --program platform', ['guidelines', 'tests', '2020.06', '--program', 'platform']);
  const sub = path.join(tmp, 'ten-thousand.subunit');
  await makeSubunit(sub, 10_000);
  bench('evaluate 10,000-result subunit (platform 2020.06)', ['evaluate', sub, '--guideline', '2020.06', '--program', 'platform']);
  // the review service: throughput and page latency, in a process of its own (tsx: it reuses the test fixtures)
  const serve = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-serve.mjs')], { cwd: root, stdio: 'inherit', timeout: 20 * 60_000 });
  if (serve.status !== 0) console.log(`serve bench FAILED (exit ${serve.status})`);
}

function devCloudCommands() {
  // issue 9's targets: on a running cloud, `start` costs no more than a status check
  for (const sub of ['status', 'start']) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(path.join(root, 'scripts', 'dev-cloud'), [sub], { encoding: 'utf8' });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (r.status !== 0) console.log(`scripts/dev-cloud ${sub} exit ${r.status}`);
    }
    console.log(`${`scripts/dev-cloud ${sub} (cloud running)`.padEnd(58)} ${median(samples).toFixed(3).padStart(8)} s (median of ${runs}; load ${os.loadavg()[0].toFixed(1)})`);
  }
}

async function sideBySide(cloud) {
  {
    // Side by side on the same cloud, same tests, same concurrency: Tempest 33 first, then us.
    for (const program of programs) {
      await settle();
      const tempest = tempestRun(program, 2, path.join(tmp, `tempest-${program}`));
      await settle();
      const ours = measure(['run', '--guideline', '2020.06', '--program', program, ...cloud, '--concurrency', '2', '--output', path.join(tmp, `vs-${program}`)]);
      const label = `2020.06 ${program} at concurrency 2: Tempest 33 vs defcore`;
      if (tempest.seconds === undefined) console.log(`${label.padEnd(58)} Tempest FAILED: ${tempest.error}`);
      else console.log(`${label.padEnd(58)} ${tempest.seconds.toFixed(1)} s vs ${ours.seconds.toFixed(1)} s (${(tempest.seconds / ours.seconds).toFixed(1)}x; Tempest exit ${tempest.code}, defcore exit ${ours.code}${ours.rssMiB ? `, defcore ${ours.rssMiB.toFixed(0)} MiB peak RSS` : ''})`);
      await criticalPath(path.join(tmp, `vs-${program}`), 2, ours.seconds);
    }
  }
}

/** defcore alone on the dev cloud: Storage at 1 and 8, Compute, Platform, the add-ons, guest validation. */
async function cloudCases(cloud) {
  for (const c of [1, 8]) {
    const t = bench(`run 2020.06 object (Storage) at concurrency ${c}`, ['run', '--guideline', '2020.06', '--program', 'object', ...cloud, '--concurrency', String(c), '--output', path.join(tmp, `object-${c}`)], { repeat: 1, expectCodes: [0, 1] });
    if (t !== undefined) await criticalPath(path.join(tmp, `object-${c}`), c, t);
  }
  const tc = bench('run 2020.06 compute (default concurrency 4)', ['run', '--guideline', '2020.06', '--program', 'compute', ...cloud, '--output', path.join(tmp, 'compute')], { repeat: 1, expectCodes: [0, 1] });
  if (tc !== undefined) await criticalPath(path.join(tmp, 'compute'), 4, tc);
  bench('run 2020.06 platform (default concurrency 4)', ['run', '--guideline', '2020.06', '--program', 'platform', ...cloud, '--output', path.join(tmp, 'platform')], { repeat: 1, expectCodes: [0, 1] });
  // The add-ons, when the dev cloud has their services (scripts/dev-cloud installs them on first use).
  for (const [guideline, program] of [['dns.2020.06', 'dns'], ['orchestration.2020.06', 'orchestration']]) {
    bench(`run ${guideline} ${program} (default concurrency 4)`, ['run', '--guideline', guideline, '--program', program, ...cloud, '--output', path.join(tmp, program)], { repeat: 1, expectCodes: [0, 1] });
  }
  // With the dev cloud's data plane: the two guest-login tests boot, SSH in and check (see README).
  const runConfig = path.join(root, '.dev-cloud', 'defcore.yaml');
  if (existsSync(runConfig)) {
    bench('run 2020.06 platform with guest validation (dev cloud data plane)', ['run', '--guideline', '2020.06', '--program', 'platform', '--config', runConfig, ...cloud, '--output', path.join(tmp, 'platform-validation')], { repeat: 1, expectCodes: [0, 1] });
    bench('run 2020.06 compute with guest validation (dev cloud data plane)', ['run', '--guideline', '2020.06', '--program', 'compute', '--config', runConfig, ...cloud, '--output', path.join(tmp, 'compute-validation')], { repeat: 1, expectCodes: [0, 1] });
  }
}
