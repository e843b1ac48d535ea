/**
 * heat-tempest-plugin 1.0.0, functional/test_hooks.HooksTest: breakpoints set in
 * the environment's resource_registry pause a resource before its create or
 * update (an event says so, the resource status stays), a signal with
 * unset_hook clears them (another event), and the action then completes —
 * replacing the resource or not as the update demands. Also for a resource of
 * a nested stack and for a wildcard name.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import type { OrchestrationClient } from '../../src/services/orchestration.js';
import { CHECK_TIMEOUT_MS, heatClient, waitForStackStatus } from './steps.js';
import { createStackThen, nestedStack, updateStackThen, waitForEvent, waitForResource } from './flow.js';

type Hook = 'pre-create' | 'pre-update';

/** Three random strings created one after the other. */
function chain(): Record<string, unknown> {
  return {
    heat_template_version: '2014-10-16',
    resources: {
      rand_step1: { type: 'OS::Heat::RandomString' },
      rand_step2: { type: 'OS::Heat::RandomString', depends_on: 'rand_step1' },
      rand_step3: { type: 'OS::Heat::RandomString', depends_on: 'rand_step2' },
    },
  };
}

const hookOn = (resource: string, hook: Hook) => ({ resource_registry: { resources: { [resource]: { hooks: hook } } } });
const action = (hook: Hook) => (hook === 'pre-create' ? 'CREATE' : 'UPDATE');

/**
 * The resource meets the hook: an event says the action is paused, with the
 * resource in `status`; a signal clears the hook and another event says so,
 * the resource still in `status`. `status` undefined: the events' statuses are
 * not asserted (the wildcard test does not).
 */
async function passHook(ctx: CheckContext, heat: OrchestrationClient, path: string, resource: string, hook: Hook, status: string | undefined): Promise<void> {
  const paused = await waitForEvent(ctx, heat, path, resource, `${action(hook)} paused until Hook ${hook} is cleared`);
  if (status) expectEqual(paused.resource_status, status, `${path}: status of ${resource} in the event of its pause`);
  await heat.signalResource(path, resource, { unset_hook: hook });
  const cleared = await waitForEvent(ctx, heat, path, resource, `Hook ${hook} is cleared`);
  if (status) expectEqual(cleared.resource_status, status, `${path}: status of ${resource} in the event of its hook cleared`);
}

/**
 * A stack created with a pre-update hook on `resource`, updated from `before` to
 * `after`: the update pauses at the hook with the resource still CREATE_COMPLETE
 * and goes on once it is cleared. Answers the resource's physical id before the
 * update and the stack's path.
 */
async function pausedUpdate(ctx: CheckContext, before: Record<string, unknown>, after: Record<string, unknown>, resource: string): Promise<{ first: string | undefined; path: string }> {
  const heat = heatClient(ctx);
  const environment = hookOn(resource, 'pre-update');
  const stack = await createStackThen(ctx, heat, { template: before, environment });
  const first = (await heat.showResource(stack.path, resource)).body.resource.physical_resource_id;
  await updateStackThen(ctx, heat, stack, { template: after, environment }, 'UPDATE_IN_PROGRESS');
  await waitForResource(ctx, heat, stack.path, resource, 'CREATE_COMPLETE');
  await passHook(ctx, heat, stack.path, resource, 'pre-update', 'CREATE_COMPLETE');
  return { first, path: stack.path };
}

tempestClass('heat_tempest_plugin.tests.functional.test_hooks.HooksTest', { timeoutMs: CHECK_TIMEOUT_MS })
  .test('test_hook_pre_create', 'f14cbe86-0392-474a-9f28-bb561745698d', async (ctx) => {
    const heat = heatClient(ctx);
    const stack = await createStackThen(ctx, heat, { template: chain(), environment: hookOn('rand_step2', 'pre-create') }, 'CREATE_IN_PROGRESS');
    await waitForResource(ctx, heat, stack.path, 'rand_step1', 'CREATE_COMPLETE');
    await waitForResource(ctx, heat, stack.path, 'rand_step2', 'INIT_COMPLETE');
    await passHook(ctx, heat, stack.path, 'rand_step2', 'pre-create', 'INIT_COMPLETE');
    await waitForResource(ctx, heat, stack.path, 'rand_step2', 'CREATE_COMPLETE');
    await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  })
  .test('test_hook_pre_update_nochange', '75009076-96eb-43af-b4df-f002704737d2', async (ctx) => {
    const heat = heatClient(ctx);
    const { first: before, path } = await pausedUpdate(ctx, chain(), chain(), 'rand_step2');
    await waitForResource(ctx, heat, path, 'rand_step2', 'CREATE_COMPLETE');
    await waitForStackStatus(ctx, heat, path, 'UPDATE_COMPLETE');
    const after = (await heat.showResource(path, 'rand_step2')).body.resource.physical_resource_id;
    expectEqual(after, before, `${path}: physical_resource_id of rand_step2 after an update changing nothing`);
  })
  .test('test_hook_pre_update_replace', '9f03d1e0-a2d2-42fc-a9c6-47db05b9c8ed', async (ctx) => {
    const heat = heatClient(ctx);
    const changed = chain();
    (changed['resources'] as Record<string, Record<string, unknown>>)['rand_step2']!['properties'] = { length: 10 };
    const { first: before, path } = await pausedUpdate(ctx, chain(), changed, 'rand_step2');
    await waitForResource(ctx, heat, path, 'rand_step2', 'CREATE_COMPLETE');
    await waitForStackStatus(ctx, heat, path, 'UPDATE_COMPLETE');
    const after = (await heat.showResource(path, 'rand_step2')).body.resource.physical_resource_id;
    expectThat(after !== before, `${path}: physical_resource_id of rand_step2 is still ${JSON.stringify(before)} after an update replacing it`);
  })
  .test('test_hook_pre_update_in_place', '15c4f97d-5e06-40c6-83af-0e57d5afaff9', async (ctx) => {
    const heat = heatClient(ctx);
    const group = (count: number) => ({
      heat_template_version: '2014-10-16',
      resources: { group: { type: 'OS::Heat::ResourceGroup', properties: { count, resource_def: { type: 'OS::Heat::RandomString' } } } },
    });
    const { first: before, path } = await pausedUpdate(ctx, group(1), group(2), 'group');
    await waitForStackStatus(ctx, heat, path, 'UPDATE_COMPLETE');
    const after = (await heat.showResource(path, 'group')).body.resource.physical_resource_id;
    expectEqual(after, before, `${path}: physical_resource_id of the group after an update in place`);
  })
  .test('test_hook_pre_create_nested', '7d96b5f4-4aba-493d-b098-4beea4654a2b', async (ctx) => {
    const heat = heatClient(ctx);
    const template = { heat_template_version: '2014-10-16', resources: { inner: { type: 'inner.yaml' } } };
    const environment = { resource_registry: { resources: { inner: { rand_step2: { hooks: 'pre-create' } } } } };
    const stack = await createStackThen(ctx, heat, { template, environment, files: { 'inner.yaml': JSON.stringify(chain()) } }, 'CREATE_IN_PROGRESS');
    await waitForResource(ctx, heat, stack.path, 'inner', 'CREATE_IN_PROGRESS');
    const nested = await nestedStack(ctx, heat, stack, 'inner');
    await waitForResource(ctx, heat, nested.path, 'rand_step1', 'CREATE_COMPLETE');
    await waitForResource(ctx, heat, nested.path, 'rand_step2', 'INIT_COMPLETE');
    await passHook(ctx, heat, nested.path, 'rand_step2', 'pre-create', 'INIT_COMPLETE');
    await waitForResource(ctx, heat, nested.path, 'rand_step2', 'CREATE_COMPLETE');
    await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  })
  .test('test_hook_pre_create_wildcard', 'cffc0783-3add-4f0c-ac66-03c90f6feeb0', async (ctx) => {
    const heat = heatClient(ctx);
    const stack = await createStackThen(ctx, heat, { template: chain(), environment: hookOn('rand_*', 'pre-create') }, 'CREATE_IN_PROGRESS');
    for (const step of ['rand_step1', 'rand_step2', 'rand_step3']) {
      await waitForResource(ctx, heat, stack.path, step, 'INIT_COMPLETE');
      await passHook(ctx, heat, stack.path, step, 'pre-create', undefined);
    }
    await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  });
