/**
 * What the app and its route modules share: the request's authenticated actor,
 * the session cookie's name, the app's options and parameter parsing. Kept apart
 * from app.ts so that routes depend on it, not on the app that registers them.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';
import { requireActor } from './actor.js';
import type { ServeContext } from './context.js';
import { badRequest } from './errors.js';

export const SESSION_COOKIE = 'defcore_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    /** The session's CSRF token (cookie sessions only), for forms. */
    csrfToken: string | undefined;
    /** How the actor was authenticated. */
    authBy: 'session' | 'token' | undefined;
  }
}

export interface AppOptions {
  ctx: ServeContext;
  /** Largest request body accepted (default 32 MiB). */
  bodyLimit?: number;
  /** Requests per minute per client address (default 600); log-in and sign-up get a tenth. */
  rateLimit?: number;
  /** Secure cookies (default: off, the service listens on plain HTTP behind a proxy that terminates TLS). */
  secureCookies?: boolean;
  /** One line per request (method, path, status, time): no headers, bodies or query strings. */
  log?: (line: string) => void;
}

/** Positive integer path/body ids. */
export function idParam(v: unknown, what = 'id'): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${what}: a positive integer`);
  return n;
}

export function actorOf(req: FastifyRequest): Actor {
  return requireActor(req.actor);
}
