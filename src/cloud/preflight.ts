/**
 * Is this catalog usable at all? Checked once after authentication, before any test: a
 * region with no endpoints, or endpoint URLs that are not URLs, would otherwise fail every
 * test the same way (or crash whatever parses the URL first).
 */
import type { CatalogService } from './catalog.js';
import { redactUrl } from './redact.js';
import { CloudError } from './types.js';

function regionOf(e: { region_id?: string; region?: string }): string | undefined {
  return e.region_id ?? e.region;
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Throws a one-line CloudError ('catalog') naming the region or service when the catalog cannot serve a run. */
export function checkCatalog(catalog: CatalogService[], opts: { cloud: string; region?: string; interface: string }): void {
  const fail = (what: string): never => {
    throw new CloudError(`cloud ${opts.cloud}: ${what}`, 'catalog', { cloud: opts.cloud });
  };
  const iface = (i: string) => i.toLowerCase().replace(/url$/, '');
  const inUse = catalog.flatMap((s) =>
    s.endpoints
      .filter((e) => iface(e.interface) === opts.interface && (opts.region === undefined || regionOf(e) === opts.region))
      .map((e) => ({ type: s.type, url: e.url })),
  );
  if (opts.region !== undefined && inUse.length === 0) {
    const regions = [...new Set(catalog.flatMap((s) => s.endpoints.map(regionOf)).filter((r): r is string => r !== undefined))].sort();
    fail(`region_name "${opts.region}": the catalog has no ${opts.interface} endpoint in that region (regions in the catalog: ${regions.join(', ') || 'none'})`);
  }
  for (const e of inUse) {
    // JSON.stringify: the value came from the cloud; quote it, escapes included.
    if (!isHttpUrl(e.url)) fail(`service '${e.type}': the catalog's ${opts.interface} endpoint ${JSON.stringify(redactUrl(e.url).slice(0, 200))} is not an http(s) URL`);
  }
}
