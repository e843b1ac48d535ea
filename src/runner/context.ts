/** The CheckContext a native check runs in: accounts, names, cleanups, evidence, deadline. */
import { randomBytes } from 'node:crypto';
import { CheckSkip, type AccountRole, type CheckContext } from '../check/api.js';
import type { CloudClient, ExchangeRecorder } from '../cloud/types.js';
import type { ResolvedValidation } from '../validation/resolve.js';

export type Accounts = Partial<Record<AccountRole, CloudClient>>;

const ACCOUNT_FLAGS: Record<AccountRole, string> = {
  primary: '--os-cloud',
  alt: '--alt-cloud',
  reseller: '--reseller-cloud',
  admin: '--admin-cloud',
};

/** Why a check that needs `role` cannot run. */
export function missingAccountReason(role: AccountRole): string {
  return `needs the ${role} account (${ACCOUNT_FLAGS[role]}), which is not configured`;
}

interface Cleanup {
  description: string;
  fn: () => Promise<unknown>;
}

export interface TestScope {
  ctx: CheckContext;
  notes: string[];
  /** Runs the registered cleanups, newest first; returns the failures. */
  cleanup(timeoutMs: number): Promise<string[]>;
}

/** A fresh run prefix: every resource of the run carries it. */
export function newRunPrefix(): string {
  return `defcore-${randomBytes(3).toString('hex')}-`;
}

export function createScope(accounts: Accounts, prefix: string, recorder: ExchangeRecorder, signal: AbortSignal, validation?: ResolvedValidation): TestScope {
  const notes: string[] = [];
  const cleanups: Cleanup[] = [];
  const views = new Map<AccountRole, CloudClient>();
  let counter = 0;
  const ctx: CheckContext = {
    prefix,
    signal,
    ...(validation ? { validation } : {}),
    account(role) {
      let view = views.get(role);
      if (!view) {
        const client = accounts[role];
        if (!client) throw new CheckSkip(missingAccountReason(role));
        view = client.withRecorder(recorder);
        views.set(role, view);
      }
      return view;
    },
    name(kind) {
      counter++;
      return `${prefix}${kind}-${counter}-${randomBytes(2).toString('hex')}`;
    },
    defer(description, fn) {
      cleanups.push({ description, fn });
    },
    note(text) {
      notes.push(text);
    },
  };
  return {
    ctx,
    notes,
    async cleanup(timeoutMs) {
      const failures: string[] = [];
      while (cleanups.length) {
        const c = cleanups.pop()!;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            c.fn(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`took longer than ${timeoutMs} ms`)), timeoutMs))),
          ]);
        } catch (e) {
          failures.push(`cleanup "${c.description}" failed: ${(e as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
      return failures;
    },
  };
}
