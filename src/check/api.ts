/**
 * The contract for native checks in capabilities/. A check file registers itself
 * with `registerCheck`; the runner finds checks by idempotent id.
 */
import type { CloudClient } from '../cloud/types.js';
import type { ResolvedValidation } from '../validation/resolve.js';
import type { AccountRole } from '../common/accounts.js';
import type { ComputeReferences } from '../common/compute-references.js';

// Shared with the layers below (cloud, services, validation); re-exported for checks.
export type { AccountRole } from '../common/accounts.js';
export type { ComputeReferences } from '../common/compute-references.js';
export { CheckFailure, CheckSkip } from '../common/failures.js';

export interface CheckContext {
  /** A client for that account; throws CheckSkip when the account is not configured. */
  account(role: AccountRole): CloudClient;
  /** A unique resource name carrying the run prefix, so leftovers are findable. */
  name(kind: string): string;
  /** The run prefix itself (e.g. `defcore-1a2b3c-`). */
  readonly prefix: string;
  /**
   * Registers the removal of something just created. Runs when the test ends,
   * fails or the run is interrupted, last registered first. A failing cleanup is
   * recorded and never hides the test's own outcome; with `asserted`, it also
   * fails a test that otherwise passed — for cleanups whose failure fails
   * Tempest's test (a test-level addCleanup that deletes and awaits the deletion),
   * as opposed to class-level resource_cleanup, which fails no test.
   */
  defer(description: string, fn: () => Promise<unknown>, options?: DeferOptions): void;
  /** Adds a line to the test's evidence. */
  note(text: string): void;
  /** Aborted when the test's deadline passes or the run is interrupted. */
  readonly signal: AbortSignal;
  /** The run's compute references, when the run resolved them (programs that boot servers). */
  readonly computeReferences?: ComputeReferences;
  /**
   * Guest validation (Tempest's run_validation): how to boot a server the harness can
   * log in to over SSH. Absent when the run was not configured for it; checks that
   * need a guest then skip.
   */
  readonly validation?: ResolvedValidation;
}

export interface DeferOptions {
  /** The cleanup's failure (an error, a deletion that never completes) fails a passing test. */
  asserted?: boolean;
}

export interface CheckDefinition {
  /** Bare idempotent uuid (no `id-`), lower case. */
  id: string;
  /** The Tempest test this check stands for (full dotted name). */
  test: string;
  /**
   * Earlier Tempest names of the same test (same idempotent id), by which schema
   * 1.2 guidelines, which give no ids, still name it.
   */
  aliases?: string[];
  /** Accounts used besides `primary`; missing ones skip the check with a reason. */
  accounts?: AccountRole[];
  /** Per-test deadline; the runner's default applies when absent. */
  timeoutMs?: number;
  /**
   * The check boots servers, itself or through another service (a Heat stack with an
   * OS::Nova::Server): the run resolves its compute references (image, flavor, network;
   * --image-ref, --flavor-ref, --fixed-network) and checks the quota before any test,
   * and hands them over as `ctx.computeReferences`. Tests of the Compute API need them
   * without saying so.
   */
  needsCompute?: boolean;
  /**
   * The test spends most of its time waiting on the cloud (an object's expiry, a
   * server's boot and resize): the runner starts such tests before the others, so that
   * the run does not end with one of them running alone (longest first).
   */
  startFirst?: boolean;
  run(ctx: CheckContext): Promise<void>;
}

const registry = new Map<string, CheckDefinition>();

export function registerCheck(def: CheckDefinition): void {
  const id = def.id.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new Error(`check for ${def.test}: malformed idempotent id "${def.id}"`);
  }
  const existing = registry.get(id);
  if (existing && existing !== def) {
    throw new Error(`check ${id} registered twice (${existing.test} and ${def.test})`);
  }
  registry.set(id, { ...def, id });
}

export function findCheck(id: string): CheckDefinition | undefined {
  return registry.get(id.toLowerCase());
}

export function registeredChecks(): CheckDefinition[] {
  return [...registry.values()];
}

/**
 * A check for a Tempest test that only schema 1.2 guidelines name, by name alone:
 * a subclass run of a test whose idempotent id its parent class owns (Tempest
 * gave both the same id), so it cannot be keyed by that id.
 */
export type NamedCheckDefinition = Omit<CheckDefinition, 'id'>;

const byName = new Map<string, NamedCheckDefinition>();

export function registerNamedCheck(def: NamedCheckDefinition): void {
  const existing = byName.get(def.test);
  if (existing && existing !== def) throw new Error(`check for ${def.test} registered twice by name`);
  byName.set(def.test, def);
}

export function registeredNamedChecks(): NamedCheckDefinition[] {
  return [...byName.values()];
}

/**
 * The check standing for a test a guideline selected: by its idempotent id, or
 * for a test named without one (schema 1.2), by name (see findCheckByName).
 */
export function findCheckForTest(test: { uuid?: string; name: string; aliases: readonly string[] }): NamedCheckDefinition | undefined {
  return test.uuid ? findCheck(test.uuid) : findCheckByName(test.name, test.aliases);
}

/**
 * The check standing for a test a guideline names without an idempotent id
 * (schema 1.2): a check registered by that name, else the check whose Tempest
 * name it is, else the one of an alias.
 */
export function findCheckByName(name: string, aliases: readonly string[] = []): NamedCheckDefinition | undefined {
  for (const n of [name, ...aliases]) {
    const named = byName.get(n);
    if (named) return named;
    for (const c of registry.values()) if (c.test === n || c.aliases?.includes(n)) return c;
  }
  return undefined;
}
