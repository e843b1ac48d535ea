/**
 * Runs one CheckDefinition the way the runner will: a CheckContext over given
 * CloudClients (name, defer, note, account, signal), cleanups last-in-first-out,
 * and the outcome mapped to a status. For unit and @cloud tests of checks.
 */
import { randomBytes } from 'node:crypto';
import {
  CheckFailure,
  CheckSkip,
  type AccountRole,
  type CheckContext,
  type CheckDefinition,
} from '../../src/check/api.js';
import type { CloudClient } from '../../src/cloud/types.js';

export interface HarnessOptions {
  accounts: Partial<Record<AccountRole, CloudClient>>;
  /** Run prefix (default `defcore-<6 hex>-`). */
  prefix?: string;
  timeoutMs?: number;
  /** Guest validation settings the check sees (ctx.validation). */
  validation?: CheckContext['validation'];
}

export interface HarnessResult {
  status: 'pass' | 'fail' | 'error' | 'skip';
  message: string;
  notes: string[];
  /** Failures of registered cleanups (never change `status`). */
  cleanupErrors: string[];
  durationMs: number;
}

/** A fresh run prefix, as the runner makes one per run. */
export function newPrefix(): string {
  return `defcore-${randomBytes(3).toString('hex')}-`;
}

export async function runCheck(def: CheckDefinition, opts: HarnessOptions): Promise<HarnessResult> {
  const prefix = opts.prefix ?? newPrefix();
  const notes: string[] = [];
  const cleanups: Array<{ description: string; fn: () => Promise<unknown> }> = [];
  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? def.timeoutMs ?? 60_000;
  let counter = 0;
  const ctx: CheckContext = {
    prefix,
    signal: controller.signal,
    ...(opts.validation ? { validation: opts.validation } : {}),
    account(role: AccountRole) {
      const client = opts.accounts[role];
      if (!client) throw new CheckSkip(`account "${role}" is not configured`);
      return client;
    },
    name(kind: string) {
      counter++;
      return `${prefix}${kind}-${String(counter).padStart(3, '0')}${randomBytes(3).toString('hex')}`;
    },
    defer(description, fn) {
      cleanups.push({ description, fn });
    },
    note(text) {
      notes.push(text);
    },
  };
  const started = Date.now();
  let status: HarnessResult['status'] = 'pass';
  let message = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    for (const role of def.accounts ?? []) ctx.account(role);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`deadline of ${timeoutMs} ms passed`));
        reject(new Error(`deadline of ${timeoutMs} ms passed`));
      }, timeoutMs);
    });
    await Promise.race([def.run(ctx), timeout]);
  } catch (err) {
    if (err instanceof CheckFailure) status = 'fail';
    else if (err instanceof CheckSkip) status = 'skip';
    else status = 'error';
    message = err instanceof Error ? err.message : String(err);
  } finally {
    if (timer) clearTimeout(timer);
  }
  const cleanupErrors: string[] = [];
  for (const c of cleanups.reverse()) {
    try {
      await c.fn();
    } catch (err) {
      cleanupErrors.push(`${c.description}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { status, message, notes, cleanupErrors, durationMs: Date.now() - started };
}
