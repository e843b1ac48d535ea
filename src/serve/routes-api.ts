/** The JSON API, /api/v1/…: every route calls one service function, which applies the authorization rules. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createApiToken, createCommitteeUser, login, logout, registerVendor, SESSION_HOURS } from './accounts.js';
import { actorOf, idParam, SESSION_COOKIE, type AppOptions } from './request.js';
import { listAudit } from './audit.js';
import { badRequest } from './errors.js';
import { createProduct, getProduct, listProducts } from './products.js';
import { approve, certificationStatement, productCertifications, reject, reviewQueue, revoke } from './review.js';
import { committeePublicKey } from './setup.js';
import { getSubmission, getSubmissionFiles, linkProduct, listSubmissions, requestReview, reverify, setPublic, submitReport } from './submissions.js';
import { addKey, listKeys, revokeKey } from './vendor-keys.js';

type Body = Record<string, unknown>;

function body(req: FastifyRequest): Body {
  const b = req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw badRequest('expected a JSON object');
  return b as Body;
}

const params = (req: FastifyRequest) => req.params as Record<string, string>;

/** Sets the session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: SESSION_HOURS * 3600 });
}

export function registerApiRoutes(app: FastifyInstance, opts: AppOptions): void {
  const { ctx } = opts;
  const db = ctx.db;
  const strict = { config: { rateLimit: { max: Math.max(1, Math.floor((opts.rateLimit ?? 600) / 10)), timeWindow: 60_000 } } };

  app.post('/api/v1/vendors', strict, async (req, reply) => {
    const b = body(req);
    const r = await registerVendor(db, { vendor: b['vendor'], email: b['email'], password: b['password'] });
    return reply.code(201).send({ vendorId: r.vendorId, user: r.actor });
  });
  app.post('/api/v1/session', strict, async (req, reply) => {
    const b = body(req);
    const s = await login(db, { email: b['email'], password: b['password'] });
    setSessionCookie(reply, s.token, opts.secureCookies ?? false);
    return { user: s.actor, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
  });
  app.delete('/api/v1/session', async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await logout(db, sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  app.get('/api/v1/me', async (req) => ({ user: actorOf(req), csrfToken: req.csrfToken }));
  app.post('/api/v1/users', async (req, reply) => {
    const b = body(req);
    return reply.code(201).send({ user: await createCommitteeUser(db, req.actor, { email: b['email'], password: b['password'], role: b['role'] }) });
  });
  app.post('/api/v1/tokens', async (req, reply) => reply.code(201).send(await createApiToken(db, req.actor, body(req)['name'])));

  app.get('/api/v1/keys', async (req) => ({ keys: await listKeys(db, req.actor) }));
  app.post('/api/v1/keys', async (req, reply) => reply.code(201).send({ key: await addKey(db, req.actor, body(req)['publicKey']) }));
  app.delete('/api/v1/keys/:id', async (req) => {
    await revokeKey(db, req.actor, idParam(params(req)['id']));
    return { ok: true };
  });

  app.get('/api/v1/products', async (req) => ({ products: await listProducts(db, req.actor) }));
  app.post('/api/v1/products', async (req, reply) => {
    const b = body(req);
    return reply.code(201).send({ product: await createProduct(db, req.actor, { name: b['name'], type: b['type'], version: b['version'], url: b['url'], public: b['public'] }) });
  });
  app.get('/api/v1/products/:id', async (req) => {
    const id = idParam(params(req)['id']);
    const product = await getProduct(db, req.actor, id);
    return { product, certifications: await productCertifications(ctx, db, req.actor, id), submissions: await listSubmissions(db, req.actor, { productId: id }) };
  });

  app.post('/api/v1/submissions', async (req, reply) => {
    const b = body(req);
    if (typeof b['report'] !== 'string') throw badRequest('report: the report file\'s text (its exact bytes, UTF-8)');
    if (typeof b['signature'] !== 'string') throw badRequest('signature: the signature file\'s text');
    const product = b['product'] === undefined || b['product'] === null ? undefined : idParam(b['product'], 'product');
    const r = await submitReport(ctx, req.actor, Buffer.from(b['report'], 'utf8'), b['signature'], product);
    return reply.code(r.duplicate ? 200 : 201).send({ submission: r.submission, duplicate: r.duplicate, checks: r.checks });
  });
  app.get('/api/v1/submissions', async (req) => {
    const q = req.query as Record<string, string>;
    return { submissions: await listSubmissions(db, req.actor, q['product'] ? { productId: idParam(q['product'], 'product') } : {}) };
  });
  app.get('/api/v1/submissions/:id', async (req) => ({ submission: await getSubmission(db, req.actor, idParam(params(req)['id'])) }));
  app.get('/api/v1/submissions/:id/report', async (req, reply) => {
    const f = await getSubmissionFiles(db, req.actor, idParam(params(req)['id']));
    return reply.type('application/json; charset=utf-8').header('Content-Disposition', `attachment; filename="${f.submission.sha256}.json"`).send(f.body);
  });
  app.get('/api/v1/submissions/:id/signature', async (req, reply) => {
    const f = await getSubmissionFiles(db, req.actor, idParam(params(req)['id']));
    return reply.type(f.submission.kind === 'defcore' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8').send(f.signature);
  });
  app.get('/api/v1/submissions/:id/public-key', async (req, reply) => {
    const f = await getSubmissionFiles(db, req.actor, idParam(params(req)['id']));
    return reply.type('text/plain; charset=utf-8').send(f.publicKey + '\n');
  });
  app.get('/api/v1/submissions/:id/verify', async (req) => {
    const id = idParam(params(req)['id']);
    await getSubmission(db, req.actor, id);
    const v = await reverify(ctx, db, id);
    return { accepted: v.accepted, checks: v.checks };
  });
  app.post('/api/v1/submissions/:id/product', async (req) => ({ submission: await linkProduct(ctx, req.actor, idParam(params(req)['id']), idParam(body(req)['product'], 'product')) }));
  app.post('/api/v1/submissions/:id/public', async (req) => {
    const v = body(req)['public'];
    if (typeof v !== 'boolean') throw badRequest('public: true or false');
    return { submission: await setPublic(ctx, req.actor, idParam(params(req)['id']), v) };
  });
  app.post('/api/v1/submissions/:id/review-request', async (req) => ({ submission: await requestReview(ctx, req.actor, idParam(params(req)['id'])) }));

  app.get('/api/v1/review/queue', async (req) => ({ submissions: await reviewQueue(db, req.actor) }));
  app.post('/api/v1/submissions/:id/approve', async (req, reply) => reply.code(201).send({ certification: await approve(ctx, req.actor, idParam(params(req)['id']), body(req)['comment']) }));
  app.post('/api/v1/submissions/:id/reject', async (req) => ({ submission: await reject(ctx, req.actor, idParam(params(req)['id']), body(req)['comment']) }));
  app.get('/api/v1/certifications/:id', async (req) => certificationStatement(ctx, idParam(params(req)['id'])));
  app.get('/api/v1/certifications/:id/statement', async (req, reply) => reply.type('application/json; charset=utf-8').send((await certificationStatement(ctx, idParam(params(req)['id']))).statement));
  app.get('/api/v1/certifications/:id/signature', async (req, reply) => reply.type('application/json; charset=utf-8').send((await certificationStatement(ctx, idParam(params(req)['id']))).signature));
  app.get('/api/v1/certifications/:id/vsa', async (req) => {
    const c = await certificationStatement(ctx, idParam(params(req)['id']));
    const { certificationVsa, signEnvelope } = await import('../report/attest.js');
    const statement = JSON.parse(c.statement) as import('../report/certification.js').CertificationStatement;
    // a revoked certification is not summarised as PASSED
    const vsa = certificationVsa(statement, `http://${req.headers.host ?? '127.0.0.1'}`);
    if (c.certification.status === 'revoked') vsa.predicate['verificationResult'] = 'FAILED';
    return signEnvelope(vsa, ctx.committeeKey);
  });
  app.post('/api/v1/certifications/:id/revoke', async (req) => ({ certification: await revoke(ctx, req.actor, idParam(params(req)['id']), body(req)['reason']) }));
  app.get('/api/v1/committee-key', async (_req, reply) => reply.type('text/plain; charset=utf-8').send(committeePublicKey(ctx)));
  app.get('/api/v1/audit', async (req) => ({ entries: await listAudit(db, req.actor) }));
}
