/** Endpoint selection in a Keystone v3 service catalog. */
import { CloudError } from './types.js';

/** One endpoint of a catalog entry (Keystone v3 shape). */
export interface CatalogEndpoint {
  id?: string;
  interface: string;
  region?: string;
  region_id?: string;
  url: string;
}

/** One service of the catalog. */
export interface CatalogService {
  id?: string;
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

/** Keystone v3 endpoint interfaces. */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/**
 * Older names a service type is still registered under (service-types-authority):
 * clouds deployed years ago register `volumev3` where new clients ask for `block-storage`.
 */
const ALIASES: Record<string, string[]> = {
  'block-storage': ['volumev3', 'volumev2', 'volume', 'block-store'],
  volumev3: ['block-storage'],
  'shared-file-system': ['sharev2', 'share'],
  'load-balancer': ['octavia'],
  'key-manager': ['keystore'],
};

/** Normalises `publicURL`/`internalURL`/`adminURL` and case into a v3 interface name. */
export function normaliseInterface(value: string | undefined): EndpointInterface | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase().replace(/url$/, '');
  if (v === 'public' || v === 'internal' || v === 'admin') return v;
  return undefined;
}

/** Narrows an unknown `token.catalog` into services, dropping malformed entries. */
export function parseCatalog(raw: unknown): CatalogService[] {
  if (!Array.isArray(raw)) return [];
  const out: CatalogService[] = [];
  for (const s of raw) {
    if (typeof s !== 'object' || s === null) continue;
    const svc = s as Record<string, unknown>;
    if (typeof svc['type'] !== 'string') continue;
    const endpoints: CatalogEndpoint[] = [];
    for (const e of Array.isArray(svc['endpoints']) ? svc['endpoints'] : []) {
      if (typeof e !== 'object' || e === null) continue;
      const ep = e as Record<string, unknown>;
      if (typeof ep['url'] !== 'string' || typeof ep['interface'] !== 'string') continue;
      endpoints.push({
        url: ep['url'],
        interface: ep['interface'],
        ...(typeof ep['region'] === 'string' ? { region: ep['region'] } : {}),
        ...(typeof ep['region_id'] === 'string' ? { region_id: ep['region_id'] } : {}),
        ...(typeof ep['id'] === 'string' ? { id: ep['id'] } : {}),
      });
    }
    out.push({
      type: svc['type'],
      endpoints,
      ...(typeof svc['name'] === 'string' ? { name: svc['name'] } : {}),
      ...(typeof svc['id'] === 'string' ? { id: svc['id'] } : {}),
    });
  }
  return out;
}

function regionOf(e: CatalogEndpoint): string | undefined {
  return e.region_id ?? e.region;
}

function describe(catalog: CatalogService[]): string {
  if (catalog.length === 0) return 'the catalog is empty';
  const parts = catalog.map((s) => {
    const eps = s.endpoints.map((e) => `${e.interface}${regionOf(e) ? `@${regionOf(e)}` : ''}`);
    return `${s.type} (${eps.join(', ') || 'no endpoints'})`;
  });
  return `the catalog has ${parts.join('; ')}`;
}

/** What selects an endpoint besides the service type. */
export interface EndpointQuery {
  region?: string;
  interface?: EndpointInterface;
  /** For error messages. */
  cloud?: string;
}

/**
 * The URL (as given, versions kept) of a service type for a region and interface.
 * Without a region, the service's only region is used; several are an error, since
 * picking one silently would test whichever region came first.
 */
export function selectEndpoint(catalog: CatalogService[], serviceType: string, query: EndpointQuery = {}): string {
  const iface = query.interface ?? 'public';
  const prefix = query.cloud ? `cloud ${query.cloud}: ` : '';
  const types = [serviceType, ...(ALIASES[serviceType] ?? [])];
  const services = types.flatMap((t) => catalog.filter((s) => s.type === t));
  const fail = (what: string): never => {
    throw new CloudError(`${prefix}${what}; ${describe(catalog)}`, 'catalog', query.cloud ? { cloud: query.cloud } : {});
  };
  if (services.length === 0) fail(`no service of type '${serviceType}' in the catalog`);
  for (const svc of services) {
    const byIface = svc.endpoints.filter((e) => e.interface.toLowerCase().replace(/url$/, '') === iface);
    if (byIface.length === 0) continue;
    if (query.region) {
      const hit = byIface.find((e) => e.region_id === query.region || e.region === query.region);
      if (hit) return hit.url;
      continue;
    }
    const regions = [...new Set(byIface.map(regionOf))];
    if (regions.length > 1) {
      fail(`service '${serviceType}' has ${iface} endpoints in regions ${regions.join(', ')}; set region_name`);
    }
    return byIface[0]!.url;
  }
  return fail(
    `no ${iface} endpoint for service '${serviceType}'${query.region ? ` in region ${query.region}` : ''}`,
  );
}
