import '../helpers/node20.js';
import assert from 'node:assert/strict';
import net from 'node:net';
import nock from 'nock';
import { buildAuthRequest } from '../../src/cloud/auth.js';
import type { CloudConfig } from '../../src/cloud/config.js';
import { createCloudClient } from '../../src/cloud/session.js';
import { CloudError } from '../../src/cloud/types.js';
import { NOCK_AUTH_URL, nockCloud, testCloudConfig, tokenBody } from '../helpers/cloud.js';

const ORIGIN = new URL(NOCK_AUTH_URL).origin;
const TOKENS = '/v3/auth/tokens';

function cfgWith(auth: Partial<CloudConfig['auth']>, authType: CloudConfig['authType'] = 'password'): CloudConfig {
  return { ...testCloudConfig(), authType, auth: { authUrl: NOCK_AUTH_URL, ...auth } };
}

async function rejects(p: Promise<unknown>, code: CloudError['code'], re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CloudError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, re);
    return true;
  });
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('cloud/auth', () => {
  before(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('password: user by name+domain, project scope by name+domain', () => {
    assert.deepEqual(buildAuthRequest(cfgWith({ username: 'u', password: 'p', userDomainName: 'Default', projectName: 'pr', projectDomainId: 'default' })), {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', domain: { name: 'Default' }, password: 'p' } } },
        scope: { project: { name: 'pr', domain: { id: 'default' } } },
      },
    });
  });

  it('password: user id and project id need no domains; domain_name fills both domains; unscoped drops scope', () => {
    assert.deepEqual(buildAuthRequest(cfgWith({ userId: 'uid', password: 'p', projectId: 'pid' })), {
      auth: { identity: { methods: ['password'], password: { user: { id: 'uid', password: 'p' } } }, scope: { project: { id: 'pid' } } },
    });
    const body = buildAuthRequest(cfgWith({ username: 'u', password: 'p', domainName: 'D', projectName: 'pr' })) as { auth: { identity: { password: { user: { domain: unknown } } }; scope: { project: { domain: unknown } } } };
    assert.deepEqual(body.auth.identity.password.user.domain, { name: 'D' });
    assert.deepEqual(body.auth.scope.project.domain, { name: 'D' });
    const unscoped = buildAuthRequest(cfgWith({ username: 'u', password: 'p', projectName: 'pr' }), { unscoped: true }) as { auth: Record<string, unknown> };
    assert.equal(unscoped.auth['scope'], undefined);
  });

  it('token and application credential methods', () => {
    assert.deepEqual(buildAuthRequest(cfgWith({ token: 't0k', projectName: 'pr', projectDomainName: 'Default' }, 'token')), {
      auth: { identity: { methods: ['token'], token: { id: 't0k' } }, scope: { project: { name: 'pr', domain: { name: 'Default' } } } },
    });
    assert.deepEqual(buildAuthRequest(cfgWith({ applicationCredentialId: 'ac', applicationCredentialSecret: 's', projectName: 'ignored' }, 'v3applicationcredential')), {
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's' } } },
    });
    assert.deepEqual(buildAuthRequest(cfgWith({ applicationCredentialName: 'n', applicationCredentialSecret: 's', username: 'u', userDomainId: 'default' }, 'v3applicationcredential')), {
      auth: { identity: { methods: ['application_credential'], application_credential: { name: 'n', user: { name: 'u', domain: { id: 'default' } }, secret: 's' } } },
    });
  });

  it('sends the body to POST /v3/auth/tokens and reads token, identity and catalog', async () => {
    let sent: unknown;
    nock(ORIGIN)
      .post(TOKENS, (b: unknown) => ((sent = b), true))
      .reply(201, tokenBody({ catalog: { image: 'http://127.0.0.1:49292' }, roles: ['member', 'admin'], projectId: 'p7' }), { 'X-Subject-Token': 'tok-1234' });
    const c = createCloudClient(testCloudConfig(), { keepAlive: false });
    assert.equal(await c.token(), 'tok-1234');
    const id = await c.identity();
    assert.equal(id.projectId, 'p7');
    assert.deepEqual(id.roles, ['member', 'admin']);
    assert.equal(id.authUrl, NOCK_AUTH_URL);
    assert.equal(await c.endpoint('image'), 'http://127.0.0.1:49292');
    assert.deepEqual(sent, buildAuthRequest(testCloudConfig()));
  });

  it('endpoints follow the configured region and interface', async () => {
    const body = tokenBody() as { token: Record<string, unknown> };
    body.token['catalog'] = [
      {
        type: 'compute',
        endpoints: [
          { interface: 'public', region_id: 'R1', url: 'http://127.0.0.1:41001/v2.1' },
          { interface: 'internal', region_id: 'R1', url: 'http://127.0.0.1:41002/v2.1' },
          { interface: 'public', region_id: 'R2', url: 'http://127.0.0.1:42001/v2.1' },
          { interface: 'internal', region_id: 'R2', url: 'http://127.0.0.1:42002/v2.1' },
        ],
      },
    ];
    nock(ORIGIN).persist().post(TOKENS).reply(201, body, { 'X-Subject-Token': 't' });
    const base = testCloudConfig();
    const pick = (regionName: string, iface: 'public' | 'internal') =>
      createCloudClient({ ...base, regionName, interface: iface }, { keepAlive: false }).endpoint('compute');
    assert.equal(await pick('R1', 'public'), 'http://127.0.0.1:41001/v2.1');
    assert.equal(await pick('R1', 'internal'), 'http://127.0.0.1:41002/v2.1');
    assert.equal(await pick('R2', 'internal'), 'http://127.0.0.1:42002/v2.1');
    const c = createCloudClient({ ...base, regionName: 'R3' }, { keepAlive: false });
    await assert.rejects(c.request({ method: 'GET', service: 'compute' }), (e: unknown) => e instanceof CloudError && e.code === 'catalog' && /region R3/.test(e.message));
  });

  it('a wrong password is one clear auth error, and is not retried', async () => {
    const scope = nock(ORIGIN)
      .post(TOKENS)
      .once()
      .reply(401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    const c = createCloudClient(testCloudConfig(NOCK_AUTH_URL, 'devcloud'), { keepAlive: false });
    await rejects(c.token(), 'auth', /^cloud devcloud: authentication failed at http:\/\/127\.0\.0\.1:45000\/v3\/auth\/tokens: 401 The request you have made requires authentication\.$/);
    assert.ok(scope.isDone());
    // A second call fails the same way without another login (which could lock the account).
    await rejects(c.request({ method: 'GET', url: 'http://127.0.0.1:49999/' }), 'auth', /401/);
  });

  it('a Keystone 5xx is an auth error too, but the next call tries again', async () => {
    nock(ORIGIN).post(TOKENS).reply(500, { error: { message: 'An unexpected error prevented the server from fulfilling your request.' } });
    nock(ORIGIN).post(TOKENS).reply(201, tokenBody(), { 'X-Subject-Token': 'after-500' });
    const c = createCloudClient(testCloudConfig(), { keepAlive: false });
    await rejects(c.token(), 'auth', /: 500 An unexpected error/);
    assert.equal(await c.token(), 'after-500');
  });

  it('a token without project scope is an auth error naming the fix', async () => {
    const body = tokenBody() as { token: Record<string, unknown> };
    delete body.token['project'];
    nock(ORIGIN).post(TOKENS).reply(201, body, { 'X-Subject-Token': 't' });
    await rejects(createCloudClient(testCloudConfig(), { keepAlive: false }).token(), 'auth', /no project scope/);
  });

  it('an unreachable Keystone is an unreachable error naming the URL', async () => {
    const port = await freePort();
    const c = createCloudClient(testCloudConfig(`http://127.0.0.1:${port}/v3`, 'x'), { keepAlive: false });
    await rejects(c.token(), 'unreachable', new RegExp(`^cloud x: cannot reach http://127\\.0\\.0\\.1:${port}/v3/auth/tokens: connection refused \\(ECONNREFUSED\\)$`));
  });

  it('re-authenticates once when a request gets a 401, then returns what the cloud says', async () => {
    let logins = 0;
    nock(ORIGIN)
      .persist()
      .post(TOKENS)
      .reply(() => {
        logins += 1;
        return [201, tokenBody({ catalog: { compute: 'http://127.0.0.1:48774/v2.1' } }), { 'X-Subject-Token': `tok-${logins}` }];
      });
    const c = createCloudClient(testCloudConfig(), { keepAlive: false });
    const api = nock('http://127.0.0.1:48774')
      .get('/v2.1/servers')
      .matchHeader('x-auth-token', 'tok-1')
      .reply(401, '')
      .get('/v2.1/servers')
      .matchHeader('x-auth-token', 'tok-2')
      .reply(200, { servers: [] });
    const res = await c.request({ method: 'GET', service: 'compute', path: 'servers' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { servers: [] });
    assert.ok(api.isDone(), 'first with the old token, then with the new one');
    nock('http://127.0.0.1:48774').get('/v2.1/servers').times(2).reply(401, '');
    assert.equal((await c.request({ method: 'GET', service: 'compute', path: 'servers' })).status, 401, 'second 401 is returned');
    assert.equal(logins, 3);
  });

  it('does not replace a caller-supplied X-Auth-Token nor re-login on its 401', async () => {
    const c = nockCloud({ catalog: { compute: 'http://127.0.0.1:48774/v2.1' } });
    nock('http://127.0.0.1:48774').get('/v2.1/servers').matchHeader('x-auth-token', 'bogus').reply(401, '');
    assert.equal((await c.request({ method: 'GET', service: 'compute', path: '/servers', headers: { 'X-Auth-Token': 'bogus' } })).status, 401);
    nock('http://127.0.0.1:48774', { badheaders: ['x-auth-token'] }).get('/').reply(200, 'versions');
    assert.equal((await c.request({ method: 'GET', url: 'http://127.0.0.1:48774/', auth: false })).text, 'versions');
  });

  it('re-authenticates shortly before the token expires', async () => {
    let logins = 0;
    nock(ORIGIN)
      .persist()
      .post(TOKENS)
      .reply(() => [201, tokenBody({ expiresInMs: 30_000 }), { 'X-Subject-Token': `tok-${++logins}` }]);
    const c = createCloudClient(testCloudConfig(), { keepAlive: false, refreshMarginMs: 60_000 });
    assert.equal(await c.token(), 'tok-1');
    assert.equal(await c.token(), 'tok-2', 'expires within the margin: logs in again');
    const d = createCloudClient(testCloudConfig(), { keepAlive: false, refreshMarginMs: 1_000 });
    assert.equal(await d.token(), 'tok-3');
    assert.equal(await d.token(), 'tok-3', 'still fresh: cached');
  });

  it('concurrent first requests share one login; views share the session', async () => {
    let logins = 0;
    nock(ORIGIN).persist().post(TOKENS).reply(() => [201, tokenBody(), { 'X-Subject-Token': `tok-${++logins}` }]);
    const c = createCloudClient(testCloudConfig(), { keepAlive: false });
    const v = c.withRecorder({ record: () => undefined });
    const tokens = await Promise.all([c.token(), v.token(), c.identity().then(() => c.token())]);
    assert.deepEqual(tokens, ['tok-1', 'tok-1', 'tok-1']);
    assert.equal(logins, 1);
    assert.equal(v.cloudName, 'nock');
  });

  it('authenticateWithPassword returns Keystone answers whatever the status, only for password clouds', async () => {
    const c = createCloudClient(testCloudConfig(), { keepAlive: false });
    let sent: { auth: Record<string, unknown> } | undefined;
    nock(ORIGIN).post(TOKENS, (b: { auth: Record<string, unknown> }) => ((sent = b), true)).reply(201, tokenBody(), { 'X-Subject-Token': 'own' });
    const res = await c.authenticateWithPassword!({ unscoped: true });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-subject-token'], 'own');
    assert.equal(sent?.auth['scope'], undefined);
    nock(ORIGIN).post(TOKENS).reply(401, { error: { message: 'no' } });
    assert.equal((await c.authenticateWithPassword!()).status, 401);
    const t = createCloudClient(cfgWith({ token: 'abc', projectId: 'p' }, 'token'), { keepAlive: false });
    assert.equal(t.authenticateWithPassword, undefined);
  });
});
