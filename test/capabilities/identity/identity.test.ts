/**
 * Unit tests of the identity checks (API discovery, catalog, projects of the user,
 * token validation): each passes against a conforming (fake) Keystone and fails
 * when one response is bent away from the Identity v3 API.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/identity/api-discovery.js';
import '../../../capabilities/identity/catalog.js';
import '../../../capabilities/identity/projects.js';
import '../../../capabilities/identity/token-validate.js';
import type { AuthIdentity, CloudClient } from '../../../src/cloud/types.js';
import type { HarnessResult } from '../../helpers/check-harness.js';
import { createCloudClient } from '../../../src/cloud/session.js';
import { testCloudConfig } from '../../helpers/cloud.js';
import type { Fault, FakeReply, Json } from '../../fakes/fake-glance.js';
import { runById } from '../support.js';
import { ALT_PROJECT, AUTH_URL, fakeKeystone, type FakeKeystone } from '../../fakes/fake-keystone.js';

let fake: FakeKeystone;

/** The alt account as the projects check uses it: only its identity is read. */
function altAccount(): CloudClient {
  const identity: AuthIdentity = { userId: 'u-alt', projectId: ALT_PROJECT.id, projectName: ALT_PROJECT.name, roles: ['member'], authUrl: AUTH_URL };
  const unused = (): never => {
    throw new Error('the alt account is not used for requests in this check');
  };
  const alt: CloudClient = {
    cloudName: 'nock-alt',
    identity: async () => identity,
    token: unused,
    endpoint: unused,
    request: unused,
    // the runner views every account through a recorder; this one records nothing
    withRecorder: () => alt,
  };
  return alt;
}

/** `client` without a password login, as a session authenticated otherwise is (token, application credential). */
function withoutPasswordLogin(client: CloudClient): CloudClient {
  const view = Object.create(client) as CloudClient;
  Object.defineProperty(view, 'authenticateWithPassword', { value: undefined });
  // the runner views accounts through recorders: those views lack it too
  Object.defineProperty(view, 'withRecorder', { value: (r: Parameters<CloudClient['withRecorder']>[0]) => withoutPasswordLogin(client.withRecorder(r)) });
  return view;
}

async function run(id: string, faults: Fault[] = [], opts: { noPassword?: boolean } = {}): Promise<HarnessResult> {
  nock.cleanAll();
  fake = fakeKeystone(faults);
  // Not nockCloud: its fixed Keystone reply would shadow the fake's token operations.
  const session = createCloudClient(testCloudConfig(AUTH_URL), { keepAlive: false, retry: { maxDelayMs: 50, defaultDelayMs: 10 } });
  let primary: CloudClient = session;
  if (opts.noPassword) {
    primary = withoutPasswordLogin(session);
  }
  try {
    return await runById(id, { primary, alt: altAccount() });
  } finally {
    session.close();
  }
}

async function expectPass(id: string): Promise<void> {
  const outcome = await run(id);
  assert.equal(outcome.status, 'pass', outcome.message);
  assert.deepEqual(outcome.cleanupErrors, []);
}

async function expectFail(id: string, faults: Fault[], reason: RegExp): Promise<void> {
  const outcome = await run(id, faults);
  assert.equal(outcome.status, 'fail', `expected fail, got ${outcome.status}: ${outcome.message}`);
  assert.match(outcome.message, reason);
}

function edit(method: string, path: RegExp, change: (reply: FakeReply) => FakeReply): Fault {
  return { method, path, reply: (r) => change(r) };
}

function status(method: string, path: RegExp, code: number): Fault {
  return edit(method, path, (r) => ({ ...r, status: code }));
}

const VERSION = /^\/v3\/?$/;
const CATALOG = /^\/v3\/auth\/catalog$/;
const PROJECTS = /^\/v3\/users\/[^/]+\/projects$/;
const TOKENS = /^\/v3\/auth\/tokens$/;

function version(change: (v: Json) => Json): Fault {
  return edit('GET', VERSION, (r) => ({ ...r, body: { version: change({ ...((r.body as Json).version as Json) }) } }));
}

function catalog(change: (entries: Json[]) => Json[]): Fault {
  return edit('GET', CATALOG, (r) => ({ ...r, body: { ...(r.body as Json), catalog: change([...((r.body as Json).catalog as Json[])]) } }));
}

function without(obj: Json, key: string): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
}

describe('identity checks (unit, fake Keystone)', () => {
  afterEach(() => nock.cleanAll());

  describe('TestApiDiscovery', () => {
    it('test_api_version_resources passes; fails when a resource is missing or GET /v3 fails', async () => {
      const id = 'b9232f5e-d9e5-4d97-b96c-28d3db4de1bd';
      await expectPass(id);
      await expectFail(id, [version((v) => without(v, 'updated'))], /\/version\/updated is required but missing/);
      await expectFail(id, [version((v) => without(v, 'media-types'))], /\/version\/media-types is required/);
      await expectFail(id, [version((v) => ({ ...v, links: 'self' }))], /\/version\/links must be array/);
      await expectFail(id, [status('GET', VERSION, 500)], /expected status 200, got 500/);
    });

    it('test_api_media_types passes; fails without the identity-v3 JSON media type', async () => {
      const id = '657c1970-4722-4189-8831-7325f3bc4265';
      await expectPass(id);
      await expectFail(id, [version((v) => ({ ...v, 'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v2.0+json' }] }))], /media-types lacks/);
      await expectFail(id, [version((v) => ({ ...v, 'media-types': [{ base: 'application/json' }] }))], /media-types\/0\/type is required/);
    });

    it('test_api_version_statuses passes; fails on an unknown status', async () => {
      const id = '8879a470-abfb-47bb-bb8d-5a7fd279ad1e';
      await expectPass(id);
      await expectFail(id, [version((v) => ({ ...v, status: 'beta' }))], /status "beta" is none of/);
      await expectFail(id, [version((v) => ({ ...v, status: 3 }))], /\/version\/status must be string/);
    });
  });

  describe('IdentityCatalogTest', () => {
    it('test_catalog_standardization passes; fails on non-standard types or a malformed catalog', async () => {
      const id = '56b57ced-22b8-4127-9b8a-565dfb0207e2';
      await expectPass(id);
      await expectFail(id, [catalog((c) => c.filter((e) => e.type !== 'identity'))], /no service of the standard type identity/);
      await expectFail(id, [catalog((c) => c.map((e) => (e.name === 'glance' ? { ...e, type: 'imagev2' } : e)))], /glance service .*"imagev2".*standard type image/);
      // Deployed is decided by type: renamed types fail whatever the services are named.
      const renamed: Record<string, string> = { compute: 'compute_legacy', image: 'Image-V2', 'object-store': 'object_store' };
      for (const [type, other] of Object.entries(renamed)) {
        await expectFail(
          id,
          [catalog((c) => c.map((e) => (e.type === type ? { ...e, type: other, name: `${type} service` } : e)))],
          new RegExp(`with type "${other}" \\(${type} service\\), but no service has the standard type ${type}`),
        );
      }
      // A service the cloud does not deploy under any spelling is not required; other services do not matter.
      const withoutSwift = await run(id, [catalog((c) => [...c.filter((e) => e.type !== 'object-store'), { id: 's3', type: 's3', name: 'radosgw', endpoints: [] }])]);
      assert.equal(withoutSwift.status, 'pass', withoutSwift.message);
      await expectFail(id, [catalog((c) => c.map((e) => (e.name === 'swift' ? { ...e, type: 'object_store' } : e)))], /standard type object-store/);
      await expectFail(id, [catalog((c) => c.map((e) => without(e, 'endpoints')))], /\/catalog\/0\/endpoints is required/);
      await expectFail(id, [catalog((c) => c.map((e) => ({ ...e, endpoints: [{ id: 'x', interface: 'bogus', url: 'http://127.0.0.1:1' }] })))], /interface must be equal to one of the allowed values/);
      await expectFail(id, [status('GET', CATALOG, 403)], /expected status 200, got 403/);
    });
  });

  describe('IdentityV3ProjectsTest', () => {
    const id = '86128d46-e170-4644-866a-cc487f699e1d';
    const projects = (change: (list: Json[]) => Json[]): Fault =>
      edit('GET', PROJECTS, (r) => ({ ...r, body: { ...(r.body as Json), projects: change([...((r.body as Json).projects as Json[])]) } }));

    it('passes when every listed project can be scoped to and the alt project is refused', async () => {
      await expectPass(id);
      assert.ok(fake.log.filter((l) => l === 'POST /v3/auth/tokens').length >= 4, 'one unscoped token, one per project, one refused');
    });

    it('fails when a project the user cannot use is listed', async () => {
      await expectFail(id, [projects((list) => [...list, { ...ALT_PROJECT }])], /expected status 201, got 401/);
      // A listed domain_id that does not hold the project cannot be scoped to either.
      await expectFail(id, [projects((list) => list.map((p) => ({ ...p, domain_id: 'elsewhere' })))], /expected status 201, got 401/);
    });

    it('fails when the alt project is not refused', async () => {
      const grant = edit('POST', TOKENS, (r) => (r.status === 401 ? { status: 201, body: { token: { user: { id: 'u-primary' } } } } : r));
      await expectFail(id, [grant], /expected status one of 401, 403, got 201/);
    });

    it('fails when a scoped token names another project or user', async () => {
      const rename = edit('POST', TOKENS, (r) => {
        const token = (r.body as { token?: Json } | undefined)?.token;
        const project = token?.project as Json | undefined;
        if (r.status !== 201 || !token || project?.id !== 'p-second') return r;
        return { ...r, body: { token: { ...token, project: { ...project, name: 'renamed' } } } };
      });
      await expectFail(id, [rename], /token\.project\.name: expected "second-project", got "renamed"/);
      const otherUser = edit('POST', TOKENS, (r) => {
        const token = (r.body as { token?: Json } | undefined)?.token;
        if (r.status !== 201 || !token?.project || (token.project as Json).id !== 'p-second') return r;
        return { ...r, body: { token: { ...token, user: { id: 'u-other', name: 'other' } } } };
      });
      await expectFail(id, [otherUser], /token\.user\.id: expected "u-primary", got "u-other"/);
    });

    it('fails on an empty or malformed listing, or a wrong status', async () => {
      await expectFail(id, [projects(() => [])], /no project listed/);
      await expectFail(id, [projects((list) => list.map((p) => without(p, 'domain_id')))], /\/projects\/0\/domain_id is required/);
      await expectFail(id, [status('GET', PROJECTS, 403)], /expected status 200, got 403/);
    });

    it('skips when the primary account cannot log in with a password', async () => {
      const outcome = await run(id, [], { noPassword: true });
      assert.equal(outcome.status, 'skip', outcome.message);
    });
  });

  describe('TokensV3Test.test_validate_token', () => {
    const id = 'a9512ac3-3909-48a4-b395-11f438e16260';
    const shown = (change: (token: Json) => Json): Fault =>
      edit('GET', TOKENS, (r) => (r.status === 200 ? { ...r, body: { token: change({ ...((r.body as Json).token as Json) }) } } : r));

    it('passes when the validated token equals the issued one and is gone once revoked', async () => {
      await expectPass(id);
    });

    it('fails when the validated token differs from the issued one', async () => {
      await expectFail(id, [shown((t) => ({ ...t, expires_at: '2099-01-01T00:00:00.000000Z' }))], /differs at \/expires_at/);
      await expectFail(id, [shown((t) => ({ ...t, user: { ...(t.user as Json), id: 'u-other' } }))], /differs at \/user\/id/);
      await expectFail(id, [shown((t) => without(t, 'methods'))], /\/token\/methods is required but missing/);
    });

    it('fails when revocation does not answer 204 or the token survives it', async () => {
      await expectFail(id, [status('DELETE', TOKENS, 200)], /DELETE .*: expected status 204, got 200/);
      const survives = edit('GET', TOKENS, (r) => (r.status === 404 ? { status: 200, body: { token: {} } } : r));
      await expectFail(id, [survives], /revoked token should be unknown \(404\), got 200/);
      await expectFail(id, [status('GET', TOKENS, 401)], /expected status 200, got 401/);
    });

    it('skips when the primary account cannot log in with a password', async () => {
      const outcome = await run(id, [], { noPassword: true });
      assert.equal(outcome.status, 'skip', outcome.message);
    });
  });
});
