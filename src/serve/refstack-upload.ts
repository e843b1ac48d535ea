/**
 * RefStack's upload (`POST /v1/results`): the body refstack-client sends
 * ({cpid, duration_seconds, results: [{name, uuid?}]}, passed tests only) with
 * X-Signature (hex of the signature over the body's exact bytes) and X-Public-Key
 * (OpenSSH). RefStack verified RSA PKCS#1 v1.5 SHA-256; ed25519 keys are accepted too.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { algorithmOf, parseOpenSshPublicKey } from '../report/keys.js';
import { parseResults } from '../results/read.js';
import type { TestResult } from '../results/model.js';

export interface RefstackCheck {
  ok: boolean;
  reason?: string;
  key?: KeyObject;
  results?: TestResult[];
  cpid?: string;
  durationSeconds?: number;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body's shape as RefStack's validator demands it; undefined when it conforms. */
export function refstackBodyProblem(doc: unknown): string | undefined {
  if (!isObj(doc)) return 'the body must be a JSON object';
  for (const k of Object.keys(doc)) if (!['cpid', 'duration_seconds', 'results', 'meta'].includes(k)) return `unexpected field "${k}"`;
  if (typeof doc['cpid'] !== 'string' || !doc['cpid'] || doc['cpid'].length > 255) return 'cpid: a non-empty string';
  if (!Number.isInteger(doc['duration_seconds']) || (doc['duration_seconds'] as number) < 0) return 'duration_seconds: a non-negative integer';
  const results = doc['results'];
  if (!Array.isArray(results) || results.length === 0) return 'results: a non-empty list of passed tests';
  for (const [i, r] of results.entries()) {
    if (!isObj(r) || typeof r['name'] !== 'string' || !r['name']) return `results[${i}]: an object with a "name"`;
    if (r['uuid'] !== undefined && typeof r['uuid'] !== 'string') return `results[${i}].uuid: a string`;
    for (const k of Object.keys(r)) if (k !== 'name' && k !== 'uuid') return `results[${i}]: unexpected field "${k}"`;
  }
  return undefined;
}

/** Checks an upload's signature and shape; never throws. */
export function checkRefstackUpload(body: Buffer, signatureHex: string | undefined, publicKey: string | undefined): RefstackCheck {
  if (!signatureHex || !publicKey) return { ok: false, reason: 'unsigned upload: X-Signature and X-Public-Key are required (refstack-client upload -i <private key>)' };
  if (!/^[0-9a-fA-F]+$/.test(signatureHex) || signatureHex.length % 2) return { ok: false, reason: 'X-Signature: not hex' };
  let key: KeyObject;
  try {
    key = parseOpenSshPublicKey(publicKey, 'X-Public-Key');
    algorithmOf(key);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  let valid = false;
  try {
    valid = cryptoVerify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', body, key, Buffer.from(signatureHex, 'hex'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'X-Signature does not verify over the request body with X-Public-Key', key };
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return { ok: false, reason: `malformed JSON: ${(e as Error).message}`, key };
  }
  const problem = refstackBodyProblem(doc);
  if (problem) return { ok: false, reason: `not a RefStack upload: ${problem}`, key };
  const d = doc as { cpid: string; duration_seconds: number };
  return { ok: true, key, results: parseResults(body, 'upload').results, cpid: d.cpid, durationSeconds: d.duration_seconds };
}
