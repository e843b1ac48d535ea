/**
 * Schema migrations, applied at start in order, each once. All of them run in one
 * transaction under a PostgreSQL advisory lock, so several `serve` processes
 * starting together on one database apply each migration exactly once.
 */
import type { Database } from './db.js';

interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Arbitrary but fixed: the advisory lock key of defcore's migrations. */
const MIGRATION_LOCK = 7_240_114;

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'vendors, users, keys, products, submissions, reviews, certifications, audit log',
    sql: `
create table vendors (
  id integer generated always as identity primary key,
  name text not null unique,
  created_at timestamptz not null default now()
);
create table users (
  id integer generated always as identity primary key,
  email text not null unique,
  password_hash text not null,
  role text not null check (role in ('vendor', 'reviewer', 'admin')),
  vendor_id integer references vendors(id),
  created_at timestamptz not null default now(),
  check ((role = 'vendor') = (vendor_id is not null))
);
create table sessions (
  token_hash text primary key,
  user_id integer not null references users(id),
  csrf_token text not null,
  expires_at timestamptz not null
);
create table api_tokens (
  id integer generated always as identity primary key,
  user_id integer not null references users(id),
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create table vendor_keys (
  id integer generated always as identity primary key,
  vendor_id integer not null references vendors(id),
  fingerprint text not null unique,
  public_key text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create table products (
  id integer generated always as identity primary key,
  vendor_id integer not null references vendors(id),
  name text not null,
  type text not null check (type in ('distribution', 'public-cloud', 'hosted-private-cloud')),
  version text not null default '',
  url text not null default '',
  public boolean not null default true,
  created_at timestamptz not null default now(),
  unique (vendor_id, name)
);
create table submissions (
  id integer generated always as identity primary key,
  sha256 text not null unique,
  kind text not null check (kind in ('defcore', 'refstack')),
  vendor_id integer not null references vendors(id),
  submitted_by integer references users(id),
  body text not null,
  signature text not null,
  public_key text not null,
  key_fingerprint text not null,
  guideline_id text not null,
  guideline_sha256 text not null,
  program text not null,
  verdict text not null check (verdict in ('pass', 'fail')),
  cloud_id text not null,
  cloud_name text not null,
  product_id integer references products(id),
  public boolean not null default false,
  state text not null default 'submitted' check (state in ('submitted', 'pending', 'approved', 'rejected')),
  created_at timestamptz not null default now()
);
create index submissions_vendor on submissions(vendor_id, created_at desc);
create index submissions_product on submissions(product_id);
create index submissions_state on submissions(state, created_at);
create table reviews (
  id integer generated always as identity primary key,
  submission_id integer not null references submissions(id),
  reviewer_id integer not null references users(id),
  decision text not null check (decision in ('approve', 'reject')),
  comment text not null,
  created_at timestamptz not null default now()
);
create table certifications (
  id integer generated always as identity primary key,
  product_id integer not null references products(id),
  program text not null,
  guideline_id text not null,
  submission_id integer not null references submissions(id),
  certified_since timestamptz not null,
  valid_until timestamptz not null,
  statement text not null,
  signature text not null,
  revoked_at timestamptz,
  revoked_reason text,
  created_at timestamptz not null default now()
);
create index certifications_product on certifications(product_id, program);
create table audit_log (
  id integer generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  subject text not null,
  detail text not null default '{}'
);
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_no_change before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
`,
  },
];

/** Applies the migrations not yet applied; returns the ids applied now. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (q) => {
    await q.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q.query(`create table if not exists schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await q.query<{ id: number }>('select id from schema_migrations')).map((r) => r.id));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      // a migration is a fixed script of this file, never built from input
      for (const stmt of splitStatements(m.sql)) await q.query(stmt);
      await q.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Splits a migration script into statements (semicolons outside $$ bodies). */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inBody = false;
  for (const line of sql.split('\n')) {
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inBody = !inBody;
    cur += line + '\n';
    if (!inBody && /;\s*$/.test(line)) {
      out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
