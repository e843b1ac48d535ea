/**
 * Certification statements: what the interop committee issued for a product,
 * signed with the committee's key (a detached `<statement>.sig` as for reports),
 * so that anyone holding the committee's public key can check one offline with
 * `defcore verify`. Revocation is not visible offline: the server's product page
 * and JSON say whether a statement was revoked since.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { fingerprint } from './keys.js';
import { checkSignature, parseSignature, signReport, type ReportSignature } from './signature.js';
import type { VerifyCheck } from './verify.js';

export const CERTIFICATION_FORMAT = 'defcore-certification';

export interface CertificationStatement {
  format: typeof CERTIFICATION_FORMAT;
  formatVersion: 1;
  /** Who issued it (the committee's name as configured on the server). */
  issuer: string;
  id: number;
  issuedAt: string;
  vendor: string;
  product: { id: number; name: string; type: string; version: string; url: string };
  program: string;
  guideline: { id: string; sha256: string };
  /** The approved submission: its content address and the vendor key that signed it. */
  submission: { sha256: string; kind: 'defcore' | 'refstack'; signer: string };
  certifiedSince: string;
  validUntil: string;
}

export function signCertification(s: CertificationStatement, key: KeyObject): { text: string; signature: ReportSignature } {
  return { text: canonicalJson(s) + '\n', signature: signReport(s, key) };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The statement's shape; undefined when it conforms. */
export function certificationProblem(doc: unknown): string | undefined {
  if (!isObj(doc) || doc['format'] !== CERTIFICATION_FORMAT || doc['formatVersion'] !== 1) return `not a ${CERTIFICATION_FORMAT} statement (format version 1)`;
  for (const k of ['issuer', 'issuedAt', 'vendor', 'program', 'certifiedSince', 'validUntil']) if (typeof doc[k] !== 'string') return `field "${k}" missing or not a string`;
  if (typeof doc['id'] !== 'number') return 'field "id" missing or not a number';
  for (const k of ['product', 'guideline', 'submission']) if (!isObj(doc[k])) return `field "${k}" missing or not an object`;
  for (const k of ['certifiedSince', 'validUntil', 'issuedAt']) if (Number.isNaN(Date.parse(doc[k] as string))) return `field "${k}" is not a date`;
  return undefined;
}

/** True when the text is JSON whose `format` names a certification statement. */
export function looksLikeCertification(doc: unknown): boolean {
  return isObj(doc) && doc['format'] === CERTIFICATION_FORMAT;
}

export interface CertificationVerifyResult {
  accepted: boolean;
  checks: VerifyCheck[];
  statement?: CertificationStatement;
  signer?: string;
}

/** Verifies a statement's bytes and detached signature against the committee's key(s), and its validity at `now`. */
export function verifyCertificationBytes(bytes: Buffer, sigText: string | undefined, trustedKeys: readonly KeyObject[], now = new Date()): CertificationVerifyResult {
  const checks: VerifyCheck[] = [];
  const done = (statement?: CertificationStatement, signer?: string): CertificationVerifyResult => ({ accepted: checks.every((c) => c.ok), checks, statement, signer });
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    checks.push({ check: 'schema', ok: false, detail: `not JSON: ${(e as Error).message}` });
    return done();
  }
  const problem = certificationProblem(doc);
  if (problem) {
    checks.push({ check: 'schema', ok: false, detail: problem });
    return done();
  }
  const s = doc as CertificationStatement;
  checks.push({ check: 'schema', ok: true, detail: `certification statement ${s.id} (format version 1)` });
  if (!bytes.equals(Buffer.from(canonicalJson(s) + '\n', 'utf8'))) {
    checks.push({ check: 'canonical', ok: false, detail: 'the statement is not in its canonical (RFC 8785) form; it was edited after it was issued' });
    return done(s);
  }
  checks.push({ check: 'canonical', ok: true, detail: 'stored in canonical form (RFC 8785)' });
  if (sigText === undefined) {
    checks.push({ check: 'signature', ok: false, detail: 'no signature file' });
    return done(s);
  }
  let sig;
  try {
    sig = parseSignature(sigText, 'signature');
  } catch (e) {
    checks.push({ check: 'signature', ok: false, detail: (e as Error).message });
    return done(s);
  }
  const sc = checkSignature(s, sig);
  if (!sc.ok) {
    checks.push({ check: 'signature', ok: false, detail: sc.reason ?? 'invalid signature' });
    return done(s);
  }
  checks.push({ check: 'signature', ok: true, detail: `${sig.algorithm} signature by ${sc.fingerprint} verifies` });
  const trusted = trustedKeys.map(fingerprint);
  checks.push(
    trusted.includes(sc.fingerprint!)
      ? { check: 'trust', ok: true, detail: `key ${sc.fingerprint} is a trusted committee key` }
      : { check: 'trust', ok: false, detail: `key ${sc.fingerprint} is not trusted (give the committee's public key with --pubkey)` },
  );
  const t = now.getTime();
  const from = Date.parse(s.certifiedSince);
  const until = Date.parse(s.validUntil);
  checks.push(
    t < from
      ? { check: 'validity', ok: false, detail: `not valid before ${s.certifiedSince}` }
      : t >= until
        ? { check: 'validity', ok: false, detail: `expired on ${s.validUntil}` }
        : { check: 'validity', ok: true, detail: `${s.vendor} ${s.product.name}: ${s.program} per guideline ${s.guideline.id}, valid until ${s.validUntil}` },
  );
  return done(s, sc.fingerprint);
}
