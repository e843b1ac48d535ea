/**
 * An in-memory Nova v2.1 behind nock (with the bit of Neutron the compute checks touch,
 * fake-glance at GLANCE for the images it boots, snapshots and proxies, and fake-cinder at
 * CINDER for the volumes it attaches and proxies) that answers as the Compute API reference
 * describes, closely enough for every compute check to pass against it:
 * servers that go BUILD -> ACTIVE over polls, actions with their transitional
 * states, metadata, instance actions, keypairs (2.1 and 2.2), flavors, quotas,
 * availability zones, snapshots through the image proxy, volume attachments,
 * and the request validation the negative checks probe. `faults` then bend
 * one response at a time to show each check fails on a non-conforming cloud.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fakeCinder, type FakeCinder } from './fake-cinder.js';
import { fakeGlance, imageRecord, type FakeGlance } from './fake-glance.js';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';

export type { Json, FakeRequest, FakeReply, Fault };

export const NOVA = 'http://127.0.0.1:8774';
export const GLANCE = 'http://127.0.0.1:9292';
export const NEUTRON = 'http://127.0.0.1:9696';
export const CINDER = 'http://127.0.0.1:8776';
export const PROJECT = 'p-nova';
export const USER = 'u-nova';

interface ServerRec {
  id: string;
  name: string;
  status: string;
  task: string | null;
  /** What the server becomes at the next poll (transitional states last one poll). */
  next?: { status: string; task: string | null; then?: () => void };
  imageId: string;
  flavorId: string;
  oldFlavorId?: string;
  metadata: Record<string, string>;
  accessIPv4: string;
  accessIPv6: string;
  keyName: string | null;
  created: string;
  updated: string;
  addr: string;
  locked: boolean;
  deleting: boolean;
  actions: Json[];
  volumes: string[];
}

export interface FakeNova {
  servers: Map<string, ServerRec>;
  keypairs: Map<string, Json>;
  /** The images of `glance`, which Nova boots from, snapshots to and proxies. */
  images: Map<string, Json>;
  /** The fake Glance serving GLANCE (its faults are these). */
  glance: FakeGlance;
  /** The volumes of `cinder`, which Nova attaches and proxies. */
  volumes: Map<string, Json>;
  /** The fake Cinder serving CINDER (its faults are these). */
  cinder: FakeCinder;
  /** attachment id -> attachment */
  attachments: Map<string, Json>;
  faults: Fault[];
  log: string[];
  /** Glance's public image, which servers boot from. */
  imageId: string;
  /**
   * Tokens of another project (the alt account): everything the fake holds
   * belongs to the primary project, so such a token finds none of its servers
   * or keypairs and may not boot from its private images.
   */
  foreignTokens?: Set<string>;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const link = (path: string) => [
  { href: `${NOVA}/v2.1/${PROJECT}/${path}`, rel: 'self' },
  { href: `${NOVA}/${PROJECT}/${path}`, rel: 'bookmark' },
];
const err = (status: number, kind: string, message: string): FakeReply => ({ status, body: { [kind]: { code: status, message } } });
const notFound = (what: string) => err(404, 'itemNotFound', `${what} could not be found.`);
const bad = (message: string) => err(400, 'badRequest', message);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FLAVORS: Json[] = [
  { id: '42', name: 'm1.nano', ram: 128, vcpus: 1, disk: 1, swap: '', 'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': false, 'os-flavor-access:is_public': true, rxtx_factor: 1.0, links: link('flavors/42') },
  { id: '84', name: 'm1.micro', ram: 192, vcpus: 1, disk: 1, swap: '', 'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': false, 'os-flavor-access:is_public': true, rxtx_factor: 1.0, links: link('flavors/84') },
];
const NETWORK = { id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'private' };
/** Glance's own fields; Nova shows the others (the image's properties) as metadata. */
const GLANCE_FIELDS = new Set(Object.keys(imageRecord()));
/** Nova's status and progress of an image for Glance's status. */
const IMAGE_STATUS: Record<string, [string, number]> = { queued: ['SAVING', 25], saving: ['SAVING', 50], active: ['ACTIVE', 100], killed: ['ERROR', 0], deleted: ['DELETED', 0] };
/** Nova's image filters, and the Glance filters it passes them on as. */
const IMAGE_FILTERS: Record<string, [string, (v: string) => string]> = {
  status: ['status', (v) => v.toLowerCase()], name: ['name', (v) => v], server: ['instance_uuid', (v) => v.split('/').pop()!],
  type: ['image_type', (v) => v], 'changes-since': ['updated_at', (v) => `gte:${v}`], limit: ['limit', (v) => v],
};

class Nova {
  private nextAddr = 3;
  /** Snapshot id -> how often Nova's image proxy showed it. */
  private readonly snapshotLooks = new Map<string, number>();
  constructor(readonly s: FakeNova) {}

  // --- views -------------------------------------------------------------------
  serverView(r: ServerRec, full: boolean): Json {
    const base: Json = {
      id: r.id, name: r.name, status: r.status, tenant_id: PROJECT, user_id: USER, metadata: { ...r.metadata },
      hostId: 'f00d', image: { id: r.imageId, links: link(`images/${r.imageId}`).slice(1) },
      flavor: { id: r.flavorId, links: link(`flavors/${r.flavorId}`).slice(1) }, created: r.created, updated: r.updated,
      // The extended address attributes only appear in full views (show, detail).
      addresses: { [NETWORK.name]: [{ addr: r.addr, version: 4, ...(full ? { 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' } : {}) }] },
      accessIPv4: r.accessIPv4, accessIPv6: r.accessIPv6, links: link(`servers/${r.id}`), 'OS-DCF:diskConfig': 'AUTO',
    };
    if (r.status === 'BUILD') base['progress'] = 0;
    if (!full) return base;
    return {
      ...base, key_name: r.keyName, 'OS-EXT-STS:task_state': r.task, 'OS-EXT-STS:vm_state': r.status.toLowerCase(),
      'OS-EXT-STS:power_state': r.status === 'SHUTOFF' ? 4 : 1, 'OS-EXT-AZ:availability_zone': 'nova', 'OS-SRV-USG:launched_at': r.created,
      'OS-SRV-USG:terminated_at': null, 'os-extended-volumes:volumes_attached': r.volumes.map((id) => ({ id })),
      security_groups: [{ name: 'default' }], config_drive: '',
    };
  }

  private tick(r: ServerRec): void {
    if (!r.next) return;
    const { status, task, then } = r.next;
    r.next = undefined;
    r.status = status;
    r.task = task;
    r.updated = now();
    then?.();
  }

  private transition(r: ServerRec, via: string, task: string, to: string, then?: () => void): void {
    r.status = via;
    r.task = task;
    r.next = { status: to, task: null, ...(then ? { then } : {}) };
  }

  private action(r: ServerRec, action: string, req: FakeRequest): void {
    r.actions.push({ action, request_id: req.headers['x-fake-request-id'] ?? `req-${randomUUID()}`, user_id: USER, project_id: PROJECT, start_time: now(), message: null, instance_uuid: r.id });
  }

  // --- routing -----------------------------------------------------------------
  handle(req: FakeRequest, origin: string): FakeReply {
    if (origin === NOVA && this.s.foreignTokens?.has(req.headers['x-auth-token'] ?? '')) {
      const foreign = this.foreign(req);
      if (foreign) return foreign;
    }
    if (origin === NEUTRON) return { status: 200, body: { networks: [{ ...NETWORK, status: 'ACTIVE', shared: true, subnets: ['s1'], 'router:external': false, project_id: 'other', tenant_id: 'other', admin_state_up: true }] } };
    const { method, path } = req;
    if (method === 'GET' && path === '/') {
      return { status: 200, body: { versions: [
        { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ href: `${NOVA}/v2/`, rel: 'self' }] },
        { id: 'v2.1', status: 'CURRENT', version: '2.90', min_version: '2.1', updated: '2013-07-23T11:33:21Z', links: [{ href: `${NOVA}/v2.1/`, rel: 'self' }] },
      ] } };
    }
    const m = /^\/v2\.1\/(.*?)\/?$/.exec(path);
    if (!m) return notFound(path);
    const parts = m[1]!.split('/').map(decodeURIComponent);
    const body = (req.body ?? {}) as Json;
    switch (parts[0]) {
      case 'flavors': return this.flavors(req, parts);
      case 'servers': return this.servers(req, parts, body);
      case 'images': return this.proxyImages(req, parts);
      case 'os-volumes': return this.proxyVolumes(req, parts);
      case 'os-keypairs': return this.keypairs(req, parts, body);
      case 'os-quota-sets': {
        if (parts[1] !== PROJECT) return err(403, 'forbidden', 'not your project');
        const q = { id: PROJECT, instances: 10, cores: 20, ram: 51200, floating_ips: -1, fixed_ips: -1, metadata_items: 128, key_pairs: 100, security_groups: -1, security_group_rules: -1, injected_files: 5, injected_file_content_bytes: 10240, injected_file_path_bytes: 255, server_groups: 10, server_group_members: 10 };
        return { status: 200, body: { quota_set: q } };
      }
      case 'os-availability-zone':
        return { status: 200, body: { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] } };
      default: return notFound(path);
    }
  }

  private flavors(req: FakeRequest, parts: string[]): FakeReply {
    if (parts[1] && parts[1] !== 'detail') {
      const f = FLAVORS.find((x) => x.id === parts[1]);
      return f ? { status: 200, body: { flavor: f } } : notFound(`Flavor ${parts[1]}`);
    }
    const detail = parts[1] === 'detail';
    return { status: 200, body: { flavors: FLAVORS.map((f) => (detail ? f : { id: f.id, name: f.name, links: f.links })) } };
  }

  private validateCreate(s: Json): string | undefined {
    const name = s['name'];
    if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name.trim() !== name) return 'Invalid input for field/attribute name.';
    if (typeof s['imageRef'] !== 'string' || !this.s.images.has(s['imageRef'])) return 'Invalid imageRef provided.';
    if (typeof s['flavorRef'] !== 'string' || !FLAVORS.some((f) => f.id === s['flavorRef'])) return 'Invalid flavorRef provided.';
    const nets = s['networks'];
    if (Array.isArray(nets) && nets.some((n) => !UUID.test(String((n as Json)['uuid'])))) return 'Invalid input for field/attribute networks.';
    const v6 = s['accessIPv6'];
    if (v6 !== undefined && (typeof v6 !== 'string' || !v6.includes(':') || /[^0-9a-fA-F:.]/.test(v6))) return 'Invalid input for field/attribute accessIPv6.';
    const meta = (s['metadata'] ?? {}) as Record<string, unknown>;
    if (Object.values(meta).some((v) => typeof v !== 'string' || v.length > 255)) return 'Invalid input for field/attribute metadata.';
    return undefined;
  }

  private create(s: Json, req: FakeRequest, suffix = ''): ServerRec {
    const id = randomUUID();
    const v6 = typeof s['accessIPv6'] === 'string' ? (s['accessIPv6'] === '0000:0000:0000:0000:0000:babe:220.12.22.2' ? '::babe:dc0c:1602' : s['accessIPv6']) : '';
    const r: ServerRec = {
      id, name: `${String(s['name'])}${suffix}`, status: 'BUILD', task: 'scheduling', next: { status: 'ACTIVE', task: null }, imageId: String(s['imageRef']),
      flavorId: String(s['flavorRef']), metadata: { ...((s['metadata'] ?? {}) as Record<string, string>) }, accessIPv4: String(s['accessIPv4'] ?? ''),
      accessIPv6: v6, keyName: typeof s['key_name'] === 'string' ? s['key_name'] : null, created: now(), updated: now(), addr: `10.0.0.${this.nextAddr++}`,
      locked: false, deleting: false, actions: [], volumes: [],
    };
    this.action(r, 'create', req);
    this.s.servers.set(id, r);
    return r;
  }

  private servers(req: FakeRequest, parts: string[], body: Json): FakeReply {
    const { method } = req;
    if (parts.length === 1 || parts[1] === 'detail') {
      if (method === 'POST' && parts.length === 1) {
        const s = (body['server'] ?? {}) as Json;
        const problem = this.validateCreate(s);
        if (problem) return bad(problem);
        if (s['key_name'] !== undefined && !this.s.keypairs.has(String(s['key_name']))) return bad('Invalid key_name provided.');
        const count = Number(s['min_count'] ?? 1);
        const made = count > 1 ? Array.from({ length: count }, (_, i) => this.create(s, req, `-${i + 1}`)) : [this.create(s, req)];
        const first = made[0]!;
        const reqId = `req-${randomUUID()}`;
        first.actions[0]!['request_id'] = reqId;
        return {
          status: 202,
          headers: { location: `${NOVA}/v2.1/servers/${first.id}`, 'x-compute-request-id': reqId, 'x-openstack-request-id': reqId },
          body: { server: { id: first.id, links: link(`servers/${first.id}`), 'OS-DCF:diskConfig': 'MANUAL', security_groups: [{ name: 'default' }], adminPass: typeof s['adminPass'] === 'string' ? s['adminPass'] : randomBytes(6).toString('hex') } },
        };
      }
      if (method !== 'GET') return err(405, 'badMethod', 'no');
      return this.list(req, parts[1] === 'detail');
    }
    const r = this.s.servers.get(parts[1]!);
    if (!r) return notFound(`Instance ${parts[1]}`);
    const sub = parts[2];
    if (sub === undefined) {
      if (method === 'GET') {
        const shown = { server: this.serverView(r, true) };
        if (r.deleting) {
          this.s.servers.delete(r.id);
          for (const vid of r.volumes) this.detachVolume(r, vid);
        } else this.tick(r);
        return { status: 200, body: shown };
      }
      if (method === 'PUT') {
        const u = (body['server'] ?? {}) as Json;
        if ('name' in u && (typeof u['name'] !== 'string' || u['name'].length < 1 || u['name'].length > 255)) return bad('Invalid input for field/attribute name.');
        if (typeof u['name'] === 'string') r.name = u['name'];
        if (typeof u['accessIPv4'] === 'string') r.accessIPv4 = u['accessIPv4'];
        if (typeof u['accessIPv6'] === 'string') r.accessIPv6 = u['accessIPv6'];
        r.updated = now();
        return { status: 200, body: { server: this.serverView(r, false) } };
      }
      if (method === 'DELETE') {
        if (r.locked) return err(409, 'conflictingRequest', 'locked');
        r.deleting = true;
        r.task = 'deleting';
        this.action(r, 'delete', req);
        return { status: 204 };
      }
    }
    if (sub === 'action' && method === 'POST') return this.serverAction(req, r, body);
    if (sub === 'metadata') return this.metadata(req, r, parts[3], body);
    if (sub === 'ips' && method === 'GET') return { status: 200, body: { addresses: this.serverView(r, false)['addresses'] } };
    if (sub === 'os-instance-actions') {
      if (parts[3] === undefined) return { status: 200, body: { instanceActions: r.actions } };
      const a = r.actions.find((x) => x['request_id'] === parts[3]);
      return a ? { status: 200, body: { instanceAction: { ...a, events: [] } } } : notFound(`Action ${parts[3]}`);
    }
    if (sub === 'os-volume_attachments') return this.attachmentsOf(req, r, parts[3], body);
    return notFound(req.path);
  }

  private list(req: FakeRequest, detail: boolean): FakeReply {
    const q = req.query;
    const limit = q.get('limit');
    if (limit !== null && !/^\d+$/.test(limit)) return bad('Invalid limit');
    const since = q.get('changes-since');
    if (since !== null && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$/.test(since)) return bad('Invalid changes-since value');
    let list = [...this.s.servers.values()].filter((r) => !r.deleting);
    const name = q.get('name');
    if (name !== null) {
      let re: RegExp;
      try { re = new RegExp(name); } catch { re = /$^/; }
      list = list.filter((r) => re.test(r.name));
    }
    const status = q.get('status');
    if (status !== null) list = list.filter((r) => r.status === status.toUpperCase());
    const image = q.get('image');
    if (image !== null) list = list.filter((r) => r.imageId === image);
    const flavor = q.get('flavor');
    if (flavor !== null) list = list.filter((r) => r.flavorId === flavor);
    const ip = q.get('ip');
    if (ip !== null) list = list.filter((r) => new RegExp(ip).test(r.addr));
    if (since !== null) list = list.filter((r) => r.updated >= since);
    if (limit !== null) list = list.slice(0, Number(limit));
    return { status: 200, body: { servers: list.map((r) => (detail ? this.serverView(r, true) : { id: r.id, name: r.name, links: link(`servers/${r.id}`) })) } };
  }

  private serverAction(req: FakeRequest, r: ServerRec, body: Json): FakeReply {
    const [name] = Object.keys(body);
    const arg = (body[name ?? ''] ?? {}) as Json;
    if (r.locked && name !== 'unlock' && name !== 'lock') return err(409, 'conflictingRequest', `Instance ${r.id} is locked`);
    switch (name) {
      case 'reboot':
        this.action(r, 'reboot', req);
        this.transition(r, arg['type'] === 'HARD' ? 'HARD_REBOOT' : 'REBOOT', 'rebooting', 'ACTIVE');
        return { status: 202 };
      case 'os-stop':
        if (r.status !== 'ACTIVE') return err(409, 'conflictingRequest', 'not active');
        this.action(r, 'stop', req);
        r.task = 'powering-off';
        r.next = { status: 'SHUTOFF', task: null };
        return { status: 202 };
      case 'os-start':
        this.action(r, 'start', req);
        r.task = 'powering-on';
        r.next = { status: 'ACTIVE', task: null };
        return { status: 202 };
      case 'changePassword':
        if (typeof arg['adminPass'] !== 'string') return bad('adminPass is required');
        return { status: 202 };
      case 'os-getConsoleOutput': {
        const n = Number(arg['length'] ?? 50);
        return { status: 200, body: { output: Array.from({ length: n }, (_, i) => `console line ${i + 1}`).join('\n') } };
      }
      case 'lock':
        r.locked = true;
        return { status: 202 };
      case 'unlock':
        r.locked = false;
        return { status: 202 };
      case 'resize': {
        const f = arg['flavorRef'];
        if (typeof f !== 'string' || !FLAVORS.some((x) => x.id === f)) return bad('Invalid flavorRef provided.');
        this.action(r, 'resize', req);
        const from = r.flavorId;
        this.transition(r, 'RESIZE', 'resize_prep', 'VERIFY_RESIZE', () => { r.oldFlavorId = from; r.flavorId = f; });
        return { status: 202 };
      }
      case 'confirmResize':
        if (r.status !== 'VERIFY_RESIZE') return err(409, 'conflictingRequest', 'not resized');
        r.status = 'ACTIVE';
        return { status: 204 };
      case 'revertResize':
        if (r.status !== 'VERIFY_RESIZE') return err(409, 'conflictingRequest', 'not resized');
        this.transition(r, 'REVERT_RESIZE', 'resize_reverting', 'ACTIVE', () => { r.flavorId = r.oldFlavorId ?? r.flavorId; });
        return { status: 202 };
      case 'rebuild': {
        const image = arg['imageRef'];
        if (typeof image !== 'string' || !this.s.images.has(image)) return bad('Invalid imageRef provided.');
        this.action(r, 'rebuild', req);
        r.imageId = image;
        if (typeof arg['name'] === 'string') r.name = arg['name'];
        if (arg['metadata']) r.metadata = { ...(arg['metadata'] as Record<string, string>) };
        this.transition(r, 'REBUILD', 'rebuilding', 'ACTIVE');
        return { status: 202, body: { server: { ...this.serverView(r, false), adminPass: typeof arg['adminPass'] === 'string' ? arg['adminPass'] : 'x' } } };
      }
      case 'createImage': {
        const src = this.s.images.get(r.imageId) ?? {};
        // Nova's snapshot record: the request's metadata over the properties Nova sets, the base image's formats and minimums.
        const body = {
          instance_uuid: r.id, user_id: USER, image_type: 'snapshot', ...((arg['metadata'] ?? {}) as Json), name: arg['name'], visibility: 'private',
          container_format: src['container_format'] ?? 'bare', disk_format: src['disk_format'] ?? 'raw', min_disk: src['min_disk'] ?? 0, min_ram: src['min_ram'] ?? 0,
        };
        const id = String((this.toGlance('POST', '/v2/images', { body }).body as Json)['id']);
        this.snapshotLooks.set(id, 0);
        this.action(r, 'createImage', req);
        return { status: 202, headers: { location: `${NOVA}/v2.1/images/${id}` } };
      }
      default:
        return bad(`unknown action ${String(name)}`);
    }
  }

  private metadata(req: FakeRequest, r: ServerRec, key: string | undefined, body: Json): FakeReply {
    const { method } = req;
    if (key === undefined) {
      if (method === 'GET') return { status: 200, body: { metadata: r.metadata } };
      const meta = (body['metadata'] ?? {}) as Record<string, string>;
      r.metadata = method === 'PUT' ? { ...meta } : { ...r.metadata, ...meta };
      return { status: 200, body: { metadata: r.metadata } };
    }
    if (method === 'GET') return key in r.metadata ? { status: 200, body: { meta: { [key]: r.metadata[key] } } } : notFound(`Metadata item ${key}`);
    if (method === 'PUT') {
      const meta = (body['meta'] ?? {}) as Record<string, string>;
      Object.assign(r.metadata, meta);
      return { status: 200, body: { meta } };
    }
    if (method === 'DELETE') {
      if (!(key in r.metadata)) return notFound(`Metadata item ${key}`);
      delete r.metadata[key];
      return { status: 204 };
    }
    return err(405, 'badMethod', 'no');
  }

  /** Nova's own request to Glance: the conforming answer (the test's faults bend only what the client sees). */
  private toGlance(method: string, path: string, opts: { query?: URLSearchParams; body?: Json; raw?: Buffer } = {}): FakeReply {
    return this.s.glance.handle({ method, path, query: opts.query ?? new URLSearchParams(), body: opts.body, raw: opts.raw ?? Buffer.alloc(0), headers: {}, origin: GLANCE });
  }

  private imageView(i: Json, detail: boolean): Json {
    const summary = { id: i['id'], name: i['name'], links: link(`images/${String(i['id'])}`) };
    if (!detail) return summary;
    const [status, progress] = IMAGE_STATUS[String(i['status'])] ?? ['UNKNOWN', 0];
    const metadata = Object.fromEntries(Object.entries(i).filter(([k]) => !GLANCE_FIELDS.has(k)));
    return { ...summary, status, progress, minDisk: i['min_disk'], minRam: i['min_ram'], metadata, created: i['created_at'], updated: i['updated_at'], 'OS-EXT-IMG-SIZE:size': i['size'] };
  }

  private proxyImages(req: FakeRequest, parts: string[]): FakeReply {
    if (req.method === 'GET' && (parts[1] === undefined || (parts[1] === 'detail' && parts[2] === undefined))) return this.proxyImageList(req, parts[1] === 'detail');
    const id = parts[1] ?? '';
    if (!this.s.images.has(id)) return notFound(`Image ${id}`);
    if (req.method === 'DELETE') return this.toGlance('DELETE', `/v2/images/${id}`).status === 204 ? { status: 204 } : err(403, 'forbidden', `Image ${id} is protected.`);
    // Tempest sees a snapshot SAVING, then ACTIVE: the compute host's upload ends at the second look
    const looks = this.snapshotLooks.get(id);
    if (looks !== undefined) this.snapshotLooks.set(id, looks + 1);
    if (looks === 1) this.toGlance('PUT', `/v2/images/${id}/file`, { raw: randomBytes(1024) });
    return { status: 200, body: { image: this.imageView(this.s.images.get(id)!, true) } };
  }

  /** GET /images[/detail]: Nova passes its filters on to Glance and reads every page (one when limited). */
  private proxyImageList(req: FakeRequest, detail: boolean): FakeReply {
    const query = new URLSearchParams();
    for (const [from, [to, value]] of Object.entries(IMAGE_FILTERS)) {
      const v = req.query.get(from);
      if (v !== null) query.set(to, value(v));
    }
    const images: Json[] = [];
    for (;;) {
      const page = this.toGlance('GET', '/v2/images', { query }).body as Json;
      images.push(...(page['images'] as Json[]));
      if (typeof page['next'] !== 'string' || query.has('limit')) break;
      query.set('marker', String(images[images.length - 1]!['id']));
    }
    return { status: 200, body: { images: images.map((i) => this.imageView(i, detail)) } };
  }

  private keypairs(req: FakeRequest, parts: string[], body: Json): FakeReply {
    const v22 = req.headers['x-openstack-nova-api-version'] === '2.2';
    const view = (k: Json, withKey = false) => {
      const v: Json = { name: k['name'], public_key: k['public_key'], fingerprint: k['fingerprint'], user_id: USER };
      if (v22) v['type'] = k['type'];
      if (withKey) v['private_key'] = '-----BEGIN RSA PRIVATE KEY-----\nfake\n-----END RSA PRIVATE KEY-----\n';
      return v;
    };
    if (parts[1] === undefined) {
      if (req.method === 'POST') {
        const k = (body['keypair'] ?? {}) as Json;
        if (this.s.keypairs.has(String(k['name']))) return err(409, 'conflictingRequest', 'exists');
        const rec = { name: k['name'], public_key: 'ssh-rsa AAAAfake', fingerprint: 'aa:bb', type: v22 ? (k['type'] ?? 'ssh') : 'ssh' };
        this.s.keypairs.set(String(k['name']), rec);
        return { status: v22 ? 201 : 200, body: { keypair: view(rec, true) } };
      }
      return { status: 200, body: { keypairs: [...this.s.keypairs.values()].map((k) => ({ keypair: { name: k['name'], public_key: k['public_key'], fingerprint: k['fingerprint'], ...(v22 ? { type: k['type'] } : {}) } })) } };
    }
    const k = this.s.keypairs.get(parts[1]);
    if (!k) return notFound(`Keypair ${parts[1]}`);
    if (req.method === 'DELETE') {
      this.s.keypairs.delete(parts[1]);
      return { status: v22 ? 204 : 202 };
    }
    return { status: 200, body: { keypair: { ...view(k), id: 1, created_at: now(), deleted: false, deleted_at: null, updated_at: null } } };
  }

  private attachmentsOf(req: FakeRequest, r: ServerRec, sub: string | undefined, body: Json): FakeReply {
    const mine = () => [...this.s.attachments.values()].filter((a) => a['serverId'] === r.id);
    if (sub === undefined) {
      if (req.method === 'GET') return { status: 200, body: { volumeAttachments: mine() } };
      const volumeId = String(((body['volumeAttachment'] ?? {}) as Json)['volumeId']);
      const vol = this.s.cinder.volume(volumeId);
      if (!vol) return notFound(`Volume ${volumeId}`);
      if (vol['status'] !== 'available') return bad('volume not available');
      const a = { id: volumeId, volumeId, serverId: r.id, device: `/dev/vd${String.fromCharCode(98 + mine().length)}` };
      this.s.attachments.set(volumeId, a);
      r.volumes.push(volumeId);
      // Cinder's record of it: attaching, in-use when next looked at
      Object.assign(vol, {
        status: 'attaching', _settle: 'in-use',
        attachments: [{ id: volumeId, attachment_id: `att-${volumeId}`, volume_id: volumeId, server_id: r.id, host_name: null, device: a.device, attached_at: now() }],
      });
      return { status: 200, body: { volumeAttachment: a } };
    }
    const a = this.s.attachments.get(sub);
    if (!a || a['serverId'] !== r.id) return notFound(`Attachment ${sub}`);
    if (req.method === 'GET') return { status: 200, body: { volumeAttachment: a } };
    this.detachVolume(r, sub);
    return { status: 202 };
  }

  private detachVolume(r: ServerRec, volumeId: string): void {
    this.s.attachments.delete(volumeId);
    r.volumes = r.volumes.filter((v) => v !== volumeId);
    const vol = this.s.volumes.get(volumeId);
    if (vol) Object.assign(vol, { status: 'detaching', _settle: 'available', attachments: [] });
  }

  /** What another project's token gets: no server or keypair of this project, no boot from its private or shared images (Glance hides them). */
  private foreign(req: FakeRequest): FakeReply | undefined {
    const server = /^\/v2\.1\/servers\/([^/]+)(\/.*)?$/.exec(req.path);
    if (server && server[1] !== 'detail') return notFound(`Instance ${server[1]}`);
    const keypair = /^\/v2\.1\/os-keypairs\/([^/]+)$/.exec(req.path);
    if (keypair) return err(404, 'itemNotFound', `Keypair ${keypair[1]} not found for user`);
    if (req.method === 'POST' && /^\/v2\.1\/servers\/?$/.test(req.path)) {
      const ref = String((((req.body ?? {}) as Json)['server'] as Json | undefined)?.['imageRef'] ?? '');
      if (['private', 'shared'].includes(String(this.s.images.get(ref)?.['visibility']))) return bad(`Image ${ref} could not be found.`);
    }
    return undefined;
  }

  /** Nova's os-volumes proxy (2.1) over the same volumes, in Nova's camelCase view. */
  private proxyVolumes(req: FakeRequest, parts: string[]): FakeReply {
    const view = (v: Json) => ({
      id: v['id'], status: v['status'], size: v['size'], availabilityZone: 'nova', createdAt: '2020-01-01T00:00:00.000000', attachments: [{}],
      displayName: v['name'], displayDescription: null, volumeType: '__DEFAULT__', snapshotId: null, metadata: { ...((v['metadata'] ?? {}) as Json) },
    });
    // an empty id (".../os-volumes/") names no volume: Nova's router matches nothing
    if (req.path.endsWith('/os-volumes/')) return notFound(req.path);
    if (parts[1] === undefined || parts[1] === 'detail') {
      if (req.method === 'POST' && parts[1] === undefined) {
        const v = (((req.body ?? {}) as Json)['volume'] ?? {}) as Json;
        const created = this.s.cinder.handle({
          ...req, path: `/v3/${PROJECT}/volumes`, body: { volume: { name: v['display_name'], size: v['size'], metadata: v['metadata'] ?? {} } },
        });
        if (created.status !== 202) return created;
        const id = String(((created.body as Json)['volume'] as Json)['id']);
        return { status: 200, body: { volume: view(this.s.volumes.get(id)!) } };
      }
      if (req.method === 'GET') return { status: 200, body: { volumes: [...this.s.volumes.values()].map(view) } };
      return notFound(req.path);
    }
    const vol = this.s.cinder.volume(parts[1]);
    if (!vol) return notFound(`Volume ${parts[1]}`);
    if (req.method === 'DELETE') {
      this.s.volumes.delete(parts[1]);
      return { status: 202 };
    }
    return { status: 200, body: { volume: view(vol) } };
  }
}

/** Serves the fake at the four origins until nock is cleaned. */
export function fakeNova(faults: Fault[] = []): FakeNova {
  const glance = fakeGlance(GLANCE, [], PROJECT);
  const cinder = fakeCinder(CINDER, [], glance, PROJECT);
  // one list of faults for Nova, its Glance and its Cinder (a test clearing it clears all three)
  glance.faults = cinder.faults = faults;
  const state: FakeNova = {
    servers: new Map(), keypairs: new Map(), images: glance.images, glance, volumes: cinder.volumes, cinder, attachments: new Map(), faults, log: [],
    imageId: glance.publicImageId,
  };
  const nova = new Nova(state);
  mountFake({ origin: NOVA, handle: (req) => nova.handle(req, NOVA), faults: () => state.faults, log: state.log, logPrefix: `${NOVA} ` });
  mountFake({ origin: NEUTRON, handle: (req) => nova.handle(req, NEUTRON), log: state.log, logPrefix: `${NEUTRON} ` });
  return state;
}
