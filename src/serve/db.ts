/**
 * One SQL dialect, two engines: PGlite (PostgreSQL compiled to WebAssembly, in the
 * process, no server to install) by default, a real PostgreSQL when DATABASE_URL is
 * set. Every statement is parameterised ($1, $2, …); no SQL text is ever built from
 * request data.
 */
import { mkdir } from 'node:fs/promises';

/** Something that runs one parameterised statement. */
export interface Queryable {
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A database: statements, transactions, and an end. */
export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgresql';
  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens the embedded database in `dir` (absent: in memory, for tests). */
export async function openEmbedded(dir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dir) await mkdir(dir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(dir ? { dataDir: dir } : {});
  const q = (runner: { query: typeof db.query }): Queryable => ({
    async query<R>(text: string, params: readonly unknown[] = []) {
      return (await runner.query<R>(text, params as unknown[])).rows;
    },
  });
  const self = q(db);
  return {
    kind: 'embedded',
    query: self.query,
    transaction: (fn) => db.transaction((tx) => fn(q(tx))),
    close: () => db.close(),
  };
}

/** Opens a PostgreSQL pool for a connection URL. */
export async function openPostgres(url: string, max = 10): Promise<Database> {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000, statement_timeout: 30_000 });
  // an idle client's error (server restart) must not crash the process
  pool.on('error', () => undefined);
  return {
    kind: 'postgresql',
    async query<R>(text: string, params: readonly unknown[] = []) {
      return (await pool.query(text, params as unknown[])).rows as R[];
    },
    async transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async <R>(text: string, params: readonly unknown[] = []) => (await client.query(text, params as unknown[])).rows as R[] });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** DATABASE_URL when set, else the embedded database under `dataDir` (in memory without one). */
export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openEmbedded(opts.dataDir);
}
