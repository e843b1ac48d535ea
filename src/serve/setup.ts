/** Building a ServeContext from options: database, migrations, guidelines, committee key. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { listGuidelineFiles, loadGuideline, type LoadedGuideline } from '../guideline/load.js';
import { generateKeyFiles, openSshPublicKey, readPrivateKey } from '../report/keys.js';
import { ensureAdmin } from './accounts.js';
import { DEFAULT_VALIDITY, type ServeContext, type ValidityPolicy } from './context.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrations.js';

export interface SetupOptions {
  /** Set: PostgreSQL. Unset: the embedded database under `dataDir`. */
  databaseUrl?: string;
  /** Embedded database and generated committee key live here; absent: in memory (tests). */
  dataDir?: string;
  /** Use an open database instead (tests share one across apps). */
  db?: Database;
  guidelinesDir?: string;
  /** PEM private key of the committee; default `<dataDir>/committee_ed25519`, generated on first start. */
  committeeKeyFile?: string;
  committeeKey?: KeyObject;
  validity?: Partial<ValidityPolicy>;
  admin?: { email: string; password: string };
  now?: () => Date;
}

/** Loads guidelines once per id: they are immutable files, and verification reads them on every submission. */
function guidelineCache(dir: string | undefined): (id: string) => Promise<LoadedGuideline> {
  const cache = new Map<string, Promise<LoadedGuideline>>();
  return (id: string) => {
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(id) || id.includes('..')) return Promise.reject(new Error(`not a guideline id: ${JSON.stringify(id.slice(0, 80))}`));
    let p = cache.get(id);
    if (!p) {
      p = loadGuideline(id, dir ? { dir } : {});
      p.catch(() => cache.delete(id));
      cache.set(id, p);
    }
    return p;
  };
}

async function committeeKey(opts: SetupOptions): Promise<KeyObject> {
  if (opts.committeeKey) return opts.committeeKey;
  if (opts.committeeKeyFile) return readPrivateKey(opts.committeeKeyFile);
  if (!opts.dataDir) {
    const { generateKeyPairSync } = await import('node:crypto');
    return generateKeyPairSync('ed25519').privateKey;
  }
  const file = path.join(opts.dataDir, 'committee_ed25519');
  if (!existsSync(file)) await generateKeyFiles(file, 'ed25519', 'defcore-committee');
  return readPrivateKey(file);
}

export async function setupContext(opts: SetupOptions): Promise<ServeContext> {
  const key = await committeeKey(opts);
  const db = opts.db ?? (await openDatabase({ ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), ...(opts.dataDir ? { dataDir: path.join(opts.dataDir, 'db') } : {}) }));
  await migrate(db);
  if (opts.admin) await ensureAdmin(db, opts.admin.email, opts.admin.password);
  const dir = opts.guidelinesDir;
  return {
    db,
    loadGuideline: guidelineCache(dir),
    guidelineIds: async () =>
      (await listGuidelineFiles(dir))
        .map((f) => path.basename(f, '.yaml'))
        .filter((id) => /^\d{4}\.\d{2}$/.test(id))
        .sort(),
    committeeKey: key,
    validity: { ...DEFAULT_VALIDITY, ...opts.validity },
    now: opts.now ?? (() => new Date()),
  };
}

/** The committee's public key, OpenSSH form: what `defcore verify --pubkey` needs. */
export function committeePublicKey(ctx: ServeContext): string {
  return openSshPublicKey(createPublicKey(ctx.committeeKey), 'defcore-committee') + '\n';
}
