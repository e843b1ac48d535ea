/**
 * The HTTP side of `defcore serve`: fastify (routing, body limits that refuse an
 * oversized body from its Content-Length before reading it, JSON and form parsing),
 * @fastify/cookie, @fastify/formbody and @fastify/rate-limit. Authentication is a
 * session cookie (HttpOnly, SameSite=Strict) or an API token (Authorization:
 * Bearer); requests authenticated by cookie that change anything must carry the
 * session's CSRF token (header X-CSRF-Token or form field _csrf).
 */
// What routes share with the app lives in request.ts, so the routes never import the app.
export { SESSION_COOKIE, actorOf, idParam, type AppOptions } from './request.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { sessionActor, tokenActor } from './accounts.js';
import type { ServeContext } from './context.js';
import { ServeError, forbidden } from './errors.js';
import { sameSecret } from './secrets.js';
import { VerificationRefused } from './submissions.js';
import { SESSION_COOKIE, type AppOptions } from './request.js';
import { registerApiRoutes } from './routes-api.js';
import { registerRefstackRoutes } from './routes-refstack.js';
import { registerPageRoutes } from './routes-pages.js';




export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function authenticate(ctx: ServeContext, req: FastifyRequest): Promise<void> {
  req.actor = undefined;
  req.csrfToken = undefined;
  req.authBy = undefined;
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer (dct_[A-Za-z0-9_-]{20,100})$/.exec(auth);
    const actor = m ? await tokenActor(ctx.db, m[1]!) : undefined;
    if (!actor) throw new ServeError(401, 'unauthenticated', 'invalid or revoked API token');
    req.actor = actor;
    req.authBy = 'token';
    return;
  }
  const sid = req.cookies[SESSION_COOKIE];
  if (sid && /^dcs_[A-Za-z0-9_-]{20,100}$/.test(sid)) {
    const s = await sessionActor(ctx.db, sid);
    if (s) {
      req.actor = s.actor;
      req.csrfToken = s.csrfToken;
      req.authBy = 'session';
    }
  }
}

/** A cookie session's change must prove it came from our own page. */
function checkCsrf(req: FastifyRequest): void {
  if (req.authBy !== 'session' || !UNSAFE.has(req.method)) return;
  const body = req.body as Record<string, unknown> | undefined;
  const given = (req.headers['x-csrf-token'] as string | undefined) ?? (body && typeof body === 'object' && typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined);
  if (!given || !req.csrfToken || !sameSecret(given, req.csrfToken)) throw forbidden('missing or wrong CSRF token (reload the page)');
}

function errorBody(e: unknown): { status: number; body: Record<string, unknown> } {
  if (e instanceof VerificationRefused) return { status: e.status, body: { error: e.code, message: e.message, checks: e.checks } };
  if (e instanceof ServeError) return { status: e.status, body: { error: e.code, message: e.message } };
  const fe = e as { statusCode?: number; code?: string; message?: string };
  if (fe.statusCode && fe.statusCode < 500) {
    const messages: Record<string, string> = {
      FST_ERR_CTP_INVALID_JSON_BODY: `malformed JSON: ${fe.message ?? ''}`,
      FST_ERR_CTP_EMPTY_JSON_BODY: 'empty JSON body',
      FST_ERR_CTP_BODY_TOO_LARGE: 'request body too large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported Content-Type',
    };
    return { status: fe.statusCode, body: { error: (fe.code ?? 'bad_request').toLowerCase(), message: messages[fe.code ?? ''] ?? fe.message ?? 'bad request' } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { ctx } = opts;
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT, trustProxy: false, return503OnClosing: true, connectionTimeout: 60_000, requestTimeout: 120_000 });
  // an empty JSON body (a bare POST to an action) is no body; anything else must parse
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    if (text === '' || (typeof text === 'string' && !text.trim())) return done(null, undefined);
    try {
      done(null, JSON.parse(text as string) as unknown);
    } catch (e) {
      done(Object.assign(new Error((e as Error).message), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
    }
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  const perMinute = opts.rateLimit ?? 600;
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, c) => ({ statusCode: 429, error: 'rate_limited', message: `too many requests; retry in ${Math.ceil(c.ttl / 1000)} s` }),
  });
  app.decorateRequest('actor', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.decorateRequest('authBy', undefined);

  app.addHook('preHandler', async (req) => {
    await authenticate(ctx, req);
    checkCsrf(req);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    if (req.authBy) reply.header('Cache-Control', 'no-store');
    return payload;
  });
  if (opts.log) {
    const log = opts.log;
    app.addHook('onResponse', async (req, reply) => {
      log(`${req.method} ${req.url.split('?')[0]} ${reply.statusCode} ${reply.elapsedTime.toFixed(0)}ms`);
    });
  }
  app.setErrorHandler(async (e, req, reply) => {
    const { status, body } = errorBody(e);
    if (status >= 500) opts.log?.(`error ${req.method} ${req.url.split('?')[0]}: ${(e as Error).message}`);
    const wantsHtml = req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '') && !req.url.startsWith('/api/');
    if (wantsHtml) {
      const { errorPage } = await import('./pages.js');
      return reply.code(status).type('text/html; charset=utf-8').send(errorPage(status, String(body['message']), req));
    }
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler(async (_req, reply: FastifyReply) => reply.code(404).send({ error: 'not_found', message: 'no such page' }));

  registerApiRoutes(app, opts);
  await app.register(async (sub) => registerRefstackRoutes(sub, ctx));
  registerPageRoutes(app, opts);
  return app;
}
