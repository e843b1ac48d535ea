/**
 * Neutron (Networking) v2.0 client: one method per API operation, as in the
 * Networking API v2.0 reference (https://docs.openstack.org/api-ref/network/v2/).
 * Methods return the response whatever its status; checks assert statuses and
 * bodies with src/check/expect.ts and src/check/expect-network.ts, against the
 * schemas in src/services/schemas/network/.
 */
import type { CloudClient, HttpMethod, HttpResponse, RequestOptions } from '../cloud/types.js';
import { unversionedBase, versionedBase } from './endpoint.js';

/** A response that also names its request method, for assertion messages. */
export type NetworkResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

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

export class NetworkClient {
  private base?: Promise<string>;

  constructor(private readonly cloud: CloudClient) {}

  // --- API discovery -------------------------------------------------------

  /** GET / (unversioned): the API versions document (200). */
  async listVersions(): Promise<NetworkResponse<{ versions: ApiVersion[] }>> {
    const root = unversionedBase(await this.cloud.endpoint('network'));
    const res = await this.cloud.request<{ versions: ApiVersion[] }>({ method: 'GET', url: root });
    return { ...res, method: 'GET' };
  }

  /** GET /v2.0/extensions (200). */
  listExtensions(): Promise<NetworkResponse<{ extensions: Extension[] }>> {
    return this.call('GET', 'extensions');
  }

  // --- networks ------------------------------------------------------------

  /** POST /v2.0/networks (201). */
  createNetwork(attrs: Attributes): Promise<NetworkResponse<{ network: Network }>> {
    return this.call('POST', 'networks', { body: { network: attrs } });
  }

  /** GET /v2.0/networks (200); `fields` and filters go in `query`. */
  listNetworks(query?: NetworkQuery): Promise<NetworkResponse<{ networks: Network[] }>> {
    return this.call('GET', `networks${encodeQuery(query)}`);
  }

  /** GET /v2.0/networks/{id} (200). */
  showNetwork(id: string, query?: NetworkQuery): Promise<NetworkResponse<{ network: Network }>> {
    return this.call('GET', `networks/${seg(id)}${encodeQuery(query)}`);
  }

  /** PUT /v2.0/networks/{id} (200). */
  updateNetwork(id: string, attrs: Attributes): Promise<NetworkResponse<{ network: Network }>> {
    return this.call('PUT', `networks/${seg(id)}`, { body: { network: attrs } });
  }

  /** DELETE /v2.0/networks/{id} (204); also deletes its subnets. */
  deleteNetwork(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `networks/${seg(id)}`);
  }

  // --- subnets -------------------------------------------------------------

  /** POST /v2.0/subnets (201). */
  createSubnet(attrs: Attributes): Promise<NetworkResponse<{ subnet: Subnet }>> {
    return this.call('POST', 'subnets', { body: { subnet: attrs } });
  }

  /** GET /v2.0/subnets (200). */
  listSubnets(query?: NetworkQuery): Promise<NetworkResponse<{ subnets: Subnet[] }>> {
    return this.call('GET', `subnets${encodeQuery(query)}`);
  }

  /** GET /v2.0/subnets/{id} (200). */
  showSubnet(id: string, query?: NetworkQuery): Promise<NetworkResponse<{ subnet: Subnet }>> {
    return this.call('GET', `subnets/${seg(id)}${encodeQuery(query)}`);
  }

  /** PUT /v2.0/subnets/{id} (200). */
  updateSubnet(id: string, attrs: Attributes): Promise<NetworkResponse<{ subnet: Subnet }>> {
    return this.call('PUT', `subnets/${seg(id)}`, { body: { subnet: attrs } });
  }

  /** DELETE /v2.0/subnets/{id} (204). */
  deleteSubnet(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `subnets/${seg(id)}`);
  }

  // --- ports ---------------------------------------------------------------

  /** POST /v2.0/ports (201). */
  createPort(attrs: Attributes): Promise<NetworkResponse<{ port: Port }>> {
    return this.call('POST', 'ports', { body: { port: attrs } });
  }

  /** POST /v2.0/ports with a list: bulk create (201, `ports`). */
  createBulkPorts(ports: Attributes[]): Promise<NetworkResponse<{ ports: Port[] }>> {
    return this.call('POST', 'ports', { body: { ports } });
  }

  /** GET /v2.0/ports (200). */
  listPorts(query?: NetworkQuery): Promise<NetworkResponse<{ ports: Port[] }>> {
    return this.call('GET', `ports${encodeQuery(query)}`);
  }

  /** GET /v2.0/ports/{id} (200). */
  showPort(id: string, query?: NetworkQuery): Promise<NetworkResponse<{ port: Port }>> {
    return this.call('GET', `ports/${seg(id)}${encodeQuery(query)}`);
  }

  /** PUT /v2.0/ports/{id} (200). */
  updatePort(id: string, attrs: Attributes): Promise<NetworkResponse<{ port: Port }>> {
    return this.call('PUT', `ports/${seg(id)}`, { body: { port: attrs } });
  }

  /** DELETE /v2.0/ports/{id} (204). */
  deletePort(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `ports/${seg(id)}`);
  }

  // --- routers -------------------------------------------------------------

  /** POST /v2.0/routers (201). */
  createRouter(attrs: Attributes): Promise<NetworkResponse<{ router: Router }>> {
    return this.call('POST', 'routers', { body: { router: attrs } });
  }

  /** GET /v2.0/routers (200). */
  listRouters(query?: NetworkQuery): Promise<NetworkResponse<{ routers: Router[] }>> {
    return this.call('GET', `routers${encodeQuery(query)}`);
  }

  /** GET /v2.0/routers/{id} (200). */
  showRouter(id: string, query?: NetworkQuery): Promise<NetworkResponse<{ router: Router }>> {
    return this.call('GET', `routers/${seg(id)}${encodeQuery(query)}`);
  }

  /** PUT /v2.0/routers/{id} (200); also sets/unsets the gateway and extra routes. */
  updateRouter(id: string, attrs: Attributes): Promise<NetworkResponse<{ router: Router }>> {
    return this.call('PUT', `routers/${seg(id)}`, { body: { router: attrs } });
  }

  /** DELETE /v2.0/routers/{id} (204; 409 while interfaces remain). */
  deleteRouter(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `routers/${seg(id)}`);
  }

  /** PUT /v2.0/routers/{id}/add_router_interface with `subnet_id` or `port_id` (200). */
  addRouterInterface(id: string, target: { subnet_id: string } | { port_id: string }): Promise<NetworkResponse<RouterInterface>> {
    return this.call('PUT', `routers/${seg(id)}/add_router_interface`, { body: target });
  }

  /** PUT /v2.0/routers/{id}/remove_router_interface with `subnet_id` or `port_id` (200). */
  removeRouterInterface(id: string, target: { subnet_id: string } | { port_id: string }): Promise<NetworkResponse<RouterInterface>> {
    return this.call('PUT', `routers/${seg(id)}/remove_router_interface`, { body: target });
  }

  // --- security groups -----------------------------------------------------

  /** POST /v2.0/security-groups (201). */
  createSecurityGroup(attrs: Attributes): Promise<NetworkResponse<{ security_group: SecurityGroup }>> {
    return this.call('POST', 'security-groups', { body: { security_group: attrs } });
  }

  /** GET /v2.0/security-groups (200). */
  listSecurityGroups(query?: NetworkQuery): Promise<NetworkResponse<{ security_groups: SecurityGroup[] }>> {
    return this.call('GET', `security-groups${encodeQuery(query)}`);
  }

  /** GET /v2.0/security-groups/{id} (200). */
  showSecurityGroup(id: string): Promise<NetworkResponse<{ security_group: SecurityGroup }>> {
    return this.call('GET', `security-groups/${seg(id)}`);
  }

  /** PUT /v2.0/security-groups/{id} (200). */
  updateSecurityGroup(id: string, attrs: Attributes): Promise<NetworkResponse<{ security_group: SecurityGroup }>> {
    return this.call('PUT', `security-groups/${seg(id)}`, { body: { security_group: attrs } });
  }

  /** DELETE /v2.0/security-groups/{id} (204). */
  deleteSecurityGroup(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `security-groups/${seg(id)}`);
  }

  /** POST /v2.0/security-group-rules (201). */
  createSecurityGroupRule(attrs: Attributes): Promise<NetworkResponse<{ security_group_rule: SecurityGroupRule }>> {
    return this.call('POST', 'security-group-rules', { body: { security_group_rule: attrs } });
  }

  /** GET /v2.0/security-group-rules (200). */
  listSecurityGroupRules(query?: NetworkQuery): Promise<NetworkResponse<{ security_group_rules: SecurityGroupRule[] }>> {
    return this.call('GET', `security-group-rules${encodeQuery(query)}`);
  }

  /** GET /v2.0/security-group-rules/{id} (200). */
  showSecurityGroupRule(id: string): Promise<NetworkResponse<{ security_group_rule: SecurityGroupRule }>> {
    return this.call('GET', `security-group-rules/${seg(id)}`);
  }

  /** DELETE /v2.0/security-group-rules/{id} (204). */
  deleteSecurityGroupRule(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `security-group-rules/${seg(id)}`);
  }

  // --- floating IPs (guest validation) ---------------------------------------

  /** POST /v2.0/floatingips (201). */
  createFloatingIp(attrs: Attributes): Promise<NetworkResponse<{ floatingip: FloatingIp }>> {
    return this.call('POST', 'floatingips', { body: { floatingip: attrs } });
  }

  /** GET /v2.0/floatingips (200). */
  listFloatingIps(query?: NetworkQuery): Promise<NetworkResponse<{ floatingips: FloatingIp[] }>> {
    return this.call('GET', `floatingips${encodeQuery(query)}`);
  }

  /** DELETE /v2.0/floatingips/{id} (204). */
  deleteFloatingIp(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `floatingips/${seg(id)}`);
  }

  // --- subnet pools --------------------------------------------------------

  /** POST /v2.0/subnetpools (201). */
  createSubnetPool(attrs: Attributes): Promise<NetworkResponse<{ subnetpool: SubnetPool }>> {
    return this.call('POST', 'subnetpools', { body: { subnetpool: attrs } });
  }

  /** GET /v2.0/subnetpools (200). */
  listSubnetPools(query?: NetworkQuery): Promise<NetworkResponse<{ subnetpools: SubnetPool[] }>> {
    return this.call('GET', `subnetpools${encodeQuery(query)}`);
  }

  /** GET /v2.0/subnetpools/{id} (200). */
  showSubnetPool(id: string): Promise<NetworkResponse<{ subnetpool: SubnetPool }>> {
    return this.call('GET', `subnetpools/${seg(id)}`);
  }

  /** PUT /v2.0/subnetpools/{id} (200). */
  updateSubnetPool(id: string, attrs: Attributes): Promise<NetworkResponse<{ subnetpool: SubnetPool }>> {
    return this.call('PUT', `subnetpools/${seg(id)}`, { body: { subnetpool: attrs } });
  }

  /** DELETE /v2.0/subnetpools/{id} (204). */
  deleteSubnetPool(id: string): Promise<NetworkResponse> {
    return this.call('DELETE', `subnetpools/${seg(id)}`);
  }

  // --- internals -----------------------------------------------------------

  private baseUrl(): Promise<string> {
    this.base ??= this.cloud.endpoint('network').then((e) => versionedBase(e, 'v2.0'));
    return this.base;
  }

  /** `path` is relative to /v2.0 and may already carry an encoded query string. */
  private async call<T = unknown>(
    method: HttpMethod,
    path: string,
    extra: Omit<RequestOptions, 'method' | 'url' | 'path' | 'service'> = {},
  ): Promise<NetworkResponse<T>> {
    const url = `${await this.baseUrl()}/${path}`;
    const res = await this.cloud.request<T>({ ...extra, method, url });
    return { ...res, method };
  }
}
