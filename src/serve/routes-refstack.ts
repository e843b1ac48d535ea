/**
 * RefStack's upload endpoint, `POST /v1/results`, for refstack-client users: the
 * body is kept byte for byte (its signature covers those bytes), so this plugin
 * context reads JSON bodies as raw buffers. Answers as RefStack did: 201 with the
 * id and the URL of the stored result.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from './context.js';
import { badRequest } from './errors.js';
import { submitRefstack } from './submissions.js';

export function registerRefstackRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const handler = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('expected a JSON body (Content-Type: application/json)');
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw badRequest('the body is not UTF-8');
    }
    const q = req.query as Record<string, string | undefined>;
    const header = (n: string) => {
      const v = req.headers[n];
      return typeof v === 'string' ? v.trim() : undefined;
    };
    const r = await submitRefstack(ctx, req.actor, body, { signature: header('x-signature'), publicKey: header('x-public-key') }, {
      ...(q['guideline'] ? { guideline: q['guideline'] } : {}),
      ...(q['program'] ? { program: q['program'] } : {}),
    });
    const host = req.headers.host ?? '127.0.0.1';
    return reply.code(r.duplicate ? 200 : 201).send({ id: String(r.submission.id), url: `http://${host}/submissions/${r.submission.id}`, verdict: r.submission.verdict, duplicate: r.duplicate });
  };
  app.post('/v1/results', handler);
  app.post('/v1/results/', handler);
}
