/**
 * An in-memory Neutron v2.0 behind nock that follows the Networking API
 * reference closely enough for every network check to pass against it:
 * networks, subnets (with pools, gateways, overlap detection), ports with
 * address allocation, routers with gateways, interfaces and extra routes,
 * security groups and rules (with Neutron's validation messages), subnet pools,
 * extensions and the versions document. `faults` then bend one response at a
 * time to show each check fails on a non-conforming cloud.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';

export type { Json, FakeRequest, FakeReply, Fault };

export const PROJECT = 'p-primary';
export const ADMIN_PROJECT = 'p-admin';

export interface FakeNeutron {
  networks: Map<string, Json>;
  subnets: Map<string, Json>;
  ports: Map<string, Json>;
  routers: Map<string, Json>;
  groups: Map<string, Json>;
  rules: Map<string, Json>;
  pools: Map<string, Json>;
  extensions: string[];
  /** The external network every project sees. */
  publicNetworkId: string;
  log: string[];
  faults: Fault[];
}

// --- helpers -------------------------------------------------------------------

const ip2n = (ip: string): number => ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
const n2ip = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function parseCidr(cidr: string): { base: number; len: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((p) => Number(p) > 255) || Number(m[5]) > 32) return undefined;
  const len = Number(m[5]);
  const size = 2 ** (32 - len);
  return { base: Math.floor(ip2n(cidr.split('/')[0]!) / size) * size, len };
}

function validIp(ip: unknown): ip is string {
  return typeof ip === 'string' && /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip) && ip.split('.').every((p) => Number(p) <= 255);
}

function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a)!;
  const y = parseCidr(b)!;
  const xe = x.base + 2 ** (32 - x.len);
  const ye = y.base + 2 ** (32 - y.len);
  return x.base < ye && y.base < xe;
}

function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr)!;
  const v = ip2n(ip);
  return v >= c.base && v < c.base + 2 ** (32 - c.len);
}

function mac(): string {
  return `fa:16:3e:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function error(status: number, type: string, message: string): FakeReply {
  return { status, body: { NeutronError: { type, message, detail: '' } } };
}

const notFound = (what: string, id: string) => error(404, `${what}NotFound`, `${what} ${id} could not be found.`);

/** Applies `fields=` and equality filters of a list query. */
function listing(items: Json[], query: URLSearchParams): Json[] {
  const fields = query.getAll('fields');
  let out = items.filter((item) =>
    [...new Set(query.keys())].every((key) => {
      if (key === 'fields') return true;
      const wanted = query.getAll(key);
      const value = item[key];
      return wanted.some((w) => String(value).toLowerCase() === w.toLowerCase());
    }),
  );
  if (fields.length > 0) out = out.map((i) => project(i, fields));
  return out;
}

function project(item: Json, fields: string[]): Json {
  if (fields.length === 0) return item;
  return Object.fromEntries(Object.entries(item).filter(([k]) => fields.includes(k)));
}

function owned(fields: Json, project = PROJECT): Json {
  return { tenant_id: project, project_id: project, description: '', revision_number: 1, created_at: now(), updated_at: now(), ...fields };
}

// --- the fake --------------------------------------------------------------------

const PROTOCOLS = ['ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'icmpv6', 'igmp', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'];

class Neutron {
  constructor(readonly s: FakeNeutron) {}

  handle(req: FakeRequest): FakeReply {
    const { method, path } = req;
    if (method === 'GET' && (path === '/' || path === '')) {
      return { status: 200, body: { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: 'http://127.0.0.1:9696/v2.0/', rel: 'self' }] }] } };
    }
    const m = /^\/v2\.0\/([a-z-]+)(?:\/([^/]+))?(?:\/([a-z_]+))?\/?$/.exec(path);
    if (!m) return error(404, 'HTTPNotFound', `no route for ${path}`);
    const [, collection, id, action] = m as unknown as [string, string, string | undefined, string | undefined];
    const body = (req.body ?? {}) as Json;
    switch (collection) {
      case 'extensions':
        return { status: 200, body: { extensions: this.s.extensions.map((alias) => ({ alias, name: alias, description: `${alias} extension`, updated: '2013-01-01T00:00:00-00:00', links: [] })) } };
      case 'networks':
        return this.networks(method, id, body, req.query);
      case 'subnets':
        return this.subnets(method, id, body, req.query);
      case 'ports':
        return this.ports(method, id, body, req.query);
      case 'routers':
        return this.routers(method, id, action, body, req.query);
      case 'security-groups':
        return this.groups(method, id, body, req.query);
      case 'security-group-rules':
        return this.rules(method, id, body, req.query);
      case 'subnetpools':
        return this.pools(method, id, body, req.query);
      default:
        return error(404, 'HTTPNotFound', `no collection ${collection}`);
    }
  }

  private visibleNetworks(): Json[] {
    return [...this.s.networks.values()].filter((n) => n.project_id === PROJECT || n.shared === true || n['router:external'] === true);
  }

  networks(method: string, id: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    if (method === 'POST' && !id) {
      const attrs = (body.network ?? {}) as Json;
      const net = owned({ id: randomUUID(), name: '', status: 'ACTIVE', admin_state_up: true, shared: false, subnets: [], 'router:external': false, mtu: 1450, port_security_enabled: true, ...attrs });
      this.s.networks.set(String(net.id), net);
      return { status: 201, body: { network: net } };
    }
    if (method === 'GET' && !id) return { status: 200, body: { networks: listing(this.visibleNetworks(), query) } };
    const net = id ? this.s.networks.get(id) : undefined;
    if (!net || !id) return notFound('Network', String(id));
    if (method === 'GET') return { status: 200, body: { network: project(net, query.getAll('fields')) } };
    if (method === 'PUT') {
      Object.assign(net, (body.network ?? {}) as Json);
      return { status: 200, body: { network: net } };
    }
    if (method === 'DELETE') {
      // Only DHCP ports go with their network; any other port keeps it in use.
      const busy = [...this.s.ports.values()].some((p) => p.network_id === id && !String(p.device_owner).startsWith('network:dhcp'));
      if (busy) return error(409, 'NetworkInUse', `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`);
      for (const [pid, p] of this.s.ports) if (p.network_id === id) this.s.ports.delete(pid);
      for (const [sid, s] of this.s.subnets) if (s.network_id === id) this.s.subnets.delete(sid);
      this.s.networks.delete(id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }

  subnets(method: string, id: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    if (method === 'POST' && !id) {
      const a = (body.subnet ?? {}) as Json;
      const net = this.s.networks.get(String(a.network_id));
      if (!net) return notFound('Network', String(a.network_id));
      const cidr = parseCidr(String(a.cidr));
      if (!cidr) return error(400, 'HTTPBadRequest', `Invalid input for cidr. Reason: '${String(a.cidr)}' is not a valid IP subnet.`);
      const normal = `${n2ip(cidr.base)}/${cidr.len}`;
      for (const other of this.s.subnets.values()) {
        if (other.network_id === net.id && overlaps(String(other.cidr), normal)) {
          return error(400, 'InvalidInput', `Invalid input for operation: Requested subnet with cidr: ${normal} for network: ${String(net.id)} overlaps with another subnet.`);
        }
      }
      const size = 2 ** (32 - cidr.len);
      const gateway = a.gateway_ip === undefined ? n2ip(cidr.base + 1) : (a.gateway_ip as string | null);
      const pools = (a.allocation_pools as Json[] | undefined) ??
        [{ start: n2ip(cidr.base + (gateway === n2ip(cidr.base + 1) ? 2 : 1)), end: n2ip(cidr.base + size - 2) }];
      const subnet = owned({
        id: randomUUID(), name: '', network_id: net.id, ip_version: 4, gateway_ip: gateway, enable_dhcp: true,
        allocation_pools: pools, dns_nameservers: [], host_routes: [], ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null,
        ...a, cidr: normal,
      });
      this.s.subnets.set(String(subnet.id), subnet);
      (net.subnets as string[]).push(String(subnet.id));
      return { status: 201, body: { subnet } };
    }
    if (method === 'GET' && !id) {
      const visible = new Set(this.visibleNetworks().filter((n) => n.project_id === PROJECT || n.shared === true).map((n) => n.id));
      return { status: 200, body: { subnets: listing([...this.s.subnets.values()].filter((s) => visible.has(s.network_id)), query) } };
    }
    const subnet = id ? this.s.subnets.get(id) : undefined;
    if (!subnet || !id) return notFound('Subnet', String(id));
    if (method === 'GET') return { status: 200, body: { subnet: project(subnet, query.getAll('fields')) } };
    if (method === 'PUT') {
      Object.assign(subnet, (body.subnet ?? {}) as Json);
      return { status: 200, body: { subnet } };
    }
    if (method === 'DELETE') {
      if ([...this.s.ports.values()].some((p) => (p.fixed_ips as Json[]).some((f) => f.subnet_id === id) && !String(p.device_owner).startsWith('network:dhcp'))) {
        return error(409, 'SubnetInUse', `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`);
      }
      this.s.subnets.delete(id);
      const net = this.s.networks.get(String(subnet.network_id));
      if (net) net.subnets = (net.subnets as string[]).filter((s) => s !== id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }

  /** The first free address of a subnet's pools. */
  private allocate(subnet: Json): string | undefined {
    const used = new Set([...this.s.ports.values()].flatMap((p) => (p.fixed_ips as Json[]).map((f) => String(f.ip_address))));
    for (const pool of subnet.allocation_pools as Json[]) {
      for (let n = ip2n(String(pool.start)); n <= ip2n(String(pool.end)); n++) {
        if (!used.has(n2ip(n))) return n2ip(n);
      }
    }
    return undefined;
  }

  private fixedIps(networkId: string, wanted: Json[] | undefined): Json[] | FakeReply {
    const subnets = wanted
      ? wanted.map((w) => this.s.subnets.get(String(w.subnet_id)))
      : [...this.s.subnets.values()].filter((s) => s.network_id === networkId).slice(0, 1);
    const out: Json[] = [];
    for (const s of subnets) {
      if (!s) return error(404, 'SubnetNotFound', 'Subnet could not be found.');
      const ip = this.allocate(s);
      if (!ip) return error(409, 'IpAddressGenerationFailure', 'No more IP addresses available.');
      out.push({ subnet_id: s.id, ip_address: ip });
    }
    return out;
  }

  private newPort(a: Json): Json | FakeReply {
    const net = this.s.networks.get(String(a.network_id));
    if (!net) return notFound('Network', String(a.network_id));
    const ips = this.fixedIps(String(net.id), a.fixed_ips as Json[] | undefined);
    if (!Array.isArray(ips)) return ips;
    const port = owned({
      id: randomUUID(), name: '', network_id: net.id, admin_state_up: true, mac_address: mac(), device_id: '', device_owner: '',
      status: 'DOWN', security_groups: [this.defaultGroup().id], allowed_address_pairs: [], extra_dhcp_opts: [], port_security_enabled: true,
      ...a, fixed_ips: ips,
    });
    this.s.ports.set(String(port.id), port);
    return port;
  }

  ports(method: string, id: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    if (method === 'POST' && !id) {
      if (Array.isArray(body.ports)) {
        const made: Json[] = [];
        for (const a of body.ports as Json[]) {
          const p = this.newPort(a);
          if ('status' in p && typeof p.status === 'number') return p as FakeReply;
          made.push(p as Json);
        }
        return { status: 201, body: { ports: made } };
      }
      const p = this.newPort((body.port ?? {}) as Json);
      if ('status' in p && typeof p.status === 'number') return p as FakeReply;
      return { status: 201, body: { port: p } };
    }
    if (method === 'GET' && !id) return { status: 200, body: { ports: listing([...this.s.ports.values()], query) } };
    const port = id ? this.s.ports.get(id) : undefined;
    if (!port || !id) return notFound('Port', String(id));
    if (method === 'GET') return { status: 200, body: { port: project(port, query.getAll('fields')) } };
    if (method === 'PUT') {
      const a = { ...((body.port ?? {}) as Json) };
      if (a.fixed_ips) {
        port.fixed_ips = [];
        const ips = this.fixedIps(String(port.network_id), a.fixed_ips as Json[]);
        if (!Array.isArray(ips)) return ips;
        a.fixed_ips = ips;
      }
      Object.assign(port, a, { revision_number: Number(port.revision_number) + 1, updated_at: now() });
      return { status: 200, body: { port } };
    }
    if (method === 'DELETE') {
      if (String(port.device_owner).startsWith('network:router_interface')) {
        return error(409, 'PortInUse', `Port ${id} cannot be deleted directly via the port API: has device owner network:router_interface.`);
      }
      this.s.ports.delete(id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }

  private interfaces(routerId: string): Json[] {
    return [...this.s.ports.values()].filter((p) => p.device_id === routerId && String(p.device_owner).startsWith('network:router_interface'));
  }

  private setGateway(router: Json, info: Json | null | undefined): FakeReply | undefined {
    for (const [pid, p] of this.s.ports) if (p.device_id === router.id && p.device_owner === 'network:router_gateway') this.s.ports.delete(pid);
    if (!info || info.network_id === undefined) {
      router.external_gateway_info = null;
      return undefined;
    }
    const net = this.s.networks.get(String(info.network_id));
    if (!net) return notFound('Network', String(info.network_id));
    if (net['router:external'] !== true) return error(400, 'BadRequest', `Bad router request: Network ${String(net.id)} is not a valid external network.`);
    const ips = this.fixedIps(String(net.id), undefined);
    if (!Array.isArray(ips)) return ips;
    const gw = owned({ id: randomUUID(), name: '', network_id: net.id, admin_state_up: true, mac_address: mac(), device_id: router.id, device_owner: 'network:router_gateway', status: 'DOWN', fixed_ips: ips, security_groups: [] }, '');
    this.s.ports.set(String(gw.id), gw);
    router.external_gateway_info = { network_id: net.id, enable_snat: info.enable_snat ?? true, external_fixed_ips: ips };
    return undefined;
  }

  routers(method: string, id: string | undefined, action: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    if (method === 'POST' && !id) {
      const a = (body.router ?? {}) as Json;
      const router = owned({ id: randomUUID(), name: '', admin_state_up: true, status: 'ACTIVE', external_gateway_info: null, routes: [], distributed: false, ha: false, ...a });
      const bad = this.setGateway(router, a.external_gateway_info as Json | null);
      if (bad) return bad;
      this.s.routers.set(String(router.id), router);
      return { status: 201, body: { router } };
    }
    if (method === 'GET' && !id) return { status: 200, body: { routers: listing([...this.s.routers.values()], query) } };
    const router = id ? this.s.routers.get(id) : undefined;
    if (!router || !id) return notFound('Router', String(id));
    if (action === 'add_router_interface' && method === 'PUT') return this.addInterface(router, body);
    if (action === 'remove_router_interface' && method === 'PUT') return this.removeInterface(router, body);
    if (action) return error(404, 'HTTPNotFound', `no action ${action}`);
    if (method === 'GET') return { status: 200, body: { router: project(router, query.getAll('fields')) } };
    if (method === 'PUT') {
      const a = { ...((body.router ?? {}) as Json) };
      if ('external_gateway_info' in a) {
        const bad = this.setGateway(router, a.external_gateway_info as Json | null);
        if (bad) return bad;
        delete a.external_gateway_info;
      }
      if ('routes' in a) {
        const routes = (a.routes ?? []) as Json[];
        const cidrs = this.interfaces(id).flatMap((p) => (p.fixed_ips as Json[]).map((f) => String(this.s.subnets.get(String(f.subnet_id))?.cidr)));
        for (const r of routes) {
          if (!cidrs.some((c) => c !== 'undefined' && inCidr(String(r.nexthop), c))) {
            return error(400, 'InvalidRoutes', `Invalid format for routes: ${JSON.stringify(routes)}, the nexthop is not connected with router`);
          }
        }
        a.routes = routes;
      }
      Object.assign(router, a);
      return { status: 200, body: { router } };
    }
    if (method === 'DELETE') {
      if (this.interfaces(id).length > 0) return error(409, 'RouterInUse', `Router ${id} still has ports`);
      for (const [pid, p] of this.s.ports) if (p.device_id === id) this.s.ports.delete(pid);
      this.s.routers.delete(id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }

  private interfaceInfo(router: Json, port: Json): Json {
    const subnetIds = (port.fixed_ips as Json[]).map((f) => String(f.subnet_id));
    return { id: router.id, tenant_id: PROJECT, project_id: PROJECT, port_id: port.id, network_id: port.network_id, subnet_id: subnetIds[0], subnet_ids: subnetIds };
  }

  private addInterface(router: Json, body: Json): FakeReply {
    const existing = this.interfaces(String(router.id)).flatMap((p) => (p.fixed_ips as Json[]).map((f) => this.s.subnets.get(String(f.subnet_id))));
    const clash = (subnet: Json): FakeReply | undefined =>
      existing.some((e) => e && overlaps(String(e.cidr), String(subnet.cidr)))
        ? error(400, 'BadRequest', `Bad router request: Cidr ${String(subnet.cidr)} of subnet ${String(subnet.id)} overlaps with cidr of another subnet.`)
        : undefined;
    if (typeof body.subnet_id === 'string') {
      const subnet = this.s.subnets.get(body.subnet_id);
      if (!subnet) return notFound('Subnet', body.subnet_id);
      const bad = clash(subnet);
      if (bad) return bad;
      const port = owned({ id: randomUUID(), name: '', network_id: subnet.network_id, admin_state_up: true, mac_address: mac(), device_id: router.id, device_owner: 'network:router_interface', status: 'DOWN', fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }], security_groups: [] });
      this.s.ports.set(String(port.id), port);
      return { status: 200, body: this.interfaceInfo(router, port) };
    }
    if (typeof body.port_id === 'string') {
      const port = this.s.ports.get(body.port_id);
      if (!port) return notFound('Port', body.port_id);
      for (const f of port.fixed_ips as Json[]) {
        const subnet = this.s.subnets.get(String(f.subnet_id));
        const bad = subnet && clash(subnet);
        if (bad) return bad;
      }
      Object.assign(port, { device_id: router.id, device_owner: 'network:router_interface' });
      return { status: 200, body: this.interfaceInfo(router, port) };
    }
    return error(400, 'BadRequest', 'Either subnet_id or port_id must be specified');
  }

  private removeInterface(router: Json, body: Json): FakeReply {
    const port = this.interfaces(String(router.id)).find((p) =>
      body.port_id !== undefined ? p.id === body.port_id : (p.fixed_ips as Json[]).some((f) => f.subnet_id === body.subnet_id),
    );
    if (!port) return error(404, 'RouterInterfaceNotFound', `Router ${String(router.id)} does not have an interface with that id`);
    const info = this.interfaceInfo(router, port);
    this.s.ports.delete(String(port.id));
    return { status: 200, body: info };
  }

  /** The project's default group, created on first use as Neutron does. */
  private defaultGroup(): Json {
    const found = [...this.s.groups.values()].find((g) => g.name === 'default' && g.project_id === PROJECT);
    if (found) return found;
    const group = owned({ id: randomUUID(), name: 'default', description: 'Default security group', security_group_rules: [], stateful: true });
    this.s.groups.set(String(group.id), group);
    for (const ethertype of ['IPv4', 'IPv6']) this.addRule({ security_group_id: group.id, direction: 'egress', ethertype });
    return group;
  }

  private groupView(group: Json): Json {
    return { ...group, security_group_rules: [...this.s.rules.values()].filter((r) => r.security_group_id === group.id) };
  }

  groups(method: string, id: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    this.defaultGroup();
    if (method === 'POST' && !id) {
      const a = (body.security_group ?? {}) as Json;
      if (a.name === 'default') return error(409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
      const group = owned({ id: randomUUID(), name: '', description: '', stateful: true, ...a });
      this.s.groups.set(String(group.id), group);
      for (const ethertype of ['IPv4', 'IPv6']) this.addRule({ security_group_id: group.id, direction: 'egress', ethertype });
      return { status: 201, body: { security_group: this.groupView(group) } };
    }
    if (method === 'GET' && !id) return { status: 200, body: { security_groups: listing([...this.s.groups.values()].map((g) => this.groupView(g)), query) } };
    const group = id ? this.s.groups.get(id) : undefined;
    if (!group || !id) return notFound('SecurityGroup', String(id));
    if (method === 'GET') return { status: 200, body: { security_group: this.groupView(group) } };
    if (method === 'PUT') {
      const a = (body.security_group ?? {}) as Json;
      if (a.name === 'default') return error(409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
      Object.assign(group, a);
      return { status: 200, body: { security_group: this.groupView(group) } };
    }
    if (method === 'DELETE') {
      for (const [rid, r] of this.s.rules) if (r.security_group_id === id) this.s.rules.delete(rid);
      this.s.groups.delete(id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }

  private addRule(a: Json): Json {
    const rule = owned({
      id: randomUUID(), direction: 'ingress', ethertype: 'IPv4', protocol: null, port_range_min: null, port_range_max: null,
      remote_ip_prefix: null, remote_group_id: null, ...a,
    });
    this.s.rules.set(String(rule.id), rule);
    return rule;
  }

  /** Neutron's validation of a new rule; undefined when acceptable. */
  private invalidRule(a: Json): FakeReply | undefined {
    const bad = (msg: string) => error(400, 'BadRequest', msg);
    if (!this.s.groups.has(String(a.security_group_id))) return notFound('SecurityGroup', String(a.security_group_id));
    if (!['ingress', 'egress'].includes(String(a.direction))) return bad(`Invalid input for direction. Reason: '${String(a.direction)}' is not in ['ingress', 'egress'].`);
    if (a.ethertype !== undefined && !['IPv4', 'IPv6'].includes(String(a.ethertype))) return bad(`Invalid input for ethertype. Reason: '${String(a.ethertype)}' is not in ['IPv4', 'IPv6'].`);
    const proto = a.protocol;
    if (proto !== undefined && proto !== null) {
      const asNumber = Number(proto);
      const ok = PROTOCOLS.includes(String(proto)) || (Number.isInteger(asNumber) && asNumber >= 0 && asNumber <= 255);
      if (!ok) return bad(`Security group rule protocol ${String(proto)} not supported.`);
    }
    const min = a.port_range_min as number | null | undefined;
    const max = a.port_range_max as number | null | undefined;
    if (proto === 'tcp' || proto === 'udp') {
      for (const p of [min, max]) if (p !== null && p !== undefined && (p < 0 || p > 65535)) return bad(`Invalid value for port ${p}.`);
      if ((min === null || min === undefined) && max !== null && max !== undefined) return bad('For TCP/UDP protocols, port_range_min must be <= port_range_max');
      if (min !== null && min !== undefined && max !== null && max !== undefined && min > max) return bad('For TCP/UDP protocols, port_range_min must be <= port_range_max');
    }
    if (proto === 'icmp') {
      if (min !== null && min !== undefined && (min < 0 || min > 255)) return bad(`Invalid value for ICMP type (port-range-min): ${min}`);
      if (max !== null && max !== undefined && (max < 0 || max > 255)) return bad(`Invalid value for ICMP code (port-range-max): ${max}`);
      if ((min === null || min === undefined) && max !== null && max !== undefined) return bad(`ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`);
    }
    if (a.remote_ip_prefix !== undefined && a.remote_ip_prefix !== null) {
      const p = String(a.remote_ip_prefix);
      if (!parseCidr(p) && !validIp(p)) return bad(`Invalid input for remote_ip_prefix. Reason: '${p}' is not a valid IP subnet.`);
    }
    if (a.remote_group_id !== undefined && a.remote_group_id !== null && !this.s.groups.has(String(a.remote_group_id))) {
      return notFound('SecurityGroup', String(a.remote_group_id));
    }
    const keys = ['security_group_id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id'];
    const norm = (r: Json) => keys.map((k) => String(r[k] ?? (k === 'ethertype' ? 'IPv4' : null))).join('|');
    const dup = [...this.s.rules.values()].find((r) => norm(r) === norm(a));
    if (dup) return error(409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${String(dup.id)}.`);
    return undefined;
  }

  rules(method: string, id: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    if (method === 'POST' && !id) {
      const a = { ...((body.security_group_rule ?? {}) as Json) };
      const bad = this.invalidRule(a);
      if (bad) return bad;
      if (typeof a.protocol === 'number') a.protocol = String(a.protocol);
      const rule = this.addRule(Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)));
      return { status: 201, body: { security_group_rule: rule } };
    }
    if (method === 'GET' && !id) return { status: 200, body: { security_group_rules: listing([...this.s.rules.values()], query) } };
    const rule = id ? this.s.rules.get(id) : undefined;
    if (!rule || !id) return notFound('SecurityGroupRule', String(id));
    if (method === 'GET') return { status: 200, body: { security_group_rule: rule } };
    if (method === 'DELETE') {
      this.s.rules.delete(id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }

  pools(method: string, id: string | undefined, body: Json, query: URLSearchParams): FakeReply {
    if (method === 'POST' && !id) {
      const a = (body.subnetpool ?? {}) as Json;
      const pool = owned({ id: randomUUID(), name: '', ip_version: 4, min_prefixlen: 8, max_prefixlen: 32, default_prefixlen: 8, shared: false, is_default: false, address_scope_id: null, default_quota: null, ...a });
      this.s.pools.set(String(pool.id), pool);
      return { status: 201, body: { subnetpool: pool } };
    }
    if (method === 'GET' && !id) return { status: 200, body: { subnetpools: listing([...this.s.pools.values()], query) } };
    const pool = id ? this.s.pools.get(id) : undefined;
    if (!pool || !id) return notFound('SubnetPool', String(id));
    if (method === 'GET') return { status: 200, body: { subnetpool: pool } };
    if (method === 'PUT') {
      Object.assign(pool, (body.subnetpool ?? {}) as Json);
      return { status: 200, body: { subnetpool: pool } };
    }
    if (method === 'DELETE') {
      this.s.pools.delete(id);
      return { status: 204 };
    }
    return error(405, 'HTTPMethodNotAllowed', 'method not allowed');
  }
}

/**
 * Serves Neutron at `origin` (e.g. `http://127.0.0.1:9696`) until nock is
 * cleaned. A shared external network `public` with a subnet, owned by another
 * project, is always present, as on clouds with routers.
 */
export function fakeNeutron(origin: string, faults: Fault[] = []): FakeNeutron {
  const state: FakeNeutron = {
    networks: new Map(), subnets: new Map(), ports: new Map(), routers: new Map(), groups: new Map(), rules: new Map(), pools: new Map(),
    extensions: ['router', 'extraroute', 'external-net', 'security-group', 'subnet_allocation', 'net-mtu', 'ext-gw-mode'],
    publicNetworkId: randomUUID(), log: [], faults: [...faults],
  };
  const pub = owned({ id: state.publicNetworkId, name: 'public', status: 'ACTIVE', admin_state_up: true, shared: true, 'router:external': true, subnets: [], mtu: 1500 }, ADMIN_PROJECT);
  state.networks.set(state.publicNetworkId, pub);
  const pubSubnet = owned({
    id: randomUUID(), name: 'public-subnet', network_id: pub.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false,
    allocation_pools: [{ start: '203.0.113.10', end: '203.0.113.200' }], dns_nameservers: [], host_routes: [],
  }, ADMIN_PROJECT);
  state.subnets.set(String(pubSubnet.id), pubSubnet);
  (pub.subnets as string[]).push(String(pubSubnet.id));
  const neutron = new Neutron(state);
  mountFake({ origin, handle: (req) => neutron.handle(req), faults: () => state.faults, log: state.log });
  return state;
}
