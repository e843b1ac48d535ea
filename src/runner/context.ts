/** The CheckContext a native check runs in: accounts, names, cleanups, evidence, deadline. */
import { randomBytes } from 'node:crypto';
import { CheckSkip, type AccountRole, type CheckContext, type ComputeReferences } from '../check/api.js';
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
  asserted: boolean;
}

/** A cleanup that threw or ran past its deadline. */
export interface CleanupFailure {
  /** `cleanup "<description>" failed: <why>`, for the evidence. */
  text: string;
  /** Registered with `asserted`: its failure fails a test that otherwise passed. */
  asserted: boolean;
  /** What it threw (a DeadlineError when it ran past the deadline). */
  error: unknown;
}

export interface TestScope {
  ctx: CheckContext;
  notes: string[];
  /**
   * Runs the registered cleanups, newest first, as long as an asserted one remains:
   * what is left afterwards cannot change the verdict. Returns the failures.
   */
  cleanupAsserted(timeoutMs: number): Promise<CleanupFailure[]>;
  /** Runs the (remaining) registered cleanups, newest first; returns the failures. */
  cleanup(timeoutMs: number): Promise<CleanupFailure[]>;
}

/** A check or a cleanup that ran past its deadline: the cloud did not finish in time. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** A fresh run prefix: every resource of the run carries it. */
export function newRunPrefix(): string {
  return `defcore-${randomBytes(3).toString('hex')}-`;
}

export interface ScopeExtras {
  /** The run's compute references, when it resolved them. */
  computeReferences?: ComputeReferences;
  /** Guest validation settings, when the run has them. */
  validation?: ResolvedValidation;
}

export function createScope(accounts: Accounts, prefix: string, recorder: ExchangeRecorder, signal: AbortSignal, extras: ScopeExtras = {}): TestScope {
  const notes: string[] = [];
  const cleanups: Cleanup[] = [];
  const views = new Map<AccountRole, CloudClient>();
  let counter = 0;
  const ctx: CheckContext = {
    prefix,
    signal,
    ...(extras.computeReferences ? { computeReferences: extras.computeReferences } : {}),
    ...(extras.validation ? { validation: extras.validation } : {}),
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
    defer(description, fn, options) {
      cleanups.push({ description, fn, asserted: options?.asserted === true });
    },
    note(text) {
      notes.push(text);
    },
  };
  /** Runs the newest cleanup while `more()` holds; returns the failures. */
  async function runWhile(more: () => boolean, timeoutMs: number): Promise<CleanupFailure[]> {
    const failures: CleanupFailure[] = [];
    while (cleanups.length && more()) {
      const c = cleanups.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.fn(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new DeadlineError(`took longer than ${timeoutMs} ms`)), timeoutMs))),
        ]);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        failures.push({ text: `cleanup "${c.description}" failed: ${why}`, asserted: c.asserted, error: e });
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
  return {
    ctx,
    notes,
    cleanupAsserted: (timeoutMs) => runWhile(() => cleanups.some((c) => c.asserted), timeoutMs),
    cleanup: (timeoutMs) => runWhile(() => true, timeoutMs),
  };
}
