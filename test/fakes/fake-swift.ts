/**
 * An in-memory Swift proxy behind nock, for unit tests of the object-storage
 * checks. It answers like Swift 2.30 with keystoneauth and the middlewares the
 * Storage program needs (listings with their parameters, metadata, ACLs, copy,
 * DLO/SLO, legacy versioned writes, container and account quotas, tempurl,
 * X-Delete-After, /info), with the headers real Swift sends.
 *
 * `fault(match, mutate)` alters chosen responses after they are computed, so a test
 * can prove a check fails when the cloud does not conform.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import nock from 'nock';
import { mountFake, type FakeReply, type FakeRequest, type Fault } from './fake-service.js';

export const SWIFT_ORIGIN = 'http://127.0.0.1:18080';

export interface FakeUser {
  token: string;
  userId: string;
  projectId: string;
  roles: string[];
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SimRequest {
  method: string;
  /** Decoded path below the origin, e.g. `/v1/AUTH_p/c/o`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
}

export interface FaultMatch {
  method?: string;
  /** Tested against the decoded path. */
  path?: RegExp;
  /** Tested against the query string. */
  query?: RegExp;
}

interface Obj {
  data: Buffer;
  contentType: string;
  meta: Map<string, string>;
  timestamp: number;
  manifest?: string;
  slo?: Array<{ container: string; name: string }>;
  deleteAt?: number;
}

interface Container {
  meta: Map<string, string>;
  timestamp: number;
  objects: Map<string, Obj>;
}

interface Account {
  meta: Map<string, string>;
  containers: Map<string, Container>;
  timestamp: number;
}

function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

function transId(): string {
  return `tx${randomBytes(11).toString('hex').slice(0, 21)}-${randomBytes(5).toString('hex')}`;
}

function ts(t: number): string {
  return (t / 1000).toFixed(5);
}

function httpDate(t: number): string {
  return new Date(t).toUTCString();
}

function cmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Ways a broken Swift lists: query parameters it ignores, an order other than
 * UTF-8 bytes (JavaScript's UTF-16 code units, or reversed).
 */
export interface ListingQuirks {
  ignore?: Array<'limit' | 'marker' | 'end_marker' | 'prefix' | 'delimiter' | 'path' | 'format'>;
  order?: 'utf16' | 'reversed';
}

export class FakeSwift {
  readonly users = new Map<string, FakeUser>();
  readonly accounts = new Map<string, Account>();
  /** How account and container listings misbehave (none by default). */
  listingQuirks: ListingQuirks = {};
  /** Whether the SLO middleware is in the pipeline (manifest PUTs are parsed). */
  sloEnabled = true;
  /** The /info document (tests empty or strip it). */
  infoDocument: Record<string, unknown> = FakeSwift.defaultInfo();
  /** X-Delete-After seconds are multiplied by this (unit tests do not wait 10 s). */
  deleteAfterScale = 1;
  /** Faults and delays, in the shared fake mount's terms. */
  private readonly faults: Fault[] = [];
  /** Each mounted request as Swift sees it (decoded path), and its answer before the faults. */
  private readonly sims = new WeakMap<FakeRequest, { sim: SimRequest; before?: { status: number; length: number } }>();
  private scope: nock.Scope | undefined;
  private clock = Date.now();

  constructor(users: FakeUser[]) {
    for (const u of users) this.users.set(u.token, u);
  }

  /** The account URL of a project. */
  accountUrl(projectId: string): string {
    return `${SWIFT_ORIGIN}/v1/AUTH_${projectId}`;
  }

  /** Registers a response mutation for matching requests. */
  fault(match: FaultMatch, mutate: (res: SimResponse, req: SimRequest) => void): this {
    this.faults.push({
      when: (req) => this.matches(match, this.sim(req)),
      reply: (res, req) => {
        mutate(res as SimResponse, this.sim(req));
        return res;
      },
    });
    return this;
  }

  /** Holds matching requests for `ms` before answering (to force overlaps between checks). */
  delay(match: FaultMatch, ms: number): this {
    this.faults.push({ when: (req) => this.matches(match, this.sim(req)), delayMs: ms });
    return this;
  }

  private matches(match: FaultMatch, req: SimRequest): boolean {
    if (match.method && match.method !== req.method) return false;
    if (match.path && !match.path.test(req.path)) return false;
    if (match.query && !match.query.test(req.query.toString())) return false;
    return true;
  }

  private sim(req: FakeRequest): SimRequest {
    let seen = this.sims.get(req);
    if (!seen) {
      seen = { sim: { method: req.method, path: decodeURIComponent(req.path), query: req.query, headers: req.headers } };
      this.sims.set(req, seen);
    }
    return seen.sim;
  }

  /** Installs the nock interceptors (persisting until `stop`). */
  start(): this {
    this.scope = mountFake({
      origin: SWIFT_ORIGIN,
      handle: (req) => {
        const res = this.handle(this.sim(req), req.raw);
        this.sims.get(req)!.before = { status: res.status, length: res.body.length };
        return res;
      },
      faults: () => this.faults,
      finish: (reply, req) => {
        const before = this.sims.get(req)?.before;
        return before ? this.frame(reply as SimResponse, this.sim(req), before) : reply;
      },
    });
    return this;
  }

  stop(): void {
    nock.cleanAll();
  }

  /** Moves the simulated clock (expiry) forward. */
  advance(ms: number): void {
    this.clock += ms;
  }

  private now(): number {
    return Math.max(Date.now(), this.clock);
  }

  /** The conforming answer, with the headers every Swift answer carries. */
  handle(req: SimRequest, body: Buffer): SimResponse {
    const res = this.route(req, body);
    res.headers['x-trans-id'] ??= transId();
    res.headers['x-openstack-request-id'] = res.headers['x-trans-id'];
    res.headers['date'] ??= httpDate(this.now());
    res.headers['content-type'] ??= 'text/html; charset=UTF-8';
    if (res.status !== 204 && req.method !== 'HEAD') res.headers['content-length'] = String(res.body.length);
    else if (res.status !== 204) res.headers['content-length'] ??= '0';
    return res;
  }

  /** Keeps the framing honest when a fault rewrote the body or status. */
  private frame(res: SimResponse, req: SimRequest, before: { status: number; length: number }): FakeReply {
    const framed = res.headers['content-length'] !== undefined;
    if (req.method !== 'HEAD' && res.status !== 204 && (res.body.length !== before.length || before.status === 204 || !framed)) {
      if (framed || before.status === 204) res.headers['content-length'] = String(res.body.length);
    }
    if (res.status === 204 && before.status !== 204) delete res.headers['content-length'];
    return res;
  }

  // ---------------------------------------------------------------- routing

  private route(req: SimRequest, body: Buffer): SimResponse {
    if (req.path === '/info') return this.json(200, this.infoDocument);
    const m = /^\/v1\/AUTH_([^/]+)(?:\/([^/]+)(?:\/(.+))?)?$/.exec(req.path);
    if (!m) return this.text(404, 'Not Found');
    const [, project, container, object] = m as unknown as [string, string, string | undefined, string | undefined];
    const user = this.users.get(req.headers['x-auth-token'] ?? '');
    const account = this.account(project!);
    if (object !== undefined && req.query.has('temp_url_sig')) return this.tempUrl(req, account, container!, object, body);
    // a referrer ACL (".r:*") opens a container's objects to reads by anyone, token or not
    const publicRead = (): boolean =>
      object !== undefined && (req.method === 'GET' || req.method === 'HEAD') &&
      (account.containers.get(container!)?.meta.get('x-container-read') ?? '').split(',').map((s) => s.trim()).includes('.r:*');
    if (!user) {
      if (publicRead()) return this.objectOp(req, account, container!, object!, body, { token: '', userId: '', projectId: '', roles: [] });
      return this.text(401, '<html><h1>Unauthorized</h1></html>');
    }
    const owner = user.projectId === project || user.roles.includes('ResellerAdmin');
    if (container === undefined) return this.accountOp(req, account, owner, user);
    if (object === undefined) {
      if (!owner) return this.text(403, 'Forbidden');
      return this.containerOp(req, account, container);
    }
    const c = account.containers.get(container);
    if (!owner && !publicRead()) {
      const acl = c?.meta.get(req.method === 'GET' || req.method === 'HEAD' ? 'x-container-read' : 'x-container-write');
      if (!c || !acl || !acl.split(',').map((s) => s.trim()).includes(`${user.projectId}:${user.userId}`)) {
        return this.text(403, 'Forbidden');
      }
    }
    return this.objectOp(req, account, container, object, body, user);
  }

  private account(project: string): Account {
    let a = this.accounts.get(project);
    if (!a) {
      a = { meta: new Map(), containers: new Map(), timestamp: this.now() };
      this.accounts.set(project, a);
    }
    return a;
  }

  /** What Swift 2.30 with the Storage program's middleware lists at /info (trimmed). */
  static defaultInfo(): Record<string, unknown> {
    return {
      swift: { version: '2.30.1', policies: [{ name: 'Policy-0', default: true, aliases: 'Policy-0' }] },
      tempurl: { methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], allowed_digests: ['sha1', 'sha256', 'sha512'] },
      slo: { max_manifest_segments: 1000, min_segment_size: 1 },
      account_quotas: {},
      container_quotas: {},
      versioned_writes: { allowed_flags: ['x-versions-location', 'x-history-location'] },
    };
  }

  private text(status: number, text: string, headers: Record<string, string> = {}): SimResponse {
    return { status, headers: { 'content-type': 'text/html; charset=UTF-8', ...headers }, body: Buffer.from(text) };
  }

  private json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(value)) };
  }

  private applyMeta(target: Map<string, string>, headers: Record<string, string>, kind: 'account' | 'container' | 'object'): void {
    for (const [k, v] of Object.entries(headers)) {
      const set = `x-${kind}-meta-`;
      const remove = `x-remove-${kind}-meta-`;
      if (k.startsWith(set)) {
        const key = set + k.slice(set.length).replace(/_/g, '-');
        if (v === '') target.delete(key);
        else target.set(key, v);
      } else if (k.startsWith(remove)) target.delete(set + k.slice(remove.length));
      else if (kind === 'container' && ['x-container-read', 'x-container-write', 'x-versions-location'].includes(k)) {
        if (v === '') target.delete(k);
        else target.set(k, v);
      } else if (kind === 'container' && ['x-remove-container-read', 'x-remove-container-write', 'x-remove-versions-location'].includes(k)) {
        target.delete(k.replace('x-remove-', 'x-'));
      }
    }
  }

  private usage(a: Account): { bytes: number; objects: number } {
    let bytes = 0;
    let objects = 0;
    for (const c of a.containers.values()) {
      for (const o of this.live(c)) {
        bytes += o[1].data.length;
        objects++;
      }
    }
    return { bytes, objects };
  }

  private live(c: Container): Array<[string, Obj]> {
    const now = this.now();
    return [...c.objects.entries()].filter(([, o]) => o.deleteAt === undefined || o.deleteAt * 1000 > now);
  }

  // ---------------------------------------------------------------- account

  private accountOp(req: SimRequest, a: Account, owner: boolean, user: FakeUser): SimResponse {
    if (!owner) return this.text(403, 'Forbidden');
    if (req.method === 'POST') {
      const quota = Object.keys(req.headers).some((k) => k === 'x-account-meta-quota-bytes' || k === 'x-remove-account-meta-quota-bytes');
      if (quota && !user.roles.includes('ResellerAdmin')) return this.text(403, 'Forbidden');
      this.applyMeta(a.meta, req.headers, 'account');
      return { status: 204, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: Buffer.alloc(0) };
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.text(405, 'Method Not Allowed');
    const { bytes, objects } = this.usage(a);
    const headers: Record<string, string> = {
      'x-timestamp': ts(a.timestamp),
      'x-account-bytes-used': String(bytes),
      'x-account-container-count': String(a.containers.size),
      'x-account-object-count': String(objects),
      'accept-ranges': 'bytes',
      'x-put-timestamp': ts(a.timestamp),
    };
    if (a.containers.size > 0) {
      headers['x-account-storage-policy-policy-0-bytes-used'] = String(bytes);
      headers['x-account-storage-policy-policy-0-object-count'] = String(objects);
      headers['x-account-storage-policy-policy-0-container-count'] = String(a.containers.size);
    }
    for (const [k, v] of a.meta) headers[k] = v;
    if (req.method === 'HEAD') return { status: 204, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.alloc(0) };
    const entries = [...a.containers.entries()].map(([name, c]) => {
      const live = this.live(c);
      return { name, count: live.length, bytes: live.reduce((s, [, o]) => s + o.data.length, 0), last_modified: new Date(c.timestamp).toISOString().replace('Z', '') };
    });
    return this.listing(req, entries, headers);
  }

  private listing(req: SimRequest, entries: Array<{ name: string } & Record<string, unknown>>, headers: Record<string, string>): SimResponse {
    const q = new URLSearchParams(req.query);
    for (const p of this.listingQuirks.ignore ?? []) q.delete(p);
    const order = this.listingQuirks.order;
    const compare = order === 'utf16' ? (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0) : cmp;
    let list = entries.sort((x, y) => compare(x.name, y.name));
    let prefix = q.get('prefix') ?? '';
    let delimiter = q.get('delimiter') ?? '';
    if (q.has('path')) {
      prefix = (q.get('path') ?? '').replace(/\/?$/, '/');
      delimiter = '/';
    }
    const marker = q.get('marker');
    const endMarker = q.get('end_marker');
    if (prefix) list = list.filter((e) => e.name.startsWith(prefix));
    if (marker) list = list.filter((e) => compare(e.name, marker) > 0);
    if (endMarker) list = list.filter((e) => compare(e.name, endMarker) < 0);
    let out: Array<Record<string, unknown>> = [];
    const seen = new Set<string>();
    for (const e of list) {
      if (delimiter) {
        const rest = e.name.slice(prefix.length);
        const i = rest.indexOf(delimiter);
        if (i >= 0) {
          if (q.has('path')) continue;
          const sub = prefix + rest.slice(0, i + delimiter.length);
          if (!seen.has(sub)) {
            seen.add(sub);
            out.push({ subdir: sub });
          }
          continue;
        }
      }
      out.push(e);
    }
    const limit = q.has('limit') ? Number(q.get('limit')) : 10000;
    out = out.slice(0, limit);
    if (order === 'reversed') out.reverse();
    if (q.get('format') === 'json') return this.json(200, out, headers);
    const names = out.map((e) => String(e.name ?? e.subdir));
    if (names.length === 0) return { status: 204, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.alloc(0) };
    return { status: 200, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(names.join('\n') + '\n') };
  }

  // ---------------------------------------------------------------- container

  private containerHeaders(c: Container): Record<string, string> {
    const live = this.live(c);
    const headers: Record<string, string> = {
      'x-container-object-count': String(live.length),
      'x-container-bytes-used': String(live.reduce((s, [, o]) => s + o.data.length, 0)),
      'x-timestamp': ts(c.timestamp),
      'x-put-timestamp': ts(c.timestamp),
      'x-storage-policy': 'Policy-0',
      'accept-ranges': 'bytes',
      'last-modified': httpDate(c.timestamp),
    };
    for (const [k, v] of c.meta) headers[k] = v;
    return headers;
  }

  private containerOp(req: SimRequest, a: Account, name: string): SimResponse {
    const c = a.containers.get(name);
    const empty = { status: 0, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: Buffer.alloc(0) };
    switch (req.method) {
      case 'PUT': {
        if (c) {
          this.applyMeta(c.meta, req.headers, 'container');
          return { ...empty, status: 202, body: Buffer.from('<html><h1>Accepted</h1></html>') };
        }
        const fresh: Container = { meta: new Map(), timestamp: this.now(), objects: new Map() };
        this.applyMeta(fresh.meta, req.headers, 'container');
        a.containers.set(name, fresh);
        return { ...empty, status: 201 };
      }
      case 'POST':
        if (!c) return this.text(404, 'Not Found');
        this.applyMeta(c.meta, req.headers, 'container');
        return { ...empty, status: 204 };
      case 'DELETE':
        if (!c) return this.text(404, 'Not Found');
        if (this.live(c).length > 0) return this.text(409, '<html><h1>Conflict</h1><p>There was a conflict when trying to complete your request.</p></html>');
        a.containers.delete(name);
        return { ...empty, status: 204 };
      case 'HEAD':
        if (!c) return this.text(404, '');
        return { status: 204, headers: { ...this.containerHeaders(c), 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.alloc(0) };
      case 'GET': {
        if (!c) return this.text(404, 'Not Found');
        const entries = this.live(c).map(([n, o]) => ({
          name: n,
          hash: o.slo ? md5(o.slo.map((s) => md5(a.containers.get(s.container)?.objects.get(s.name)?.data ?? '')).join('')) : md5(o.data),
          bytes: o.data.length,
          content_type: o.contentType,
          last_modified: new Date(o.timestamp).toISOString().replace('Z', ''),
        }));
        return this.listing(req, entries, this.containerHeaders(c));
      }
      default:
        return this.text(405, 'Method Not Allowed');
    }
  }

  // ---------------------------------------------------------------- object

  private objectHeaders(a: Account, o: Obj): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': o.contentType,
      'x-timestamp': ts(o.timestamp),
      'last-modified': httpDate(o.timestamp),
      'accept-ranges': 'bytes',
      etag: md5(o.data),
    };
    if (o.manifest !== undefined) {
      headers['x-object-manifest'] = o.manifest;
      const parts = this.dloParts(a, o.manifest);
      headers.etag = `"${md5(parts.map((p) => md5(p.data)).join(''))}"`;
      headers['content-length'] = String(parts.reduce((s, p) => s + p.data.length, 0));
    }
    if (o.slo) {
      headers['x-static-large-object'] = 'True';
      headers.etag = `"${md5(o.slo.map((s) => md5(a.containers.get(s.container)?.objects.get(s.name)?.data ?? '')).join(''))}"`;
    }
    if (o.deleteAt !== undefined) headers['x-delete-at'] = String(o.deleteAt);
    for (const [k, v] of o.meta) headers[k] = v;
    return headers;
  }

  private dloParts(a: Account, manifest: string): Obj[] {
    const slash = manifest.indexOf('/');
    const c = a.containers.get(manifest.slice(0, slash));
    const prefix = manifest.slice(slash + 1);
    if (!c) return [];
    return this.live(c)
      .filter(([n, o]) => n.startsWith(prefix) && o.manifest === undefined)
      .sort(([x], [y]) => cmp(x, y))
      .map(([, o]) => o);
  }

  private content(a: Account, o: Obj): Buffer {
    if (o.manifest !== undefined) return Buffer.concat(this.dloParts(a, o.manifest).map((p) => p.data));
    return o.data;
  }

  private findLive(c: Container | undefined, name: string): Obj | undefined {
    const o = c?.objects.get(name);
    if (!o) return undefined;
    if (o.deleteAt !== undefined && o.deleteAt * 1000 <= this.now()) return undefined;
    return o;
  }

  private objectOp(req: SimRequest, a: Account, container: string, name: string, body: Buffer, user: FakeUser): SimResponse {
    // SLO parses a manifest before anything reaches the container.
    if (this.sloEnabled && req.method === 'PUT' && req.query.get('multipart-manifest') === 'put') {
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        return this.text(400, 'Manifest must be valid JSON.\n');
      }
    }
    const c = a.containers.get(container);
    if (!c) return this.text(404, 'Not Found');
    const empty = (status: number, headers: Record<string, string> = {}): SimResponse => ({
      status,
      headers: { 'content-type': 'text/html; charset=UTF-8', ...headers },
      body: Buffer.alloc(0),
    });
    switch (req.method) {
      case 'PUT':
        return this.putObject(req, a, c, name, body, user);
      case 'COPY': {
        const src = this.findLive(c, name);
        if (!src) return this.text(404, 'Not Found');
        const dest = (req.headers.destination ?? '').replace(/^\//, '');
        const slash = dest.indexOf('/');
        const dc = a.containers.get(decodeURIComponent(dest.slice(0, slash)));
        if (!dc) return this.text(404, 'Not Found');
        const copy: Obj = { ...src, meta: new Map(src.meta), timestamp: this.now(), manifest: undefined, data: this.content(a, src) };
        dc.objects.set(decodeURIComponent(dest.slice(slash + 1)), copy);
        return empty(201, {
          etag: md5(copy.data),
          'last-modified': httpDate(copy.timestamp),
          'x-copied-from': `${container}/${name}`,
          'x-copied-from-last-modified': httpDate(src.timestamp),
          'x-copied-from-account': `AUTH_${user.projectId}`,
        });
      }
      case 'POST': {
        const o = this.findLive(c, name);
        if (!o) return this.text(404, 'Not Found');
        o.meta = new Map();
        this.applyMeta(o.meta, req.headers, 'object');
        if (req.headers['x-object-manifest'] !== undefined) o.manifest = req.headers['x-object-manifest'];
        this.applyExpiry(o, req.headers);
        return { status: 202, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: Buffer.from('<html><h1>Accepted</h1><p>The request is accepted for processing.</p></html>') };
      }
      case 'DELETE': {
        const o = this.findLive(c, name);
        if (!o) return this.text(404, 'Not Found');
        if (req.query.get('multipart-manifest') === 'delete' && o.slo) {
          for (const s of o.slo) a.containers.get(s.container)?.objects.delete(s.name);
          c.objects.delete(name);
          return { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`Number Deleted: ${o.slo.length + 1}\nNumber Not Found: 0\nResponse Body: \nResponse Status: 200 OK\nErrors: \n`) };
        }
        c.objects.delete(name);
        const versions = c.meta.get('x-versions-location');
        const vc = versions ? a.containers.get(versions) : undefined;
        if (vc) {
          const key = `${name.length.toString(16).padStart(3, '0')}${name}/`;
          const older = [...vc.objects.keys()].filter((k) => k.startsWith(key)).sort(cmp);
          const last = older[older.length - 1];
          if (last) {
            c.objects.set(name, vc.objects.get(last)!);
            vc.objects.delete(last);
          }
        }
        return empty(204);
      }
      case 'GET':
      case 'HEAD': {
        const o = this.findLive(c, name);
        if (!o) return this.text(404, '<html><h1>Not Found</h1><p>The resource could not be found.</p></html>');
        const headers = this.objectHeaders(a, o);
        const inm = req.headers['if-none-match'];
        if (inm && inm.replace(/"/g, '') === headers.etag!.replace(/"/g, '')) {
          return { status: 304, headers: { etag: headers.etag!, 'content-type': o.contentType, 'last-modified': headers['last-modified']!, 'content-length': '0' }, body: Buffer.alloc(0) };
        }
        const data = o.slo
          ? Buffer.concat(o.slo.map((s) => a.containers.get(s.container)?.objects.get(s.name)?.data ?? Buffer.alloc(0)))
          : this.content(a, o);
        if (req.method === 'HEAD') return { status: 200, headers: { ...headers, 'content-length': String(data.length) }, body: Buffer.alloc(0) };
        return { status: 200, headers, body: data };
      }
      default:
        return this.text(405, 'Method Not Allowed');
    }
  }

  private applyExpiry(o: Obj, headers: Record<string, string>): void {
    if (headers['x-delete-after'] !== undefined) {
      o.deleteAt = Math.floor(this.now() / 1000 + Number(headers['x-delete-after']) * this.deleteAfterScale);
    } else if (headers['x-delete-at'] !== undefined) o.deleteAt = Number(headers['x-delete-at']);
  }

  private putObject(req: SimRequest, a: Account, c: Container, name: string, body: Buffer, user: FakeUser): SimResponse {
    let data = body;
    let contentType = req.headers['content-type'] && req.headers['content-type'] !== 'application/octet-stream'
      ? req.headers['content-type']
      : 'application/octet-stream';
    let meta = new Map<string, string>();
    let slo: Obj['slo'];
    const copyFrom = req.headers['x-copy-from'];
    if (copyFrom) {
      const from = decodeURIComponent(copyFrom.replace(/^\//, ''));
      const slash = from.indexOf('/');
      const src = this.findLive(a.containers.get(from.slice(0, slash)), from.slice(slash + 1));
      if (!src) return this.text(404, 'Not Found');
      data = this.content(a, src);
      meta = new Map(src.meta);
      if (!req.headers['content-type']) contentType = src.contentType;
    }
    if (this.sloEnabled && req.query.get('multipart-manifest') === 'put') {
      let entries: Array<{ path: string; etag?: string; size_bytes?: number }>;
      try {
        entries = JSON.parse(body.toString('utf8'));
      } catch {
        return this.text(400, 'Manifest must be valid JSON.');
      }
      slo = [];
      for (const e of entries) {
        const p = e.path.replace(/^\//, '');
        const slash = p.indexOf('/');
        const seg = this.findLive(a.containers.get(p.slice(0, slash)), p.slice(slash + 1));
        if (!seg || (e.etag && e.etag !== md5(seg.data)) || (e.size_bytes !== undefined && e.size_bytes !== seg.data.length)) {
          return this.text(400, `Errors:\n${e.path}, Etag Mismatch or missing`);
        }
        slo.push({ container: p.slice(0, slash), name: p.slice(slash + 1) });
      }
      data = Buffer.concat(slo.map((s) => a.containers.get(s.container)!.objects.get(s.name)!.data));
    }
    // Container quotas, then account quotas.
    const quotaBytes = c.meta.get('x-container-meta-quota-bytes');
    const quotaCount = c.meta.get('x-container-meta-quota-count');
    const live = this.live(c);
    if (quotaBytes !== undefined && live.reduce((s, [, o]) => s + o.data.length, 0) + data.length > Number(quotaBytes)) {
      return this.text(413, 'Upload exceeds quota.');
    }
    if (quotaCount !== undefined && live.length + 1 > Number(quotaCount)) return this.text(413, 'Upload exceeds quota.');
    const accountQuota = a.meta.get('x-account-meta-quota-bytes');
    if (accountQuota !== undefined && !user.roles.includes('ResellerAdmin') && this.usage(a).bytes + data.length > Number(accountQuota)) {
      return this.text(413, 'Upload exceeds quota.');
    }
    const versions = c.meta.get('x-versions-location');
    const existing = this.findLive(c, name);
    if (versions && existing && a.containers.has(versions)) {
      const key = `${name.length.toString(16).padStart(3, '0')}${name}/${ts(existing.timestamp)}`;
      a.containers.get(versions)!.objects.set(key, existing);
    }
    const o: Obj = { data, contentType, meta, timestamp: this.now(), slo };
    this.applyMeta(o.meta, req.headers, 'object');
    if (req.headers['x-object-manifest'] !== undefined) o.manifest = req.headers['x-object-manifest'];
    this.applyExpiry(o, req.headers);
    c.objects.set(name, o);
    const etag = slo ? `"${md5(slo.map((s) => md5(a.containers.get(s.container)!.objects.get(s.name)!.data)).join(''))}"` : md5(o.manifest !== undefined ? Buffer.alloc(0) : data);
    return { status: 201, headers: { 'content-type': 'text/html; charset=UTF-8', etag, 'last-modified': httpDate(o.timestamp) }, body: Buffer.alloc(0) };
  }

  // ---------------------------------------------------------------- tempurl

  private tempUrl(req: SimRequest, a: Account, container: string, name: string, body: Buffer): SimResponse {
    const sig = req.query.get('temp_url_sig') ?? '';
    const expires = Number(req.query.get('temp_url_expires'));
    const key = a.meta.get('x-account-meta-temp-url-key');
    const digest = sig.length === 40 ? 'sha1' : sig.length === 128 ? 'sha512' : 'sha256';
    const denied = this.text(401, '<html><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>');
    if (!key || !(expires * 1000 > this.now())) return denied;
    const methods = req.method === 'HEAD' ? ['HEAD', 'GET', 'PUT', 'POST'] : [req.method];
    const ok = methods.some((m) => createHmac(digest, key).update(`${m}\n${expires}\n${req.path}`).digest('hex') === sig);
    if (!ok) return denied;
    const owner = [...this.users.values()].find((u) => req.path.startsWith(`/v1/AUTH_${u.projectId}/`));
    if (!owner) return denied;
    return this.objectOp({ ...req, query: new URLSearchParams() }, a, container, name, body, owner);
  }
}
