/**
 * Shared set-up for the network checks: creating resources with run-prefixed
 * names and their removal registered at creation (routers' interfaces are
 * removed before routers, routers before subnets and networks, because removal
 * runs last-registered-first), only recorded or asserted as Tempest's cleanup
 * of the same resource is (see Removal), subnet address plans, extension and
 * external network discovery. Registers no check.
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { describeRequest, fail } from '../../src/check/expect.js';
import {
  NetworkClient,
  type Attributes,
  type Network,
  type Port,
  type Router,
  type RouterInterface,
  type SecurityGroup,
  type Subnet,
  type SubnetPool,
} from '../../src/services/network.js';
import { ProtocolFailure, anyReply, seeReply, type Reply } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';

/** The primary account's Neutron client. */
export function primaryNetwork(ctx: CheckContext): NetworkClient {
  return new NetworkClient(ctx.account('primary'));
}

// --- IPv4 arithmetic ---------------------------------------------------------

/** Dotted quad to a 32-bit unsigned number. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

/** 32-bit unsigned number to dotted quad. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Whether `ip` lies in [start, end]; an answer that is no IPv4 address does not. */
export function ipInRange(ip: string, start: string, end: string): boolean {
  let v: number;
  try {
    v = ipToInt(ip);
  } catch {
    return false;
  }
  return v >= ipToInt(start) && v <= ipToInt(end);
}

/** An IPv4 block: its first address as a number and its prefix length. */
export interface Block {
  base: number;
  prefixlen: number;
  cidr: string;
  /** Address at `offset` from the block's first address. */
  at(offset: number): string;
  /** The last address (broadcast). */
  last: string;
}

/** Where project subnets come from: a /16 cut into /28s, as project subnets usually are. */
const PROJECT_RANGE = ipToInt('10.100.0.0');
const PROJECT_BITS = 16;
const SUBNET_BITS = 28;
const BLOCKS = 2 ** (SUBNET_BITS - PROJECT_BITS);

/** The `index`-th /28 of the project range (wrapping around). */
export function block(index: number, prefixlen = SUBNET_BITS): Block {
  const size = 2 ** (32 - prefixlen);
  const count = 2 ** (prefixlen - PROJECT_BITS);
  const base = PROJECT_RANGE + (((index % count) + count) % count) * size;
  return {
    base,
    prefixlen,
    cidr: `${intToIp(base)}/${prefixlen}`,
    at: (offset: number) => intToIp(base + offset),
    last: intToIp(base + size - 1),
  };
}

/** A random starting block, so concurrent checks rarely try the same CIDR first. */
export function randomBlockIndex(): number {
  return Math.floor(Math.random() * BLOCKS);
}

// --- cleanup -----------------------------------------------------------------

/**
 * How a removal registered by a step counts. By default as the removals of
 * Tempest's class-level fixtures (BaseNetworkTest.create_network, create_subnet,
 * create_port, create_router: addClassResourceCleanup, run in tearDownClass),
 * which fail no test: a failure is only recorded. `asserted` stands for a
 * test-level addCleanup, whose failure fails a test that passed. Tempest wraps
 * most of those in call_and_ignore_notfound_exc: 404 means already gone, a 500
 * is tried again (three attempts in all), any other answer fails.
 * `notFound: 'fails'` stands for a cleanup Tempest registers bare, where a 404
 * fails as well.
 */
export interface Removal {
  asserted?: boolean;
  notFound?: 'ignored' | 'fails';
}

/** The removal of a test-level `call_and_ignore_notfound_exc` cleanup. */
export const ASSERTED: Removal = { asserted: true };
/** The removal of a bare test-level cleanup: a 404 fails too. */
export const ASSERTED_STRICT: Removal = { asserted: true, notFound: 'fails' };

/** How often call_and_ignore_notfound_exc tries a call that answers 500 (ServerFault). */
const SERVER_FAULT_ATTEMPTS = 3;

/** Tempest's [network] build_timeout: how long wait_for_resource_deletion waits. */
export const NETWORK_BUILD_TIMEOUT_MS = 300_000;

/**
 * One removal request judged as the cleanup it stands for (see Removal). An
 * asserted one must answer `expected` (Tempest's client accepts 204 for a
 * deletion, 200 for an interface removal, nothing else); a recorded one any
 * 2xx. Returns the answer (a 404 when the resource was already gone).
 */
export async function removal(what: string, call: () => Promise<Reply<unknown>>, expected: number, how: Removal): Promise<Reply<unknown>> {
  const ignoring = how.notFound !== 'fails';
  for (let attempt = 1; ; attempt++) {
    const res = await anyReply(call);
    if (how.asserted ? res.status === expected : res.status >= 200 && res.status < 300) return res;
    if (res.status === 404 && ignoring) return res;
    if (res.status === 500 && ignoring && attempt < SERVER_FAULT_ATTEMPTS) continue;
    const tries = attempt > 1 ? ` (attempt ${attempt})` : '';
    return fail(`${describeRequest(res)}: removing ${what}: expected status ${expected}${ignoring ? ' (or 404, already gone)' : ''}, got ${res.status}${tries}`);
  }
}

/**
 * Waits until a port answers 404, as Tempest's ports_client.wait_for_resource_deletion
 * (any answer but 200 or 404 fails). A check's body passes ctx.signal; cleanups
 * pass none, only build_timeout bounds them.
 */
export async function awaitPortGone(client: NetworkClient, id: string, signal?: AbortSignal): Promise<void> {
  await waitFor({
    what: `port ${id} to be deleted`,
    poll: () => anyReply(() => client.showPort(id)),
    done: (r) => r.status === 404,
    failed: (r) => (r.status === 200 || r.status === 404 ? undefined : `${describeRequest(r)} answered ${r.status}`),
    describe: (r) => `status ${r.status}`,
    timeoutMs: NETWORK_BUILD_TIMEOUT_MS,
    initialDelayMs: 1000,
    factor: 1,
    ...(signal ? { signal } : {}),
  });
}

/**
 * The id of what a create call made, read from the answer whether or not it
 * kept the protocol, so the removal is registered even when the answer then
 * fails its checks.
 */
export function createdId(res: Reply<unknown>, key: string): string | undefined {
  if (res.status < 200 || res.status >= 300) return undefined;
  const item = (res.body as Record<string, unknown> | null)?.[key];
  const id = (item as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Runs a create and registers, from its answer, the removal of what it made. */
export async function created<T>(call: Promise<Reply<T>>, key: string, register: (id: string) => void): Promise<Reply<T>> {
  return seeReply(call, (res) => {
    const id = createdId(res, key);
    if (id) register(id);
  });
}

/**
 * Asserts a `fields=` projection: the object under `key` (or each of the list
 * under it) carries exactly `fields`, no more and no fewer. The client has
 * checked the status and that they are objects.
 */
export function expectExactFields(res: Reply<Record<string, unknown>>, key: string, fields: readonly string[]): Record<string, unknown>[] {
  const value = res.body[key];
  const items = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
  const want = [...fields].sort();
  items.forEach((item, i) => {
    const got = Object.keys(item).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      fail(`${describeRequest(res)}: with fields=${fields.join(',')}, /${key}${Array.isArray(value) ? `/${i}` : ''} should have exactly [${want.join(', ')}], got [${got.join(', ')}]`);
    }
  });
  return items;
}

// --- creation ----------------------------------------------------------------

/** Creates a network (the client asserts 201 + schema) and registers its deletion. */
export async function createNetwork(ctx: CheckContext, client: NetworkClient, attrs: Attributes = {}, how: Removal = {}): Promise<Network> {
  const register = (id: string) =>
    ctx.defer(`delete network ${id}`, () => removal(`network ${id}`, () => client.deleteNetwork(id), 204, how), { asserted: how.asserted === true });
  return (await created(client.createNetwork({ name: ctx.name('net'), ...attrs }), 'network', register)).body.network;
}

/** What a subnet plan gives for a candidate block: the subnet's attributes besides network and name. */
export type SubnetPlan = (b: Block) => Attributes;

/** The default plan: the block as CIDR with its first address as gateway. */
export const gatewayFirst: SubnetPlan = (b) => ({ cidr: b.cidr, ip_version: 4, gateway_ip: b.at(1) });

/**
 * Creates an IPv4 subnet (201 + schema) and registers its deletion. Tries
 * consecutive /28 blocks from `start` while the cloud answers 400 for an
 * overlapping CIDR (clouds without overlapping IPs, or a second subnet on the
 * same network or router), as project subnets have to be found somewhere free.
 */
export async function createSubnet(
  ctx: CheckContext,
  client: NetworkClient,
  network: Network,
  plan: SubnetPlan = gatewayFirst,
  start = randomBlockIndex(),
  how: Removal = {},
): Promise<{ subnet: Subnet; block: Block; index: number; sent: Attributes }> {
  for (let i = 0; i < 64; i++) {
    const b = block(start + i);
    const sent = plan(b);
    const register = (id: string) =>
      ctx.defer(`delete subnet ${id}`, () => removal(`subnet ${id}`, () => client.deleteSubnet(id), 204, how), { asserted: how.asserted === true });
    let subnet: Subnet;
    try {
      subnet = (await created(client.createSubnet({ name: ctx.name('subnet'), network_id: network.id, ...sent }), 'subnet', register)).body.subnet;
    } catch (err) {
      if (err instanceof ProtocolFailure && err.reply.status === 400 && /overlap/i.test(err.reply.text)) continue;
      throw err;
    }
    return { subnet, block: b, index: start + i, sent };
  }
  return fail(`no free /${SUBNET_BITS} found in 10.100.0.0/16 for a subnet on network ${network.id} after 64 tries`);
}

/**
 * Creates a port (201 + schema) and registers its deletion; an asserted one
 * then awaits the port's disappearance, as Tempest's port tests pair every
 * test-level delete_port with wait_for_resource_deletion.
 */
export async function createPort(ctx: CheckContext, client: NetworkClient, networkId: string, attrs: Attributes = {}, how: Removal = {}): Promise<Port> {
  const register = (id: string) => deferPortDeletion(ctx, client, id, how);
  return (await created(client.createPort({ name: ctx.name('port'), network_id: networkId, ...attrs }), 'port', register)).body.port;
}

/**
 * Registers the deletion of a port (a 404 is ignored unless `how` says otherwise:
 * removing a router interface deletes its port); an asserted one then awaits it gone.
 */
export function deferPortDeletion(ctx: CheckContext, client: NetworkClient, id: string, how: Removal = {}): void {
  ctx.defer(`delete port ${id}`, async () => {
    await removal(`port ${id}`, () => client.deletePort(id), 204, how);
    if (how.asserted) await awaitPortGone(client, id);
  }, { asserted: how.asserted === true });
}

/**
 * Creates a router (201 + schema) and registers its deletion, which first removes
 * any interface still attached (a router with interfaces cannot be deleted), as
 * Tempest's delete_router does.
 */
export async function createRouter(ctx: CheckContext, client: NetworkClient, attrs: Attributes = {}, how: Removal = {}): Promise<Router> {
  const register = (id: string) => ctx.defer(`delete router ${id}`, () => deleteRouterWithInterfaces(client, id, how), { asserted: how.asserted === true });
  return (await created(client.createRouter({ name: ctx.name('router'), ...attrs }), 'router', register)).body.router;
}

/**
 * Removes a router's remaining interfaces (ignoring 404s), then the router,
 * judged as `how` says: asserted, listing the router's ports must answer 200 (a
 * 404 ends the removal where Tempest ignores it) and the deletion 204.
 */
export async function deleteRouterWithInterfaces(client: NetworkClient, routerId: string, how: Removal = {}): Promise<void> {
  const ports = await anyReply(() => client.listPorts({ device_id: routerId }));
  if (ports.status === 200) {
    const list = (ports.body as { ports?: Port[] }).ports ?? [];
    for (const port of list) {
      if (!port.device_owner.startsWith('network:router_interface')) continue;
      const what = `interface ${port.id} of router ${routerId}`;
      await removal(what, () => client.removeRouterInterface(routerId, { port_id: port.id }), 200, { asserted: how.asserted === true });
    }
  } else if (how.asserted) {
    if (ports.status === 404 && how.notFound !== 'fails') return;
    fail(`${describeRequest(ports)}: listing the ports of router ${routerId} before deleting it: expected status 200, got ${ports.status}`);
  }
  await removal(`router ${routerId}`, () => client.deleteRouter(routerId), 204, how);
}

/**
 * Registers, besides the class-level removal createRouter registered, a bare
 * router deletion of a test-level cleanup (no interface removal), as
 * test_port_list_filter_by_router_id adds one.
 */
export function deferRouterDeletion(ctx: CheckContext, client: NetworkClient, id: string, how: Removal): void {
  ctx.defer(`delete router ${id}`, () => removal(`router ${id}`, () => client.deleteRouter(id), 204, how), { asserted: how.asserted === true });
}

/** What else an interface's removal does: awaiting the disappearance of the port it was added by. */
export interface InterfaceRemoval extends Removal {
  awaitPort?: string;
}

/**
 * Adds a router interface (200 + schema) and registers its removal, which must
 * run before the subnet's and network's deletion (registered earlier).
 */
export async function addInterface(
  ctx: CheckContext,
  client: NetworkClient,
  routerId: string,
  target: { subnet_id: string } | { port_id: string },
  how: InterfaceRemoval = {},
): Promise<RouterInterface> {
  const res = await seeReply(client.addRouterInterface(routerId, target), (r) => {
    if (r.status < 200 || r.status >= 300) return;
    const what = `interface ${JSON.stringify(target)} of router ${routerId}`;
    ctx.defer(`remove ${what}`, async () => {
      await removal(what, () => client.removeRouterInterface(routerId, target), 200, how);
      if (how.awaitPort !== undefined) await awaitPortGone(client, how.awaitPort);
    }, { asserted: how.asserted === true });
  });
  return res.body;
}

/** How a security group's removal counts; `unlisted`: then it must be gone from the list (BaseSecGroupTest._delete_security_group). */
export interface GroupRemoval extends Removal {
  unlisted?: boolean;
}

/** BaseSecGroupTest._create_security_group's test-level cleanup: delete (a 404 ignored), then assert it unlisted. */
export const SECURITY_GROUP_CLEANUP: GroupRemoval = { asserted: true, unlisted: true };

/** Deletes a security group as `how` says, then, unless it was already gone, checks the list no longer has it. */
async function removeSecurityGroup(client: NetworkClient, id: string, how: GroupRemoval): Promise<void> {
  const res = await removal(`security group ${id}`, () => client.deleteSecurityGroup(id), 204, how);
  if (!how.unlisted || res.status === 404) return;
  const list = (await client.listSecurityGroups()).body.security_groups;
  if (list.some((g) => g.id === id)) fail(`GET /v2.0/security-groups: deleted security group ${id} is still listed`);
}

/** Creates a security group (201 + schema, name as sent) and registers its deletion. */
export async function createSecurityGroup(ctx: CheckContext, client: NetworkClient, attrs: Attributes = {}, how: GroupRemoval = {}): Promise<SecurityGroup> {
  const name = ctx.name('secgroup');
  const register = (id: string) => ctx.defer(`delete security group ${id}`, () => removeSecurityGroup(client, id, how), { asserted: how.asserted === true });
  const res = await created(client.createSecurityGroup({ name, ...attrs }), 'security_group', register);
  const group = res.body.security_group;
  if (group.name !== (attrs.name ?? name)) {
    fail(`${res.method} ${res.url}: created security group should be named ${JSON.stringify(attrs.name ?? name)}, got ${JSON.stringify(group.name)}`);
  }
  return group;
}

/** Creates a subnet pool (201 + schema) and registers its deletion. */
export async function createSubnetPool(ctx: CheckContext, client: NetworkClient, attrs: Attributes, how: Removal = {}): Promise<SubnetPool> {
  const register = (id: string) =>
    ctx.defer(`delete subnet pool ${id}`, () => removal(`subnet pool ${id}`, () => client.deleteSubnetPool(id), 204, how), { asserted: how.asserted === true });
  return (await created(client.createSubnetPool({ name: ctx.name('subnetpool'), ...attrs }), 'subnetpool', register)).body.subnetpool;
}

// --- discovery ---------------------------------------------------------------

/** The aliases of the enabled extensions (200 + schema). */
export async function extensionAliases(client: NetworkClient): Promise<Set<string>> {
  const { body } = await client.listExtensions();
  return new Set(body.extensions.map((e) => e.alias));
}

/** Skips the check (as Tempest does) when an extension is not enabled. */
export async function requireExtensions(client: NetworkClient, ...aliases: string[]): Promise<Set<string>> {
  const enabled = await extensionAliases(client);
  const missing = aliases.filter((a) => !enabled.has(a));
  if (missing.length > 0) throw new CheckSkip(`Neutron extension ${missing.join(', ')} not enabled on this cloud`);
  return enabled;
}

/** The primary client, skipping the check (as Tempest's classes do) without these extensions. */
export async function primaryWith(ctx: CheckContext, ...aliases: string[]): Promise<NetworkClient> {
  const client = primaryNetwork(ctx);
  await requireExtensions(client, ...aliases);
  return client;
}

/**
 * The external network the account sees (Tempest reads it from its config:
 * `public_network_id`): the first `router:external` network owned by another
 * project, else any external one. Skips the check when there is none.
 */
export async function findExternalNetwork(client: NetworkClient, projectId?: string): Promise<Network> {
  const { body } = await client.listNetworks({ 'router:external': true });
  const list = body.networks.filter((n) => n['router:external'] === true);
  const foreign = list.find((n) => (n.project_id ?? n.tenant_id) !== projectId);
  const found = foreign ?? list[0];
  if (!found) throw new CheckSkip('no external (router:external) network is visible to the account');
  return found;
}
