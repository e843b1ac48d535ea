/**
 * The committee's side: the review queue, approval (which issues a signed
 * certification statement) and rejection with a comment, revocation with a reason,
 * and certification state per product × program × guideline.
 */
import type { CertificationStatement } from '../report/certification.js';
import { signCertification } from '../report/certification.js';
import type { Actor } from './actor.js';
import { requireReviewer } from './actor.js';
import { checkName } from './accounts.js';
import { audit } from './audit.js';
import type { ServeContext, ValidityPolicy } from './context.js';
import type { Queryable } from './db.js';
import { conflict, notFound, unprocessable } from './errors.js';
import { getProduct } from './products.js';
import { getSubmission, listSubmissions, reverify, type Submission } from './submissions.js';

const DAY = 86_400_000;

/** The committee's name in statements. */
export const ISSUER = 'OpenStack Interop Committee (defcore serve)';

/** Oldest first: the order reviewers work in. */
export async function reviewQueue(q: Queryable, actor: Actor | undefined): Promise<Submission[]> {
  requireReviewer(actor);
  return (await listSubmissions(q, actor, { limit: 1000 })).filter((s) => s.state === 'pending').reverse();
}

/** When a main guideline (YYYY.MM) stops being certifiable: the first day of its successor's month. */
export function supersededAt(id: string, ids: readonly string[]): Date | undefined {
  const later = ids.filter((x) => /^\d{4}\.\d{2}$/.test(x) && x > id).sort();
  const m = later[0]?.match(/^(\d{4})\.(\d{2})$/);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : undefined;
}

/** The end of a certification approved at `now`: the lifetime, cut short by supersession plus grace. */
export function validUntil(now: Date, guideline: string, ids: readonly string[], policy: ValidityPolicy): Date {
  const byLifetime = now.getTime() + policy.lifetimeDays * DAY;
  const sup = supersededAt(guideline, ids);
  return new Date(sup ? Math.min(byLifetime, sup.getTime() + policy.graceDays * DAY) : byLifetime);
}

export interface Certification {
  id: number;
  productId: number;
  program: string;
  guideline: string;
  submissionId: number;
  certifiedSince: string;
  validUntil: string;
  revokedAt: string | null;
  revokedReason: string | null;
  status: 'certified' | 'expired' | 'revoked';
}

interface CertRow {
  id: number;
  product_id: number;
  program: string;
  guideline_id: string;
  submission_id: number;
  certified_since: Date;
  valid_until: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

const toCert = (r: CertRow, now: Date): Certification => ({
  id: r.id,
  productId: r.product_id,
  program: r.program,
  guideline: r.guideline_id,
  submissionId: r.submission_id,
  certifiedSince: new Date(r.certified_since).toISOString(),
  validUntil: new Date(r.valid_until).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  revokedReason: r.revoked_reason,
  status: r.revoked_at ? 'revoked' : new Date(r.valid_until).getTime() <= now.getTime() ? 'expired' : 'certified',
});

const CERT_COLUMNS = 'id, product_id, program, guideline_id, submission_id, certified_since, valid_until, revoked_at, revoked_reason';

/** Approves a pending submission: re-verified from what is stored, PASS only; issues the signed statement. */
export async function approve(ctx: ServeContext, actor: Actor | undefined, id: number, comment: unknown): Promise<Certification> {
  const reviewer = requireReviewer(actor);
  const text = checkName('comment', comment, 4000);
  const ids = await ctx.guidelineIds();
  return ctx.db.transaction(async (q) => {
    // the state change first: of two reviewers approving at once, one wins
    const won = await q.query<{ id: number }>(`update submissions set state = 'approved', public = true where id = $1 and state = 'pending' returning id`, [id]);
    if (!won[0]) {
      const s = await getSubmission(q, reviewer, id);
      throw conflict(`submission ${id} is ${s.state}, not pending review`);
    }
    const s = await getSubmission(q, reviewer, id);
    const v = await reverify(ctx, q, id);
    if (!v.accepted) throw unprocessable('verification_failed', `submission ${id} no longer verifies: ${v.checks.find((c) => !c.ok)?.detail ?? ''}`);
    if (s.verdict !== 'pass') throw unprocessable('not_passing', `submission ${id} FAILs program ${s.program}; only a passing run can be certified`);
    const product = await getProduct(q, reviewer, s.productId!);
    const now = ctx.now();
    const until = validUntil(now, s.guideline, ids, ctx.validity);
    if (until.getTime() <= now.getTime()) throw unprocessable('guideline_superseded', `guideline ${s.guideline} was superseded and its grace period has ended; it can no longer be certified against`);
    await q.query('insert into reviews (submission_id, reviewer_id, decision, comment) values ($1, $2, $3, $4)', [id, reviewer.userId, 'approve', text]);
    const ins = await q.query<{ id: number }>(
      `insert into certifications (product_id, program, guideline_id, submission_id, certified_since, valid_until, statement, signature) values ($1, $2, $3, $4, $5, $6, '', '') returning id`,
      [product.id, s.program, s.guideline, id, now, until],
    );
    const certId = ins[0]!.id;
    const statement: CertificationStatement = {
      format: 'defcore-certification',
      formatVersion: 1,
      issuer: ISSUER,
      id: certId,
      issuedAt: now.toISOString(),
      vendor: product.vendor,
      product: { id: product.id, name: product.name, type: product.type, version: product.version, url: product.url },
      program: s.program,
      guideline: { id: s.guideline, sha256: s.guidelineSha256 },
      submission: { sha256: s.sha256, kind: s.kind, signer: s.keyFingerprint },
      certifiedSince: now.toISOString(),
      validUntil: until.toISOString(),
    };
    const signed = signCertification(statement, ctx.committeeKey);
    await q.query('update certifications set statement = $1, signature = $2 where id = $3', [signed.text, JSON.stringify(signed.signature, null, 2) + '\n', certId]);
    await audit(q, reviewer, 'submission.approve', `submission:${id}`, { comment: text, certification: certId });
    await audit(q, reviewer, 'certification.issue', `certification:${certId}`, { product: product.id, program: s.program, guideline: s.guideline, validUntil: until.toISOString() });
    return toCert((await q.query<CertRow>(`select ${CERT_COLUMNS} from certifications where id = $1`, [certId]))[0]!, now);
  });
}

export async function reject(ctx: ServeContext, actor: Actor | undefined, id: number, comment: unknown): Promise<Submission> {
  const reviewer = requireReviewer(actor);
  const text = checkName('comment', comment, 4000);
  return ctx.db.transaction(async (q) => {
    const won = await q.query<{ id: number }>(`update submissions set state = 'rejected' where id = $1 and state = 'pending' returning id`, [id]);
    if (!won[0]) {
      const s = await getSubmission(q, reviewer, id);
      throw conflict(`submission ${id} is ${s.state}, not pending review`);
    }
    await q.query('insert into reviews (submission_id, reviewer_id, decision, comment) values ($1, $2, $3, $4)', [id, reviewer.userId, 'reject', text]);
    await audit(q, reviewer, 'submission.reject', `submission:${id}`, { comment: text });
    return getSubmission(q, reviewer, id);
  });
}

export async function revoke(ctx: ServeContext, actor: Actor | undefined, certId: number, reason: unknown): Promise<Certification> {
  const reviewer = requireReviewer(actor);
  const text = checkName('reason', reason, 4000);
  return ctx.db.transaction(async (q) => {
    const r = await q.query<CertRow>(`update certifications set revoked_at = now(), revoked_reason = $1 where id = $2 and revoked_at is null returning ${CERT_COLUMNS}`, [text, certId]);
    if (!r[0]) throw notFound(`unrevoked certification ${certId}`);
    await audit(q, reviewer, 'certification.revoke', `certification:${certId}`, { reason: text });
    return toCert(r[0], ctx.now());
  });
}

/** A product's certifications (newest first), visible to whoever may see the product. */
export async function productCertifications(ctx: ServeContext, q: Queryable, actor: Actor | undefined, productId: number): Promise<Certification[]> {
  await getProduct(q, actor, productId);
  const now = ctx.now();
  return (await q.query<CertRow>(`select ${CERT_COLUMNS} from certifications where product_id = $1 order by id desc`, [productId])).map((r) => toCert(r, now));
}

/** The signed statement of a certification (public: a certification is a public claim). */
export async function certificationStatement(ctx: ServeContext, certId: number): Promise<{ certification: Certification; statement: string; signature: string }> {
  const r = (await ctx.db.query<CertRow & { statement: string; signature: string }>(`select ${CERT_COLUMNS}, statement, signature from certifications where id = $1`, [certId]))[0];
  if (!r) throw notFound(`certification ${certId}`);
  return { certification: toCert(r, ctx.now()), statement: r.statement, signature: r.signature };
}

/** Current status of a product in a program: certified (newest valid), else the newest's status, else none. */
export function programStatus(certs: readonly Certification[], program: string): { status: Certification['status'] | 'none'; certification?: Certification } {
  const mine = certs.filter((c) => c.program === program);
  const live = mine.find((c) => c.status === 'certified');
  if (live) return { status: 'certified', certification: live };
  return mine[0] ? { status: mine[0].status, certification: mine[0] } : { status: 'none' };
}

/** Certifications of many products at once (the product list), newest first. */
export async function certificationsOf(ctx: ServeContext, q: Queryable, productIds: readonly number[]): Promise<Map<number, Certification[]>> {
  const out = new Map<number, Certification[]>();
  if (!productIds.length) return out;
  const now = ctx.now();
  const rows = await q.query<CertRow>(`select ${CERT_COLUMNS} from certifications where product_id = any($1::integer[]) order by id desc`, [productIds]);
  for (const r of rows) {
    const list = out.get(r.product_id) ?? [];
    list.push(toCert(r, now));
    out.set(r.product_id, list);
  }
  return out;
}
