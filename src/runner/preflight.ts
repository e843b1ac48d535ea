/**
 * Before a run that boots servers: resolve the compute references (settings or
 * discovery), print each choice and why, and check that the cloud can host the run
 * (a usable image and flavors, quota for the servers the run may hold at once).
 * Reads flavors, images, networks and limits; boots nothing. A cloud that cannot
 * host the run is one clear line (CloudError, exit 2) instead of dozens of tests
 * failing the same way.
 */
import type { ComputeSettings } from '../cloud/compute-settings.js';
import { CloudError, type CloudClient } from '../cloud/types.js';
import { findCheckForTest } from '../check/api.js';
import type { SelectedTest } from '../guideline/select.js';
import { ComputeClient, type Flavor } from '../services/compute.js';
import { resolveComputeReferences, type ResolvedReferences } from '../services/compute-refs.js';
import { anyReply } from '../services/protocol.js';

/** A test of the Compute API: it boots servers, and its class may share some for the run. */
function isComputeApiTest(t: SelectedTest): boolean {
  return t.name.startsWith('tempest.api.compute.');
}

/**
 * The selected tests that boot servers: those of the Compute API, and those whose
 * check declares it (`needsCompute`, e.g. Heat stacks with a server). Checks must be
 * loaded first.
 */
export function serverTests(tests: readonly SelectedTest[]): SelectedTest[] {
  return tests.filter((t) => isComputeApiTest(t) || findCheckForTest(t)?.needsCompute === true);
}

/** True when a selected test boots servers (and so needs the references). */
export function needsCompute(tests: readonly SelectedTest[]): boolean {
  return serverTests(tests).length > 0;
}

/**
 * Servers the compute checks share for the whole run: ListServerFilters' three,
 * CreateServer's one, the negative tests' one, and the class servers of
 * ServerMetadataTestJSON and ImagesOneServerTestJSON (`classServer`).
 */
export const SHARED_SERVERS = 7;

/** The run's shared servers: only Compute API tests share any. */
export function sharedServers(tests: readonly SelectedTest[]): number {
  return tests.some(isComputeApiTest) ? SHARED_SERVERS : 0;
}

/**
 * Servers a run may hold at once: one per test running (at most `concurrency`),
 * one more for the test that boots two (min_count 2), and the shared servers.
 */
export function peakServers(concurrency: number, computeTests: number, shared = SHARED_SERVERS): number {
  return Math.max(1, Math.min(concurrency, computeTests)) + 1 + shared;
}

export interface QuotaNeed {
  servers: number;
  cores: number;
  ramMb: number;
}

/**
 * What the chosen flavors make of the peak: every server on flavor_ref, and two of
 * them (a resize, ListServerFilters' alt-flavor server) on flavor_ref_alt when it is bigger.
 */
export function quotaNeed(flavors: { flavor: Flavor; alt: Flavor }, servers: number): QuotaNeed {
  const vcpus = (f: Flavor) => f.vcpus ?? 1;
  const ram = (f: Flavor) => f.ram ?? 0;
  const onAlt = Math.min(2, servers);
  return {
    servers,
    cores: servers * vcpus(flavors.flavor) + onAlt * Math.max(0, vcpus(flavors.alt) - vcpus(flavors.flavor)),
    ramMb: servers * ram(flavors.flavor) + onAlt * Math.max(0, ram(flavors.alt) - ram(flavors.flavor)),
  };
}

const LIMITS: Array<{ what: string; max: string; used: string; need: keyof QuotaNeed; unit: string }> = [
  { what: 'servers', max: 'maxTotalInstances', used: 'totalInstancesUsed', need: 'servers', unit: '' },
  { what: 'cores', max: 'maxTotalCores', used: 'totalCoresUsed', need: 'cores', unit: '' },
  { what: 'RAM', max: 'maxTotalRAMSize', used: 'totalRAMUsed', need: 'ramMb', unit: ' MB' },
];

/**
 * Compares Nova's absolute limits with the need; returns the refusal, or undefined.
 * A limit that is absent or negative (unlimited) is not a reason to refuse.
 */
export function quotaShortfall(absolute: Record<string, unknown>, need: QuotaNeed, concurrency: number): string | undefined {
  const short: string[] = [];
  for (const l of LIMITS) {
    const max = absolute[l.max];
    if (typeof max !== 'number' || max < 0) continue;
    const usedRaw = absolute[l.used];
    const used = typeof usedRaw === 'number' && usedRaw > 0 ? usedRaw : 0;
    const free = max - used;
    if (free < need[l.need]) short.push(`${l.what}: ${free}${l.unit} free (${max}${l.unit} allowed, ${used}${l.unit} in use), up to ${need[l.need]}${l.unit} needed`);
  }
  if (short.length === 0) return undefined;
  return `the primary account's compute quota is too small for the run even at --concurrency ${concurrency} (it may hold ${need.servers} servers at once): ${short.join('; ')}. Raise the quota or remove servers`;
}

/**
 * The highest concurrency up to `requested` whose peak the quota holds, or the
 * refusal when not even one test at a time fits. Tests run at a lower concurrency
 * rather than fail on quota errors at the peak.
 */
export function fitConcurrency(
  absolute: Record<string, unknown>,
  flavors: { flavor: Flavor; alt: Flavor },
  requested: number,
  computeTests: number,
  shared = SHARED_SERVERS,
): { concurrency: number; need: QuotaNeed } | { refusal: string } {
  for (let c = requested; c >= 1; c--) {
    const need = quotaNeed(flavors, peakServers(c, computeTests, shared));
    if (!quotaShortfall(absolute, need, c)) return { concurrency: c, need };
  }
  return { refusal: quotaShortfall(absolute, quotaNeed(flavors, peakServers(1, computeTests, shared)), 1)! };
}

export interface PreparedCompute extends ResolvedReferences {
  /** The quota check as printed, or why it could not be made. */
  quota: string;
  /** The concurrency the quota allows (at most the requested one). */
  concurrency: number;
  /**
   * How many finished tests may still be running their recorded cleanups (deleting
   * their servers) beside `concurrency` running tests: what the quota holds on top,
   * at most `concurrency`; none when the quota could not be read.
   */
  lingering: number;
}

/**
 * The most finished tests (up to `run.concurrency`) whose servers the quota holds
 * beside the running ones: each lingering test may still hold one server.
 */
export function fitLingering(
  absolute: Record<string, unknown>,
  flavors: { flavor: Flavor; alt: Flavor },
  run: { concurrency: number; computeTests: number; shared?: number },
): number {
  const fits = (b: number) =>
    !quotaShortfall(absolute, quotaNeed(flavors, peakServers(run.concurrency + b, run.computeTests + b, run.shared ?? SHARED_SERVERS)), run.concurrency);
  let b = run.concurrency;
  while (b > 0 && !fits(b)) b--;
  return b;
}

/**
 * Resolves the references, prints one line per choice (and per warning) through
 * `err`, and checks the quota. Throws CloudError('config') when the run cannot be hosted.
 */
export async function prepareCompute(
  client: CloudClient,
  settings: ComputeSettings,
  opts: { concurrency: number; computeTests: number; sharedServers?: number; err(text: string): void },
): Promise<PreparedCompute> {
  let resolved: ResolvedReferences;
  try {
    resolved = await resolveComputeReferences(client, settings);
  } catch (err) {
    if (err instanceof CloudError) throw new CloudError(`compute references: ${err.message}`, err.code, err.detail);
    throw err;
  }
  for (const c of resolved.choices) {
    opts.err(`defcore: compute ${c.setting}: ${c.id ? `${c.name || c.id} (${c.id})` : '-'}: ${c.why}\n`);
  }
  for (const w of resolved.warnings) opts.err(`defcore: warning: ${w}\n`);

  const limits = await anyReply(() => new ComputeClient(client).showLimits());
  let quota: string;
  let concurrency = opts.concurrency;
  let lingering = 0;
  const absolute = limits.status === 200 ? limits.body?.limits?.absolute : undefined;
  if (absolute && typeof absolute === 'object') {
    const fit = fitConcurrency(absolute, resolved.flavors, opts.concurrency, opts.computeTests, opts.sharedServers ?? SHARED_SERVERS);
    if ('refusal' in fit) throw new CloudError(`preflight: ${fit.refusal}`, 'config');
    concurrency = fit.concurrency;
    const { need } = fit;
    quota = `quota allows the ${need.servers} servers, ${need.cores} cores and ${need.ramMb} MB RAM the run may hold at once`;
    if (concurrency < opts.concurrency) quota += `; running at concurrency ${concurrency} instead of ${opts.concurrency}, which would need more`;
    lingering = fitLingering(absolute, resolved.flavors, { concurrency, computeTests: opts.computeTests, shared: opts.sharedServers ?? SHARED_SERVERS });
  } else {
    quota = `quota not checked: GET /limits answered HTTP ${limits.status}`;
  }
  opts.err(`defcore: preflight: ${quota}\n`);
  return { ...resolved, quota, concurrency, lingering };
}
