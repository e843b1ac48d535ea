/**
 * Standard envelopes, so that generic supply-chain tools can check defcore's claims:
 * a report as an in-toto Statement (predicate test-result v0.1), a certification as
 * a SLSA verification summary (VSA v1), each signed in a DSSE envelope (the
 * signature covers DSSE's pre-authentication encoding of type and payload).
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { CertificationStatement } from './certification.js';
import { algorithmOf, fingerprint } from './keys.js';
import type { Report } from './model.js';
import { signBytes } from './signature.js';
import type { VerifyCheck } from './verify.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE = 'https://in-toto.io/attestation/test-result/v0.1';
export const VSA_PREDICATE = 'https://slsa.dev/verification_summary/v1';

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the statement's bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

export interface InTotoStatement {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: Record<string, string>; annotations?: Record<string, string> }[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

/** DSSE's pre-authentication encoding: "DSSEv1 <len> <type> <len> <body>". */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const t = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
}

export function signEnvelope(statement: InTotoStatement, key: KeyObject): DsseEnvelope {
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid: fingerprint(createPublicKey(key)), sig: signBytes(pae(IN_TOTO_PAYLOAD_TYPE, payload), key).toString('base64') }],
  };
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A report (its file's exact bytes) as an in-toto test-result Statement. */
export function reportStatement(report: Report, reportBytes: Buffer, reportName = 'report.json'): InTotoStatement {
  const outcomes = report.evaluation.capabilities.flatMap((c) =>
    c.tests.map((t) => ({ name: t.uuid ? `${t.name}[id-${t.uuid}]` : t.name, status: t.status, warnOnly: t.flagged || c.status !== 'required' })),
  );
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: reportName, digest: { sha256: sha256(reportBytes) }, annotations: { cloudId: report.cloud.id, cloudName: report.cloud.name } }],
    predicateType: TEST_RESULT_PREDICATE,
    predicate: {
      result: report.evaluation.verdict === 'pass' ? 'PASSED' : 'FAILED',
      configuration: [{ name: report.guideline.file, digest: { sha256: report.guideline.sha256 }, annotations: { guideline: report.guideline.id, program: report.program, statuses: report.statuses.join(',') } }],
      passedTests: uniq(outcomes.filter((o) => o.status === 'pass').map((o) => o.name)),
      // a flagged test, or one of a capability that is not required, cannot fail the program: a warning
      warnedTests: uniq(outcomes.filter((o) => o.status !== 'pass' && o.warnOnly).map((o) => o.name)),
      failedTests: uniq(outcomes.filter((o) => o.status !== 'pass' && !o.warnOnly).map((o) => o.name)),
    },
  };
}

/** A certification as a SLSA verification summary: the committee verified this submission against this guideline. */
export function certificationVsa(s: CertificationStatement, baseUrl: string): InTotoStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: `submission:${s.submission.sha256}`, digest: { sha256: s.submission.sha256 }, annotations: { vendor: s.vendor, product: s.product.name } }],
    predicateType: VSA_PREDICATE,
    predicate: {
      verifier: { id: s.issuer },
      timeVerified: s.issuedAt,
      resourceUri: `${baseUrl}/products/${s.product.id}`,
      policy: { uri: `${baseUrl}/guidelines/${s.guideline.id}#${s.program}`, digest: { sha256: s.guideline.sha256 } },
      verificationResult: 'PASSED',
      verifiedLevels: [`OPENSTACK_POWERED_${s.program.toUpperCase()}_${s.guideline.id}`],
      validUntil: s.validUntil,
      certificationId: s.id,
    },
  };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function looksLikeEnvelope(doc: unknown): boolean {
  return isObj(doc) && typeof doc['payloadType'] === 'string' && typeof doc['payload'] === 'string' && Array.isArray(doc['signatures']);
}

export interface EnvelopeVerifyResult {
  accepted: boolean;
  checks: VerifyCheck[];
  statement?: InTotoStatement;
  signer?: string;
}

/** Verifies a DSSE envelope: a signature by a trusted key over PAE, an in-toto Statement of a known predicate, and its result. */
export function verifyEnvelope(doc: unknown, trustedKeys: readonly KeyObject[], now = new Date()): EnvelopeVerifyResult {
  const checks: VerifyCheck[] = [];
  const done = (statement?: InTotoStatement, signer?: string) => ({ accepted: checks.length > 0 && checks.every((c) => c.ok), checks, statement, signer });
  if (!looksLikeEnvelope(doc)) {
    checks.push({ check: 'envelope', ok: false, detail: 'not a DSSE envelope (payloadType, payload, signatures)' });
    return done();
  }
  const env = doc as DsseEnvelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    checks.push({ check: 'envelope', ok: false, detail: `payloadType ${env.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}` });
    return done();
  }
  const payload = Buffer.from(env.payload, 'base64');
  checks.push({ check: 'envelope', ok: true, detail: `DSSE envelope with ${env.signatures.length} signature(s)` });
  let signer: string | undefined;
  for (const key of trustedKeys) {
    for (const s of env.signatures) {
      if (!isObj(s) || typeof s.sig !== 'string') continue;
      let ok = false;
      try {
        ok = cryptoVerify(algorithmOf(key) === 'ed25519' ? null : 'sha256', pae(env.payloadType, payload), key, Buffer.from(s.sig, 'base64'));
      } catch {
        ok = false;
      }
      if (ok) signer = fingerprint(key);
    }
  }
  checks.push(
    signer
      ? { check: 'signature', ok: true, detail: `signature over the DSSE encoding verifies with trusted key ${signer}` }
      : { check: 'signature', ok: false, detail: trustedKeys.length ? 'no signature verifies with a trusted key (the payload was changed, or another key signed)' : 'no key is trusted (give --pubkey or --trusted-keys)' },
  );
  let st: unknown;
  try {
    st = JSON.parse(payload.toString('utf8'));
  } catch {
    checks.push({ check: 'schema', ok: false, detail: 'the payload is not JSON' });
    return done(undefined, signer);
  }
  if (!isObj(st) || st['_type'] !== STATEMENT_TYPE || !Array.isArray(st['subject']) || !isObj(st['predicate'])) {
    checks.push({ check: 'schema', ok: false, detail: `the payload is not an in-toto Statement (${STATEMENT_TYPE})` });
    return done(undefined, signer);
  }
  const statement = st as unknown as InTotoStatement;
  const p = statement.predicate;
  if (statement.predicateType === TEST_RESULT_PREDICATE) {
    const ok = (p['result'] === 'PASSED' || p['result'] === 'FAILED') && Array.isArray(p['failedTests']) && Array.isArray(p['passedTests']);
    checks.push({ check: 'schema', ok, detail: ok ? `test-result statement: ${String(p['result'])}, ${(p['passedTests'] as unknown[]).length} passed, ${(p['failedTests'] as unknown[]).length} failed` : 'malformed test-result predicate' });
  } else if (statement.predicateType === VSA_PREDICATE) {
    const ok = p['verificationResult'] === 'PASSED';
    checks.push({ check: 'schema', ok: typeof p['verificationResult'] === 'string', detail: `verification summary: ${String(p['verificationResult'])}` });
    const until = typeof p['validUntil'] === 'string' ? Date.parse(p['validUntil']) : NaN;
    checks.push(
      !ok
        ? { check: 'validity', ok: false, detail: `verification result ${String(p['verificationResult'])}` }
        : Number.isFinite(until) && until <= now.getTime()
          ? { check: 'validity', ok: false, detail: `expired on ${String(p['validUntil'])}` }
          : { check: 'validity', ok: true, detail: `${(p['verifiedLevels'] as string[] | undefined)?.join(', ') ?? ''} valid until ${String(p['validUntil'] ?? '?')}` },
    );
  } else {
    checks.push({ check: 'schema', ok: false, detail: `unknown predicate type ${statement.predicateType}` });
  }
  return done(statement, signer);
}
