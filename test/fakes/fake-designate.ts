/**
 * An in-memory Designate v2 (zones and recordsets) behind nock, following the DNS
 * API reference closely enough for every DNS check to pass against it. A new
 * zone answers CREATE/PENDING and is NONE/ACTIVE on the next show; a deleted one
 * answers DELETE/PENDING and 404 on the next show, so waits are exercised without
 * sleeping. `faults` then bend one response at a time.
 */
import { randomUUID } from 'node:crypto';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';

export type { Json, FakeRequest, FakeReply, Fault };

export const PROJECT = '7c2d9a0e4b1f4c3d8e5f6a7b8c9d0e1f';

export interface FakeDesignate {
  zones: Map<string, Json>;
  recordsets: Map<string, Json>;
  log: string[];
  faults: Fault[];
}

const error = (status: number, type: string, message: string): FakeReply => ({ status, body: { code: status, type, message } });
const notFound = (what: string) => error(404, `${what}_not_found`, `Could not find ${what}`);

class Designate {
  private serial = 1_700_000_000;

  constructor(
    private readonly state: FakeDesignate,
    private readonly origin: string,
  ) {}

  private zoneView(z: Json): Json {
    const { _settle, _gone, ...rest } = z;
    return { ...rest, links: { self: `${this.origin}/v2/zones/${String(z.id)}` } };
  }

  private rsView(r: Json): Json {
    return { ...r, links: { self: `${this.origin}/v2/zones/${String(r.zone_id)}/recordsets/${String(r.id)}` } };
  }

  handle(req: FakeRequest): FakeReply {
    const p = req.path.replace(/\/$/, '');
    const body = (req.body ?? {}) as Json;
    let m: RegExpMatchArray | null;
    if (p === '/v2/zones' && req.method === 'POST') return this.createZone(body);
    if (p === '/v2/zones' && req.method === 'GET') {
      const zones = [...this.state.zones.values()].filter((z) => !z._gone).map((z) => this.zoneView(z));
      return { status: 200, body: { zones, links: { self: `${this.origin}/v2/zones` }, metadata: { total_count: zones.length } } };
    }
    if ((m = p.match(/^\/v2\/zones\/([^/]+)$/))) {
      const z = this.state.zones.get(m[1]!);
      if (!z || z._gone) {
        if (z?._gone) this.state.zones.delete(String(z.id));
        return notFound('zone');
      }
      if (req.method === 'GET') {
        if (z.action === 'DELETE') {
          z._gone = true;
          return { status: 200, body: this.zoneView(z) };
        }
        const view = this.zoneView(z);
        if (z._settle) {
          z._settle = false;
          z.status = 'ACTIVE';
          z.action = 'NONE';
        }
        return { status: 200, body: view };
      }
      if (req.method === 'PATCH') {
        for (const k of ['email', 'ttl', 'description'] as const) if (k in body) z[k] = body[k];
        Object.assign(z, { action: 'UPDATE', status: 'PENDING', _settle: true, serial: ++this.serial, version: Number(z.version) + 1 });
        return { status: 202, body: this.zoneView(z) };
      }
      if (req.method === 'DELETE') {
        Object.assign(z, { action: 'DELETE', status: 'PENDING', _settle: false });
        for (const [id, r] of this.state.recordsets) if (r.zone_id === z.id) this.state.recordsets.delete(id);
        return { status: 202, body: this.zoneView(z) };
      }
    }
    if ((m = p.match(/^\/v2\/zones\/([^/]+)\/recordsets(?:\/([^/]+))?$/))) {
      const z = this.state.zones.get(m[1]!);
      if (!z || z._gone) return notFound('zone');
      const rsId = m[2];
      if (!rsId && req.method === 'POST') return this.createRecordset(z, body);
      if (!rsId && req.method === 'GET') {
        const recordsets = [...this.state.recordsets.values()].filter((r) => r.zone_id === z.id).map((r) => this.rsView(r));
        return { status: 200, body: { recordsets, links: { self: `${this.origin}${req.path}` }, metadata: { total_count: recordsets.length } } };
      }
      const r = rsId ? this.state.recordsets.get(rsId) : undefined;
      if (!r || r.zone_id !== z.id) return notFound('recordset');
      if (req.method === 'GET') return { status: 200, body: this.rsView(r) };
      if (req.method === 'PUT') {
        for (const k of ['records', 'ttl', 'description'] as const) if (k in body) r[k] = body[k];
        Object.assign(r, { action: 'UPDATE', status: 'PENDING', version: Number(r.version) + 1, updated_at: new Date().toISOString() });
        return { status: 202, body: this.rsView(r) };
      }
      if (req.method === 'DELETE') {
        this.state.recordsets.delete(String(r.id));
        return { status: 202, body: this.rsView({ ...r, action: 'DELETE', status: 'PENDING' }) };
      }
    }
    return error(404, 'not_found', `no route for ${req.method} ${req.path}`);
  }

  private createZone(body: Json): FakeReply {
    const name = body.name;
    if (typeof name !== 'string' || !name.endsWith('.') || typeof body.email !== 'string') return error(400, 'invalid_object', 'name and email are required');
    if ([...this.state.zones.values()].some((z) => z.name === name && !z._gone)) return error(409, 'duplicate_zone', 'Duplicate Zone');
    const zone: Json = {
      id: randomUUID(),
      name,
      email: body.email,
      ttl: typeof body.ttl === 'number' ? body.ttl : 3600,
      serial: ++this.serial,
      status: 'PENDING',
      action: 'CREATE',
      description: typeof body.description === 'string' ? body.description : null,
      project_id: PROJECT,
      pool_id: '794ccc2c-d751-44fe-b57f-8894c9f5c842',
      type: 'PRIMARY',
      masters: [],
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: null,
      transferred_at: null,
      _settle: true,
    };
    this.state.zones.set(String(zone.id), zone);
    return { status: 202, body: this.zoneView(zone) };
  }

  private createRecordset(z: Json, body: Json): FakeReply {
    const { name, type, records } = body;
    if (typeof name !== 'string' || typeof type !== 'string' || !Array.isArray(records)) return error(400, 'invalid_object', 'name, type and records are required');
    if (!name.endsWith(String(z.name))) return error(400, 'invalid_recordset_location', 'RecordSet belongs in a child zone');
    if ([...this.state.recordsets.values()].some((r) => r.zone_id === z.id && r.name === name && r.type === type)) return error(409, 'duplicate_recordset', 'Duplicate RecordSet');
    const rs: Json = {
      id: randomUUID(),
      name,
      type,
      records,
      ttl: typeof body.ttl === 'number' ? body.ttl : null,
      status: 'PENDING',
      action: 'CREATE',
      description: typeof body.description === 'string' ? body.description : null,
      zone_id: z.id,
      zone_name: z.name,
      project_id: PROJECT,
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: null,
    };
    this.state.recordsets.set(String(rs.id), rs);
    return { status: 202, body: this.rsView(rs) };
  }
}

/** Mounts the fake on `origin` (the dns endpoint, unversioned as Designate catalogs it). */
export function fakeDesignate(origin: string, faults: Fault[] = []): FakeDesignate {
  const state: FakeDesignate = { zones: new Map(), recordsets: new Map(), log: [], faults: [...faults] };
  const designate = new Designate(state, origin);
  mountFake({ origin, handle: (req) => designate.handle(req), faults: () => state.faults, log: state.log });
  return state;
}
