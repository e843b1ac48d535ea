/**
 * RefStack compatibility: the upload document refstack-client posts to
 * `<server>/v1/results/` and the signature headers RefStack's server checks
 * (X-Signature: hex of an RSA PKCS#1 v1.5 SHA-256 signature over the request body
 * exactly as sent; X-Public-Key: the OpenSSH public key, which must be registered
 * with the server).
 */
import type { KeyObject } from 'node:crypto';
import type { Report } from './model.js';
import { ReportError } from './model.js';
import { openSshPublicKey } from './keys.js';
import { signBytes } from './signature.js';

/** RefStack's upload document (refstack/api/validators.py TestResultValidator). */
export interface RefStackUpload {
  cpid: string;
  duration_seconds: number;
  results: { name: string; uuid?: string }[];
}

/** The upload document: passed tests only (name without attributes, bare uuid), whole seconds. */
export function refstackUpload(report: Report): RefStackUpload {
  const seconds = Math.max(0, Math.floor((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000));
  return {
    cpid: report.cloud.id,
    duration_seconds: seconds,
    results: report.tests.filter((t) => t.status === 'pass').map((t) => (t.uuid ? { name: t.name, uuid: t.uuid } : { name: t.name })),
  };
}

/** Python's json.dumps with its defaults (", " / ": " separators, ASCII only), as refstack-client sends it. */
export function pythonJsonDumps(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonJsonDumps).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(x)}`)
      .join(', ')}}`;
  }
  throw new ReportError(`cannot serialise ${typeof v} for RefStack`);
}

/** The request body bytes for a RefStack upload. */
export function refstackBody(report: Report): Buffer {
  return Buffer.from(pythonJsonDumps(refstackUpload(report)), 'utf8');
}

/** X-Signature / X-Public-Key for a body; RefStack's server only verifies RSA keys. */
export function refstackHeaders(body: Buffer, privateKey: KeyObject): { 'X-Signature': string; 'X-Public-Key': string } {
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new ReportError(`RefStack's server verifies RSA (PKCS#1 v1.5, SHA-256) signatures only; generate one with: defcore keys generate --type rsa`);
  }
  return { 'X-Signature': signBytes(body, privateKey).toString('hex'), 'X-Public-Key': openSshPublicKey(privateKey) };
}
