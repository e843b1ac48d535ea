/**
 * Declaring the checks of one Tempest test class: the class name, deadline and
 * accounts are said once, and each test is its method name, idempotent id and
 * meaning, as in Tempest's own class body.
 */
import type { AccountRole, CheckContext } from './api.js';
import { registerCheck, registerNamedCheck } from './api.js';

/** What every test of the class shares (Tempest: the class's setup and credentials). */
export interface ClassOptions {
  /** Per-test deadline; the runner's default applies when absent. */
  timeoutMs?: number;
  /** Accounts the class's tests use besides `primary`. */
  accounts?: AccountRole[];
  /** The tests boot servers (see CheckDefinition.needsCompute). */
  needsCompute?: boolean;
  /** The tests mostly wait and start before the others (see CheckDefinition.startFirst). */
  startFirst?: boolean;
}

/** What one test adds to its class's options. */
export interface TestOptions extends ClassOptions {
  /** Earlier Tempest names of the same test (same idempotent id), for schema 1.2 guidelines. */
  aliases?: string[];
}

export type CheckBody = (ctx: CheckContext) => Promise<void>;

export interface TempestClass {
  /** The full dotted name of the class. */
  readonly name: string;
  /** A check for `<class>.<method>`, keyed by its idempotent id. */
  test(method: string, id: string, run: CheckBody, options?: TestOptions): TempestClass;
  /** A check for a test schema 1.2 guidelines name without an id (see registerNamedCheck). */
  named(method: string, run: CheckBody, options?: TestOptions): TempestClass;
}

function merge(cls: ClassOptions, own: TestOptions | undefined): TestOptions {
  const accounts = [...new Set([...(cls.accounts ?? []), ...(own?.accounts ?? [])])];
  const timeoutMs = own?.timeoutMs ?? cls.timeoutMs;
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(accounts.length ? { accounts } : {}),
    ...((own?.needsCompute ?? cls.needsCompute) ? { needsCompute: true } : {}),
    ...((own?.startFirst ?? cls.startFirst) ? { startFirst: true } : {}),
    ...(own?.aliases?.length ? { aliases: own.aliases } : {}),
  };
}

export function tempestClass(name: string, options: ClassOptions = {}): TempestClass {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(name)) throw new Error(`tempestClass: not a dotted class name: ${name}`);
  const cls: TempestClass = {
    name,
    test(method, id, run, own) {
      registerCheck({ id, test: `${name}.${method}`, ...merge(options, own), run });
      return cls;
    },
    named(method, run, own) {
      registerNamedCheck({ test: `${name}.${method}`, ...merge(options, own), run });
      return cls;
    },
  };
  return cls;
}
