/**
 * The negative-check form most checks use: a call that must be refused with a
 * given status, whose failure names what was attempted. Kept beside expect.ts
 * (rather than in it) because it needs the service layer's ProtocolFailure.
 */
import { expectRefused } from './expect.js';
import { ProtocolFailure, expectErrorStatus, type Reply } from '../services/protocol.js';

/**
 * Passes only when `call` is refused with `status` (or one of them); otherwise
 * fails with "<what> should be refused with <status>, got <actual>".
 */
export async function expectRefusal(status: number | readonly number[], what: string, call: () => Promise<Reply<unknown>>): Promise<Reply<unknown>> {
  try {
    return await expectErrorStatus(status, call);
  } catch (err) {
    if (err instanceof ProtocolFailure) expectRefused(err.reply, status, what);
    throw err;
  }
}
