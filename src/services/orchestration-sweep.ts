/**
 * Orchestration leftovers of a run: every stack of the caller's project whose name
 * starts with the run prefix is deleted (Heat deletes what it created) and awaited
 * until it is gone or DELETE_COMPLETE.
 */
import type { CloudClient } from '../cloud/types.js';
import { OrchestrationClient, type Stack } from './orchestration.js';
import { UnexpectedStatus } from './protocol.js';
import { waitFor } from './wait.js';

const GONE_TIMEOUT_MS = 300_000;

/** The stack's status, or undefined once it answers 404 or is DELETE_COMPLETE. */
async function remaining(heat: OrchestrationClient, path: string): Promise<string | undefined> {
  try {
    const { body } = await heat.showStack(path);
    return body.stack.stack_status === 'DELETE_COMPLETE' ? undefined : body.stack.stack_status;
  } catch (err) {
    if (err instanceof UnexpectedStatus && err.reply.status === 404) return undefined;
    throw err;
  }
}

/**
 * Deletes a stack once no action is in progress on it, then waits until it is
 * gone; a DELETE_FAILED is retried once, then reported.
 */
export async function deleteStackAndWait(heat: OrchestrationClient, name: string, id: string, signal?: AbortSignal): Promise<boolean> {
  const path = OrchestrationClient.stackPath(name, id);
  const opts = { timeoutMs: GONE_TIMEOUT_MS, maxDelayMs: 2000, ...(signal ? { signal } : {}) };
  await waitFor({ what: `stack ${name} to settle before its deletion`, poll: () => remaining(heat, path), done: (s) => s === undefined || !s.endsWith('_IN_PROGRESS'), ...opts });
  for (let attempt = 0; attempt < 2; attempt++) {
    // already gone (a check's own cleanup got there first): nothing was removed here
    if ((await remaining(heat, path)) === undefined) return attempt > 0;
    try {
      await heat.deleteStack(path);
    } catch (err) {
      if (!(err instanceof UnexpectedStatus && err.reply.status === 404)) throw err;
    }
    const last = await waitFor({ what: `stack ${name} to be deleted`, poll: () => remaining(heat, path), done: (s) => s === undefined || s === 'DELETE_FAILED', describe: (s) => String(s), ...opts });
    if (last === undefined) return true;
  }
  throw new Error(`stack ${name} (${id}) stays DELETE_FAILED`);
}

/** Deletes the project's stacks named with `prefix`; returns what it removed. */
export async function sweepStacks(client: CloudClient, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('orchestration sweep needs a non-empty prefix');
  const heat = new OrchestrationClient(client);
  const { body } = await heat.listStacks();
  const removed: string[] = [];
  const failures: string[] = [];
  // Heat still lists a stack for a moment after its deletion completed: not a leftover.
  for (const s of body.stacks.filter((x: Stack) => x.stack_name.startsWith(prefix) && x.stack_status !== 'DELETE_COMPLETE')) {
    try {
      if (await deleteStackAndWait(heat, s.stack_name, s.id)) removed.push(`stack ${s.stack_name} (${s.id})`);
    } catch (err) {
      failures.push(`stack ${s.stack_name} (${s.id}): ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`removed ${removed.length}, but ${failures.join('; ')}`);
  return removed;
}
