/**
 * A forward HTTP proxy on 127.0.0.1 that injects the faults a loaded cloud or its load
 * balancer produces: connections reset before the request is forwarded (nothing
 * happened), reset after the cloud answered (it happened, the answer is lost: the
 * "lost create"), bursts of 503 and added latency. The schedule is a fixed function of
 * the request count, so a failure replays the same way.
 */
import http from 'node:http';
import type net from 'node:net';

export interface FaultCounts {
  forwarded: number;
  resetBefore: number;
  resetAfter: number;
  unavailable: number;
  delayed: number;
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  close(): Promise<void>;
}

export interface FaultSchedule {
  /** Every n-th request is reset before forwarding. */
  resetBeforeEvery: number;
  /** Every n-th request is forwarded, then its connection reset instead of answered. */
  resetAfterEvery: number;
  /** Every n-th request starts a burst of `burst` 503 answers (not forwarded). */
  burstEvery: number;
  burst: number;
  /** Every n-th request waits `latencyMs` first. */
  latencyEvery: number;
  latencyMs: number;
  /** host:port pairs passed through untouched (the identity endpoint: a run needs its token). */
  spare?: string[];
}

export async function startFaultProxy(schedule: FaultSchedule): Promise<FaultProxy> {
  const counts: FaultCounts = { forwarded: 0, resetBefore: 0, resetAfter: 0, unavailable: 0, delayed: 0 };
  const sockets = new Set<net.Socket>();
  let n = 0;
  let burstLeft = 0;
  const server = http.createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('not a proxy request');
      return;
    }
    const spared = schedule.spare?.includes(target.host) ?? false;
    const k = spared ? 0 : ++n;
    const forward = (after: 'answer' | 'reset') => {
      const up = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (ur) => {
        const chunks: Buffer[] = [];
        ur.on('data', (c: Buffer) => chunks.push(c));
        ur.on('end', () => {
          counts.forwarded++;
          if (after === 'reset') {
            counts.resetAfter++;
            req.socket.resetAndDestroy();
            return;
          }
          const headers = { ...ur.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(Buffer.concat(chunks).length);
          res.writeHead(ur.statusCode ?? 502, headers).end(Buffer.concat(chunks));
        });
      });
      up.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end('upstream failed'));
      req.pipe(up);
    };
    const act = () => {
      if (!spared && burstLeft > 0) {
        burstLeft--;
        counts.unavailable++;
        req.resume();
        res.writeHead(503, { 'content-type': 'text/plain' }).end('injected 503');
        return;
      }
      if (!spared && k % schedule.resetBeforeEvery === 0) {
        counts.resetBefore++;
        req.socket.resetAndDestroy();
        return;
      }
      if (!spared && k % schedule.burstEvery === 0) {
        burstLeft = schedule.burst - 1;
        counts.unavailable++;
        req.resume();
        res.writeHead(503, { 'content-type': 'text/plain' }).end('injected 503');
        return;
      }
      forward(!spared && k % schedule.resetAfterEvery === 0 ? 'reset' : 'answer');
    };
    if (!spared && k % schedule.latencyEvery === 0) {
      counts.delayed++;
      setTimeout(act, schedule.latencyMs);
    } else act();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    counts,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
