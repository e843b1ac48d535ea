/**
 * An in-memory Keystone v3 behind nock, conforming to the Identity v3 API reference
 * for what the identity checks touch: version document, password and token
 * authentication (with scope), token validation and revocation, the caller's
 * catalog and a user's projects. `faults` bend one response at a time.
 */
import { randomBytes } from 'node:crypto';
import { tokenBody } from '../helpers/cloud.js';
import { mountFake, type Fault, type FakeReply, type FakeRequest, type Json } from './fake-service.js';

export const KEYSTONE_ORIGIN = 'http://127.0.0.1:45000';
export const AUTH_URL = `${KEYSTONE_ORIGIN}/v3`;
export const USER = { id: 'u-primary', name: 'nock-user' };
export const PROJECTS = [
  { id: 'p-primary', name: 'nock-project', domain_id: 'default' },
  { id: 'p-second', name: 'second-project', domain_id: 'default' },
];
export const ALT_PROJECT = { id: 'p-alt', name: 'alt-project', domain_id: 'default' };

/** Service type -> endpoint, as the fake's catalog lists them (names are the project names). */
export const CATALOG: Record<string, { name: string; url: string }> = {
  identity: { name: 'keystone', url: AUTH_URL },
  image: { name: 'glance', url: 'http://127.0.0.1:9292' },
  compute: { name: 'nova', url: 'http://127.0.0.1:8774/v2.1' },
  'object-store': { name: 'swift', url: 'http://127.0.0.1:8080/v1/AUTH_p-primary' },
};

export interface FakeKeystone {
  tokens: Map<string, Json>;
  log: string[];
  faults: Fault[];
}

function catalogBody(): Json[] {
  const region = 'RegionOne';
  return Object.entries(CATALOG).map(([type, { name, url }], i) => ({
    id: `svc${i}`,
    type,
    name,
    endpoints: [{ id: `ep${i}`, interface: 'public', region, region_id: region, url }],
  }));
}

function tokenFor(project: { id: string; name: string } | undefined, method: string): Json {
  const base = tokenBody({
    userId: USER.id,
    userName: USER.name,
    projectId: project?.id ?? 'none',
    projectName: project?.name ?? 'none',
    catalog: Object.fromEntries(Object.entries(CATALOG).map(([t, e]) => [t, e.url])),
  }).token as Json;
  const token: Json = {
    ...base,
    methods: [method],
    audit_ids: [randomBytes(8).toString('base64url')],
    issued_at: new Date().toISOString(),
  };
  if (!project) {
    delete token.project;
    delete token.roles;
    delete token.catalog;
  }
  return token;
}

function unauthorized(): FakeReply {
  return { status: 401, body: { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } } };
}

function issue(store: Map<string, Json>, token: Json): FakeReply & { subject: string } {
  const subject = `gAAAA${randomBytes(24).toString('base64url')}`;
  store.set(subject, token);
  return { status: 201, body: { token }, subject };
}

function authenticate(store: Map<string, Json>, body: Json): FakeReply & { subject?: string } {
  const auth = (body.auth ?? {}) as Json;
  const ident = (auth.identity ?? {}) as { methods?: string[]; token?: { id?: string } };
  const scope = auth.scope as { project?: { id?: string; name?: string; domain?: { id?: string; name?: string } } } | undefined;
  const method = ident.methods?.[0];
  if (method === 'token' && !store.has(String(ident.token?.id))) return unauthorized();
  if (method !== 'token' && method !== 'password') return unauthorized();
  if (!scope?.project) return issue(store, tokenFor(undefined, method));
  const wanted = scope.project;
  const inDomain = (p: { domain_id: string }): boolean =>
    wanted.domain?.id !== undefined ? p.domain_id === wanted.domain.id : (wanted.domain?.name ?? 'Default').toLowerCase() === p.domain_id;
  const project = PROJECTS.find((p) => (wanted.id ? p.id === wanted.id : p.name === wanted.name && inDomain(p)));
  if (!project) return unauthorized();
  return issue(store, tokenFor(project, method));
}

function handle(store: Map<string, Json>, req: FakeRequest, subject: string | undefined): FakeReply & { subject?: string } {
  const { method, path } = req;
  if (method === 'GET' && (path === '/v3' || path === '/v3/')) {
    return {
      status: 200,
      body: {
        version: {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${AUTH_URL}/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      },
    };
  }
  if (path === '/v3/auth/tokens') {
    if (method === 'POST') return authenticate(store, (req.body ?? {}) as Json);
    const token = subject ? store.get(subject) : undefined;
    if (!token) return { status: 404, body: { error: { code: 404, message: 'Could not find token', title: 'Not Found' } } };
    if (method === 'GET') return { status: 200, body: { token } };
    if (method === 'DELETE') {
      store.delete(subject ?? '');
      return { status: 204 };
    }
  }
  if (method === 'GET' && path === '/v3/auth/catalog') {
    return { status: 200, body: { catalog: catalogBody(), links: { self: `${AUTH_URL}/auth/catalog`, previous: null, next: null } } };
  }
  if (method === 'GET' && path === `/v3/users/${USER.id}/projects`) {
    return {
      status: 200,
      body: {
        projects: PROJECTS.map((p) => ({ ...p, enabled: true, description: '', is_domain: false, parent_id: p.domain_id, tags: [], links: { self: `${AUTH_URL}/projects/${p.id}` } })),
        links: { self: `${AUTH_URL}/users/${USER.id}/projects`, previous: null, next: null },
      },
    };
  }
  return { status: 404, body: { error: { code: 404, message: 'Not Found', title: 'Not Found' } } };
}

/**
 * Serves Keystone at KEYSTONE_ORIGIN, the session's own login included (give the
 * session AUTH_URL and testCloudConfig's credentials).
 */
export function fakeKeystone(faults: Fault[] = []): FakeKeystone {
  const tokens = new Map<string, Json>();
  const fake: FakeKeystone = { tokens, log: [], faults: [...faults] };
  // the subject of the token a request was issued, sent with whatever 201 the faults made of the answer
  const issued = new WeakMap<FakeRequest, string | undefined>();
  mountFake({
    origin: KEYSTONE_ORIGIN,
    handle: (req) => {
      const reply = handle(tokens, req, req.headers['x-subject-token']);
      issued.set(req, reply.subject);
      return reply;
    },
    faults: () => fake.faults,
    log: fake.log,
    finish: (reply, req) => {
      const subject = (reply as { subject?: string }).subject ?? issued.get(req);
      return reply.status === 201 && subject ? { ...reply, headers: { ...reply.headers, 'x-subject-token': subject } } : reply;
    },
  });
  return fake;
}
