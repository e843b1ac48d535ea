/**
 * Test support for the identity and image checks: running a registered check by
 * id through the shared harness (test/helpers/check-harness.ts).
 */
import { findCheck, type AccountRole, type CheckDefinition } from '../../src/check/api.js';
import type { CloudClient } from '../../src/cloud/types.js';
import { runCheck, type HarnessResult } from '../helpers/check-harness.js';

/** The registered check with `id`; throws when the capability module did not register it. */
export function checkById(id: string): CheckDefinition {
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  return def;
}

/** Runs the check registered for `id` with the given accounts. */
export function runById(
  id: string,
  accounts: Partial<Record<AccountRole, CloudClient>>,
  prefix?: string,
): Promise<HarnessResult> {
  return runCheck(checkById(id), { accounts, ...(prefix ? { prefix } : {}) });
}
