/**
 * An in-memory Glance v2 behind nock, conforming to the Image v2 API reference, so
 * each image check can be shown to pass against it; `faults` then bend one
 * response at a time to show the same check fails on a non-conforming cloud.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';

export type { Json, FakeRequest, FakeReply, Fault };

export interface FakeGlance {
  images: Map<string, Json>;
  /** Requests seen, as `METHOD /path?query`. */
  log: string[];
  faults: Fault[];
  /** The public image present from the start. */
  publicImageId: string;
  /** The conforming answer to a request, no faults (for a service calling Glance itself, as Nova's snapshots). */
  handle(req: FakeRequest): FakeReply;
}

/** Project owning the images the fake creates. */
export const OWNER = '0c2eba2c5af04d3f9e9d0d410b371fde';
const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'];
const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'];

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** A conforming image record as Glance shows it. */
export function imageRecord(fields: Json = {}): Json {
  const id = typeof fields.id === 'string' ? fields.id : randomUUID();
  const t = now();
  return {
    id,
    name: null,
    status: 'queued',
    visibility: 'shared',
    protected: false,
    os_hidden: false,
    tags: [],
    container_format: null,
    disk_format: null,
    size: null,
    virtual_size: null,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    owner: OWNER,
    min_disk: 0,
    min_ram: 0,
    created_at: t,
    updated_at: t,
    self: `/v2/images/${id}`,
    file: `/v2/images/${id}/file`,
    schema: '/v2/schemas/image',
    ...fields,
  };
}

function notFound(what: string): FakeReply {
  return { status: 404, body: `<html><body><h1>404 Not Found</h1>${what}</body></html>` };
}

/** Glance's operators on created_at and updated_at (`updated_at=gte:<ISO 8601>`): the signs of image time - given time they pass. */
const TIME_OPS: Record<string, number[]> = { gt: [1], gte: [0, 1], lt: [-1], lte: [-1, 0], eq: [0], neq: [-1, 1] };

function matches(image: Json, query: URLSearchParams): boolean {
  for (const [key, value] of query) {
    if (['limit', 'marker', 'sort', 'sort_key', 'sort_dir'].includes(key)) continue;
    const time = (key === 'created_at' || key === 'updated_at') && /^([a-z]+):(.*)$/.exec(value);
    if (time) {
      if (!TIME_OPS[time[1]!]?.includes(Math.sign(Date.parse(String(image[key])) - Date.parse(time[2]!)))) return false;
    } else if (key === 'size_min') {
      if (typeof image.size !== 'number' || image.size < Number(value)) return false;
    } else if (key === 'size_max') {
      if (typeof image.size !== 'number' || image.size > Number(value)) return false;
    } else if (key === 'size') {
      if (image.size !== Number(value)) return false;
    } else if (String(image[key]) !== value) {
      return false;
    }
  }
  return true;
}

function handle(store: Map<string, Json>, owner: string, req: FakeRequest): FakeReply {
  const { method, path } = req;
  const parts = path.split('/').slice(1); // ['v2', 'images', id?, sub?, tag?]
  if (parts[0] !== 'v2') return notFound(path);
  if (parts[1] === 'schemas' && method === 'GET' && parts.length === 3) {
    const name = parts[2] ?? '';
    if (name !== 'image' && name !== 'images') return notFound(path);
    return {
      status: 200,
      body: { name, properties: { id: { type: 'string' } }, additionalProperties: { type: 'string' }, links: [] },
    };
  }
  if (parts[1] !== 'images') return notFound(path);
  const id = parts[2];
  if (parts.length === 2 && method === 'POST') {
    const body = (req.body ?? {}) as Json;
    const cf = body.container_format;
    const df = body.disk_format;
    if ((cf !== undefined && !CONTAINER_FORMATS.includes(String(cf))) || (df !== undefined && !DISK_FORMATS.includes(String(df)))) {
      return { status: 400, body: 'Invalid value' };
    }
    const image = imageRecord({ owner, ...body, visibility: body.visibility ?? 'shared' });
    store.set(String(image.id), image);
    return { status: 201, body: image };
  }
  if (parts.length === 2 && method === 'GET') {
    const limit = Number(req.query.get('limit') ?? 25);
    const marker = req.query.get('marker');
    let all = [...store.values()].filter((i) => matches(i, req.query)).reverse();
    if (marker) all = all.slice(all.findIndex((i) => i.id === marker) + 1);
    const page = all.slice(0, limit);
    const body: Json = { images: page, schema: '/v2/schemas/images', first: '/v2/images' };
    if (all.length > limit && page.length > 0) body.next = `/v2/images?marker=${String(page[page.length - 1]?.id)}`;
    return { status: 200, body };
  }
  if (id === undefined || id === '') return notFound(path);
  const image = store.get(id);
  if (!image) return notFound(`image ${id}`);
  if (parts.length === 3) {
    if (method === 'GET') return { status: 200, body: image };
    if (method === 'DELETE') {
      if (image.protected === true) return { status: 403, body: 'Image is protected' };
      store.delete(id);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      const ops = (typeof req.body === 'string' ? JSON.parse(req.body) : req.body) as { op: string; path: string; value: unknown }[];
      for (const op of ops) {
        if (op.op === 'replace' || op.op === 'add') image[op.path.slice(1)] = op.value;
      }
      image.updated_at = now();
      return { status: 200, body: image };
    }
  }
  if (parts[3] === 'file' && parts.length === 4) {
    if (method === 'PUT') {
      const data = req.raw;
      image.size = data.length;
      image.virtual_size = data.length;
      image.checksum = createHash('md5').update(data).digest('hex');
      image.os_hash_algo = 'sha512';
      image.os_hash_value = createHash('sha512').update(data).digest('hex');
      image.status = 'active';
      return { status: 204 };
    }
  }
  if (parts[3] === 'tags' && parts.length === 5) {
    const tag = decodeURIComponent(parts[4] ?? '');
    const tags = image.tags as string[];
    if (method === 'PUT') {
      if (!tags.includes(tag)) tags.push(tag);
      return { status: 204 };
    }
    if (method === 'DELETE') {
      if (!tags.includes(tag)) return notFound(`tag ${tag}`);
      tags.splice(tags.indexOf(tag), 1);
      return { status: 204 };
    }
  }
  return { status: 405, body: 'Method Not Allowed' };
}

/**
 * Serves Glance at `origin` (e.g. `http://127.0.0.1:9292`) until nock is cleaned;
 * `owner` is the one account's project, which owns the images it creates.
 * A public image owned by someone else is always present, as on real clouds.
 */
export function fakeGlance(origin: string, faults: Fault[] = [], owner = OWNER): FakeGlance {
  const store = new Map<string, Json>();
  const publicImage = imageRecord({
    name: 'cirros', visibility: 'public', status: 'active', container_format: 'bare', disk_format: 'qcow2',
    size: 16338944, owner: 'a3bd2d2ec5a44b6d9b5c1d3c7e1e0f00',
  });
  store.set(String(publicImage.id), publicImage);
  const fake: FakeGlance = { images: store, log: [], faults: [...faults], publicImageId: String(publicImage.id), handle: (req) => handle(store, owner, req) };
  mountFake({ origin, handle: fake.handle, faults: () => fake.faults, log: fake.log, textType: 'text/html; charset=UTF-8' });
  return fake;
}
