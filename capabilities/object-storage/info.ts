/**
 * What GET /info must carry. Tempest's test_list_extensions only asks for a
 * well-formed response, so an empty document passed. The Object Storage API
 * reference ("Discoverability", GET /info) says the answer "lists the activated
 * capabilities", and its example carries `swift.version`; Swift registers one key
 * per middleware (Swift 2.30: `swift`, `tempurl`, `slo`, `account_quotas`,
 * `container_quotas`, `versioned_writes` when X-Versions-Location is allowed).
 *
 * Required here: the `swift` section with its version, and the keys of the
 * middleware that every guideline requiring objectstore-info-request
 * (2017.01–next) also requires through its storage capabilities: temp URLs,
 * account and container quotas, versioned containers. SLO became required only in
 * 2018.11, and a check does not know its guideline, so `slo` is required exactly
 * when the cloud honours SLO manifests (probed, nothing is created). DLO is not
 * asked for: Swift's dlo middleware registers no /info key.
 */
import type { CheckContext } from '../../src/check/api.js';
import { describeRequest, fail } from '../../src/check/expect.js';
import type { ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyReply } from '../../src/services/protocol.js';
import { deferPurge } from './steps.js';

/** /info keys of middleware every guideline with objectstore-info-request depends on. */
export const REQUIRED_MIDDLEWARE = ['tempurl', 'account_quotas', 'container_quotas', 'versioned_writes'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether the cloud runs SLO: a manifest PUT (`?multipart-manifest=put`) whose body
 * is not JSON is refused with 400 by SLO before anything is stored; without SLO it
 * is a plain object PUT into a container that does not exist (404). Undefined when
 * the answer is neither.
 */
async function honoursSloManifests(ctx: CheckContext, swift: ObjectStorageClient): Promise<boolean | undefined> {
  const container = ctx.name('no-such-container');
  deferPurge(ctx, swift, container);
  const res = await anyReply(() => swift.createObject(container, 'slo-probe', 'not a manifest', { query: { 'multipart-manifest': 'put' } }));
  if (res.status === 400) return true;
  if (res.status === 404) return false;
  ctx.note(`${describeRequest(res)}: answered ${res.status}; whether SLO is active is unknown, "slo" in /info not required`);
  return undefined;
}

/** Asserts the content of an /info document (parsed JSON object). */
export async function expectDiscoverableCapabilities(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  info: unknown,
  where: string,
): Promise<void> {
  if (!isObject(info)) fail(`${where}: /info is not a JSON object`);
  const core = info.swift;
  if (!isObject(core)) fail(`${where}: no "swift" section (the cluster's own capabilities and version)`);
  if (typeof core.version !== 'string' || core.version.trim() === '') {
    fail(`${where}: "swift" section without a version, got ${JSON.stringify(core.version)}`);
  }
  const missing = REQUIRED_MIDDLEWARE.filter((key) => !isObject(info[key]));
  if (missing.length > 0) {
    fail(`${where}: /info does not list ${missing.map((m) => `"${m}"`).join(', ')} (middleware the storage program requires); lists ${JSON.stringify(Object.keys(info))}`);
  }
  if (!isObject(info.slo)) {
    const slo = await honoursSloManifests(ctx, swift);
    if (slo === true) fail(`${where}: the cloud honours SLO manifests but /info does not list "slo"`);
    if (slo === false) ctx.note('SLO manifests are not honoured here, so "slo" in /info is not required');
  }
}
