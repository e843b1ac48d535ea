/**
 * Steps of heat-tempest-plugin's functional base beyond steps.ts: creating or
 * updating a stack and choosing what to wait for (or nothing), waiting for one
 * resource's status, for an event with a given reason, and finding the stack
 * behind a nested-stack resource. Registers no check itself.
 */
import type { CheckContext } from '../../src/check/api.js';
import { fail } from '../../src/check/expect.js';
import { ProtocolFailure } from '../../src/services/protocol.js';
import { OrchestrationClient, type Resource, type StackBody, type StackEvent } from '../../src/services/orchestration.js';
import { deleteStackAndWait } from '../../src/services/orchestration-sweep.js';
import { waitFor } from '../../src/services/wait.js';
import { STACK_TIMEOUT_MS, waitForStackStatus, type CreatedStack } from './steps.js';

/**
 * How long the waits of this file (a resource's status, an event, a nested
 * stack's link) last: Heat's pace, as for stacks (steps.ts). Unit tests shorten
 * it so that a fake Heat that never gets there fails the check, not its deadline.
 */
export const FLOW_WAIT = { timeoutMs: STACK_TIMEOUT_MS };

export interface StackSpec {
  template: unknown;
  files?: Record<string, string>;
  parameters?: Record<string, unknown>;
  environment?: Record<string, unknown>;
}

/**
 * stack_create: POST /stacks (deletion registered at once), then wait for
 * `expect` (CREATE_COMPLETE unless told; null waits for nothing).
 */
export async function createStackThen(ctx: CheckContext, heat: OrchestrationClient, spec: StackSpec & { timeoutMins?: number }, expect: string | null = 'CREATE_COMPLETE'): Promise<CreatedStack> {
  const name = ctx.name('stack');
  const reply = await heat.createStack({
    stack_name: name,
    template: spec.template,
    files: spec.files ?? {},
    disable_rollback: true,
    parameters: spec.parameters ?? {},
    environment: spec.environment ?? {},
    timeout_mins: spec.timeoutMins ?? 20,
  });
  const id = reply.body.stack.id;
  // The plugin's cleanup (a test-level addCleanup deleting and awaiting the deletion)
  // fails the test when the stack cannot be deleted.
  ctx.defer(`delete stack ${name}`, () => deleteStackAndWait(heat, name, id), { asserted: true });
  const stack = { name, id, path: OrchestrationClient.stackPath(name, id) };
  if (expect) await waitForStackStatus(ctx, heat, stack.path, expect);
  return stack;
}

/** update_stack: PUT (202) with the whole spec, then wait for `expect` (UPDATE_COMPLETE unless told). */
export async function updateStackThen(ctx: CheckContext, heat: OrchestrationClient, stack: { path: string }, spec: StackSpec, expect = 'UPDATE_COMPLETE'): Promise<void> {
  const body: StackBody = { template: spec.template, files: spec.files ?? {}, disable_rollback: true, parameters: spec.parameters ?? {}, environment: spec.environment ?? {} };
  await heat.updateStack(stack.path, body);
  await waitForStackStatus(ctx, heat, stack.path, expect);
}

/**
 * _wait_for_resource_status: polls the resource until `status`; a FAILED status
 * of the same action ends the wait at once. A resource not there yet is waited for.
 */
export async function waitForResource(ctx: CheckContext, heat: OrchestrationClient, path: string, resource: string, status: string): Promise<Resource> {
  const action = status.split('_')[0];
  const found = await waitFor<Resource | undefined>({
    what: `resource ${resource} of ${path} to reach ${status}`,
    poll: async () => {
      try {
        return (await heat.showResource(path, resource)).body.resource;
      } catch (err) {
        if (err instanceof ProtocolFailure && err.reply.status === 404) return undefined;
        throw err;
      }
    },
    done: (r) => r?.resource_status === status,
    failed: (r) => (r && r.resource_status.split('_')[0] === action && r.resource_status.endsWith('_FAILED') ? `${r.resource_status}: ${String(r.resource_status_reason ?? '')}` : undefined),
    describe: (r) => r?.resource_status ?? 'not found',
    timeoutMs: FLOW_WAIT.timeoutMs,
    maxDelayMs: 2000,
    signal: ctx.signal,
  });
  return found!;
}

/**
 * wait_for_event_with_reason: polls the resource's events until exactly one has
 * `reason` as its status reason, and returns it.
 */
export async function waitForEvent(ctx: CheckContext, heat: OrchestrationClient, path: string, resource: string, reason: string): Promise<StackEvent> {
  const events = await waitFor<StackEvent[]>({
    what: `an event of ${resource} in ${path} with reason "${reason}"`,
    poll: async () => {
      try {
        return (await heat.listResourceEvents(path, resource)).body.events.filter((e) => e.resource_status_reason === reason);
      } catch (err) {
        if (err instanceof ProtocolFailure && err.reply.status === 404) return [];
        throw err;
      }
    },
    done: (m) => m.length === 1,
    describe: (m) => `${m.length} such events`,
    timeoutMs: FLOW_WAIT.timeoutMs,
    maxDelayMs: 2000,
    signal: ctx.signal,
  });
  return events[0]!;
}

/**
 * assert_resource_is_a_stack(wait=True): until the deadline, the resource's
 * `nested` link must name the stack whose id is the resource's physical id,
 * that stack's name/id must be the link's, and its parent `stack`; the plugin
 * retries while any of this does not hold yet, and so does this, failing with
 * the last discrepancy. Answers the nested stack.
 */
export async function nestedStack(ctx: CheckContext, heat: OrchestrationClient, stack: CreatedStack, resource: string): Promise<CreatedStack> {
  type Found = { nested: CreatedStack } | { wrong: string };
  const probe = async (): Promise<Found> => {
    const res = (await heat.showResource(stack.path, resource)).body.resource;
    const link = ((res.links ?? []) as Array<{ rel: string; href: string }>).find((l) => l.rel === 'nested');
    if (!link) return { wrong: `resource ${resource} of ${stack.path} has no nested link` };
    const parts = link.href.split('/');
    const nestedId = decodeURIComponent(parts[parts.length - 1] ?? '');
    const nestedName = decodeURIComponent(parts[parts.length - 2] ?? '');
    if (res.physical_resource_id !== nestedId) return { wrong: `resource ${resource} of ${stack.path}: physical_resource_id ${JSON.stringify(res.physical_resource_id)} is not the id of its nested link ${link.href}` };
    const shown = (await heat.showStack(`stacks/${encodeURIComponent(nestedId)}`)).body.stack;
    if (`${shown.stack_name}/${shown.id}` !== `${nestedName}/${nestedId}`) return { wrong: `stack ${nestedId} is ${shown.stack_name}/${shown.id}, its nested link says ${nestedName}/${nestedId}` };
    if (shown['parent'] !== stack.id) return { wrong: `stack ${nestedId}: parent is ${JSON.stringify(shown['parent'])}, expected ${JSON.stringify(stack.id)}` };
    return { nested: { name: nestedName, id: nestedId, path: OrchestrationClient.stackPath(nestedName, nestedId) } };
  };
  let last: Found = { wrong: `resource ${resource} of ${stack.path} was not looked at` };
  try {
    await waitFor<Found>({
      what: `resource ${resource} of ${stack.path} to be its nested stack`,
      poll: async () => (last = await probe()),
      done: (f) => 'nested' in f,
      describe: (f) => ('wrong' in f ? f.wrong : 'found'),
      timeoutMs: FLOW_WAIT.timeoutMs,
      maxDelayMs: 2000,
      signal: ctx.signal,
    });
  } catch (err) {
    const seen = last as Found;
    if ('wrong' in seen && !ctx.signal.aborted) fail(seen.wrong);
    throw err;
  }
  const found = last as Found; // assigned by the poll
  if ('wrong' in found) fail(found.wrong);
  return found.nested;
}
