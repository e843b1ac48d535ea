/**
 * Steps shared by the Orchestration checks: stack creation asserting what the
 * gabbi tests assert of it (201 and a Location naming the stack), its removal
 * registered at once, and the wait for a stack status (gabbi's poll). Registers
 * no check itself.
 */
import { CheckSkip, type CheckContext, type ComputeReferences } from '../../src/check/api.js';
import { fail } from '../../src/check/expect.js';
import { CloudError } from '../../src/cloud/types.js';
import { resolveComputeReferences } from '../../src/services/compute-refs.js';
import { OrchestrationClient, type Stack, type StackBody } from '../../src/services/orchestration.js';
import { deleteStackAndWait } from '../../src/services/orchestration-sweep.js';
import { waitFor } from '../../src/services/wait.js';

/**
 * gabbi polls 10 times, 2 s apart; a slow but conforming cloud must not fail on
 * the harness's patience, so stacks get this long to settle.
 */
export const STACK_TIMEOUT_MS = 300_000;
export const CHECK_TIMEOUT_MS = 600_000;

export function heatClient(ctx: CheckContext): OrchestrationClient {
  return new OrchestrationClient(ctx.account('primary'), ctx.signal);
}

export interface CreatedStack {
  name: string;
  id: string;
  /** `stacks/<name>/<id>` */
  path: string;
}

/**
 * POST /stacks: 201 with a Location header matching `/stacks/<name>/<id>`, as the
 * gabbi tests check; the stack's deletion is registered at once.
 */
export async function createStack(ctx: CheckContext, heat: OrchestrationClient, body: StackBody & { stack_name: string }): Promise<CreatedStack> {
  const reply = await heat.createStack(body);
  const id = reply.body.stack.id;
  const name = body.stack_name;
  ctx.defer(`delete stack ${name}`, () => deleteStackAndWait(heat, name, id));
  const location = reply.headers['location'];
  const pattern = new RegExp(`/stacks/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[a-f0-9-]+`);
  if (!location || !pattern.test(location)) {
    fail(`POST /stacks: Location header ${location === undefined ? 'missing' : JSON.stringify(location)}, expected one matching ${String(pattern)}`);
  }
  return { name, id, path: OrchestrationClient.stackPath(name, id) };
}

/**
 * Polls GET /stacks/<name>/<id> until `status`; a *_FAILED status ends the wait at
 * once. When the status awaited is a failure (CREATE_FAILED), the same action
 * completing ends it instead, as the plugin's _wait_for_stack_status does.
 */
export async function waitForStackStatus(ctx: CheckContext, heat: OrchestrationClient, path: string, status: string): Promise<Stack> {
  const action = status.split('_')[0];
  const wrong = (s: string): boolean => (status.includes('FAILED') ? s.split('_')[0] === action && s.endsWith('_COMPLETE') : s.endsWith('_FAILED'));
  const { body } = await waitFor({
    what: `${path} to reach ${status}`,
    poll: () => heat.showStack(path),
    done: (r) => r.body.stack.stack_status === status,
    failed: (r) => (wrong(r.body.stack.stack_status) ? `${r.body.stack.stack_status}: ${String(r.body.stack.stack_status_reason ?? '')}` : undefined),
    describe: (r) => r.body.stack.stack_status,
    timeoutMs: STACK_TIMEOUT_MS,
    maxDelayMs: 2000,
    signal: ctx.signal,
  });
  return body.stack;
}

/** The one-resource template of the gabbi files (an OS::Heat::TestResource echoing a parameter). */
export function testResourceTemplate(version: string, opts: { defaultValue?: string; updateWait?: boolean; output?: boolean } = {}): Record<string, unknown> {
  const param: Record<string, unknown> = { type: 'string' };
  if (opts.defaultValue !== undefined) param.default = opts.defaultValue;
  const properties: Record<string, unknown> = { value: { get_param: 'test_val' } };
  if (opts.updateWait) properties.action_wait_secs = { update: 1 };
  const template: Record<string, unknown> = {
    heat_template_version: version,
    parameters: { test_val: param },
    resources: { test: { type: 'OS::Heat::TestResource', properties } },
  };
  if (opts.output !== false) template.outputs = { output_value: { value: { get_attr: ['test', 'output'] } } };
  return template;
}

/** The plugin's [heat_plugin] build_timeout (1200 s), sent as the stack's timeout_mins. */
const BUILD_TIMEOUT_MINS = 20;

/**
 * functional_base.stack_create: POST /stacks (201) with the plugin's defaults,
 * deletion registered at once, then wait for CREATE_COMPLETE. Unlike the gabbi
 * tests, the functional ones assert nothing of the Location header.
 */
export async function stackCreate(
  ctx: CheckContext,
  heat: OrchestrationClient,
  opts: { template: unknown; parameters?: Record<string, unknown>; tags?: string; files?: Record<string, string>; environment?: Record<string, unknown>; name?: string },
): Promise<CreatedStack> {
  const name = opts.name ?? ctx.name('stack');
  const body: StackBody = {
    stack_name: name,
    template: opts.template,
    files: opts.files ?? {},
    disable_rollback: true,
    parameters: opts.parameters ?? {},
    environment: opts.environment ?? {},
    timeout_mins: BUILD_TIMEOUT_MINS,
  };
  if (opts.tags !== undefined) body.tags = opts.tags;
  const reply = await heat.createStack(body);
  const id = reply.body.stack.id;
  ctx.defer(`delete stack ${name}`, () => deleteStackAndWait(heat, name, id));
  const stack = { name, id, path: OrchestrationClient.stackPath(name, id) };
  await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  return stack;
}

/** functional_base.update_stack: PUT (202), then wait for UPDATE_COMPLETE. */
export async function stackUpdate(ctx: CheckContext, heat: OrchestrationClient, stack: CreatedStack, opts: { template: unknown; parameters?: Record<string, unknown>; tags?: string }): Promise<void> {
  const body: StackBody = { template: opts.template, files: {}, disable_rollback: true, parameters: opts.parameters ?? {}, environment: {} };
  if (opts.tags !== undefined) body.tags = opts.tags;
  await heat.updateStack(stack.path, body);
  await waitForStackStatus(ctx, heat, stack.path, 'UPDATE_COMPLETE');
}

/**
 * The run's compute references for stacks that boot servers (the plugin's
 * image_ref/minimal_image_ref, instance_type/minimal_instance_type and
 * fixed_network_name): those the runner resolved before the run (checks declaring
 * needsCompute get them), or for a check run on its own the same discovery. A cloud
 * that offers none skips the check with the reason.
 */
export async function stackComputeRefs(ctx: CheckContext): Promise<ComputeReferences> {
  if (ctx.computeReferences) return ctx.computeReferences;
  try {
    return (await resolveComputeReferences(ctx.account('primary'))).refs;
  } catch (err) {
    if (err instanceof CloudError && err.code === 'config') throw new CheckSkip(err.message);
    throw err;
  }
}
