/**
 * Test helpers for anything that talks to a cloud:
 * - `nockCloud` mocks Keystone (token + catalog) and returns a client whose service
 *   endpoints the test then mocks with nock;
 * - `devCloudClient` / `devCloudOrSkip` open a client for the local dev cloud.
 */
import './node20.js';
import './no-ambient-proxy.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import type { Context } from 'mocha';
import { parseTokenBody, type TokenInfo } from '../../src/cloud/auth.js';
import { loadCloudConfig, type CloudConfig } from '../../src/cloud/config.js';
import { createCloudClient, type CloudSession, type OpenCloudOptions } from '../../src/cloud/session.js';
import { CloudError, type ExchangeRecorder } from '../../src/cloud/types.js';

/** Repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The dev cloud's clouds.yaml written by scripts/dev-cloud. */
export const DEV_CLOUD_FILE = path.join(REPO_ROOT, '.dev-cloud', 'clouds.yaml');

/** Token of nockCloud / nockKeystone when none is given. */
export const DEFAULT_NOCK_TOKEN = 'gAAAAnock-token-0123456789';

/** Default Keystone URL of nockCloud: loopback, a port nothing listens on, so a missed mock fails locally. */
export const NOCK_AUTH_URL = 'http://127.0.0.1:45000/v3';

/** What the mocked Keystone answers (all optional). */
export interface NockCloudOptions {
  /** Keystone URL ending in /v3 (default NOCK_AUTH_URL). */
  authUrl?: string;
  /** Service type -> public endpoint URL, e.g. `{ 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p1' }`. */
  catalog?: Record<string, string>;
  cloudName?: string;
  token?: string;
  userId?: string;
  userName?: string;
  projectId?: string;
  projectName?: string;
  roles?: string[];
  region?: string;
  /** Token lifetime (default one hour). */
  expiresInMs?: number;
  /**
   * nockKeystone: keep the mock for any number of logins (default true) or answer one.
   * nockCloud: register that persistent mock (default true) or none (the test mocks Keystone).
   */
  persist?: boolean;
  recorder?: ExchangeRecorder;
  options?: OpenCloudOptions;
}

/** A Keystone v3 token response body with a catalog of public (and internal) endpoints. */
export function tokenBody(opts: NockCloudOptions = {}): Record<string, unknown> {
  const region = opts.region ?? 'RegionOne';
  const catalog = Object.entries(opts.catalog ?? {}).map(([type, url], i) => ({
    id: `svc${i}`,
    type,
    name: type,
    endpoints: [
      { id: `ep${i}p`, interface: 'public', region, region_id: region, url },
      { id: `ep${i}i`, interface: 'internal', region, region_id: region, url },
    ],
  }));
  return {
    token: {
      methods: ['password'],
      expires_at: new Date(Date.now() + (opts.expiresInMs ?? 3_600_000)).toISOString(),
      issued_at: new Date().toISOString(),
      user: { id: opts.userId ?? 'u-nock', name: opts.userName ?? 'nock-user', domain: { id: 'default', name: 'Default' } },
      project: {
        id: opts.projectId ?? 'p-nock',
        name: opts.projectName ?? 'nock-project',
        domain: { id: 'default', name: 'Default' },
      },
      roles: (opts.roles ?? ['member', 'reader']).map((name, i) => ({ id: `r${i}`, name })),
      catalog,
    },
  };
}

/** A password CloudConfig for a (mocked) Keystone URL. */
export function testCloudConfig(authUrl = NOCK_AUTH_URL, name = 'nock'): CloudConfig {
  return {
    name,
    authType: 'password',
    auth: {
      authUrl,
      username: 'nock-user',
      password: 'nock-password-s3cret',
      projectName: 'nock-project',
      userDomainName: 'Default',
      projectDomainName: 'Default',
    },
    interface: 'public',
    verify: true,
    source: 'test',
  };
}

/** Mocks POST <authUrl>/auth/tokens; returns the nock scope. */
export function nockKeystone(opts: NockCloudOptions = {}): nock.Scope {
  const authUrl = new URL((opts.authUrl ?? NOCK_AUTH_URL).replace(/\/+$/, ''));
  const scope = nock(authUrl.origin);
  const interceptor = scope.post(`${authUrl.pathname}/auth/tokens`);
  if (opts.persist ?? true) scope.persist();
  interceptor.reply(201, tokenBody(opts), {
    'Content-Type': 'application/json',
    'X-Subject-Token': opts.token ?? DEFAULT_NOCK_TOKEN,
  });
  return scope;
}

/**
 * A ready client for a mocked cloud; mock the service endpoints yourself, e.g.
 * `nock('http://127.0.0.1:48080').get('/v1/AUTH_p1').reply(204)`.
 *
 * The client starts with its token already issued (from the same body Keystone would
 * send), so nock.cleanAll() between tests does not break it. A Keystone mock is also
 * registered (persistent unless `persist: false`, then none) for logins after a 401 and
 * for authenticateWithPassword().
 */
export function nockCloud(opts: NockCloudOptions = {}): CloudSession {
  const cfg = testCloudConfig(opts.authUrl ?? NOCK_AUTH_URL, opts.cloudName ?? 'nock');
  if (opts.persist ?? true) nockKeystone(opts);
  const token = opts.token ?? DEFAULT_NOCK_TOKEN;
  const initialToken: TokenInfo = { token, ...parseTokenBody(tokenBody(opts), cfg, `${cfg.auth.authUrl}/auth/tokens`) };
  return createCloudClient(cfg, {
    initialToken,
    // No pooled sockets between mocked tests; no real waits on mocked 429s.
    keepAlive: false,
    retry: { maxDelayMs: 50, defaultDelayMs: 10 },
    ...opts.options,
    ...(opts.recorder ? { recorder: opts.recorder } : {}),
  });
}

/** Why the dev cloud is not usable, or a client for it. */
export async function tryDevCloud(
  cloudName: string,
  options: OpenCloudOptions = {},
): Promise<{ client: CloudSession } | { reason: string }> {
  if (!existsSync(DEV_CLOUD_FILE)) {
    return { reason: `no ${path.relative(REPO_ROOT, DEV_CLOUD_FILE)} (start the dev cloud with scripts/dev-cloud)` };
  }
  let cfg: CloudConfig;
  try {
    cfg = loadCloudConfig({ cloud: cloudName, env: { OS_CLIENT_CONFIG_FILE: DEV_CLOUD_FILE, HOME: '/nonexistent' }, cwd: REPO_ROOT });
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  }
  // Unit tests may have left nock refusing real connections; the dev cloud is loopback only.
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  const client = createCloudClient(cfg, options);
  try {
    await client.token();
  } catch (err) {
    if (err instanceof CloudError && (err.code === 'unreachable' || err.code === 'timeout')) {
      client.close();
      return { reason: err.message };
    }
    throw err;
  }
  return { client };
}

/** A client for a dev cloud account, or undefined when the dev cloud file, the cloud or Keystone is not there. */
export async function devCloudClient(cloudName: string, options: OpenCloudOptions = {}): Promise<CloudSession | undefined> {
  const r = await tryDevCloud(cloudName, options);
  return 'client' in r ? r.client : undefined;
}

/**
 * For `@cloud` tests: the client, or this.skip() with the reason — unless
 * DEFCORE_REQUIRE_CLOUD is set, where an absent cloud fails the test.
 */
export async function devCloudOrSkip(ctx: Context, cloudName = 'devcloud', options: OpenCloudOptions = {}): Promise<CloudSession> {
  const r = await tryDevCloud(cloudName, options);
  if ('client' in r) return r.client;
  if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error(`dev cloud required (DEFCORE_REQUIRE_CLOUD): ${r.reason}`);
  ctx.skip();
  throw new Error('unreachable: skipped');
}
