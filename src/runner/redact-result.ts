/**
 * The last redaction before a result leaves the runner: a failure reason or note may quote
 * a response body (a cloud that echoes our token, a Keystone that echoes the password), and
 * every writer (results.json, subunit, report, junit, the terminal) takes results from here.
 */
import { redactText } from '../cloud/redact.js';
import type { TestResult } from '../results/model.js';
import type { Accounts } from './context.js';

/** Redacts text with every account's known secrets, then the generic rules. */
export function textRedactor(accounts: Accounts): (text: string) => string {
  const clients = Object.values(accounts).filter((c) => c !== undefined);
  return (text) => redactText(clients.reduce((t, c) => (c.redactText ? c.redactText(t) : t), text));
}

/** A copy of the result with its reason and notes redacted (exchanges were redacted when recorded). */
export function redactResult(r: TestResult, redact: (text: string) => string): TestResult {
  const out: TestResult = { ...r };
  if (r.reason !== undefined) out.reason = redact(r.reason);
  if (r.evidence) {
    out.evidence = {
      ...r.evidence,
      ...(r.evidence.notes ? { notes: r.evidence.notes.map(redact) } : {}),
    };
  }
  if (r.attempts) out.attempts = r.attempts.map((a) => redactResult({ name: r.name, ...a }, redact)).map(({ name: _n, ...a }) => a);
  return out;
}
