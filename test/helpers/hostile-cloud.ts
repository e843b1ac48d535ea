/**
 * A hostile fake cloud on 127.0.0.1: a real HTTP server (Keystone token endpoint plus
 * whatever services the test asks for) whose service answers the test writes, e.g. echoing
 * the caller's token, sending escape sequences, dripping bytes, or never ending a body.
 * Every connection is destroyed on close, so a test never leaves a socket behind.
 */
import http from 'node:http';
import type net from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tokenBody } from './cloud.js';

export const HOSTILE_TOKEN = 'gAAAAhostile-token-0123456789abcdef';
export const HOSTILE_PASSWORD = 'hostile-pa55word-Xy9';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export interface HostileCloud {
  /** http://127.0.0.1:PORT */
  origin: string;
  authUrl: string;
  /** Requests seen, `METHOD path`. */
  seen: string[];
  /** A clouds.yaml naming this cloud `hostile` (extra settings merged into the entry). */
  cloudsYaml(extra?: Record<string, unknown>, auth?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the server. `services` maps catalog types to path prefixes served by `handler`;
 * `keystone` (optional) answers POST /v3/auth/tokens instead of the normal 201.
 */
export async function startHostileCloud(opts: {
  services?: Record<string, string>;
  handler?: Handler;
  keystone?: Handler;
  region?: string;
  /** Catalog URL override per type (e.g. not a URL at all). */
  catalogUrls?: Record<string, string>;
}): Promise<HostileCloud> {
  const sockets = new Set<net.Socket>();
  const seen: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size < 1 << 20) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push(`${req.method} ${req.url}`);
      if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
        if (opts.keystone) return opts.keystone(req, res, body);
        const catalog: Record<string, string> = {};
        for (const [type, prefix] of Object.entries(opts.services ?? {})) catalog[type] = opts.catalogUrls?.[type] ?? `${origin}${prefix}`;
        catalog['identity'] ??= `${origin}/v3`;
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': HOSTILE_TOKEN });
        res.end(JSON.stringify(tokenBody({ catalog, region: 'RegionOne', ...(opts.region ? { region: opts.region } : {}) })));
        return;
      }
      if (opts.handler) return opts.handler(req, res, body);
      res.writeHead(404).end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    origin,
    authUrl: `${origin}/v3`,
    seen,
    async cloudsYaml(extra = {}, auth = {}) {
      const dir = await mkdtemp(path.join(tmpdir(), 'defcore-hostile-'));
      const file = path.join(dir, 'clouds.yaml');
      const entry = {
        auth: { auth_url: `${origin}/v3`, username: 'u', password: HOSTILE_PASSWORD, project_name: 'p', user_domain_name: 'Default', project_domain_name: 'Default', ...auth },
        region_name: 'RegionOne',
        ...extra,
      };
      await writeFile(file, JSON.stringify({ clouds: { hostile: entry } }));
      return file;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Runs `fn` with OS_CLIENT_CONFIG_FILE set (runCli passes process.env to the CLI). */
export async function withCloudsFile<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env['OS_CLIENT_CONFIG_FILE'];
  process.env['OS_CLIENT_CONFIG_FILE'] = file;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env['OS_CLIENT_CONFIG_FILE'];
    else process.env['OS_CLIENT_CONFIG_FILE'] = before;
  }
}
