/**
 * Serve test support: one database for the whole run (the embedded PGlite by
 * default; a throwaway PostgreSQL cluster on 127.0.0.1 when DEFCORE_SERVE_DB=postgres),
 * servers on 127.0.0.1 with an ephemeral port, vendors with keys and tokens, signed reports.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/serve/app.js';
import type { ServeContext } from '../../src/serve/context.js';
import { openEmbedded, openPostgres, type Database } from '../../src/serve/db.js';
import { SCRYPT_COST } from '../../src/serve/secrets.js';
import { setupContext, type SetupOptions } from '../../src/serve/setup.js';
import { generateKeyFiles } from '../../src/report/keys.js';
import { writeRunReports } from '../../src/report/write.js';
import { repoRoot } from '../../src/util/paths.js';
import { tempDir, tinyLoaded, tinyInput, tinyResults } from '../report/support.js';
import { buildReport, type ReportInput } from '../../src/report/build.js';
import { startPostgres, type PostgresCluster } from './postgres.js';

// scrypt at full cost takes 32 MiB and ~100 ms a hash; the tests hash dozens of passwords
SCRYPT_COST.N = 1024;

let shared: Promise<{ db: Database; url?: string; cluster?: PostgresCluster } | undefined> | undefined;

/** Which engine this run tests. */
export const ENGINE: 'embedded' | 'postgresql' = process.env['DEFCORE_SERVE_DB'] === 'postgres' ? 'postgresql' : 'embedded';

/** The run's database, opened once (PGlite takes seconds to start). */
export async function sharedDb(): Promise<{ db: Database; url?: string }> {
  shared ??= (async () => {
    if (ENGINE === 'postgresql') {
      const cluster = await startPostgres();
      if (!cluster) return undefined;
      return { db: await openPostgres(cluster.url), url: cluster.url, cluster };
    }
    return { db: await openEmbedded() };
  })();
  const s = await shared;
  if (!s) throw new Error('PostgreSQL is not installed');
  return s;
}

/** PostgreSQL runs skip (with the reason printed) when no server is installed, unless DEFCORE_REQUIRE_POSTGRES=1. */
export async function dbOrSkip(ctx: Mocha.Context): Promise<{ db: Database; url?: string }> {
  try {
    return await sharedDb();
  } catch (e) {
    if (process.env['DEFCORE_REQUIRE_POSTGRES']) throw e;
    console.log(`    skipped: ${(e as Error).message} (apt-get install -y postgresql; DEFCORE_REQUIRE_POSTGRES=1 makes this a failure)`);
    ctx.skip();
  }
}

/** A guidelines directory with the committed 2020.06 and the tiny 2099.01. */
let guidelines: Promise<string> | undefined;
export function guidelinesDir(): Promise<string> {
  guidelines ??= (async () => {
    const dir = await tempDir('defcore-serve-g-');
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(repoRoot(), 'guidelines', '2020.06.yaml'), path.join(dir, '2020.06.yaml'));
    await tinyLoaded(dir);
    return dir;
  })();
  return guidelines;
}

export interface TestServer {
  base: string;
  app: FastifyInstance;
  ctx: ServeContext;
  close(): Promise<void>;
}

export const ADMIN = { email: 'admin@committee.test', password: 'admin-password-123' };

export async function startServer(over: Partial<SetupOptions> = {}, app: Partial<AppOptions> = {}): Promise<TestServer> {
  const { db } = await sharedDb();
  const ctx = await setupContext({ db, guidelinesDir: await guidelinesDir(), admin: ADMIN, ...over });
  const fastify = await buildApp({ ctx, rateLimit: 100_000, ...app });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const port = (fastify.server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, app: fastify, ctx, close: () => fastify.close() };
}

export const uniq = (p: string) => `${p}-${randomBytes(4).toString('hex')}`;

/** A client with a cookie jar and the session's CSRF token. */
export class Client {
  cookie?: string;
  csrf?: string;
  token?: string;
  constructor(readonly base: string) {}

  async req(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> & { message?: string }; text: string; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    if (this.token) h['authorization'] = `Bearer ${this.token}`;
    else if (this.cookie) {
      h['cookie'] = this.cookie;
      if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    }
    const res = await fetch(this.base + p, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), redirect: 'manual' });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = {};
    }
    const set = res.headers.get('set-cookie');
    if (set && /defcore_session=dcs_/.test(set)) this.cookie = set.split(';')[0];
    return { status: res.status, json, text, headers: res.headers };
  }

  async login(email: string, password: string): Promise<void> {
    const r = await this.req('POST', '/api/v1/session', { email, password });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
    this.csrf = r.json['csrfToken'] as string;
  }
}

export interface TestVendor {
  name: string;
  email: string;
  password: string;
  /** Logged in with a session cookie. */
  web: Client;
  /** Authenticated with an API token. */
  api: Client;
  keyFile: string;
  publicKey: string;
  dir: string;
}

/** Signs up a vendor, logs in, makes an API token, registers a fresh key (not when `register: false`). */
export async function makeVendor(base: string, opts: { register?: boolean; keyType?: 'ed25519' | 'rsa' } = {}): Promise<TestVendor> {
  const name = uniq('Vendor');
  const email = `${name.toLowerCase()}@vendor.test`;
  const password = 'vendor-password-123';
  const web = new Client(base);
  const r = await web.req('POST', '/api/v1/vendors', { vendor: name, email, password });
  if (r.status !== 201) throw new Error(`sign-up: ${r.status} ${r.text}`);
  await web.login(email, password);
  const t = await web.req('POST', '/api/v1/tokens', { name: 'ci' });
  const api = new Client(base);
  api.token = t.json['token'] as string;
  const dir = await tempDir('defcore-serve-v-');
  const keyFile = path.join(dir, 'key');
  await generateKeyFiles(keyFile, opts.keyType ?? 'ed25519');
  const publicKey = await readFile(`${keyFile}.pub`, 'utf8');
  if (opts.register !== false) {
    const k = await api.req('POST', '/api/v1/keys', { publicKey });
    if (k.status !== 201) throw new Error(`key: ${k.status} ${k.text}`);
  }
  return { name, email, password, web, api, keyFile, publicKey, dir };
}

/** A report against the tiny guideline, signed with `keyFile`: its file's text and its signature's. */
export async function signedReport(keyFile: string, opts: { twoFails?: boolean; hostile?: boolean; over?: Partial<ReportInput> } = {}): Promise<{ report: string; signature: string; file: string }> {
  const loaded = await tinyLoaded(await guidelinesDir());
  const report = buildReport(tinyInput(loaded, tinyResults(opts), { startedAt: new Date(Date.now() - 60_000 - Math.floor(Math.random() * 1e6)).toISOString(), ...opts.over }));
  const dir = await tempDir('defcore-serve-r-');
  const files = await writeRunReports(dir, report, { signKey: keyFile });
  return { report: await readFile(files.report, 'utf8'), signature: await readFile(`${files.report}.sig`, 'utf8'), file: files.report };
}

/** Logged-in admin (a reviewer) of a server. */
export async function committee(base: string): Promise<Client> {
  const c = new Client(base);
  await c.login(ADMIN.email, ADMIN.password);
  return c;
}

/** Many signed reports quickly (no files): distinct start times make distinct reports. */
export async function signedReportsInMemory(keyFile: string, n: number): Promise<{ report: string; signature: string }[]> {
  const { readPrivateKey } = await import('../../src/report/keys.js');
  const { signReport } = await import('../../src/report/signature.js');
  const { reportFileBytes } = await import('../../src/report/write.js');
  const key = await readPrivateKey(keyFile);
  const loaded = await tinyLoaded(await guidelinesDir());
  const base = Date.now() - 3600_000;
  return Array.from({ length: n }, (_, i) => {
    const report = buildReport(tinyInput(loaded, tinyResults(), { startedAt: new Date(base + i * 1000).toISOString(), finishedAt: new Date(base + i * 1000 + 500).toISOString() }));
    return { report: reportFileBytes(report).toString('utf8'), signature: JSON.stringify(signReport(report, key), null, 2) + '\n' };
  });
}
