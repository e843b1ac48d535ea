/**
 * An in-memory Cinder v3 (base microversion) behind nock, following the Block
 * Storage API reference closely enough for every volume check to pass against
 * it: volumes (filters, sorting, marker/limit pages with next links), actions
 * (bootable, read-only, upload to a fake Glance), metadata, snapshots and their
 * metadata, availability zones, extensions and the versions document. New
 * volumes and snapshots answer `creating` and settle on the next show; deleted
 * ones answer `deleting` and are gone on the next show, so waits are exercised
 * without sleeping. `faults` then bend one response at a time.
 */
import { randomUUID } from 'node:crypto';
import { imageRecord, type FakeGlance } from './fake-glance.js';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';

export type { Json, FakeRequest, FakeReply, Fault };

/** The project of the fake's only account (as nockCloud's projectId). */
export const PROJECT = '5f3a6c1e2b7d4e8f9a0b1c2d3e4f5a6b';
export const USER = '9d8c7b6a5f4e4d3c2b1a0f9e8d7c6b5a';
export const ZONE = 'nova';

export interface FakeCinder {
  volumes: Map<string, Json>;
  snapshots: Map<string, Json>;
  log: string[];
  faults: Fault[];
  /** The conforming answer to a request, no faults (for a fake proxying Cinder, as Nova's os-volumes). */
  handle(req: FakeRequest): FakeReply;
  /** A volume as Cinder finds it now (a pending transition done), undefined when there is none. */
  volume(id: string): Json | undefined;
}

function now(): string {
  // Cinder's timestamps: microseconds, no zone designator.
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

function error(status: number, kind: string, message: string): FakeReply {
  return { status, body: { [kind]: { code: status, message } } };
}

const notFound = (what: string) => error(404, 'itemNotFound', `${what} could not be found.`);
const badRequest = (message: string) => error(400, 'badRequest', message);

/** Cinder's size validation: a positive integer, given as number or digit string. */
function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0) return Number(value);
  return undefined;
}

function metadataFilter(raw: string): Record<string, string> | undefined {
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    try {
      return JSON.parse(raw.replace(/'/g, '"')) as Record<string, string>;
    } catch {
      return undefined;
    }
  }
}

class Cinder {
  private seq = 0;

  constructor(
    private readonly state: FakeCinder,
    private readonly origin: string,
    private readonly glance?: FakeGlance,
    readonly project = PROJECT,
  ) {}

  private link(kind: string, id: string): Json[] {
    return [
      { href: `${this.origin}/v3/${this.project}/${kind}/${id}`, rel: 'self' },
      { href: `${this.origin}/${this.project}/${kind}/${id}`, rel: 'bookmark' },
    ];
  }

  private volumeView(v: Json): Json {
    const { _seq, _settle, ...rest } = v;
    return { ...rest, links: this.link('volumes', String(v.id)), metadata: { ...(v.metadata as Json) } };
  }

  private volumeDetail(v: Json): Json {
    return { ...this.volumeView(v), 'os-vol-tenant-attr:tenant_id': this.project };
  }

  private snapshotView(s: Json): Json {
    const { _seq, _settle, _project, ...rest } = s;
    return { ...rest, metadata: { ...(s.metadata as Json) } };
  }

  private snapshotDetail(s: Json): Json {
    return {
      ...this.snapshotView(s),
      'os-extended-snapshot-attributes:progress': s.status === 'available' ? '100%' : '0%',
      'os-extended-snapshot-attributes:project_id': this.project,
    };
  }

  /** A resource's pending transition happens when it is next looked at. */
  settle(map: Map<string, Json>, id: string): Json | undefined {
    const item = map.get(id);
    if (!item) return undefined;
    const next = item._settle as string | undefined;
    if (next === 'gone') {
      map.delete(id);
      return undefined;
    }
    if (next) {
      item.status = next;
      delete item._settle;
      item.updated_at = now();
    }
    return item;
  }

  handle(req: FakeRequest): FakeReply {
    if (req.method === 'GET' && (req.path === '/' || req.path === '')) return this.versions();
    const prefix = `/v3/${this.project}`;
    if (!req.path.startsWith(`${prefix}/`)) return notFound('resource');
    const rest = req.path.slice(prefix.length + 1);
    const parts = rest.split('/');
    const [collection, id, sub, key] = parts;
    const body = (req.body ?? {}) as Json;
    if (collection === 'os-availability-zone' && req.method === 'GET') {
      return { status: 200, body: { availabilityZoneInfo: [{ zoneName: ZONE, zoneState: { available: true } }] } };
    }
    if (collection === 'extensions' && req.method === 'GET') return this.extensions();
    if (collection === 'messages') return notFound('resource');
    if (collection === 'volumes') return this.volumes(req, id, sub, key, body, parts.length);
    if (collection === 'snapshots') return this.snapshots(req, id, sub, key, body, parts.length);
    return notFound('resource');
  }

  private versions(): FakeReply {
    return {
      status: 300,
      body: {
        versions: [
          {
            id: 'v3.0', status: 'CURRENT', version: '3.70', min_version: '3.0', updated: '2023-08-31T00:00:00Z',
            links: [{ rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' }, { rel: 'self', href: `${this.origin}/v3/` }],
            'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
          },
        ],
      },
    };
  }

  private extensions(): FakeReply {
    const ext = (name: string, alias: string) => ({
      alias, name, description: `${name} support.`, links: [], updated: '2011-06-29T00:00:00+00:00',
    });
    return { status: 200, body: { extensions: [ext('Hosts', 'os-hosts'), ext('AvailabilityZones', 'os-availability-zone'), ext('VolumeActions', 'os-volume-actions')] } };
  }

  // --- volumes ---------------------------------------------------------------

  private volumes(req: FakeRequest, id: string | undefined, sub: string | undefined, key: string | undefined, body: Json, depth: number): FakeReply {
    const m = req.method;
    if (depth === 1 && m === 'POST') return this.createVolume(body);
    if (depth === 1 && m === 'GET') return this.listVolumes(req, false);
    if (depth === 2 && id === 'detail' && m === 'GET') return this.listVolumes(req, true);
    // "volumes/" (an empty id) names no volume.
    if (!id) return notFound('Resource');
    const volume = this.settle(this.state.volumes, id);
    if (!volume) return notFound(`Volume ${id}`);
    if (depth === 2) {
      if (m === 'GET') return { status: 200, body: { volume: this.volumeDetail(volume) } };
      if (m === 'PUT') return this.updateVolume(volume, body);
      if (m === 'DELETE') return this.deleteVolume(volume);
    }
    if (sub === 'action' && m === 'POST') return this.action(volume, body);
    if (sub === 'metadata') return this.metadata(volume, m, key, body, depth);
    return notFound('resource');
  }

  private createVolume(body: Json): FakeReply {
    const v = body.volume as Json | undefined;
    if (!v || typeof v !== 'object') return badRequest('Missing required element volume in request body.');
    let size = parseSize(v.size);
    if (v.size !== undefined && size === undefined) return badRequest(`Invalid input for field/attribute size. Value: ${String(v.size)}.`);
    if (v.volume_type !== undefined && v.volume_type !== null && v.volume_type !== '__DEFAULT__') return notFound(`Volume type ${String(v.volume_type)}`);
    let bootable = 'false';
    let snapshotId: string | null = null;
    let sourceId: string | null = null;
    if (v.snapshot_id) {
      const snap = this.state.snapshots.get(String(v.snapshot_id));
      if (!snap) return notFound(`Snapshot ${String(v.snapshot_id)}`);
      size ??= Number(snap.size);
      if (size < Number(snap.size)) return badRequest('Volume size cannot be lesser than the snapshot size.');
      snapshotId = String(snap.id);
    }
    if (v.source_volid) {
      const src = this.state.volumes.get(String(v.source_volid));
      if (!src) return notFound(`Volume ${String(v.source_volid)}`);
      size ??= Number(src.size);
      sourceId = String(src.id);
    }
    if (v.imageRef) {
      const image = this.glance?.images.get(String(v.imageRef));
      if (!image) return notFound(`Image ${String(v.imageRef)}`);
      if (image.status !== 'active') return badRequest(`Image ${String(v.imageRef)} is not active.`);
      bootable = 'true';
    }
    if (size === undefined) return badRequest('Invalid input for field/attribute size.');
    const t = now();
    const volume: Json = {
      id: randomUUID(), name: v.name ?? null, description: v.description ?? null, size, status: 'creating', _settle: 'available',
      availability_zone: v.availability_zone ?? ZONE, bootable, encrypted: false, multiattach: false, attachments: [],
      metadata: { ...((v.metadata as Json | undefined) ?? {}) }, snapshot_id: snapshotId, source_volid: sourceId,
      consistencygroup_id: null, replication_status: null, migration_status: null, volume_type: '__DEFAULT__',
      user_id: USER, created_at: t, updated_at: null, _seq: ++this.seq,
    };
    this.state.volumes.set(String(volume.id), volume);
    return { status: 202, body: { volume: this.volumeView(volume) } };
  }

  private updateVolume(volume: Json, body: Json): FakeReply {
    const fields = body.volume as Json | undefined;
    if (!fields || typeof fields !== 'object') return badRequest('Missing required element volume in request body.');
    for (const k of ['name', 'description']) if (k in fields) volume[k] = fields[k];
    volume.updated_at = now();
    return { status: 200, body: { volume: this.volumeView(volume) } };
  }

  private deleteVolume(volume: Json): FakeReply {
    if (!['available', 'error'].includes(String(volume.status))) {
      return badRequest(`Volume status must be available or error, but current status is: ${String(volume.status)}.`);
    }
    if ([...this.state.snapshots.values()].some((s) => s.volume_id === volume.id)) {
      return badRequest('Volume still has 1 dependent snapshots.');
    }
    volume.status = 'deleting';
    volume._settle = 'gone';
    return { status: 202 };
  }

  private action(volume: Json, body: Json): FakeReply {
    const [name] = Object.keys(body);
    const arg = (body[name ?? ''] ?? {}) as Json;
    if (name === 'os-set_bootable') {
      volume.bootable = String(arg.bootable === true || arg.bootable === 'true');
      return { status: 200 };
    }
    if (name === 'os-update_readonly_flag') {
      (volume.metadata as Json).readonly = arg.readonly === true ? 'True' : 'False';
      return { status: 202 };
    }
    if (name === 'os-volume_upload_image') {
      if (volume.status !== 'available') return badRequest('Volume status must be available/in-use.');
      const image = imageRecord({
        name: arg.image_name, status: 'active', container_format: 'bare', disk_format: arg.disk_format ?? 'raw',
        visibility: 'private', size: 0,
      });
      this.glance?.images.set(String(image.id), image);
      volume.status = 'uploading';
      volume._settle = 'available';
      return {
        status: 202,
        body: {
          'os-volume_upload_image': {
            id: volume.id, updated_at: now(), status: 'uploading', display_description: volume.description, size: volume.size,
            volume_type: { name: '__DEFAULT__' }, image_id: image.id, container_format: 'bare', disk_format: image.disk_format,
            image_name: arg.image_name,
          },
        },
      };
    }
    // Older Tempest drove attachments through Cinder's own actions (no Nova involved).
    if (name === 'os-reserve') {
      if (volume.status !== 'available') return badRequest(`Volume status must be available to reserve, but the status is ${String(volume.status)}.`);
      volume.status = 'attaching';
      return { status: 202 };
    }
    if (name === 'os-unreserve') {
      if (volume.status === 'attaching') volume.status = 'available';
      return { status: 202 };
    }
    if (name === 'os-attach') {
      if (!['available', 'attaching'].includes(String(volume.status))) return badRequest('Invalid volume: status must be available or attaching.');
      volume.status = 'in-use';
      volume.attachments = [{
        id: volume.id, attachment_id: randomUUID(), volume_id: volume.id, server_id: arg.instance_uuid,
        host_name: null, device: arg.mountpoint, attached_at: now(),
      }];
      return { status: 202 };
    }
    if (name === 'os-detach') {
      if (volume.status !== 'in-use') return badRequest('Invalid volume: volume is not attached.');
      volume.status = 'available';
      volume.attachments = [];
      return { status: 202 };
    }
    return badRequest(`There is no such action: ${String(name)}`);
  }

  private metadata(owner: Json, m: string, key: string | undefined, body: Json, depth: number): FakeReply {
    const meta = owner.metadata as Record<string, string>;
    if (depth === 3) {
      const given = body.metadata as Record<string, string> | undefined;
      if (m === 'GET') return { status: 200, body: { metadata: { ...meta } } };
      if ((m === 'POST' || m === 'PUT') && (!given || typeof given !== 'object')) return badRequest('Malformed request body.');
      if (m === 'POST') Object.assign(meta, given);
      else if (m === 'PUT') {
        for (const k of Object.keys(meta)) delete meta[k];
        Object.assign(meta, given);
      } else return notFound('resource');
      return { status: 200, body: { metadata: { ...meta } } };
    }
    if (depth === 4 && key !== undefined) {
      if (m === 'GET') return key in meta ? { status: 200, body: { meta: { [key]: meta[key] } } } : notFound(`Metadata ${key}`);
      if (m === 'PUT') {
        const item = body.meta as Record<string, string> | undefined;
        if (!item || !(key in item) || Object.keys(item).length !== 1) return badRequest('Request body and URI mismatch');
        meta[key] = String(item[key]);
        return { status: 200, body: { meta: { [key]: meta[key] } } };
      }
      if (m === 'DELETE') {
        if (!(key in meta)) return notFound(`Metadata ${key}`);
        delete meta[key];
        return { status: 200 };
      }
    }
    return notFound('resource');
  }

  private sortAndPage<T extends Json>(
    req: FakeRequest,
    items: T[],
    collection: string,
    view: (x: T) => Json,
  ): FakeReply {
    const q = req.query;
    const sortKey = q.get('sort_key');
    const dir = q.get('sort_dir') === 'asc' ? 1 : -1;
    const sorted = [...items].sort((a, b) => {
      const x = sortKey ? String(a[sortKey]) : Number(a._seq);
      const y = sortKey ? String(b[sortKey]) : Number(b._seq);
      return x < y ? -dir : x > y ? dir : 0;
    });
    let start = 0;
    const marker = q.get('marker');
    if (marker) {
      const at = sorted.findIndex((x) => x.id === marker);
      if (at < 0) return badRequest(`Marker ${marker} could not be found.`);
      start = at + 1;
    }
    const limitText = q.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    const page = sorted.slice(start, limit === undefined ? undefined : start + limit);
    const body: Json = { [collection]: page.map(view) };
    if (limit !== undefined && page.length === limit && page.length > 0) {
      const next = new URLSearchParams(q);
      next.set('marker', String(page[page.length - 1]!.id));
      body[`${collection}_links`] = [{ href: `${this.origin}${req.path}?${next.toString()}`, rel: 'next' }];
    }
    return { status: 200, body };
  }

  private listVolumes(req: FakeRequest, detail: boolean): FakeReply {
    const q = req.query;
    const ids = [...this.state.volumes.keys()];
    let list = ids.map((id) => this.settle(this.state.volumes, id)).filter((v): v is Json => v !== undefined);
    for (const field of ['name', 'status', 'availability_zone']) {
      const want = q.get(field);
      if (want !== null) list = list.filter((v) => v[field] === want);
    }
    const meta = q.get('metadata');
    if (meta !== null) {
      const want = metadataFilter(meta);
      if (!want) return badRequest('Invalid metadata filter.');
      list = list.filter((v) => Object.entries(want).every(([k, val]) => (v.metadata as Json)[k] === val));
    }
    return this.sortAndPage(req, list, 'volumes', (v) =>
      detail ? this.volumeDetail(v) : { id: v.id, name: v.name, links: this.link('volumes', String(v.id)) },
    );
  }

  // --- snapshots -------------------------------------------------------------

  private snapshots(req: FakeRequest, id: string | undefined, sub: string | undefined, key: string | undefined, body: Json, depth: number): FakeReply {
    const m = req.method;
    if (depth === 1 && m === 'POST') return this.createSnapshot(body);
    if (depth === 1 && m === 'GET') return this.listSnapshots(req, false);
    if (depth === 2 && id === 'detail' && m === 'GET') return this.listSnapshots(req, true);
    if (!id) return notFound('Resource');
    const snap = this.settle(this.state.snapshots, id);
    if (!snap) return notFound(`Snapshot ${id}`);
    if (depth === 2) {
      if (m === 'GET') return { status: 200, body: { snapshot: this.snapshotDetail(snap) } };
      if (m === 'PUT') {
        const fields = body.snapshot as Json | undefined;
        if (!fields) return badRequest('Missing required element snapshot in request body.');
        for (const k of ['name', 'description']) if (k in fields) snap[k] = fields[k];
        snap.updated_at = now();
        return { status: 200, body: { snapshot: this.snapshotView(snap) } };
      }
      if (m === 'DELETE') {
        if (!['available', 'error'].includes(String(snap.status))) return badRequest('Snapshot status must be available or error.');
        snap.status = 'deleting';
        snap._settle = 'gone';
        return { status: 202 };
      }
    }
    if (sub === 'metadata') return this.metadata(snap, m, key, body, depth);
    return notFound('resource');
  }

  private createSnapshot(body: Json): FakeReply {
    const s = body.snapshot as Json | undefined;
    if (!s || typeof s !== 'object') return badRequest('Missing required element snapshot in request body.');
    const volume = s.volume_id ? this.state.volumes.get(String(s.volume_id)) : undefined;
    if (!volume) return notFound(`Volume ${String(s.volume_id)}`);
    if (volume.status !== 'available') return badRequest('Volume status must be available.');
    const snap: Json = {
      id: randomUUID(), name: s.name ?? s.display_name ?? null, description: s.description ?? null, volume_id: volume.id,
      size: volume.size, status: 'creating', _settle: 'available', metadata: { ...((s.metadata as Json | undefined) ?? {}) },
      created_at: now(), updated_at: null, _seq: ++this.seq,
    };
    this.state.snapshots.set(String(snap.id), snap);
    return { status: 202, body: { snapshot: this.snapshotView(snap) } };
  }

  private listSnapshots(req: FakeRequest, detail: boolean): FakeReply {
    const ids = [...this.state.snapshots.keys()];
    let list = ids.map((id) => this.settle(this.state.snapshots, id)).filter((s): s is Json => s !== undefined);
    for (const field of ['name', 'status']) {
      const want = req.query.get(field);
      if (want !== null) list = list.filter((s) => s[field] === want);
    }
    return this.sortAndPage(req, list, 'snapshots', (s) => (detail ? this.snapshotDetail(s) : this.snapshotView(s)));
  }
}

/**
 * Serves Cinder at `origin` (e.g. `http://127.0.0.1:48776`) until nock is cleaned; `glance` backs images,
 * `project` is the one account's project (the path's `/v3/<project>`).
 */
export function fakeCinder(origin: string, faults: Fault[] = [], glance?: FakeGlance, project = PROJECT): FakeCinder {
  const volumes = new Map<string, Json>();
  const state: FakeCinder = {
    volumes, snapshots: new Map(), log: [], faults: [...faults],
    handle: (req) => cinder.handle(req),
    volume: (id) => cinder.settle(volumes, id),
  };
  const cinder = new Cinder(state, origin, glance, project);
  mountFake({ origin, handle: (req) => cinder.handle(req), faults: () => state.faults, log: state.log });
  return state;
}
