/**
 * Detached report signatures (`<report>.sig`): a signature over the report's
 * canonical bytes (RFC 8785), with the public key and its fingerprint.
 */
import { createHash, sign as cryptoSign, verify as cryptoVerify, createPublicKey, type KeyObject } from 'node:crypto';
import { canonicalBytes } from './canonical.js';
import { algorithmOf, fingerprint, openSshPublicKey, parseOpenSshPublicKey, type SignatureAlgorithm } from './keys.js';
import { ReportError } from './model.js';

/** `format` of every signature file. */
export const SIGNATURE_FORMAT = 'defcore-signature';

/** The signature file `<report>.sig`. */
export interface ReportSignature {
  format: typeof SIGNATURE_FORMAT;
  formatVersion: 1;
  algorithm: SignatureAlgorithm;
  /** How the signed bytes were derived from the report. */
  canonicalization: 'RFC8785';
  /** sha256 (hex) of the signed bytes, to tell "different report" from "bad signature". */
  signedSha256: string;
  /** base64 of the raw signature (64 bytes for ed25519, the modulus size for RSA). */
  signature: string;
  /** The signer's public key, OpenSSH form. */
  publicKey: string;
  /** `SHA256:…` of the public key, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

/** Node's digest argument: ed25519 hashes internally; RSA is PKCS#1 v1.5 over SHA-256. */
function digestFor(alg: SignatureAlgorithm): string | null {
  return alg === 'ed25519' ? null : 'sha256';
}

/** Signs arbitrary bytes with a private key (ed25519, or RSA PKCS#1 v1.5 SHA-256). */
export function signBytes(bytes: Buffer, privateKey: KeyObject): Buffer {
  return cryptoSign(digestFor(algorithmOf(privateKey)), bytes, privateKey);
}

/** Signs a report (any JSON value) over its canonical bytes. */
export function signReport(report: unknown, privateKey: KeyObject): ReportSignature {
  const bytes = canonicalBytes(report);
  const pub = createPublicKey(privateKey);
  return {
    format: SIGNATURE_FORMAT,
    formatVersion: 1,
    algorithm: algorithmOf(privateKey),
    canonicalization: 'RFC8785',
    signedSha256: createHash('sha256').update(bytes).digest('hex'),
    signature: signBytes(bytes, privateKey).toString('base64'),
    publicKey: openSshPublicKey(pub, 'defcore'),
    fingerprint: fingerprint(pub),
  };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks the shape of a signature file. */
export function parseSignature(text: string, source: string): ReportSignature {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ReportError(`${source}: not a signature file (invalid JSON)`, 1);
  }
  if (!isObj(doc) || doc['format'] !== SIGNATURE_FORMAT || doc['formatVersion'] !== 1) {
    throw new ReportError(`${source}: not a defcore signature file (format ${SIGNATURE_FORMAT}, version 1)`, 1);
  }
  for (const k of ['algorithm', 'canonicalization', 'signedSha256', 'signature', 'publicKey', 'fingerprint']) {
    if (typeof doc[k] !== 'string') throw new ReportError(`${source}: field "${k}" missing or not a string`, 1);
  }
  if (doc['algorithm'] !== 'ed25519' && doc['algorithm'] !== 'rsa-pkcs1v15-sha256') {
    throw new ReportError(`${source}: unsupported algorithm "${String(doc['algorithm'])}"`, 1);
  }
  if (doc['canonicalization'] !== 'RFC8785') throw new ReportError(`${source}: unsupported canonicalization "${String(doc['canonicalization'])}"`, 1);
  const extra = Object.keys(doc).filter((k) => !['format', 'formatVersion', 'algorithm', 'canonicalization', 'signedSha256', 'signature', 'publicKey', 'fingerprint'].includes(k));
  if (extra.length) throw new ReportError(`${source}: unexpected field "${extra[0]}"`, 1);
  return doc as unknown as ReportSignature;
}

/** Outcome of checking one signature. */
export interface SignatureCheck {
  ok: boolean;
  /** Why not, when not ok. */
  reason?: string;
  /** The key that verified (embedded one unless a key was given). */
  key?: KeyObject;
  fingerprint?: string;
}

/**
 * Checks a signature over the report's canonical bytes. With `key`, that key must
 * be the one named in the signature file and is used to verify; otherwise the
 * embedded key is used (trust is decided by the caller from the fingerprint).
 */
export function checkSignature(report: unknown, sig: ReportSignature, key?: KeyObject): SignatureCheck {
  let embedded: KeyObject;
  try {
    embedded = parseOpenSshPublicKey(sig.publicKey, 'signature public key');
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const embeddedFp = fingerprint(embedded);
  if (embeddedFp !== sig.fingerprint) return { ok: false, reason: `the signature file's fingerprint ${sig.fingerprint} is not that of its public key (${embeddedFp})` };
  if (algorithmOf(embedded) !== sig.algorithm) return { ok: false, reason: `algorithm ${sig.algorithm} does not match the ${embedded.asymmetricKeyType} public key` };
  const useKey = key ?? embedded;
  if (key && fingerprint(key) !== embeddedFp) {
    return { ok: false, reason: `signed with key ${embeddedFp}, not with the given key ${fingerprint(key)}` };
  }
  const bytes = canonicalBytes(report);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const raw = Buffer.from(sig.signature, 'base64');
  let valid = false;
  try {
    valid = cryptoVerify(digestFor(sig.algorithm), bytes, useKey, raw);
  } catch {
    valid = false; // a malformed signature is just one that does not verify
  }
  if (!valid) {
    return {
      ok: false,
      reason: sha !== sig.signedSha256 ? 'the report was modified after signing (its canonical bytes differ from the signed ones)' : 'the signature does not verify',
      fingerprint: embeddedFp,
    };
  }
  return { ok: true, key: useKey, fingerprint: embeddedFp };
}
