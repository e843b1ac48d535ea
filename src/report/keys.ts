/**
 * Signing keys: generation, loading, the OpenSSH public key form (what RefStack's
 * server expects in X-Public-Key) and fingerprints. Private keys are PKCS#8 PEM
 * (unencrypted, readable by refstack-client's load_pem_private_key); they are
 * never printed, logged or put in a report.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import { INPUT_LIMITS, readFailure, readInputFile } from '../util/input-file.js';
import path from 'node:path';
import { promisify } from 'node:util';
import { ReportError } from './model.js';

/** Key types `keys generate` makes. */
export type KeyType = 'ed25519' | 'rsa';
/** All key types, default first. */
export const KEY_TYPES: readonly KeyType[] = ['ed25519', 'rsa'];

/** Signature algorithms, named as they appear in signature files. */
export type SignatureAlgorithm = 'ed25519' | 'rsa-pkcs1v15-sha256';

/** The signature algorithm a key signs with; other key types are refused. */
export function algorithmOf(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'rsa') return 'rsa-pkcs1v15-sha256';
  throw new ReportError(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (ed25519 or rsa)`);
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** An SSH mpint: big-endian, a leading zero byte when the top bit is set. */
function sshMpint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const trimmed = b.subarray(i);
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** The SSH wire encoding of a public key (RFC 4253 / RFC 8709). */
export function sshPublicKeyBlob(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (pub.asymmetricKeyType === 'ed25519') {
    return Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.from(jwk.x!, 'base64url'))]);
  }
  if (pub.asymmetricKeyType === 'rsa') {
    return Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(Buffer.from(jwk.e!, 'base64url')), sshMpint(Buffer.from(jwk.n!, 'base64url'))]);
  }
  throw new ReportError(`unsupported key type ${pub.asymmetricKeyType ?? 'unknown'} (ed25519 or rsa)`);
}

/** `ssh-ed25519 AAAA… comment` / `ssh-rsa AAAA… comment`. */
export function openSshPublicKey(key: KeyObject, comment?: string): string {
  const blob = sshPublicKeyBlob(key);
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  return `${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
}

/** OpenSSH-style fingerprint, `SHA256:<base64 without padding>` (what `ssh-keygen -lf` prints). */
export function fingerprint(key: KeyObject): string {
  return `SHA256:${createHash('sha256').update(sshPublicKeyBlob(key)).digest('base64').replace(/=+$/, '')}`;
}

function readSshString(buf: Buffer, at: number): [Buffer, number] {
  if (at + 4 > buf.length) throw new Error('truncated');
  const len = buf.readUInt32BE(at);
  if (at + 4 + len > buf.length) throw new Error('truncated');
  return [buf.subarray(at + 4, at + 4 + len), at + 4 + len];
}

/** Parses an OpenSSH public key line into a key object. */
export function parseOpenSshPublicKey(line: string, source = 'public key'): KeyObject {
  const parts = line.trim().split(/\s+/);
  try {
    const blob = Buffer.from(parts[1] ?? '', 'base64');
    const [type, at] = readSshString(blob, 0);
    if (type.toString() !== parts[0]) throw new Error('type mismatch');
    if (parts[0] === 'ssh-ed25519') {
      const [x, end] = readSshString(blob, at);
      if (x.length !== 32 || end !== blob.length) throw new Error('bad ed25519 key');
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }, format: 'jwk' });
    }
    if (parts[0] === 'ssh-rsa') {
      const [e, at2] = readSshString(blob, at);
      const [n, end] = readSshString(blob, at2);
      if (end !== blob.length) throw new Error('trailing bytes');
      const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
      return createPublicKey({ key: { kty: 'RSA', e: strip(e).toString('base64url'), n: strip(n).toString('base64url') }, format: 'jwk' });
    }
  } catch {
    throw new ReportError(`${source}: malformed OpenSSH public key`);
  }
  throw new ReportError(`${source}: unsupported public key type "${parts[0] ?? ''}" (ssh-ed25519 or ssh-rsa)`);
}

/** Parses a public key given as OpenSSH text or PEM (SPKI or PKCS#1). */
export function parsePublicKey(text: string, source = 'public key'): KeyObject {
  const t = text.trim();
  let key: KeyObject;
  if (/^ssh-/.test(t)) key = parseOpenSshPublicKey(t, source);
  else {
    try {
      key = createPublicKey(t);
    } catch {
      throw new ReportError(`${source}: not a PEM or OpenSSH public key`);
    }
  }
  algorithmOf(key);
  return key;
}

/** Reads a public key file (OpenSSH `.pub` or PEM). */
export async function readPublicKey(file: string): Promise<KeyObject> {
  let text: string;
  try {
    text = (await readInputFile(file, INPUT_LIMITS.key)).toString('utf8');
  } catch (e) {
    throw new ReportError(`cannot read public key ${file}: ${readFailure(e)}`);
  }
  return parsePublicKey(text, file);
}

/** Reads a private key file (PEM, unencrypted). The key's bytes never appear in errors. */
export async function readPrivateKey(file: string): Promise<KeyObject> {
  let pem: Buffer;
  try {
    pem = await readInputFile(file, INPUT_LIMITS.key);
  } catch (e) {
    throw new ReportError(`cannot read private key ${file}: ${readFailure(e)}`);
  }
  if (pem.includes('-----BEGIN OPENSSH PRIVATE KEY-----')) {
    throw new ReportError(`${file}: OpenSSH private key format is not supported; convert a copy to PEM with: ssh-keygen -p -m PEM -f <copy>`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ReportError(`${file}: not an unencrypted PEM private key`);
  }
  algorithmOf(key);
  return key;
}

/** Where `generateKeyFiles` put the pair, and its fingerprint. */
export interface GeneratedKey {
  privateKeyFile: string;
  publicKeyFile: string;
  type: KeyType;
  fingerprint: string;
}

/**
 * Generates a key pair into `file` (PKCS#8 PEM, mode 0600) and `file.pub` (OpenSSH).
 * Neither file is ever overwritten: both are created exclusively.
 */
export async function generateKeyFiles(file: string, type: KeyType = 'ed25519', comment = 'defcore'): Promise<GeneratedKey> {
  const gen = promisify(generateKeyPair) as (t: string, o: object) => Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;
  const { privateKey, publicKey } = type === 'rsa' ? await gen('rsa', { modulusLength: 4096, publicExponent: 0x10001 }) : await gen('ed25519', {});
  const pubFile = `${file}.pub`;
  const { makeDirs } = await import('../util/mkdirs.js');
  await makeDirs(path.dirname(file), 0o700);
  const create = async (f: string, mode: number) => {
    try {
      return await open(f, 'wx', mode);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ReportError(code === 'EEXIST' ? `${f} already exists; refusing to overwrite a key` : `cannot create ${f}: ${code ?? 'error'}`);
    }
  };
  // public first: if it exists we stop before a private key is written anywhere
  const pubHandle = await create(pubFile, 0o644);
  let privHandle;
  try {
    privHandle = await create(file, 0o600);
  } catch (e) {
    await pubHandle.close();
    const { unlink } = await import('node:fs/promises');
    await unlink(pubFile).catch(() => undefined);
    throw e;
  }
  try {
    await privHandle.chmod(0o600); // the umask may have widened nothing, but be explicit
    await privHandle.writeFile(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await pubHandle.writeFile(openSshPublicKey(publicKey, comment) + '\n');
  } finally {
    await privHandle.close();
    await pubHandle.close();
  }
  return { privateKeyFile: file, publicKeyFile: pubFile, type, fingerprint: fingerprint(publicKey) };
}
