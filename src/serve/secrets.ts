/**
 * Passwords, session ids, CSRF and API tokens. Passwords are hashed with scrypt
 * (memory-hard; Node's own, no native dependency): N=2^15, r=8 takes 32 MiB per
 * hash. Session ids and API tokens are 256-bit random values, so a plain SHA-256
 * of them at rest is enough: the database never holds one that would log anyone in.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(pw, salt, len, opts, (e, k) => (e ? reject(e) : resolve(k))));

/** Costs of new hashes; tests may lower N to keep the suite fast. */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 };

/** Longer than any passphrase; bounds the work one login attempt can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

/** `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string, cost = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` is the one hashed; malformed hashes never match. */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const want = Buffer.from(hash, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), want.length, { ...cost, maxmem: 256 * cost.N * cost.r });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A new random secret with a readable prefix (`dcs_` session, `dct_` API token). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored for a session id or API token. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time string comparison (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
