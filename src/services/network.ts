/**
 * Neutron (Networking) v2.0 client: one method per API operation, as in the
 * Networking API v2.0 reference (https://docs.openstack.org/api-ref/network/v2/).
 * Each method declares the status Tempest's network client expects and the
 * schema of the resource it answers with (src/services/schemas/network/v2.0/,
 * one schema per resource serving create, show, update and list), validates the
 * answer and returns it typed, or throws a ProtocolFailure (see protocol.ts).
 * Negative checks wrap a call in `expectErrorStatus`; sweeps and cleanups that
 * judge the status themselves wrap it in `anyReply`.
 */
import type { CloudClient } from '../cloud/types.js';
import { unversionedBase, versionedBase } from './endpoint.js';
import { ProtocolClient, ProtocolFailure, SchemaMismatch, describeReply, schemaViolations, type Operation, type Reply } from './protocol.js';

/**
 * Query parameters of list and show calls. Arrays repeat the key
 * (`fields=id&fields=name`), which Neutron needs for `fields` and multi-value filters.
 */
export type NetworkQuery = Record<string, string | number | boolean | readonly string[] | undefined>;

/** Request attributes of a resource (the body under its singular key). */
export type Attributes = Record<string, unknown>;

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** The fields of the resources our checks read; the schemas hold the contract. */
export interface Network {
  id: string;
  name: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  subnets: string[];
  'router:external'?: boolean;
  project_id?: string;
  tenant_id?: string;
  [attribute: string]: unknown;
}

export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  ip_version: number;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  allocation_pools: { start: string; end: string }[];
  dns_nameservers: string[];
  host_routes: { destination: string; nexthop: string }[];
  [attribute: string]: unknown;
}

export interface Port {
  id: string;
  name: string;
  network_id: string;
  admin_state_up: boolean;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  security_groups?: string[];
  [attribute: string]: unknown;
}

export interface Router {
  id: string;
  name: string;
  admin_state_up: boolean;
  external_gateway_info: { network_id: string; enable_snat?: boolean; external_fixed_ips?: FixedIp[] } | null;
  routes?: { destination: string; nexthop: string }[];
  [attribute: string]: unknown;
}

export interface RouterInterface {
  id: string;
  subnet_id: string;
  port_id: string;
  [attribute: string]: unknown;
}

export interface SecurityGroupRule {
  id: string;
  security_group_id: string;
  direction: string;
  ethertype: string;
  protocol: string | number | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  [attribute: string]: unknown;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  security_group_rules: SecurityGroupRule[];
  [attribute: string]: unknown;
}

export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  [attribute: string]: unknown;
}

export interface SubnetPool {
  id: string;
  name: string;
  prefixes: string[];
  [attribute: string]: unknown;
}

export interface ApiVersion {
  id: string;
  status: string;
  links: { href: string; rel: string }[];
}

export interface Extension {
  alias: string;
  name: string;
  [attribute: string]: unknown;
}

/** Encodes a query the way Neutron reads it (repeated keys for arrays). */
export function encodeQuery(query: NetworkQuery | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const seg = encodeURIComponent;

/** The v2.0 schema of one resource, as methods declare it. */
const V2 = (name: string): string => `network/v2.0/${name}`;

const SNIPPET = 200;

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > SNIPPET ? `${s.slice(0, SNIPPET)}…` : s;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** With `fields=` Neutron answers a projection, which no resource schema fits. */
function projects(query: NetworkQuery | undefined): boolean {
  return query?.fields !== undefined;
}

/** Where a resource sits in an answer and the schema it must match. */
interface Shape {
  /** The singular (`network`) or plural (`networks`) key; absent when the body is the resource. */
  key?: string;
  list?: boolean;
  /** The resource schema; absent for `fields=` projections, which only need objects. */
  schema?: string;
  /**
   * Take the body only as the transport decoded it (declared JSON): the router
   * interface operations never parsed a text body, unlike the wrapped resources.
   */
  decodedOnly?: boolean;
}

export class NetworkClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  protected async resolveBase(): Promise<string> {
    return versionedBase(await this.cloud.endpoint('network'), 'v2.0');
  }

  // --- API discovery -------------------------------------------------------

  /** GET / (unversioned): the API versions document (200). */
  async listVersions(): Promise<Reply<{ versions: ApiVersion[] }>> {
    const root = unversionedBase(await this.cloud.endpoint('network'));
    return this.resource({ method: 'GET', path: root, status: 200 }, { schema: 'network/versions' });
  }

  /** GET /v2.0/extensions (200). */
  listExtensions(): Promise<Reply<{ extensions: Extension[] }>> {
    return this.resource({ method: 'GET', path: 'extensions', status: 200 }, { key: 'extensions', list: true, schema: V2('extension') });
  }

  // --- networks ------------------------------------------------------------

  /** POST /v2.0/networks (201). */
  createNetwork(attrs: Attributes): Promise<Reply<{ network: Network }>> {
    return this.resource({ method: 'POST', path: 'networks', body: { network: attrs }, status: 201 }, { key: 'network', schema: V2('network') });
  }

  /** GET /v2.0/networks (200); `fields` and filters go in `query`. */
  listNetworks(query?: NetworkQuery): Promise<Reply<{ networks: Network[] }>> {
    return this.resource({ method: 'GET', path: `networks${encodeQuery(query)}`, status: 200 }, { key: 'networks', list: true, ...this.entity(query, 'network') });
  }

  /** GET /v2.0/networks/{id} (200). */
  showNetwork(id: string, query?: NetworkQuery): Promise<Reply<{ network: Network }>> {
    return this.resource({ method: 'GET', path: `networks/${seg(id)}${encodeQuery(query)}`, status: 200 }, { key: 'network', ...this.entity(query, 'network') });
  }

  /** PUT /v2.0/networks/{id} (200). */
  updateNetwork(id: string, attrs: Attributes): Promise<Reply<{ network: Network }>> {
    return this.resource({ method: 'PUT', path: `networks/${seg(id)}`, body: { network: attrs }, status: 200 }, { key: 'network', schema: V2('network') });
  }

  /** DELETE /v2.0/networks/{id} (204); also deletes its subnets. */
  deleteNetwork(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `networks/${seg(id)}`, status: 204 });
  }

  // --- subnets -------------------------------------------------------------

  /** POST /v2.0/subnets (201). */
  createSubnet(attrs: Attributes): Promise<Reply<{ subnet: Subnet }>> {
    return this.resource({ method: 'POST', path: 'subnets', body: { subnet: attrs }, status: 201 }, { key: 'subnet', schema: V2('subnet') });
  }

  /** GET /v2.0/subnets (200). */
  listSubnets(query?: NetworkQuery): Promise<Reply<{ subnets: Subnet[] }>> {
    return this.resource({ method: 'GET', path: `subnets${encodeQuery(query)}`, status: 200 }, { key: 'subnets', list: true, ...this.entity(query, 'subnet') });
  }

  /** GET /v2.0/subnets/{id} (200). */
  showSubnet(id: string, query?: NetworkQuery): Promise<Reply<{ subnet: Subnet }>> {
    return this.resource({ method: 'GET', path: `subnets/${seg(id)}${encodeQuery(query)}`, status: 200 }, { key: 'subnet', ...this.entity(query, 'subnet') });
  }

  /** PUT /v2.0/subnets/{id} (200). */
  updateSubnet(id: string, attrs: Attributes): Promise<Reply<{ subnet: Subnet }>> {
    return this.resource({ method: 'PUT', path: `subnets/${seg(id)}`, body: { subnet: attrs }, status: 200 }, { key: 'subnet', schema: V2('subnet') });
  }

  /** DELETE /v2.0/subnets/{id} (204). */
  deleteSubnet(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `subnets/${seg(id)}`, status: 204 });
  }

  // --- ports ---------------------------------------------------------------

  /** POST /v2.0/ports (201). */
  createPort(attrs: Attributes): Promise<Reply<{ port: Port }>> {
    return this.resource({ method: 'POST', path: 'ports', body: { port: attrs }, status: 201 }, { key: 'port', schema: V2('port') });
  }

  /** POST /v2.0/ports with a list: bulk create (201, `ports`). */
  createBulkPorts(ports: Attributes[]): Promise<Reply<{ ports: Port[] }>> {
    return this.resource({ method: 'POST', path: 'ports', body: { ports }, status: 201 }, { key: 'ports', list: true, schema: V2('port') });
  }

  /** GET /v2.0/ports (200). */
  listPorts(query?: NetworkQuery): Promise<Reply<{ ports: Port[] }>> {
    return this.resource({ method: 'GET', path: `ports${encodeQuery(query)}`, status: 200 }, { key: 'ports', list: true, ...this.entity(query, 'port') });
  }

  /** GET /v2.0/ports/{id} (200). */
  showPort(id: string, query?: NetworkQuery): Promise<Reply<{ port: Port }>> {
    return this.resource({ method: 'GET', path: `ports/${seg(id)}${encodeQuery(query)}`, status: 200 }, { key: 'port', ...this.entity(query, 'port') });
  }

  /** PUT /v2.0/ports/{id} (200). */
  updatePort(id: string, attrs: Attributes): Promise<Reply<{ port: Port }>> {
    return this.resource({ method: 'PUT', path: `ports/${seg(id)}`, body: { port: attrs }, status: 200 }, { key: 'port', schema: V2('port') });
  }

  /** DELETE /v2.0/ports/{id} (204). */
  deletePort(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `ports/${seg(id)}`, status: 204 });
  }

  // --- routers -------------------------------------------------------------

  /** POST /v2.0/routers (201). */
  createRouter(attrs: Attributes): Promise<Reply<{ router: Router }>> {
    return this.resource({ method: 'POST', path: 'routers', body: { router: attrs }, status: 201 }, { key: 'router', schema: V2('router') });
  }

  /** GET /v2.0/routers (200). */
  listRouters(query?: NetworkQuery): Promise<Reply<{ routers: Router[] }>> {
    return this.resource({ method: 'GET', path: `routers${encodeQuery(query)}`, status: 200 }, { key: 'routers', list: true, ...this.entity(query, 'router') });
  }

  /** GET /v2.0/routers/{id} (200). */
  showRouter(id: string, query?: NetworkQuery): Promise<Reply<{ router: Router }>> {
    return this.resource({ method: 'GET', path: `routers/${seg(id)}${encodeQuery(query)}`, status: 200 }, { key: 'router', ...this.entity(query, 'router') });
  }

  /** PUT /v2.0/routers/{id} (200); also sets/unsets the gateway and extra routes. */
  updateRouter(id: string, attrs: Attributes): Promise<Reply<{ router: Router }>> {
    return this.resource({ method: 'PUT', path: `routers/${seg(id)}`, body: { router: attrs }, status: 200 }, { key: 'router', schema: V2('router') });
  }

  /** DELETE /v2.0/routers/{id} (204; 409 while interfaces remain). */
  deleteRouter(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `routers/${seg(id)}`, status: 204 });
  }

  /** PUT /v2.0/routers/{id}/add_router_interface with `subnet_id` or `port_id` (200, the interface unwrapped). */
  addRouterInterface(id: string, target: { subnet_id: string } | { port_id: string }): Promise<Reply<RouterInterface>> {
    return this.resource({ method: 'PUT', path: `routers/${seg(id)}/add_router_interface`, body: target, status: 200 }, { schema: V2('router-interface'), decodedOnly: true });
  }

  /** PUT /v2.0/routers/{id}/remove_router_interface with `subnet_id` or `port_id` (200, the interface unwrapped). */
  removeRouterInterface(id: string, target: { subnet_id: string } | { port_id: string }): Promise<Reply<RouterInterface>> {
    return this.resource({ method: 'PUT', path: `routers/${seg(id)}/remove_router_interface`, body: target, status: 200 }, { schema: V2('router-interface'), decodedOnly: true });
  }

  // --- security groups -----------------------------------------------------

  /** POST /v2.0/security-groups (201). */
  createSecurityGroup(attrs: Attributes): Promise<Reply<{ security_group: SecurityGroup }>> {
    return this.resource({ method: 'POST', path: 'security-groups', body: { security_group: attrs }, status: 201 }, { key: 'security_group', schema: V2('security-group') });
  }

  /** GET /v2.0/security-groups (200). */
  listSecurityGroups(query?: NetworkQuery): Promise<Reply<{ security_groups: SecurityGroup[] }>> {
    return this.resource({ method: 'GET', path: `security-groups${encodeQuery(query)}`, status: 200 }, { key: 'security_groups', list: true, ...this.entity(query, 'security-group') });
  }

  /** GET /v2.0/security-groups/{id} (200). */
  showSecurityGroup(id: string): Promise<Reply<{ security_group: SecurityGroup }>> {
    return this.resource({ method: 'GET', path: `security-groups/${seg(id)}`, status: 200 }, { key: 'security_group', schema: V2('security-group') });
  }

  /** PUT /v2.0/security-groups/{id} (200). */
  updateSecurityGroup(id: string, attrs: Attributes): Promise<Reply<{ security_group: SecurityGroup }>> {
    return this.resource({ method: 'PUT', path: `security-groups/${seg(id)}`, body: { security_group: attrs }, status: 200 }, { key: 'security_group', schema: V2('security-group') });
  }

  /** DELETE /v2.0/security-groups/{id} (204). */
  deleteSecurityGroup(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `security-groups/${seg(id)}`, status: 204 });
  }

  /** POST /v2.0/security-group-rules (201). */
  createSecurityGroupRule(attrs: Attributes): Promise<Reply<{ security_group_rule: SecurityGroupRule }>> {
    return this.resource(
      { method: 'POST', path: 'security-group-rules', body: { security_group_rule: attrs }, status: 201 },
      { key: 'security_group_rule', schema: V2('security-group-rule') },
    );
  }

  /** GET /v2.0/security-group-rules (200). */
  listSecurityGroupRules(query?: NetworkQuery): Promise<Reply<{ security_group_rules: SecurityGroupRule[] }>> {
    return this.resource(
      { method: 'GET', path: `security-group-rules${encodeQuery(query)}`, status: 200 },
      { key: 'security_group_rules', list: true, ...this.entity(query, 'security-group-rule') },
    );
  }

  /** GET /v2.0/security-group-rules/{id} (200). */
  showSecurityGroupRule(id: string): Promise<Reply<{ security_group_rule: SecurityGroupRule }>> {
    return this.resource({ method: 'GET', path: `security-group-rules/${seg(id)}`, status: 200 }, { key: 'security_group_rule', schema: V2('security-group-rule') });
  }

  /** DELETE /v2.0/security-group-rules/{id} (204). */
  deleteSecurityGroupRule(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `security-group-rules/${seg(id)}`, status: 204 });
  }

  // --- floating IPs (guest validation) ---------------------------------------
  // No check asserts their bodies (guest validation reads the id and address), so
  // these declare the status only.

  /** POST /v2.0/floatingips (201). */
  createFloatingIp(attrs: Attributes): Promise<Reply<{ floatingip: FloatingIp }>> {
    return this.send({ method: 'POST', path: 'floatingips', body: { floatingip: attrs }, status: 201 });
  }

  /** GET /v2.0/floatingips (200). */
  listFloatingIps(query?: NetworkQuery): Promise<Reply<{ floatingips: FloatingIp[] }>> {
    return this.send({ method: 'GET', path: `floatingips${encodeQuery(query)}`, status: 200 });
  }

  /** DELETE /v2.0/floatingips/{id} (204). */
  deleteFloatingIp(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `floatingips/${seg(id)}`, status: 204 });
  }

  // --- subnet pools --------------------------------------------------------

  /** POST /v2.0/subnetpools (201). */
  createSubnetPool(attrs: Attributes): Promise<Reply<{ subnetpool: SubnetPool }>> {
    return this.resource({ method: 'POST', path: 'subnetpools', body: { subnetpool: attrs }, status: 201 }, { key: 'subnetpool', schema: V2('subnetpool') });
  }

  /** GET /v2.0/subnetpools (200). */
  listSubnetPools(query?: NetworkQuery): Promise<Reply<{ subnetpools: SubnetPool[] }>> {
    return this.resource({ method: 'GET', path: `subnetpools${encodeQuery(query)}`, status: 200 }, { key: 'subnetpools', list: true, ...this.entity(query, 'subnetpool') });
  }

  /** GET /v2.0/subnetpools/{id} (200). */
  showSubnetPool(id: string): Promise<Reply<{ subnetpool: SubnetPool }>> {
    return this.resource({ method: 'GET', path: `subnetpools/${seg(id)}`, status: 200 }, { key: 'subnetpool', schema: V2('subnetpool') });
  }

  /** PUT /v2.0/subnetpools/{id} (200). */
  updateSubnetPool(id: string, attrs: Attributes): Promise<Reply<{ subnetpool: SubnetPool }>> {
    return this.resource({ method: 'PUT', path: `subnetpools/${seg(id)}`, body: { subnetpool: attrs }, status: 200 }, { key: 'subnetpool', schema: V2('subnetpool') });
  }

  /** DELETE /v2.0/subnetpools/{id} (204). */
  deleteSubnetPool(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `subnetpools/${seg(id)}`, status: 204 });
  }

  // --- internals -----------------------------------------------------------

  /** The resource schema, unless the query asks for a `fields=` projection. */
  private entity(query: NetworkQuery | undefined, name: string): { schema?: string } {
    return projects(query) ? {} : { schema: V2(name) };
  }

  /**
   * Sends `op` (its status checked by `send`), then checks the body holds the
   * resource (or list) under `shape.key` and that each matches `shape.schema`;
   * violations are named from the body's root (`/networks/2/admin_state_up`).
   */
  private async resource<B>(op: Operation, shape: Shape): Promise<Reply<B>> {
    const sent = await this.send<unknown>(op);
    const reply: Reply<unknown> = { ...sent, body: objectBody(sent, !shape.decodedOnly) };
    const body = reply.body as Record<string, unknown>;
    if (shape.key === undefined) {
      if (shape.schema) matches(reply, '', body, shape.schema);
      return reply as Reply<B>;
    }
    const value = body[shape.key];
    if (!shape.list) {
      if (!isObject(value)) throw new ProtocolFailure(`${describeReply(reply)}: body should hold an object under "${shape.key}", got ${show(body)}`, reply);
      if (shape.schema) matches(reply, `/${shape.key}`, value, shape.schema);
      return reply as Reply<B>;
    }
    if (!Array.isArray(value)) throw new ProtocolFailure(`${describeReply(reply)}: body should hold an array under "${shape.key}", got ${show(body)}`, reply);
    value.forEach((item: unknown, i) => {
      if (!isObject(item)) throw new ProtocolFailure(`${describeReply(reply)}: /${shape.key}/${i} should be an object, got ${show(item)}`, reply);
      if (shape.schema) matches(reply, `/${shape.key}/${i}`, item, shape.schema);
    });
    return reply as Reply<B>;
  }
}

/**
 * The body as a JSON object. A JSON text the transport left undecoded (a
 * missing or wrong content type) is parsed, as Tempest's client parses any body.
 */
function objectBody(reply: Reply<unknown>, parseText: boolean): Record<string, unknown> {
  let body = reply.body;
  if (parseText && (typeof body === 'string' || Buffer.isBuffer(body))) {
    try {
      body = JSON.parse(String(body)) as unknown;
    } catch {
      throw new ProtocolFailure(`${describeReply(reply)}: expected a JSON object body, got ${show(reply.text.slice(0, SNIPPET))}`, reply);
    }
  }
  if (!isObject(body)) throw new ProtocolFailure(`${describeReply(reply)}: expected a JSON object body, got ${show(body)}`, reply);
  return body;
}

/** Validates `value`, found at JSON pointer `at` of the body, against `schema`. */
function matches(reply: Reply<unknown>, at: string, value: unknown, schema: string): void {
  const violations = schemaViolations(schema, value).map((v) => ({ ...v, path: `${at}${v.path}` }));
  if (violations.length > 0) throw new SchemaMismatch(reply, schema, violations);
}
