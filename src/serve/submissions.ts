/**
 * Submissions: signed reports (and RefStack uploads) verified exactly as
 * `defcore verify` does, stored with their signature and public key, addressed by
 * the sha256 of their bytes. The same bytes sent twice are one submission.
 */
import { createHash } from 'node:crypto';
import { evaluate } from '../evaluate/evaluate.js';
import { fingerprint, openSshPublicKey, parsePublicKey } from '../report/keys.js';
import { parseSignature } from '../report/signature.js';
import { verifyReportBytes, type VerifyCheck } from '../report/verify.js';
import type { Report } from '../report/model.js';
import type { Actor } from './actor.js';
import { isCommittee, requireVendor } from './actor.js';
import { audit } from './audit.js';
import type { ServeContext } from './context.js';
import type { Queryable } from './db.js';
import { ServeError, badRequest, conflict, forbidden, notFound, unprocessable } from './errors.js';
import { checkRefstackUpload } from './refstack-upload.js';
import { keyOwner, liveKeys } from './vendor-keys.js';
import { getProduct } from './products.js';

export type SubmissionState = 'submitted' | 'pending' | 'approved' | 'rejected';

export interface Submission {
  id: number;
  sha256: string;
  kind: 'defcore' | 'refstack';
  vendorId: number;
  vendor: string;
  keyFingerprint: string;
  guideline: string;
  guidelineSha256: string;
  program: string;
  verdict: 'pass' | 'fail';
  cloudId: string;
  cloudName: string;
  productId: number | null;
  public: boolean;
  state: SubmissionState;
  createdAt: string;
}

interface SubmissionRow {
  id: number;
  sha256: string;
  kind: 'defcore' | 'refstack';
  vendor_id: number;
  vendor: string;
  key_fingerprint: string;
  guideline_id: string;
  guideline_sha256: string;
  program: string;
  verdict: 'pass' | 'fail';
  cloud_id: string;
  cloud_name: string;
  product_id: number | null;
  public: boolean;
  state: SubmissionState;
  created_at: Date;
}

const COLUMNS =
  's.id, s.sha256, s.kind, s.vendor_id, v.name as vendor, s.key_fingerprint, s.guideline_id, s.guideline_sha256, s.program, s.verdict, s.cloud_id, s.cloud_name, s.product_id, s.public, s.state, s.created_at';
const FROM = 'from submissions s join vendors v on v.id = s.vendor_id';

const toSubmission = (r: SubmissionRow): Submission => ({
  id: r.id,
  sha256: r.sha256,
  kind: r.kind,
  vendorId: r.vendor_id,
  vendor: r.vendor,
  keyFingerprint: r.key_fingerprint,
  guideline: r.guideline_id,
  guidelineSha256: r.guideline_sha256,
  program: r.program,
  verdict: r.verdict,
  cloudId: r.cloud_id,
  cloudName: r.cloud_name,
  productId: r.product_id,
  public: r.public,
  state: r.state,
  createdAt: new Date(r.created_at).toISOString(),
});

/** What a submission answers: where it is stored and what verification found. */
export interface SubmitResult {
  submission: Submission;
  /** True when these exact bytes were already stored (nothing new was stored). */
  duplicate: boolean;
  checks: VerifyCheck[];
}

/** A refusal with the verification checks that explain it. */
export class VerificationRefused extends ServeError {
  constructor(
    message: string,
    readonly checks: VerifyCheck[],
  ) {
    super(422, 'verification_failed', message);
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The key that signed must be the submitting vendor's own: a replay of another vendor's report stops here. */
async function requireOwnKey(q: Queryable, vendorId: number, fp: string): Promise<void> {
  const owner = await keyOwner(q, fp);
  if (owner === undefined) throw unprocessable('unregistered_key', `signed by key ${fp}, which is not registered to your vendor; register its public key first (POST /api/v1/keys)`);
  if (owner !== vendorId) throw forbidden(`signed by key ${fp}, which belongs to another vendor; a vendor can submit only reports signed with its own keys`);
}

interface NewSubmission {
  sha256: string;
  kind: 'defcore' | 'refstack';
  body: string;
  signature: string;
  publicKey: string;
  fingerprint: string;
  guideline: string;
  guidelineSha256: string;
  program: string;
  verdict: 'pass' | 'fail';
  cloudId: string;
  cloudName: string;
  productId?: number;
}

async function store(ctx: ServeContext, actor: Actor | undefined, vendorId: number, n: NewSubmission, checks: VerifyCheck[]): Promise<SubmitResult> {
  return ctx.db.transaction(async (q) => {
    if (n.productId !== undefined) {
      const p = await getProduct(q, actor, n.productId).catch(() => undefined);
      if (!p || p.vendorId !== vendorId) throw notFound(`product ${n.productId}`);
    }
    const ins = await q.query<{ id: number }>(
      `insert into submissions (sha256, kind, vendor_id, submitted_by, body, signature, public_key, key_fingerprint, guideline_id, guideline_sha256, program, verdict, cloud_id, cloud_name, product_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) on conflict (sha256) do nothing returning id`,
      [n.sha256, n.kind, vendorId, actor?.userId ?? null, n.body, n.signature, n.publicKey, n.fingerprint, n.guideline, n.guidelineSha256, n.program, n.verdict, n.cloudId, n.cloudName, n.productId ?? null],
    );
    if (!ins[0]) {
      const existing = (await q.query<SubmissionRow>(`select ${COLUMNS} ${FROM} where s.sha256 = $1`, [n.sha256]))[0]!;
      if (existing.vendor_id !== vendorId) throw conflict('this report is already stored for another vendor');
      return { submission: toSubmission(existing), duplicate: true, checks };
    }
    await audit(q, actor ?? `key:${n.fingerprint}`, 'submission.create', `submission:${ins[0].id}`, { sha256: n.sha256, kind: n.kind, verdict: n.verdict, guideline: n.guideline, program: n.program });
    const row = (await q.query<SubmissionRow>(`select ${COLUMNS} ${FROM} where s.id = $1`, [ins[0].id]))[0]!;
    return { submission: toSubmission(row), duplicate: false, checks };
  });
}

/** Verifies and stores a defcore report (its exact bytes) with its detached signature file's text. */
export async function submitReport(ctx: ServeContext, actor: Actor | undefined, bytes: Buffer, sigText: string, productId?: number): Promise<SubmitResult> {
  const vendorId = requireVendor(actor);
  let sig;
  try {
    sig = parseSignature(sigText, 'signature');
  } catch (e) {
    throw new VerificationRefused((e as Error).message, [{ check: 'signature', ok: false, detail: (e as Error).message }]);
  }
  await requireOwnKey(ctx.db, vendorId, sig.fingerprint);
  const result = await verifyReportBytes(bytes, sigText, { trustedKeys: await liveKeys(ctx.db, vendorId), loadGuideline: (id) => ctx.loadGuideline(id) });
  if (!result.accepted) {
    const bad = result.checks.find((c) => !c.ok)!;
    throw new VerificationRefused(`refused: ${bad.check}: ${bad.detail}`, result.checks);
  }
  const r = result.report!;
  return store(ctx, actor!, vendorId, {
    sha256: sha256(bytes),
    kind: 'defcore',
    body: bytes.toString('utf8'),
    signature: sigText,
    publicKey: sig.publicKey,
    fingerprint: result.signer!,
    guideline: r.guideline.id,
    guidelineSha256: r.guideline.sha256,
    program: r.program,
    verdict: r.evaluation.verdict,
    cloudId: r.cloud.id,
    cloudName: r.cloud.name,
    ...(productId !== undefined ? { productId } : {}),
  }, result.checks);
}

/** The newest main guideline (YYYY.MM), the default for RefStack uploads, which name none. */
async function newestGuideline(ctx: ServeContext): Promise<string> {
  const ids = await ctx.guidelineIds();
  if (!ids.length) throw new ServeError(500, 'no_guidelines', 'the server has no guidelines');
  return ids[ids.length - 1]!;
}

/**
 * Verifies and stores a RefStack upload, evaluated with defcore's evaluator. As with
 * RefStack, the signing key says whose upload it is: with no session or token the
 * key's vendor; with one, the key must be the actor's vendor's own.
 */
export async function submitRefstack(
  ctx: ServeContext,
  actor: Actor | undefined,
  body: Buffer,
  headers: { signature?: string; publicKey?: string },
  opts: { guideline?: string; program?: string } = {},
): Promise<SubmitResult> {
  const rc = checkRefstackUpload(body, headers.signature, headers.publicKey);
  if (!rc.key) throw new VerificationRefused(`refused: ${rc.reason}`, [{ check: 'signature', ok: false, detail: rc.reason! }]);
  const fp = fingerprint(rc.key);
  let vendorId: number;
  if (actor) {
    vendorId = requireVendor(actor);
    await requireOwnKey(ctx.db, vendorId, fp);
  } else {
    const owner = await keyOwner(ctx.db, fp);
    if (owner === undefined) throw unprocessable('unregistered_key', `signed by key ${fp}, which no vendor has registered; register its public key first (POST /api/v1/keys)`);
    vendorId = owner;
  }
  const live = (await liveKeys(ctx.db, vendorId)).map(fingerprint);
  if (!live.includes(fp)) throw unprocessable('revoked_key', `key ${fp} was revoked`);
  if (!rc.ok) throw new VerificationRefused(`refused: ${rc.reason}`, [{ check: 'signature', ok: false, detail: rc.reason! }]);
  const guidelineId = opts.guideline ?? (await newestGuideline(ctx));
  const program = opts.program ?? 'platform';
  let loaded;
  try {
    loaded = await ctx.loadGuideline(guidelineId);
  } catch (e) {
    throw badRequest(`guideline: ${(e as Error).message}`);
  }
  let evaluation;
  try {
    evaluation = evaluate(loaded.guideline, program, rc.results!, { statuses: ['required'] });
  } catch (e) {
    throw badRequest(`program: ${(e as Error).message}`);
  }
  const checks: VerifyCheck[] = [
    { check: 'signature', ok: true, detail: `RefStack upload signed by ${fingerprint(rc.key!)}` },
    { check: 'verdict', ok: true, detail: `evaluated ${rc.results!.length} passed test(s) against guideline ${guidelineId}: program ${program} ${evaluation.verdict.toUpperCase()}` },
  ];
  return store(ctx, actor, vendorId, {
    sha256: sha256(body),
    kind: 'refstack',
    body: body.toString('utf8'),
    signature: headers.signature!.toLowerCase(),
    publicKey: openSshPublicKey(rc.key!),
    fingerprint: fingerprint(rc.key!),
    guideline: guidelineId,
    guidelineSha256: loaded.sha256,
    program,
    verdict: evaluation.verdict,
    cloudId: rc.cpid!,
    cloudName: `RefStack upload ${rc.cpid!}`,
  }, checks);
}

/** Who may see a submission: its vendor, the committee, and everyone once it is public or certified. */
export function canSeeSubmission(actor: Actor | undefined, s: Submission): boolean {
  return s.public || s.state === 'approved' || isCommittee(actor) || (actor?.vendorId !== null && actor?.vendorId === s.vendorId);
}

export async function getSubmission(q: Queryable, actor: Actor | undefined, id: number): Promise<Submission> {
  const r = (await q.query<SubmissionRow>(`select ${COLUMNS} ${FROM} where s.id = $1`, [id]))[0];
  // not found and not allowed look the same: existence is private too
  if (!r || !canSeeSubmission(actor, toSubmission(r))) throw notFound(`submission ${id}`);
  return toSubmission(r);
}

/** The stored bytes, signature and public key, for anyone who may see the submission. */
export async function getSubmissionFiles(q: Queryable, actor: Actor | undefined, id: number): Promise<{ submission: Submission; body: string; signature: string; publicKey: string }> {
  const submission = await getSubmission(q, actor, id);
  const r = (await q.query<{ body: string; signature: string; public_key: string }>('select body, signature, public_key from submissions where id = $1', [id]))[0]!;
  return { submission, body: r.body, signature: r.signature, publicKey: r.public_key };
}

/** Submissions the actor may see, newest first. */
export async function listSubmissions(q: Queryable, actor: Actor | undefined, opts: { productId?: number; limit?: number } = {}): Promise<Submission[]> {
  const lim = Math.min(Math.max(1, opts.limit ?? 100), 1000);
  const product = opts.productId ?? null;
  const rows = isCommittee(actor)
    ? await q.query<SubmissionRow>(`select ${COLUMNS} ${FROM} where ($1::integer is null or s.product_id = $1) order by s.id desc limit $2`, [product, lim])
    : await q.query<SubmissionRow>(
        `select ${COLUMNS} ${FROM} where ($1::integer is null or s.product_id = $1) and (s.public or s.state = 'approved' or s.vendor_id = $2) order by s.id desc limit $3`,
        [product, actor?.vendorId ?? -1, lim],
      );
  return rows.map(toSubmission);
}

/** The vendor's own submission, for a change; another vendor's looks absent. */
async function ownSubmission(q: Queryable, actor: Actor | undefined, id: number): Promise<Submission> {
  const vendorId = requireVendor(actor);
  const s = await getSubmission(q, actor, id);
  if (s.vendorId !== vendorId) throw notFound(`submission ${id}`);
  return s;
}

/** Links a submission to one of the vendor's own products. */
export async function linkProduct(ctx: ServeContext, actor: Actor | undefined, id: number, productId: number): Promise<Submission> {
  return ctx.db.transaction(async (q) => {
    const s = await ownSubmission(q, actor, id);
    const p = await getProduct(q, actor, productId).catch(() => undefined);
    if (!p || p.vendorId !== s.vendorId) throw notFound(`product ${productId}`);
    if (s.state === 'approved' || s.state === 'pending') throw conflict(`submission ${id} is ${s.state}; its product cannot change`);
    await q.query('update submissions set product_id = $1 where id = $2', [productId, id]);
    await audit(q, actor, 'submission.link', `submission:${id}`, { product: productId });
    return getSubmission(q, actor, id);
  });
}

export async function setPublic(ctx: ServeContext, actor: Actor | undefined, id: number, isPublic: boolean): Promise<Submission> {
  return ctx.db.transaction(async (q) => {
    await ownSubmission(q, actor, id);
    await q.query('update submissions set public = $1 where id = $2', [isPublic, id]);
    await audit(q, actor, isPublic ? 'submission.publish' : 'submission.unpublish', `submission:${id}`);
    return getSubmission(q, actor, id);
  });
}

/** Puts a submission linked to a product in the reviewers' queue. */
export async function requestReview(ctx: ServeContext, actor: Actor | undefined, id: number): Promise<Submission> {
  return ctx.db.transaction(async (q) => {
    const s = await ownSubmission(q, actor, id);
    if (s.productId === null) throw conflict(`submission ${id} is not linked to a product; link it first`);
    if (s.state !== 'submitted' && s.state !== 'rejected') throw conflict(`submission ${id} is already ${s.state}`);
    await q.query(`update submissions set state = 'pending' where id = $1`, [id]);
    await audit(q, actor, 'submission.review-request', `submission:${id}`);
    return getSubmission(q, actor, id);
  });
}

/** Re-verifies a stored submission from its stored bytes, signature and public key alone. */
export async function reverify(ctx: ServeContext, q: Queryable, id: number): Promise<{ accepted: boolean; checks: VerifyCheck[]; report?: Report }> {
  const r = (await q.query<{ kind: string; body: string; signature: string; public_key: string; guideline_id: string; program: string; verdict: string }>(
    'select kind, body, signature, public_key, guideline_id, program, verdict from submissions where id = $1',
    [id],
  ))[0];
  if (!r) throw notFound(`submission ${id}`);
  if (r.kind === 'defcore') {
    const v = await verifyReportBytes(Buffer.from(r.body, 'utf8'), r.signature, { trustedKeys: [parsePublicKey(r.public_key)], loadGuideline: (g) => ctx.loadGuideline(g) });
    return { accepted: v.accepted, checks: v.checks, ...(v.report ? { report: v.report } : {}) };
  }
  const rc = checkRefstackUpload(Buffer.from(r.body, 'utf8'), r.signature, r.public_key);
  if (!rc.ok) return { accepted: false, checks: [{ check: 'signature', ok: false, detail: rc.reason! }] };
  const loaded = await ctx.loadGuideline(r.guideline_id);
  const ev = evaluate(loaded.guideline, r.program, rc.results!, { statuses: ['required'] });
  const same = ev.verdict === r.verdict;
  return {
    accepted: same,
    checks: [
      { check: 'signature', ok: true, detail: 'RefStack upload signature verifies' },
      { check: 'verdict', ok: same, detail: same ? `re-evaluated: ${ev.verdict.toUpperCase()}` : `stored verdict ${r.verdict}, re-evaluation gives ${ev.verdict}` },
    ],
  };
}
