/**
 * What a cloud runs: each catalog service's endpoint and the API version its
 * version document calls current (with the maximum microversion where given).
 * Discovery is best effort: a service that hides its version document is listed
 * with its endpoint only.
 */
import type { CloudClient } from './types.js';

export interface DiscoveredService {
  url: string;
  version?: string;
}

interface VersionDoc {
  id?: string;
  status?: string;
  version?: string;
  max_version?: string;
}

function describe(v: VersionDoc): string | undefined {
  if (!v.id) return undefined;
  const micro = v.version || v.max_version;
  return micro ? `${v.id} (microversions up to ${micro})` : v.id;
}

/** Picks the current version out of the shapes OpenStack services answer with. */
export function currentVersion(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { version?: VersionDoc; versions?: VersionDoc[] | { values?: VersionDoc[] }; swift?: { version?: string } };
  if (b.swift?.version) return `swift ${b.swift.version}`;
  if (b.version && typeof b.version === 'object') return describe(b.version);
  const list = Array.isArray(b.versions) ? b.versions : b.versions?.values;
  if (!list?.length) return undefined;
  const current = list.find((v) => /^(CURRENT|stable)$/i.test(v.status ?? '')) ?? list[list.length - 1]!;
  return describe(current);
}

/** Where to ask: Swift has /info at the root; the others answer at their endpoint or root. */
function versionUrls(type: string, url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return []; // refused by the catalog preflight; nothing to ask here
  }
  const root = `${u.protocol}//${u.host}`;
  if (type === 'object-store') return [`${root}/info`];
  return [url, `${root}/`];
}

export async function discoverServices(client: CloudClient, types: readonly string[]): Promise<Record<string, DiscoveredService>> {
  const out: Record<string, DiscoveredService> = {};
  for (const type of types) {
    let url: string;
    try {
      url = await client.endpoint(type);
    } catch {
      continue; // not in this cloud's catalog
    }
    const entry: DiscoveredService = { url };
    for (const candidate of versionUrls(type, url)) {
      try {
        const r = await client.request({ method: 'GET', url: candidate, auth: type !== 'object-store' && type !== 'identity', timeoutMs: 10_000, responseType: 'json' });
        const version = r.status < 400 ? currentVersion(r.body) : undefined;
        if (version) {
          entry.version = version;
          break;
        }
      } catch {
        /* best effort */
      }
    }
    out[type] = entry;
  }
  return out;
}
