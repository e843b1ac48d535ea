/**
 * Designate (DNS) v2 client: zones and recordsets, one method per operation of the
 * DNS API reference (https://docs.openstack.org/api-ref/dns/). Each method declares
 * the status(es) designate-tempest-plugin's v2 clients expect and the answer's
 * schema (src/services/schemas/dns/v2/), validates the answer and returns it typed,
 * or throws a ProtocolFailure (see protocol.ts). Negative checks wrap a call in
 * `expectErrorStatus`.
 */
import type { CloudClient } from '../cloud/types.js';
import { versionedBase } from './endpoint.js';
import { ProtocolClient, expectEachMatches, type Reply } from './protocol.js';

export const DNS_SERVICE = 'dns';

export interface Zone {
  id: string;
  name: string;
  email: string;
  ttl: number;
  serial: number;
  status: string;
  action: string;
  description: string | null;
  project_id: string;
  [field: string]: unknown;
}

export interface Recordset {
  id: string;
  name: string;
  type: string;
  records: string[];
  ttl: number | null;
  status: string;
  action: string;
  description: string | null;
  zone_id: string;
  [field: string]: unknown;
}

export interface ZoneList {
  zones: Zone[];
  links: { self: string; next?: string };
  metadata?: { total_count?: number };
}

export interface RecordsetList {
  recordsets: Recordset[];
  links: { self: string; next?: string };
  metadata?: { total_count?: number };
}

export type DnsQuery = Record<string, string | number | boolean | undefined>;

const enc = encodeURIComponent;

export class DnsClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  protected async resolveBase(): Promise<string> {
    // Designate's catalog entry is usually unversioned (http://host:9001/).
    return versionedBase(await this.cloud.endpoint(DNS_SERVICE), 'v2');
  }

  // --- zones -------------------------------------------------------------------

  /** POST /v2/zones: 202, the zone in CREATE/PENDING. */
  createZone(zone: { name: string; email: string; ttl?: number; description?: string; [f: string]: unknown }): Promise<Reply<Zone>> {
    return this.send<Zone>({ method: 'POST', path: 'zones', body: zone, status: 202, schema: 'dns/v2/zone' });
  }

  /** GET /v2/zones/{id}: 200. */
  showZone(id: string): Promise<Reply<Zone>> {
    return this.send<Zone>({ method: 'GET', path: `zones/${enc(id)}`, status: 200, schema: 'dns/v2/zone' });
  }

  /** GET /v2/zones: 200; every element is a zone. */
  async listZones(query?: DnsQuery): Promise<Reply<ZoneList>> {
    const reply = await this.send<ZoneList>({ method: 'GET', path: 'zones', ...(query ? { query } : {}), status: 200, schema: 'dns/v2/zones' });
    expectEachMatches(reply, '/zones', reply.body.zones, 'dns/v2/zone');
    return reply;
  }

  /** PATCH /v2/zones/{id}: 202, the zone in UPDATE/PENDING. */
  updateZone(id: string, changes: { email?: string; ttl?: number; description?: string }): Promise<Reply<Zone>> {
    return this.send<Zone>({ method: 'PATCH', path: `zones/${enc(id)}`, body: changes, status: 202, schema: 'dns/v2/zone' });
  }

  /** DELETE /v2/zones/{id}: 202, the zone in DELETE/PENDING. */
  deleteZone(id: string): Promise<Reply<Zone>> {
    return this.send<Zone>({ method: 'DELETE', path: `zones/${enc(id)}`, status: 202, schema: 'dns/v2/zone' });
  }

  // --- recordsets --------------------------------------------------------------

  /** POST /v2/zones/{zone}/recordsets: 202, the recordset PENDING. */
  createRecordset(zoneId: string, data: { name: string; type: string; records: string[]; ttl?: number; description?: string }): Promise<Reply<Recordset>> {
    return this.send<Recordset>({ method: 'POST', path: `zones/${enc(zoneId)}/recordsets`, body: data, status: 202, schema: 'dns/v2/recordset' });
  }

  /**
   * GET /v2/zones/{zone}/recordsets/{id}: 200. The plugin's client also tolerates the
   * 301 of the cross-zone /v2/recordsets/{id}; the reference answers 200 for this path.
   */
  showRecordset(zoneId: string, id: string): Promise<Reply<Recordset>> {
    return this.send<Recordset>({ method: 'GET', path: `zones/${enc(zoneId)}/recordsets/${enc(id)}`, status: 200, schema: 'dns/v2/recordset' });
  }

  /** GET /v2/zones/{zone}/recordsets: 200; every element is a recordset. */
  async listRecordsets(zoneId: string, query?: DnsQuery): Promise<Reply<RecordsetList>> {
    const reply = await this.send<RecordsetList>({
      method: 'GET',
      path: `zones/${enc(zoneId)}/recordsets`,
      ...(query ? { query } : {}),
      status: 200,
      schema: 'dns/v2/recordsets',
    });
    expectEachMatches(reply, '/recordsets', reply.body.recordsets, 'dns/v2/recordset');
    return reply;
  }

  /** PUT /v2/zones/{zone}/recordsets/{id}: 202, or 200 when the recordset was already active. */
  updateRecordset(zoneId: string, id: string, data: Record<string, unknown>): Promise<Reply<Recordset>> {
    return this.send<Recordset>({ method: 'PUT', path: `zones/${enc(zoneId)}/recordsets/${enc(id)}`, body: data, status: [200, 202], schema: 'dns/v2/recordset' });
  }

  /** DELETE /v2/zones/{zone}/recordsets/{id}: 202. */
  deleteRecordset(zoneId: string, id: string): Promise<Reply<Recordset>> {
    return this.send<Recordset>({ method: 'DELETE', path: `zones/${enc(zoneId)}/recordsets/${enc(id)}`, status: 202, schema: 'dns/v2/recordset' });
  }
}
