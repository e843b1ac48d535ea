/**
 * A small HTTP proxy on 127.0.0.1 for tests: forwards absolute-URI requests (plain http)
 * and tunnels CONNECT (https), only ever to 127.0.0.1, logging what it carried. Optionally
 * demands Proxy-Authorization. Every socket is destroyed on close.
 */
import http from 'node:http';
import net from 'node:net';

export interface LocalProxy {
  url: string;
  port: number;
  /** `GET http://127.0.0.1:1234/x` or `CONNECT 127.0.0.1:1234`. */
  log: string[];
  /** Proxy-Authorization headers seen. */
  auth: string[];
  close(): Promise<void>;
}

export async function startLocalProxy(opts: { requireAuth?: string } = {}): Promise<LocalProxy> {
  const sockets = new Set<net.Socket>();
  const log: string[] = [];
  const auth: string[] = [];
  const allowed = (host: string) => host === '127.0.0.1' || host === 'localhost';
  const authorised = (req: http.IncomingMessage): boolean => {
    const h = req.headers['proxy-authorization'];
    if (h) auth.push(h);
    return !opts.requireAuth || h === `Basic ${Buffer.from(opts.requireAuth).toString('base64')}`;
  };
  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    if (!authorised(req)) return void res.writeHead(407, { 'Proxy-Authenticate': 'Basic' }).end();
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      return void res.writeHead(400).end('absolute URI expected');
    }
    if (!allowed(target.hostname)) return void res.writeHead(403).end('only 127.0.0.1');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: '127.0.0.1', port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, { ...ur.headers, via: '1.1 test-proxy' });
      ur.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url}`);
    sockets.add(client);
    client.on('error', () => undefined);
    if (!authorised(req)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    const [host, port] = (req.url ?? '').split(':');
    if (!allowed(host ?? '')) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => sockets.delete(upstream));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    auth,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
