/** Server-rendered pages: products and their status, submissions, compare, guideline diff, badges, log-in, vendor and review forms. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildReport } from '../report/build.js';
import { compareReports } from '../report/compare.js';
import type { Report } from '../report/model.js';
import { renderHtml } from '../report/render/html.js';
import { diffGuidelines } from '../guideline/diff.js';
import { renderDiff } from '../guideline/diff-render.js';
import { parseResults } from '../results/read.js';
import { login, logout } from './accounts.js';
import { idParam, SESSION_COOKIE, type AppOptions } from './request.js';
import type { ServeContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { html } from './html.js';
import { CSS, PAGE_CSP, badgeSvg, layout } from './pages.js';
import { createProduct, getProduct, listProducts } from './products.js';
import { approve, certificationsOf, programStatus, reject, reviewQueue, revoke, type Certification } from './review.js';
import { setSessionCookie } from './routes-api.js';
import { getSubmissionFiles, linkProduct, listSubmissions, requestReview, type Submission } from './submissions.js';

const PROGRAMS = ['platform', 'compute', 'object'] as const;

function page(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('Content-Security-Policy', PAGE_CSP).send(text);
}

const form = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;
const params = (req: FastifyRequest) => req.params as Record<string, string>;
const query = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

function statusCell(certs: readonly Certification[], program: string) {
  const s = programStatus(certs, program);
  return html`<td class="${s.status}">${s.status === 'none' ? '—' : `${s.status}${s.certification ? ` (${s.certification.guideline})` : ''}`}</td>`;
}

function submissionRows(subs: readonly Submission[]) {
  return subs.map(
    (s) =>
      html`<tr><td><a href="/submissions/${s.id}">#${s.id}</a></td><td>${s.vendor}</td><td>${s.cloudName}</td><td>${s.guideline}</td><td>${s.program}</td><td class="${s.verdict}">${s.verdict.toUpperCase()}</td><td class="${s.state}">${s.state}</td><td>${s.createdAt.slice(0, 10)}</td></tr>`,
  );
}

const SUB_HEAD = html`<tr><th>Submission</th><th>Vendor</th><th>Cloud</th><th>Guideline</th><th>Program</th><th>Verdict</th><th>State</th><th>Submitted</th></tr>`;

/** The report a stored submission holds; a RefStack upload becomes an (unsigned) report for display. */
export async function storedReport(ctx: ServeContext, body: string, s: Submission): Promise<Report> {
  if (s.kind === 'defcore') return JSON.parse(body) as Report;
  const doc = JSON.parse(body) as { duration_seconds: number };
  const loaded = await ctx.loadGuideline(s.guideline);
  const start = new Date(s.createdAt);
  const report = buildReport({
    guideline: loaded,
    program: s.program,
    statuses: ['required'],
    cloud: { name: s.cloudName, authUrl: 'http://refstack-upload.invalid/', services: {} },
    startedAt: new Date(start.getTime() - doc.duration_seconds * 1000).toISOString(),
    finishedAt: start.toISOString(),
    results: parseResults(Buffer.from(body, 'utf8'), 'upload').results,
    toolVersion: 'refstack-upload',
  });
  return { ...report, cloud: { ...report.cloud, id: s.cloudId } };
}

export function registerPageRoutes(app: FastifyInstance, opts: AppOptions): void {
  const { ctx } = opts;
  const db = ctx.db;

  app.get('/static/serve.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(CSS));

  app.get('/', async (req, reply) => {
    const products = await listProducts(db, req.actor);
    const certs = await certificationsOf(ctx, db, products.map((p) => p.id));
    const rows = products.map((p) => {
      const c = certs.get(p.id) ?? [];
      return html`<tr><td><a href="/products/${p.id}">${p.name}</a></td><td>${p.vendor}</td><td>${p.type}</td><td>${p.version}</td>${PROGRAMS.map((g) => statusCell(c, g))}</tr>`;
    });
    return page(
      reply,
      layout('Products', req, html`<table id="products"><tr><th>Product</th><th>Vendor</th><th>Type</th><th>Version</th>${PROGRAMS.map((g) => html`<th>${g}</th>`)}</tr>${rows}</table>
<p>JSON: <a href="/api/v1/products">/api/v1/products</a></p>`),
    );
  });

  app.get('/products/:id', async (req, reply) => {
    const id = idParam(params(req)['id']);
    const p = await getProduct(db, req.actor, id);
    const certs = (await certificationsOf(ctx, db, [id])).get(id) ?? [];
    const subs = await listSubmissions(db, req.actor, { productId: id });
    const certRows = certs.map(
      (c) =>
        html`<tr><td>${c.program}</td><td>${c.guideline}</td><td class="${c.status}">${c.status}</td><td>${c.certifiedSince.slice(0, 10)}</td><td>${c.validUntil.slice(0, 10)}</td><td>${c.revokedReason ?? ''}</td><td><a href="/submissions/${c.submissionId}">#${c.submissionId}</a></td><td><a href="/api/v1/certifications/${c.id}/statement">statement</a> · <a href="/api/v1/certifications/${c.id}/signature">signature</a></td>${
          req.actor && req.actor.role !== 'vendor' && c.status === 'certified'
            ? html`<td><form method="post" action="/certifications/${c.id}/revoke"><input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}"><input name="reason" placeholder="reason" required><button>Revoke</button></form></td>`
            : ''
        }</tr>`,
    );
    return page(
      reply,
      layout(
        p.name,
        req,
        html`<p>Vendor <span id="vendor">${p.vendor}</span> · ${p.type} · version ${p.version || '—'} ${p.url ? html`· <a href="${p.url}" rel="nofollow noopener">${p.url}</a>` : ''}</p>
<p>${PROGRAMS.map((g) => html`<img alt="${g} status" src="/badge/${p.id}/${g}.svg"> `)}</p>
<h2>Certifications</h2><table id="certifications"><tr><th>Program</th><th>Guideline</th><th>Status</th><th>Since</th><th>Valid until</th><th>Revocation</th><th>Submission</th><th>Signed</th></tr>${certRows}</table>
<h2>Submissions</h2><table>${SUB_HEAD}${submissionRows(subs)}</table>`,
      ),
    );
  });

  app.get('/badge/:id/:file', async (req, reply) => {
    const m = /^(platform|compute|object)\.(svg|json)$/.exec(params(req)['file'] ?? '');
    if (!m) throw notFound('badge');
    const id = idParam(params(req)['id']);
    await getProduct(db, req.actor, id);
    const s = programStatus((await certificationsOf(ctx, db, [id])).get(id) ?? [], m[1]!);
    reply.header('Cache-Control', 'no-cache');
    if (m[2] === 'json') return { schemaVersion: 1, label: `OpenStack Powered ${m[1]}`, message: s.status === 'certified' ? `certified ${s.certification!.guideline}` : s.status, status: s.status, validUntil: s.certification?.validUntil };
    return reply.type('image/svg+xml; charset=utf-8').header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").send(badgeSvg(`OpenStack Powered ${m[1]}`, s.status, s.certification?.guideline));
  });

  app.get('/submissions/:id', async (req, reply) => {
    const f = await getSubmissionFiles(db, req.actor, idParam(params(req)['id']));
    const report = await storedReport(ctx, f.body, f.submission);
    // the report page is the report renderer's own document, with its own CSP (hashes of its inline style and script)
    return reply.type('text/html; charset=utf-8').header('Content-Security-Policy', "frame-ancestors 'none'; form-action 'none'; base-uri 'none'").send(renderHtml(report));
  });

  app.get('/compare', async (req, reply) => {
    const q = query(req);
    const a = await getSubmissionFiles(db, req.actor, idParam(q['a'], 'a'));
    const b = await getSubmissionFiles(db, req.actor, idParam(q['b'], 'b'));
    const c = compareReports(await storedReport(ctx, a.body, a.submission), await storedReport(ctx, b.body, b.submission));
    const side = (s: typeof c.old, id: number) => html`<td><a href="/submissions/${id}">#${id}</a></td><td>${s.cloud}</td><td>${s.guideline}</td><td>${s.program}</td><td class="${s.verdict}">${s.verdict.toUpperCase()}</td>`;
    return page(
      reply,
      layout(
        `Compare #${a.submission.id} and #${b.submission.id}`,
        req,
        html`<table><tr><th></th><th>Submission</th><th>Cloud</th><th>Guideline</th><th>Program</th><th>Verdict</th></tr><tr><th>old</th>${side(c.old, a.submission.id)}</tr><tr><th>new</th>${side(c.new, b.submission.id)}</tr></table>
<h2>Capabilities</h2><table id="capability-changes"><tr><th>Capability</th><th>Status</th><th>Change</th><th>From</th><th>To</th></tr>${c.capabilities.map((x) => html`<tr><td>${x.id}</td><td>${x.status}</td><td>${x.change}</td><td>${x.from ?? ''}</td><td>${x.to ?? ''}</td></tr>`)}</table>
<h2>Tests</h2><table><tr><th>Test</th><th>Change</th><th>From</th><th>To</th></tr>${c.tests.map((t) => html`<tr><td>${t.name}</td><td>${t.change}</td><td>${t.from}</td><td>${t.to}</td></tr>`)}</table>`,
      ),
    );
  });

  app.get('/guidelines/diff', async (req, reply) => {
    const q = query(req);
    const ids = await ctx.guidelineIds();
    const a = q['a'] ?? ids[ids.length - 2] ?? '';
    const b = q['b'] ?? ids[ids.length - 1] ?? '';
    const program = q['program'] || undefined;
    if (program && !(PROGRAMS as readonly string[]).includes(program)) throw badRequest(`program: one of ${PROGRAMS.join(', ')}`);
    if (!ids.includes(a) || !ids.includes(b)) throw badRequest(`a, b: guideline ids (${ids.join(', ')})`);
    const d = diffGuidelines((await ctx.loadGuideline(a)).guideline, (await ctx.loadGuideline(b)).guideline, program);
    if (q['format'] === 'json') return d;
    const opt = (sel: string) => ids.map((i) => html`<option${i === sel ? html` selected` : ''}>${i}</option>`);
    return page(
      reply,
      layout(
        `Guideline ${a} → ${b}`,
        req,
        html`<form method="get" action="/guidelines/diff"><select name="a">${opt(a)}</select> → <select name="b">${opt(b)}</select> <select name="program"><option value="">all programs</option>${PROGRAMS.map((p) => html`<option${p === program ? html` selected` : ''}>${p}</option>`)}</select> <button>Diff</button></form>
<pre id="diff">${renderDiff(d, 'text')}</pre>`,
      ),
    );
  });

  app.get('/login', async (req, reply) =>
    page(
      reply,
      layout('Log in', req, html`<form method="post" action="/login"><label>Email <input name="email" type="email" required></label><label>Password <input name="password" type="password" required></label><button>Log in</button></form>`),
    ),
  );
  app.post('/login', { config: { rateLimit: { max: Math.max(1, Math.floor((opts.rateLimit ?? 600) / 10)), timeWindow: 60_000 } } }, async (req, reply) => {
    const b = form(req);
    const s = await login(db, { email: b['email'], password: b['password'] });
    setSessionCookie(reply, s.token, opts.secureCookies ?? false);
    return reply.redirect(s.actor.role === 'vendor' ? '/vendor' : '/review', 303);
  });
  app.post('/logout', async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await logout(db, sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.get('/vendor', async (req, reply) => {
    if (!req.actor) return reply.redirect('/login', 303);
    const products = (await listProducts(db, req.actor)).filter((p) => p.vendorId === req.actor!.vendorId);
    const subs = (await listSubmissions(db, req.actor, { limit: 200 })).filter((s) => s.vendorId === req.actor!.vendorId);
    const csrf = html`<input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">`;
    const productOptions = products.map((p) => html`<option value="${p.id}">${p.name}</option>`);
    return page(
      reply,
      layout(
        'My vendor',
        req,
        html`<h2>Products</h2><ul>${products.map((p) => html`<li><a href="/products/${p.id}">${p.name}</a> (${p.type})</li>`)}</ul>
<form method="post" action="/vendor/products" id="new-product">${csrf}<label>Name <input name="name" required></label><label>Type <select name="type"><option>distribution</option><option>public-cloud</option><option>hosted-private-cloud</option></select></label><label>Version <input name="version"></label><label>URL <input name="url"></label><button>Add product</button></form>
<h2>Submissions</h2><table id="my-submissions">${SUB_HEAD}${subs.map(
          (s) =>
            html`<tr><td><a href="/submissions/${s.id}">#${s.id}</a></td><td>${s.vendor}</td><td>${s.cloudName}</td><td>${s.guideline}</td><td>${s.program}</td><td class="${s.verdict}">${s.verdict.toUpperCase()}</td><td class="${s.state}">${s.state}</td><td>${
              s.state === 'submitted' || s.state === 'rejected'
                ? html`<form method="post" action="/vendor/submissions/${s.id}/review" class="request-review">${csrf}<select name="product">${productOptions}</select><button>Request review</button></form>`
                : ''
            }</td></tr>`,
        )}</table>`,
      ),
    );
  });
  app.post('/vendor/products', async (req, reply) => {
    const b = form(req);
    const p = await createProduct(db, req.actor, { name: b['name'], type: b['type'], version: b['version'] || undefined, url: b['url'] || undefined });
    return reply.redirect(`/products/${p.id}`, 303);
  });
  app.post('/vendor/submissions/:id/review', async (req, reply) => {
    const id = idParam(params(req)['id']);
    await linkProduct(ctx, req.actor, id, idParam(form(req)['product'], 'product'));
    await requestReview(ctx, req.actor, id);
    return reply.redirect('/vendor', 303);
  });

  app.get('/review', async (req, reply) => {
    if (!req.actor) return reply.redirect('/login', 303);
    const queue = await reviewQueue(db, req.actor);
    const csrf = html`<input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">`;
    const rows = await Promise.all(
      queue.map(async (s) => {
        const p = s.productId ? await getProduct(db, req.actor, s.productId) : undefined;
        return html`<tr data-submission="${s.id}"><td><a href="/submissions/${s.id}">#${s.id}</a></td><td>${s.vendor}</td><td>${p?.name ?? ''}</td><td>${s.guideline}</td><td>${s.program}</td><td class="${s.verdict}">${s.verdict.toUpperCase()}</td><td>${s.keyFingerprint}</td>
<td><form method="post" action="/review/${s.id}/approve" class="approve">${csrf}<input name="comment" placeholder="comment" required><button>Approve</button></form>
<form method="post" action="/review/${s.id}/reject" class="reject">${csrf}<input name="comment" placeholder="comment" required><button>Reject</button></form></td></tr>`;
      }),
    );
    return page(
      reply,
      layout('Review queue', req, html`<table id="queue"><tr><th>Submission</th><th>Vendor</th><th>Product</th><th>Guideline</th><th>Program</th><th>Verdict</th><th>Signed by</th><th>Decision</th></tr>${rows}</table>`),
    );
  });
  app.post('/review/:id/approve', async (req, reply) => {
    const c = await approve(ctx, req.actor, idParam(params(req)['id']), form(req)['comment']);
    return reply.redirect(`/products/${c.productId}`, 303);
  });
  app.post('/review/:id/reject', async (req, reply) => {
    await reject(ctx, req.actor, idParam(params(req)['id']), form(req)['comment']);
    return reply.redirect('/review', 303);
  });
  app.post('/certifications/:id/revoke', async (req, reply) => {
    const c = await revoke(ctx, req.actor, idParam(params(req)['id']), form(req)['reason']);
    return reply.redirect(`/products/${c.productId}`, 303);
  });
}
