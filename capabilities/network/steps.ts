/**
 * Shared set-up for the network checks: creating resources with run-prefixed
 * names and their removal registered at creation (routers' interfaces are
 * removed before routers, routers before subnets and networks, because removal
 * runs last-registered-first), subnet address plans, extension and external
 * network discovery. Registers no check.
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

/** Throws unless a deletion answered 2xx or 404 (already gone). */
async function ignoreNotFound(what: string, call: () => Promise<Reply<unknown>>): Promise<void> {
  const res = await anyReply(call);
  if (res.status === 404 || (res.status >= 200 && res.status < 300)) return;
  throw new Error(`cleanup of ${what}: ${res.method} ${res.url} answered ${res.status}`);
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
export async function createNetwork(ctx: CheckContext, client: NetworkClient, attrs: Attributes = {}): Promise<Network> {
  const register = (id: string) => ctx.defer(`delete network ${id}`, () => ignoreNotFound(`network ${id}`, () => client.deleteNetwork(id)));
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
): Promise<{ subnet: Subnet; block: Block; index: number; sent: Attributes }> {
  for (let i = 0; i < 64; i++) {
    const b = block(start + i);
    const sent = plan(b);
    const register = (id: string) => ctx.defer(`delete subnet ${id}`, () => ignoreNotFound(`subnet ${id}`, () => client.deleteSubnet(id)));
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

/** Creates a port (201 + schema) and registers its deletion. */
export async function createPort(ctx: CheckContext, client: NetworkClient, networkId: string, attrs: Attributes = {}): Promise<Port> {
  const register = (id: string) => deferPortDeletion(ctx, client, id);
  return (await created(client.createPort({ name: ctx.name('port'), network_id: networkId, ...attrs }), 'port', register)).body.port;
}

/** Registers the deletion of a port (ignoring 404: removing a router interface deletes its port). */
export function deferPortDeletion(ctx: CheckContext, client: NetworkClient, id: string): void {
  ctx.defer(`delete port ${id}`, () => ignoreNotFound(`port ${id}`, () => client.deletePort(id)));
}

/**
 * Creates a router (201 + schema) and registers its deletion, which first removes
 * any interface still attached (a router with interfaces cannot be deleted).
 */
export async function createRouter(ctx: CheckContext, client: NetworkClient, attrs: Attributes = {}): Promise<Router> {
  const register = (id: string) => ctx.defer(`delete router ${id}`, () => deleteRouterWithInterfaces(client, id));
  return (await created(client.createRouter({ name: ctx.name('router'), ...attrs }), 'router', register)).body.router;
}

/** Removes a router's remaining interfaces, then the router; 404s are ignored. */
export async function deleteRouterWithInterfaces(client: NetworkClient, routerId: string): Promise<void> {
  const ports = await anyReply(() => client.listPorts({ device_id: routerId }));
  if (ports.status === 200) {
    const list = (ports.body as { ports?: Port[] }).ports ?? [];
    for (const port of list) {
      if (!port.device_owner.startsWith('network:router_interface')) continue;
      await ignoreNotFound(`interface ${port.id} of router ${routerId}`, () => client.removeRouterInterface(routerId, { port_id: port.id }));
    }
  }
  await ignoreNotFound(`router ${routerId}`, () => client.deleteRouter(routerId));
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
): Promise<RouterInterface> {
  const res = await seeReply(client.addRouterInterface(routerId, target), (r) => {
    if (r.status < 200 || r.status >= 300) return;
    const what = `interface ${JSON.stringify(target)} of router ${routerId}`;
    ctx.defer(`remove ${what}`, () => ignoreNotFound(what, () => client.removeRouterInterface(routerId, target)));
  });
  return res.body;
}

/** Creates a security group (201 + schema, name as sent) and registers its deletion. */
export async function createSecurityGroup(ctx: CheckContext, client: NetworkClient, attrs: Attributes = {}): Promise<SecurityGroup> {
  const name = ctx.name('secgroup');
  const register = (id: string) => ctx.defer(`delete security group ${id}`, () => ignoreNotFound(`security group ${id}`, () => client.deleteSecurityGroup(id)));
  const res = await created(client.createSecurityGroup({ name, ...attrs }), 'security_group', register);
  const group = res.body.security_group;
  if (group.name !== (attrs.name ?? name)) {
    fail(`${res.method} ${res.url}: created security group should be named ${JSON.stringify(attrs.name ?? name)}, got ${JSON.stringify(group.name)}`);
  }
  return group;
}

/** Creates a subnet pool (201 + schema) and registers its deletion. */
export async function createSubnetPool(ctx: CheckContext, client: NetworkClient, attrs: Attributes): Promise<SubnetPool> {
  const register = (id: string) => ctx.defer(`delete subnet pool ${id}`, () => ignoreNotFound(`subnet pool ${id}`, () => client.deleteSubnetPool(id)));
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
