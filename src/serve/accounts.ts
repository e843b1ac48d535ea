/** Vendor sign-up, committee users, password log-in with sessions, API tokens. */
import type { Actor, Role } from './actor.js';
import { requireActor, requireAdmin } from './actor.js';
import { audit } from './audit.js';
import type { Database, Queryable } from './db.js';
import { badRequest, conflict, unauthenticated } from './errors.js';
import { MAX_PASSWORD_LENGTH, checkPassword, hashPassword, newSecret, secretHash } from './secrets.js';

/** How long a session lasts without a new log-in. */
export const SESSION_HOURS = 12;

const EMAIL = /^[^\s@<>"']{1,64}@[^\s@<>"']{1,190}$/;

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !EMAIL.test(email)) throw badRequest('email: expected an address like name@example.com');
  return email.toLowerCase();
}

function checkNewPassword(pw: unknown): string {
  if (typeof pw !== 'string' || pw.length < 12 || pw.length > MAX_PASSWORD_LENGTH) throw badRequest(`password: 12 to ${MAX_PASSWORD_LENGTH} characters`);
  return pw;
}

export function checkName(what: string, v: unknown, max = 200): string {
  if (typeof v !== 'string' || !v.trim() || v.length > max) throw badRequest(`${what}: a non-empty string of at most ${max} characters`);
  return v.trim();
}

interface UserRow {
  id: number;
  email: string;
  role: Role;
  vendor_id: number | null;
  password_hash: string;
}

const toActor = (r: Pick<UserRow, 'id' | 'email' | 'role' | 'vendor_id'>): Actor => ({ userId: r.id, email: r.email, role: r.role, vendorId: r.vendor_id });

/** Creates a vendor with its first user; anyone may sign up (what it can then do is limited to its own data). */
export async function registerVendor(db: Database, input: { vendor: unknown; email: unknown; password: unknown }): Promise<{ vendorId: number; actor: Actor }> {
  const name = checkName('vendor', input.vendor);
  const email = checkEmail(input.email);
  const hash = await hashPassword(checkNewPassword(input.password));
  return db.transaction(async (q) => {
    const v = await q.query<{ id: number }>('insert into vendors (name) values ($1) on conflict (name) do nothing returning id', [name]);
    if (!v[0]) throw conflict(`vendor "${name}" already exists`);
    const u = await q.query<UserRow>(
      `insert into users (email, password_hash, role, vendor_id) values ($1, $2, 'vendor', $3) on conflict (email) do nothing returning id, email, role, vendor_id`,
      [email, hash, v[0].id],
    );
    if (!u[0]) throw conflict(`a user ${email} already exists`);
    const actor = toActor(u[0]);
    await audit(q, actor, 'vendor.create', `vendor:${v[0].id}`, { name });
    return { vendorId: v[0].id, actor };
  });
}

/** An admin adds a reviewer (or another admin). */
export async function createCommitteeUser(db: Database, by: Actor | undefined, input: { email: unknown; password: unknown; role: unknown }): Promise<Actor> {
  requireAdmin(by);
  if (input.role !== 'reviewer' && input.role !== 'admin') throw badRequest('role: reviewer or admin');
  return insertCommitteeUser(db, by, checkEmail(input.email), checkNewPassword(input.password), input.role);
}

async function insertCommitteeUser(db: Database, by: Actor | undefined, email: string, password: string, role: 'reviewer' | 'admin'): Promise<Actor> {
  const hash = await hashPassword(password);
  return db.transaction(async (q) => {
    const u = await q.query<UserRow>(`insert into users (email, password_hash, role) values ($1, $2, $3) on conflict (email) do nothing returning id, email, role, vendor_id`, [email, hash, role]);
    if (!u[0]) throw conflict(`a user ${email} already exists`);
    await audit(q, by, 'user.create', `user:${u[0].id}`, { email, role });
    return toActor(u[0]);
  });
}

/** The first admin, from the environment at start; nothing happens when it exists. */
export async function ensureAdmin(db: Database, email: string, password: string): Promise<void> {
  const e = checkEmail(email);
  const existing = await db.query<{ id: number }>('select id from users where email = $1', [e]);
  if (existing[0]) return;
  await insertCommitteeUser(db, undefined, e, checkNewPassword(password), 'admin').catch((err: unknown) => {
    if (!(err instanceof Error && /already exists/.test(err.message))) throw err; // another process won the race
  });
}

/** A fresh session: the cookie value and its CSRF token (the database keeps only the cookie's hash). */
export interface NewSession {
  token: string;
  csrfToken: string;
  actor: Actor;
  expiresAt: Date;
}

/** The same answer and about the same time for an unknown user as for a wrong password. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function login(db: Database, input: { email: unknown; password: unknown }): Promise<NewSession> {
  if (typeof input.email !== 'string' || typeof input.password !== 'string' || input.password.length > MAX_PASSWORD_LENGTH) throw unauthenticated('wrong email or password');
  const rows = await db.query<UserRow>('select id, email, role, vendor_id, password_hash from users where email = $1', [input.email.toLowerCase()]);
  const ok = await checkPassword(input.password, rows[0]?.password_hash ?? DUMMY_HASH);
  if (!rows[0] || !ok) {
    await audit(db, undefined, 'session.refused', `email:${input.email.toLowerCase().slice(0, 254)}`);
    throw unauthenticated('wrong email or password');
  }
  const actor = toActor(rows[0]);
  const token = newSecret('dcs_');
  const csrfToken = newSecret('');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db.transaction(async (q) => {
    await q.query('delete from sessions where expires_at < now()');
    await q.query('insert into sessions (token_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)', [secretHash(token), actor.userId, csrfToken, expiresAt]);
    await audit(q, actor, 'session.create', `user:${actor.userId}`);
  });
  return { token, csrfToken, actor, expiresAt };
}

export async function logout(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [secretHash(token)]);
}

/** The user and CSRF token of a live session. */
export async function sessionActor(db: Queryable, token: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
  const rows = await db.query<UserRow & { csrf_token: string }>(
    `select u.id, u.email, u.role, u.vendor_id, s.csrf_token from sessions s join users u on u.id = s.user_id where s.token_hash = $1 and s.expires_at > now()`,
    [secretHash(token)],
  );
  return rows[0] ? { actor: toActor(rows[0]), csrfToken: rows[0].csrf_token } : undefined;
}

/** A new API token for CI uploads; shown once, stored hashed. */
export async function createApiToken(db: Database, by: Actor | undefined, name: unknown): Promise<{ id: number; token: string }> {
  const actor = requireActor(by);
  const n = checkName('name', name, 100);
  const token = newSecret('dct_');
  return db.transaction(async (q) => {
    const r = await q.query<{ id: number }>('insert into api_tokens (user_id, name, token_hash) values ($1, $2, $3) returning id', [actor.userId, n, secretHash(token)]);
    await audit(q, actor, 'token.create', `token:${r[0]!.id}`, { name: n });
    return { id: r[0]!.id, token };
  });
}

export async function tokenActor(db: Queryable, token: string): Promise<Actor | undefined> {
  const rows = await db.query<UserRow>(
    `select u.id, u.email, u.role, u.vendor_id from api_tokens t join users u on u.id = t.user_id where t.token_hash = $1 and t.revoked_at is null`,
    [secretHash(token)],
  );
  return rows[0] ? toActor(rows[0]) : undefined;
}
