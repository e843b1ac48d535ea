/**
 * Steps shared by the compute checks: each performs one Nova operation (the
 * client asserts the status and response schema Tempest's client asserts for
 * it), and registers the cleanup of what it created the moment it exists. Also the run's
 * references (image, alternative image, flavors, network), found once per run
 * like Tempest's [compute] image_ref/flavor_ref settings. Registers no check.
 */
import { randomBytes } from 'node:crypto';
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { describeRequest, expectStatus, expectThat, fail, type ResponseLike } from '../../src/check/expect.js';
import { CloudError, type CloudClient } from '../../src/cloud/types.js';
import { ComputeClient, type Server } from '../../src/services/compute.js';
import { resolveComputeReferences } from '../../src/services/compute-refs.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import { ImageClient, type Image } from '../../src/services/image.js';
import { SchemaMismatch, anyReply, schemaViolations, statusOnly, type Reply } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';
import { settle } from '../volume/steps.js';
import { expectRefusal } from '../../src/check/expect-refusal.js';

/** Longest wait for a server state (Tempest's build_timeout default). */
export const BUILD_TIMEOUT_MS = 300_000;
/** Deadline of checks that boot servers. */
export const SERVER_CHECK_TIMEOUT_MS = 420_000;

/** First pause between state polls; unit tests against an in-memory Nova shorten it. */
export const polling = { initialDelayMs: 500 };

/** The primary account's Nova client (no microversion header unless given). */
export function nova(ctx: CheckContext, microversion?: string): ComputeClient {
  return new ComputeClient(ctx.account('primary'), microversion);
}

/**
 * Asserts an empty body, as Tempest does for bodiless responses (the client has
 * asserted the status); `status` is for answers taken whatever their status.
 */
export function expectNoBody(res: ResponseLike, status?: number | readonly number[]): void {
  if (status !== undefined) expectStatus(res, status);
  if (res.text.trim() !== '') fail(`${describeRequest(res)}: expected no response body, got ${JSON.stringify(res.text.slice(0, 200))}`);
}

/**
 * The client's schema verdict on an answer a wait took leniently (`anyReply`),
 * for the waits that hold only their last answer to the schema.
 */
export function expectMatches(res: Reply<unknown>, schema: string): void {
  const violations = schemaViolations(schema, res.body);
  if (violations.length > 0) throw new SchemaMismatch(res, schema, violations);
}

// --- run references -------------------------------------------------------------

/** Tempest's [compute] references as the checks use them (the alt image always present). */
export interface ComputeRefs {
  imageRef: string;
  /** A second image, distinct from imageRef (created for the run when the cloud has only one). */
  imageRefAlt: string;
  flavorRef: string;
  /** A second flavor, distinct from flavorRef. */
  flavorRefAlt: string;
  /** The network servers are booted on, when one had to be chosen. */
  network?: { id: string; name: string };
}

/**
 * A private image for image_ref_alt when the cloud offers one bootable image: same
 * formats and minimums as image_ref, removed by the fixture's teardown.
 */
async function copyImage(ctx: CheckContext, client: CloudClient, imageRef: string): Promise<{ id: string; teardown: (c: CloudClient) => Promise<void> }> {
  const glance = new ImageClient(client);
  // The client asserts the 200 (and 201, 204 below); this fixture, as before, leaves the schemas unjudged.
  const src = await statusOnly(() => glance.showImage(imageRef));
  const preferred: Image = src.body;
  const created = await statusOnly(() => glance.createImage({
    name: `${ctx.prefix}image-alt-${randomBytes(3).toString('hex')}`,
    container_format: preferred.container_format ?? 'bare',
    disk_format: preferred.disk_format ?? 'raw',
    visibility: 'private',
    ...(typeof preferred['min_disk'] === 'number' ? { min_disk: preferred['min_disk'] } : {}),
    ...(typeof preferred['min_ram'] === 'number' ? { min_ram: preferred['min_ram'] } : {}),
  }));
  const id = created.body.id;
  const teardown = async (c: CloudClient) => {
    const del = await anyReply(() => new ImageClient(c).deleteImage(id));
    if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE image ${id}: ${del.status}`);
  };
  try {
    await glance.uploadImageFile(id, randomBytes(1024));
  } catch (err) {
    await teardown(client).catch(() => undefined);
    throw err;
  }
  return { id, teardown };
}

/**
 * The run's image, flavors and network: those the runner resolved before the run
 * (settings or discovery, see src/services/compute-refs.ts), or, for a check run
 * on its own, the same discovery. Found once per run and account.
 */
export function computeRefs(ctx: CheckContext): Promise<ComputeRefs> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, 'compute-refs', async () => {
    let resolved = ctx.computeReferences;
    if (!resolved) {
      try {
        resolved = (await resolveComputeReferences(client)).refs;
      } catch (err) {
        if (err instanceof CloudError && err.code === 'config') throw new CheckSkip(err.message);
        throw err;
      }
    }
    let teardown: ((c: CloudClient) => Promise<void>) | undefined;
    let imageRefAlt = resolved.imageRefAlt;
    if (!imageRefAlt) {
      const copy = await copyImage(ctx, client, resolved.imageRef);
      imageRefAlt = copy.id;
      teardown = copy.teardown;
    }
    const value: ComputeRefs = { imageRef: resolved.imageRef, imageRefAlt, flavorRef: resolved.flavorRef, flavorRefAlt: resolved.flavorRefAlt, ...(resolved.network ? { network: resolved.network } : {}) };
    const network = value.network;
    ctx.note(`compute references: image ${value.imageRef}, alt image ${value.imageRefAlt}, flavor ${value.flavorRef}, alt flavor ${value.flavorRefAlt}${network ? `, network ${network.name} (${network.id})` : ''}`);
    return teardown ? { value, teardown } : { value };
  });
}

// --- servers -------------------------------------------------------------------

/** Nova's fault of a server in ERROR, for evidence. */
export function faultOf(server: Partial<Server> | undefined): string {
  const f = server?.fault;
  return f ? `status ERROR, fault ${f.code ?? ''} ${f.message ?? ''}${f.details ? ` (${f.details.slice(0, 200)})` : ''}`.replace(/\s+/g, ' ') : 'status ERROR (no fault reported)';
}

/**
 * Polls GET /servers/{id} (200 + schema each time) until `status` with no task
 * in progress (Tempest's ready_wait); ERROR fails at once with the fault.
 */
export async function waitForServerStatus(signal: AbortSignal | undefined, compute: ComputeClient, id: string, status: string): Promise<Server> {
  const res = await waitFor({
    what: `server ${id} to reach ${status}`,
    // The client asserts the 200 and the schema of every show, as Tempest's does.
    poll: () => compute.showServer(id),
    failed: (r) => (r.body.server.status === 'ERROR' && status !== 'ERROR' ? faultOf(r.body.server) : undefined),
    done: (r) => r.body.server.status === status && (r.body.server['OS-EXT-STS:task_state'] ?? null) === null,
    describe: (r) => `status ${r.body.server.status}, task state ${String(r.body.server['OS-EXT-STS:task_state'] ?? null)}`,
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
    ...(signal ? { signal } : {}),
  });
  return res.body.server;
}

/** Polls until GET /servers/{id} answers 404; ERROR fails (Tempest's termination waiter). */
export async function waitForServerTermination(signal: AbortSignal | undefined, compute: ComputeClient, id: string): Promise<void> {
  await waitFor({
    what: `server ${id} to be deleted`,
    // Any answer: a 404 is the end, and a 200 is not judged against the schema.
    poll: () => anyReply(() => compute.showServer(id)),
    failed: (r) => (r.status === 200 && r.body.server?.status === 'ERROR' ? `deletion left it in ${faultOf(r.body.server)}` : undefined),
    done: (r) => r.status === 404,
    describe: (r) => (r.status === 200 ? `status ${r.body.server?.status}` : `HTTP ${r.status}`),
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
    ...(signal ? { signal } : {}),
  });
}

/** Deletes a server (204 or 404) and waits until it is gone; for cleanups. */
export async function deleteServerAndWait(compute: ComputeClient, id: string): Promise<void> {
  const res = await anyReply(() => compute.deleteServer(id));
  if (res.status !== 204 && res.status !== 404) throw new Error(`DELETE server ${id}: status ${res.status}`);
  await waitForServerTermination(undefined, compute, id);
}

export interface CreateServerOptions {
  /** Extra attributes of the `server` object (name defaults to a prefixed one). */
  attrs?: Record<string, unknown>;
  /** Status to wait for after creation (none: return at once). */
  waitUntil?: string;
  /** Leave out the network choice (the request names its own or none). */
  noNetwork?: boolean;
}

/** The request body Tempest's create_test_server sends: name, image, flavor, network. */
export function serverBody(ctx: CheckContext, refs: ComputeRefs, opts: CreateServerOptions = {}): Record<string, unknown> {
  const attrs = opts.attrs ?? {};
  return {
    name: ctx.name('server'),
    imageRef: refs.imageRef,
    flavorRef: refs.flavorRef,
    ...(refs.network && !opts.noNetwork && !('networks' in attrs) ? { networks: [{ uuid: refs.network.id }] } : {}),
    ...attrs,
  };
}

/**
 * POST /servers (202 + create schema), its deletion deferred at once (DELETE then
 * wait until gone), then optionally waits for a status. Returns the create
 * response's server (with adminPass) and, when awaited, the shown server.
 */
export async function createServer(
  ctx: CheckContext,
  compute: ComputeClient,
  refs: ComputeRefs,
  opts: CreateServerOptions = {},
): Promise<{ created: Server; server?: Server; res: Reply<{ server: Server }> }> {
  const { reply: res, failure } = await settle(() => compute.createServer(serverBody(ctx, refs, opts)));
  const id = (res.body as { server?: { id?: unknown } } | undefined)?.server?.id;
  if (res.status >= 200 && res.status < 300 && typeof id === 'string') {
    ctx.defer(`delete server ${id}`, () => deleteServerAndWait(compute, id));
  }
  // The client's verdict on the 202 and the schema, once the deletion is registered.
  if (failure) throw failure;
  const created = res.body.server;
  if (!opts.waitUntil) return { created, res };
  const server = await waitForServerStatus(ctx.signal, compute, created.id, opts.waitUntil);
  return { created, server, res };
}

/**
 * POST /servers (202 + schema) for a run fixture: no deferred deletion (the
 * fixture's teardown and the final sweep remove it); a failure after the
 * server exists deletes it before rethrowing.
 */
export async function createServerUnmanaged(
  ctx: CheckContext,
  compute: ComputeClient,
  refs: ComputeRefs,
  opts: CreateServerOptions = {},
): Promise<{ id: string; created: Server; server?: Server }> {
  const { reply: res, failure } = await settle(() => compute.createServer(serverBody(ctx, refs, opts)));
  const id = (res.body as { server?: { id?: unknown } } | undefined)?.server?.id;
  try {
    if (failure) throw failure;
    const created = res.body.server;
    if (!opts.waitUntil) return { id: created.id, created };
    const server = await waitForServerStatus(undefined, compute, created.id, opts.waitUntil);
    return { id: created.id, created, server };
  } catch (err) {
    if (typeof id === 'string') await deleteServerAndWait(compute, id).catch(() => undefined);
    throw err;
  }
}

/** GET /servers/{id} (200 + schema). */
export async function showServer(compute: ComputeClient, id: string): Promise<Server> {
  const res = await compute.showServer(id);
  const server = res.body.server;
  expectThat(server.id === id, `${describeRequest(res)}: shows server ${server.id}, expected ${id}`);
  return server;
}

/** GET /servers[/detail] with a query (200 + the list schema). */
export async function listServers(compute: ComputeClient, detail: boolean, query?: Record<string, string | number>): Promise<Server[]> {
  return (await compute.listServers(detail, query)).body.servers;
}

/**
 * A server creation that must be refused: when the cloud accepts it instead,
 * the server it made is deleted (and the check fails on the status).
 */
export async function createServerExpectingRefusal(
  ctx: CheckContext,
  compute: ComputeClient,
  body: Record<string, unknown>,
  status: number | readonly number[],
  what: string,
): Promise<void> {
  const { reply: res, failure } = await settle(() => compute.createServer(body));
  const id = (res.body as { server?: { id?: unknown } } | undefined)?.server?.id;
  if (res.status >= 200 && res.status < 300 && typeof id === 'string') {
    ctx.defer(`delete server ${id}`, () => deleteServerAndWait(compute, id));
  }
  await expectRefusal(status, what, async () => {
    if (failure) throw failure;
    return res;
  });
}

/** Asserts a flavor reference of a server (2.1: `flavor.id`) names `flavorId`. */
export function expectFlavor(server: Server, flavorId: string, what: string): void {
  const actual = server.flavor.id ?? server.flavor.original_name;
  expectThat(actual === flavorId, `${what}: server ${server.id} has flavor ${JSON.stringify(actual)}, expected ${JSON.stringify(flavorId)}`);
}

/** The image id of a server (`image.id`; '' for volume-backed servers). */
export function imageIdOf(server: Server): string {
  return typeof server.image === 'object' ? server.image.id : '';
}

/** A random hex suffix. */
export function rand(n = 4): string {
  return randomBytes(n).toString('hex');
}

/**
 * The id of a server that existed and was deleted (booted ACTIVE, deleted,
 * awaited until gone), shared by the negative checks of the run.
 */
export function deletedServerId(ctx: CheckContext): Promise<string> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, 'deleted-server', async () => {
    const compute = new ComputeClient(client);
    const { id } = await createServerUnmanaged(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE' });
    try {
      expectNoBody(await compute.deleteServer(id));
      await waitForServerTermination(undefined, compute, id);
    } catch (err) {
      await deleteServerAndWait(compute, id).catch(() => undefined);
      throw err;
    }
    return { value: id };
  });
}

/**
 * An ACTIVE server booted once per run for the tests that share it under `name`, as
 * a Tempest class's resource_setup boots one for all its tests (a run fixture: the
 * first test to ask boots it, the final sweep removes it). Tests that change it
 * hold `oneAtATime` on the same name, as Tempest runs them one after another.
 */
export function classServer(ctx: CheckContext, name: string, attrs: Record<string, unknown> = {}): Promise<Server> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, `class-server ${name}`, async () => {
    const compute = new ComputeClient(client);
    const { id, server } = await createServerUnmanaged(ctx, compute, await computeRefs(ctx), { attrs, waitUntil: 'ACTIVE' });
    return { value: server!, teardown: (c) => deleteServerAndWait(new ComputeClient(c), id) };
  });
}

/** An ACTIVE server shared by the negative checks that only try refused changes on it. */
export function sharedActiveServer(ctx: CheckContext): Promise<Server> {
  return classServer(ctx, 'negative tests');
}
