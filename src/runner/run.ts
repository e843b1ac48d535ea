/**
 * A run: selected tests -> native checks (bounded concurrency) -> results ->
 * evaluation -> reporters. Teardown always happens: per-test cleanups, a final
 * sweep of anything carrying the run prefix, and the result files, even when the
 * run is interrupted.
 */
import path from 'node:path';
import type { CapabilityStatus } from '../guideline/model.js';
import type { LoadedGuideline } from '../guideline/load.js';
import { selectTests, unionTests, type SelectedTest } from '../guideline/select.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { TestResult } from '../results/model.js';
import type { AuthIdentity } from '../cloud/types.js';
import { loadChecks } from '../check/load.js';
import { findCheckForTest } from '../check/api.js';
import { sweepAll } from '../cleanup/registry.js';
import { teardownRunFixtures } from '../services/compute-fixtures.js';
import { discoverServices } from '../cloud/discover.js';
import { executeTest } from './execute.js';
import { newRunPrefix, type Accounts } from './context.js';
import type { ComputeSettings } from '../cloud/compute-settings.js';
import { prepareCompute, serverTests, sharedServers } from './preflight.js';
import { startOrder } from './schedule.js';
import { lingeringFor, runWithSlots } from './slots.js';
import type { GuidelineEvaluation, Reporter, RunInfo, RunSummary } from './events.js';
import type { ResolvedValidation } from '../validation/resolve.js';
import { emit } from './reporters/registry.js';
import { withRetries } from './retry.js';
import { redactResult, textRedactor } from './redact-result.js';
import { redactText, stripUrlCredentials } from '../cloud/redact.js';
import { printableLine } from '../util/terminal.js';

export interface RunOptions {
  loaded: LoadedGuideline;
  /**
   * More guidelines judged by the same run (`--guideline 2019.11,2020.06,next`): the
   * union of their tests runs once, and each guideline gets its own verdict.
   */
  also?: LoadedGuideline[];
  program: string;
  statuses?: readonly CapabilityStatus[];
  accounts: Accounts;
  cloudName: string;
  concurrency: number;
  timeoutMs: number;
  /** Only tests whose name (or an alias) contains / matches this. */
  only?: string;
  /** Only these tests (names or uuids), e.g. the failures of an earlier run. */
  subset?: Set<string>;
  /** Results carried over from an earlier run for tests not run again. */
  carried?: TestResult[];
  outputDir: string;
  reporters: Reporter[];
  err(text: string): void;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** The user's compute references (image_ref, flavor_ref…); the rest is discovered. */
  computeSettings?: ComputeSettings;
  /** Guest validation (resolved against the cloud), when configured. */
  validation?: ResolvedValidation;
  /**
   * After the interrupt, how long running tests' cleanups and the final sweep may take
   * before the run stops waiting and writes what it has (default 30 s). A hanging cloud
   * must not make Ctrl-C hang.
   */
  teardownMs?: number;
  /** The run prefix (default: a fresh one); the CLI makes it to name it in its messages. */
  prefix?: string;
  /** How many times a test that failed for a transport reason runs again (default 0). */
  retries?: number;
}

/** Default teardown budget after an interrupt. */
export const DEFAULT_TEARDOWN_MS = 30_000;

/**
 * Resolves when `work` settles, or — once `signal` has fired — when the teardown deadline
 * passes, whichever is first: `true` when the work finished.
 */
function finishedBeforeDeadline(work: Promise<unknown>, signal: AbortSignal, deadline: () => number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const at = deadline();
      if (at !== undefined) timer = setTimeout(() => resolve(false), Math.max(0, at - Date.now()));
    };
    if (signal.aborted) arm();
    else signal.addEventListener('abort', arm, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', arm);
      resolve(true);
    };
    work.then(done, done);
  });
}

/**
 * Backstop deadline of one cleanup. Cleanups wait with deadlines of their own (as
 * Tempest's, up to its build_timeout of 300 s, after retrying a busy resource)
 * and asserted ones decide the test,
 * so this must not cut them shorter than the cloud is allowed to take.
 */
const CLEANUP_TIMEOUT_MS = 600_000;

/** Service types whose endpoints are recorded as the cloud's identity. */
const DISCOVERED_SERVICES = ['identity', 'object-store', 'image', 'network', 'compute', 'volumev3', 'block-storage', 'placement', 'dns', 'orchestration'];

/** The native check a test runs (the one executeTest finds), as a key: tests of several guidelines with one check run once. */
function checkIdentity(t: SelectedTest): string | undefined {
  const check = findCheckForTest(t);
  if (!check) return undefined;
  return 'id' in check && typeof check.id === 'string' ? check.id : `name:${check.test}`;
}

function matchesOnly(t: SelectedTest, only: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(only);
  } catch {
    return [t.name, ...t.aliases].some((n) => n.includes(only));
  }
  return [t.name, ...t.aliases, t.uuid ?? ''].some((n) => re.test(n));
}

export async function runGuideline(opts: RunOptions): Promise<RunSummary> {
  const { guideline } = opts.loaded;
  const judged = [opts.loaded, ...(opts.also ?? [])];
  await loadChecks();
  const lists = judged.map((l) => selectTests(l.guideline, opts.program, opts.statuses));
  let tests = lists.length > 1 ? unionTests(lists, checkIdentity) : lists[0]!;
  if (opts.only) tests = tests.filter((t) => matchesOnly(t, opts.only!));
  if (opts.subset) tests = tests.filter((t) => opts.subset!.has(t.name) || (t.uuid && opts.subset!.has(t.uuid)) || t.aliases.some((a) => opts.subset!.has(a)));

  const teardownMs = opts.teardownMs ?? DEFAULT_TEARDOWN_MS;
  let teardownDeadline: number | undefined;
  const onAbort = (): void => void (teardownDeadline = Date.now() + teardownMs);
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  const deadline = (): number | undefined => teardownDeadline;

  const primary = opts.accounts.primary;
  let identity: AuthIdentity | undefined;
  const services: Record<string, string> = {};
  const versions: Record<string, string> = {};
  if (primary) {
    identity = await primary.identity();
    // Discovery is best effort: an interrupt while a cloud is slow to answer stops it.
    const discovery = discoverServices(primary, DISCOVERED_SERVICES).then((found) => {
      for (const [type, d] of Object.entries(found)) {
        services[type] = stripUrlCredentials(d.url);
        if (d.version) versions[type] = d.version;
      }
    });
    await finishedBeforeDeadline(discovery, opts.signal, () => Date.now());
  }

  // Before any test: the references every server-booting check shares (Compute API tests and
  // checks declaring needsCompute, such as Heat stacks with servers), and whether the cloud can host the run.
  const booting = serverTests(tests).length;
  const compute = primary && booting > 0
    ? await prepareCompute(primary, opts.computeSettings ?? {}, { concurrency: opts.concurrency, computeTests: booting, sharedServers: sharedServers(tests), err: opts.err })
    : undefined;

  const info: RunInfo = {
    guideline,
    guidelineFile: opts.loaded.file,
    guidelineSha256: opts.loaded.sha256,
    program: opts.program,
    cloudName: opts.cloudName,
    services,
    versions,
    prefix: opts.prefix ?? newRunPrefix(),
    tests,
    concurrency: compute?.concurrency ?? opts.concurrency,
    outputDir: path.resolve(opts.outputDir),
    startedAt: new Date(),
  };
  if (identity) info.identity = identity;
  if (opts.also?.length) info.guidelineIds = judged.map((l) => l.guideline.id);
  if (compute) info.references = { compute: compute.choices, preflight: compute.quota };

  const redact = textRedactor(opts.accounts);
  const reporters = [...opts.reporters];
  await emit(reporters, 'onBegin', opts.err, info);
  const results: TestResult[] = [];
  // A test whose verdict is final (pass or skip: nothing to retry) may hand its slot
  // to the next test while its recorded-only cleanups (Tempest's class-level ones)
  // still run (lingeringFor says how many at once). Its result is reported when
  // they are done.
  const lingering = lingeringFor(tests, info.concurrency, compute?.lingering);
  const running = new Map<string, SelectedTest>();
  let gaveUp = false;
  const runOne = async (t: SelectedTest, handOver: () => void): Promise<void> => {
    if (opts.signal.aborted) return; // not started before the interrupt: left out, never invented
    running.set(t.name, t);
    await emit(reporters, 'onTestBegin', opts.err, t);
    const execute = () => executeTest(t, {
      accounts: opts.accounts,
      prefix: info.prefix,
      timeoutMs: opts.timeoutMs,
      cleanupTimeoutMs: CLEANUP_TIMEOUT_MS,
      runSignal: opts.signal,
      ...(compute ? { computeReferences: compute.refs } : {}),
      ...(opts.validation ? { validation: opts.validation } : {}),
      onVerdict: (status) => {
        if (status === 'pass' || status === 'skip') handOver();
      },
    });
    const r = redactResult(await withRetries(execute, opts.retries ?? 0, opts.signal), redact);
    if (gaveUp) return; // already reported as interrupted with its teardown unfinished
    running.delete(t.name);
    results.push(r);
    await emit(reporters, 'onTestEnd', opts.err, t, r);
  };
  const all = runWithSlots(startOrder(tests), info.concurrency, lingering, runOne);

  let teardownIncomplete: string[] | undefined;
  if (!(await finishedBeforeDeadline(all, opts.signal, deadline))) {
    gaveUp = true;
    teardownIncomplete = [...running.keys()];
    for (const t of running.values()) {
      const r: TestResult = {
        name: t.name,
        status: 'error',
        reason: `interrupted: its teardown did not finish within ${Math.round(teardownMs / 1000)} s; resources named ${info.prefix}… may be left`,
      };
      if (t.uuid) r.uuid = t.uuid;
      results.push(r);
      await emit(reporters, 'onTestEnd', opts.err, t, r);
    }
  }

  // Safety net: whatever a check failed to remove still carries the run prefix.
  let swept: string[] = [];
  let sweepIncomplete = false;
  if (primary) {
    const interrupted = opts.signal.aborted;
    if (interrupted && teardownDeadline !== undefined && teardownDeadline <= Date.now()) sweepIncomplete = true;
    else {
      // interrupted: look again a little later for creates whose answers were cut off
      // The run's shared fixtures (servers, images, validation key pairs) are torn down first
      // and on their own: swept side by side with the image sweep, they were counted as leftovers.
      const sweep = teardownRunFixtures(info.prefix, primary).then((failures) => {
        for (const f of failures) opts.err(`defcore: run fixtures: ${printableLine(redact(f))}\n`);
        return sweepAll(primary, info.prefix, interrupted ? { passes: 2, settleMs: 3_000 } : {});
      }).then((s) => {
        swept = s.removed;
        for (const f of s.failures) opts.err(`defcore: final sweep: ${printableLine(redact(f))}\n`);
        if (s.failures.length) sweepIncomplete = true;
      });
      if (!(await finishedBeforeDeadline(sweep, opts.signal, deadline))) sweepIncomplete = true;
    }
    if (swept.length) opts.err(`defcore: removed ${swept.length} leftover(s) of this run: ${printableLine(swept.slice(0, 5).join(', '))}${swept.length > 5 ? ' …' : ''}\n`);
  }
  opts.signal.removeEventListener('abort', onAbort);

  const ran = new Set(results.map((r) => r.uuid ?? r.name));
  for (const r of opts.carried ?? []) if (!ran.has(r.uuid ?? r.name)) results.push(redactResult(r, redactText));
  const order = new Map(tests.map((t, i) => [t.name, i]));
  results.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const evaluation = evaluate(guideline, opts.program, results, opts.statuses ? { statuses: opts.statuses } : {});
  const judgedBy: GuidelineEvaluation[] | undefined = opts.also?.length
    ? judged.map((l) => ({
        loaded: { guideline: l.guideline, file: l.file, sha256: l.sha256 },
        evaluation: l === opts.loaded ? evaluation : evaluate(l.guideline, opts.program, results, opts.statuses ? { statuses: opts.statuses } : {}),
      }))
    : undefined;
  const summary: RunSummary = {
    info,
    results,
    evaluation,
    finishedAt: new Date(),
    interrupted: opts.signal.aborted,
    swept,
    notImplemented: results.filter((r) => r.status === 'not-implemented').map((r) => r.name),
    ...(judgedBy ? { guidelines: judgedBy } : {}),
    ...(teardownIncomplete?.length ? { teardownIncomplete } : {}),
    ...(sweepIncomplete ? { sweepIncomplete } : {}),
  };
  await emit(reporters, 'onEnd', opts.err, summary);
  return summary;
}
