/**
 * The two outcomes a check, a service client or a guest connection can throw
 * besides an error: the cloud did not conform (fail) or the check cannot run here
 * (skip). Service clients assert protocol rules and throw CheckFailure, so the
 * class lives below them; src/check/api.ts re-exports both for checks.
 */

/** The cloud did not conform: the check's assertion failed. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The check cannot run here (account not configured, needs a data plane…). */
export class CheckSkip extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckSkip';
  }
}
