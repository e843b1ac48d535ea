/** A vendor's registered signing keys: only reports signed by one of them count as the vendor's. */
import type { KeyObject } from 'node:crypto';
import { fingerprint, openSshPublicKey, parsePublicKey } from '../report/keys.js';
import type { Actor } from './actor.js';
import { requireVendor } from './actor.js';
import { audit } from './audit.js';
import type { Database, Queryable } from './db.js';
import { badRequest, conflict, notFound } from './errors.js';

export interface VendorKey {
  id: number;
  fingerprint: string;
  publicKey: string;
  createdAt: string;
  revokedAt: string | null;
}

interface KeyRow {
  id: number;
  fingerprint: string;
  public_key: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toKey = (r: KeyRow): VendorKey => ({
  id: r.id,
  fingerprint: r.fingerprint,
  publicKey: r.public_key,
  createdAt: new Date(r.created_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});

/** Registers a public key (OpenSSH or PEM) for the actor's vendor; a key belongs to one vendor only. */
export async function addKey(db: Database, actor: Actor | undefined, publicKey: unknown): Promise<VendorKey> {
  const vendorId = requireVendor(actor);
  if (typeof publicKey !== 'string' || publicKey.length > 16_384) throw badRequest('publicKey: an OpenSSH or PEM public key');
  let key: KeyObject;
  try {
    key = parsePublicKey(publicKey, 'publicKey');
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  const fp = fingerprint(key);
  return db.transaction(async (q) => {
    const r = await q.query<KeyRow>(
      'insert into vendor_keys (vendor_id, fingerprint, public_key) values ($1, $2, $3) on conflict (fingerprint) do nothing returning id, fingerprint, public_key, created_at, revoked_at',
      [vendorId, fp, openSshPublicKey(key)],
    );
    if (!r[0]) throw conflict(`key ${fp} is already registered`);
    await audit(q, actor, 'key.add', `key:${r[0].id}`, { fingerprint: fp, vendor: vendorId });
    return toKey(r[0]);
  });
}

export async function listKeys(db: Queryable, actor: Actor | undefined): Promise<VendorKey[]> {
  const vendorId = requireVendor(actor);
  return (await db.query<KeyRow>('select id, fingerprint, public_key, created_at, revoked_at from vendor_keys where vendor_id = $1 order by id', [vendorId])).map(toKey);
}

/** A revoked key signs nothing new; what it signed before stays stored and re-verifiable. */
export async function revokeKey(db: Database, actor: Actor | undefined, id: number): Promise<void> {
  const vendorId = requireVendor(actor);
  await db.transaction(async (q) => {
    const r = await q.query<{ id: number }>('update vendor_keys set revoked_at = now() where id = $1 and vendor_id = $2 and revoked_at is null returning id', [id, vendorId]);
    if (!r[0]) throw notFound(`key ${id}`);
    await audit(q, actor, 'key.revoke', `key:${id}`);
  });
}

/** The vendor's live keys, parsed. */
export async function liveKeys(q: Queryable, vendorId: number): Promise<KeyObject[]> {
  const rows = await q.query<{ public_key: string }>('select public_key from vendor_keys where vendor_id = $1 and revoked_at is null', [vendorId]);
  return rows.map((r) => parsePublicKey(r.public_key));
}

/** Which vendor registered a key (revoked or not), by fingerprint. */
export async function keyOwner(q: Queryable, fp: string): Promise<number | undefined> {
  return (await q.query<{ vendor_id: number }>('select vendor_id from vendor_keys where fingerprint = $1', [fp]))[0]?.vendor_id;
}
