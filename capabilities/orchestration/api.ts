/**
 * Native checks for heat_tempest_plugin.tests.api.test_heat_api: the gabbi files
 * stacks, environments, resources, resourcetypes and templates (plugin 1.0.0,
 * contemporary with the 2020.06 Orchestration guideline). A gabbi file is one
 * sequence; each check here runs the steps its test depends on, then the test's
 * own request and assertions, and deletes its stacks afterwards.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import type { OrchestrationClient } from '../../src/services/orchestration.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { CHECK_TIMEOUT_MS, createStack, heatClient, testResourceTemplate, waitForStackStatus, type CreatedStack } from './steps.js';

const MOD = 'heat_tempest_plugin.tests.api.test_heat_api';

function check(id: string, test: string, run: (ctx: CheckContext, heat: OrchestrationClient) => Promise<void>): void {
  tempestClass(`${MOD}.${test}`, { timeoutMs: CHECK_TIMEOUT_MS }).test('test_request', id, (ctx) => run(ctx, heatClient(ctx)));
}

// --- stacks.yaml -------------------------------------------------------------

/** create empty stack → poll CREATE_COMPLETE. */
async function emptyStack(ctx: CheckContext, heat: OrchestrationClient): Promise<CreatedStack> {
  const stack = await createStack(ctx, heat, {
    files: {},
    disable_rollback: true,
    parameters: {},
    stack_name: `${ctx.name('api')}-empty`,
    environment: {},
    template: { heat_template_version: '2016-04-08' },
  });
  await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  return stack;
}

/** create stack (pike, one TestResource) → poll CREATE_COMPLETE → show stack (200). */
async function valueStack(ctx: CheckContext, heat: OrchestrationClient): Promise<CreatedStack> {
  const stack = await createStack(ctx, heat, {
    files: {},
    disable_rollback: true,
    parameters: { test_val: 'value' },
    stack_name: `${ctx.name('api')}-stack`,
    template: testResourceTemplate('pike'),
  });
  await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  await heat.showStack(stack.path);
  return stack;
}

async function updateValueStack(ctx: CheckContext, heat: OrchestrationClient, stack: CreatedStack): Promise<void> {
  await heat.updateStack(stack.path, {
    files: {},
    disable_rollback: true,
    parameters: { test_val: 'new_value' },
    stack_name: stack.name,
    template: testResourceTemplate('pike', { updateWait: true }),
  });
}

check('39c0245e-6055-41cf-9f0e-15adfe55ded6', 'stacks_stack_list', async (_ctx, heat) => {
  const reply = await heat.listStacks();
  const type = reply.headers['content-type'] ?? '';
  expectThat(type.includes('application/json'), `GET /stacks: content-type ${JSON.stringify(type)}, expected application/json`);
});

check('bde1b827-65fb-47ea-909f-82537e6260d3', 'stacks_create_empty_stack', async (ctx, heat) => {
  await createStack(ctx, heat, {
    files: {},
    disable_rollback: true,
    parameters: {},
    stack_name: `${ctx.name('api')}-empty`,
    environment: {},
    template: { heat_template_version: '2016-04-08' },
  });
});

check('89b233fe-0d55-4959-9289-0b5dabe4e4c9', 'stacks_show_empty_stack', async (ctx, heat) => {
  const stack = await emptyStack(ctx, heat);
  await heat.showStack(stack.path);
});

check('7eca55fe-8300-43b6-a6b8-fb2d99b51911', 'stacks_delete_empty_stack', async (ctx, heat) => {
  const stack = await emptyStack(ctx, heat);
  await heat.showStack(stack.path);
  await heat.deleteStack(stack.path);
});

check('6bb1ec02-dd19-4b2c-9a6d-866ce666650f', 'stacks_update_stack', async (ctx, heat) => {
  const stack = await valueStack(ctx, heat);
  await updateValueStack(ctx, heat, stack);
});

check('927cea42-a35b-4664-b209-ab2cb34e6ef4', 'stacks_patch_update_stack', async (ctx, heat) => {
  const stack = await valueStack(ctx, heat);
  await updateValueStack(ctx, heat, stack);
  await waitForStackStatus(ctx, heat, stack.path, 'UPDATE_COMPLETE');
  await heat.patchStack(stack.path, { parameters: { test_val: 'new_patched_value' } });
});

// --- environments.yaml -------------------------------------------------------

async function envStack(ctx: CheckContext, heat: OrchestrationClient): Promise<CreatedStack> {
  const stack = await createStack(ctx, heat, {
    files: {},
    disable_rollback: true,
    parameters: {},
    stack_name: `${ctx.name('api')}-envstack`,
    environment: { parameters: { test_val: 'test' } },
    template: testResourceTemplate('2016-04-08'),
  });
  return stack;
}

async function envStackOutput(ctx: CheckContext, heat: OrchestrationClient): Promise<CreatedStack> {
  const stack = await envStack(ctx, heat);
  await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
  const { body } = await heat.showOutput(stack.path, 'output_value');
  expectEqual(body.output.output_value, 'test', `GET ${stack.path}/outputs/output_value: $.output.output_value`);
  return stack;
}

check('8281d088-0c80-4071-a13d-333b309be6ca', 'environments_environment_with_parameter', async (ctx, heat) => {
  await envStack(ctx, heat);
});

check('f60dd8df-82d1-4228-8926-54d65ebd12e1', 'environments_get_stack_output', async (ctx, heat) => {
  await envStackOutput(ctx, heat);
});

check('0efde180-cc0e-4f2c-bb18-fa345e8d21ad', 'environments_delete_envstack', async (ctx, heat) => {
  const stack = await envStackOutput(ctx, heat);
  // By name alone, as the gabbi test does: Heat redirects to the stack, which is followed.
  await heat.deleteStack(`stacks/${encodeURIComponent(stack.name)}`);
});

// --- resources.yaml ----------------------------------------------------------

const UNHEALTHY_REASON = 'resource deleted';

/** The resources.yaml sequence up to (and including) step `upTo`. */
async function resourceSequence(ctx: CheckContext, heat: OrchestrationClient, upTo: number): Promise<CreatedStack> {
  const stack = await createStack(ctx, heat, {
    files: {},
    disable_rollback: true,
    parameters: {},
    stack_name: `${ctx.name('api')}-rsrcstack`,
    template: testResourceTemplate('2016-04-08', { defaultValue: 'test', output: false }),
  });
  const steps: Array<() => Promise<void>> = [
    async () => {
      await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
    },
    async () => {
      const { body } = await heat.listResources(stack.path);
      const first = body.resources[0];
      if (!first) fail(`GET ${stack.path}/resources: no resource listed`);
      expectEqual(first.logical_resource_id, 'test', `GET ${stack.path}/resources: $.resources[0].logical_resource_id`);
      expectEqual(first.resource_status, 'CREATE_COMPLETE', `GET ${stack.path}/resources: $.resources[0].resource_status`);
    },
    async () => {
      const { body } = await heat.listResources(stack.path, { type: 'OS::Nova::Server' });
      expectEqual(body.resources, [], `GET ${stack.path}/resources?type=OS::Nova::Server: $.resources`);
    },
    async () => {
      const { body } = await heat.showResource(stack.path, 'test');
      expectEqual(body.resource.attributes?.['output'], 'test', `GET ${stack.path}/resources/test: $.resource.attributes.output`);
    },
    async () => {
      await heat.markResource(stack.path, 'test', { mark_unhealthy: true, resource_status_reason: UNHEALTHY_REASON });
    },
    async () => {
      const { body } = await heat.showResource(stack.path, 'test');
      expectEqual(body.resource.resource_status, 'CHECK_FAILED', `GET ${stack.path}/resources/test after marking it unhealthy: $.resource.resource_status`);
      expectEqual(body.resource.resource_status_reason, UNHEALTHY_REASON, `GET ${stack.path}/resources/test after marking it unhealthy: $.resource.resource_status_reason`);
    },
    async () => {
      await expectErrorStatus(400, () => heat.signalResource(stack.path, 'test'));
    },
    async () => {
      await heat.deleteStack(`stacks/${encodeURIComponent(stack.name)}`);
    },
  ];
  for (const step of steps.slice(0, upTo)) await step();
  return stack;
}

check('947be7b2-503d-41f5-9843-61be50954f13', 'resources_create_stack_with_resources', (ctx, heat) => resourceSequence(ctx, heat, 0).then(() => undefined));
check('ec53f10d-a89a-4243-8706-629a01ea890f', 'resources_list_resources', (ctx, heat) => resourceSequence(ctx, heat, 2).then(() => undefined));
check('da07d3d2-9ccc-4fa1-9b1b-9cb3074fe9b9', 'resources_list_filtered_resources', (ctx, heat) => resourceSequence(ctx, heat, 3).then(() => undefined));
check('2cbcedc5-0aa7-454e-bf89-a3dd5d379dc1', 'resources_show_resource', (ctx, heat) => resourceSequence(ctx, heat, 4).then(() => undefined));
check('6031516b-3a8f-4d1b-8990-81a571b5f956', 'resources_mark_resource_unhealthy', (ctx, heat) => resourceSequence(ctx, heat, 5).then(() => undefined));
check('9e784490-2e88-49af-8ee7-c4c6aba2be64', 'resources_show_unhealthy_resource', (ctx, heat) => resourceSequence(ctx, heat, 6).then(() => undefined));
check('c65a047c-8c7b-4b44-9f5f-bf1069751c5c', 'resources_signal_resource', (ctx, heat) => resourceSequence(ctx, heat, 7).then(() => undefined));
check('0edc4fdc-811d-4d27-a0dd-6ec4db2bda6e', 'resources_delete_stack_with_resources', (ctx, heat) => resourceSequence(ctx, heat, 8).then(() => undefined));

// --- resourcetypes.yaml ------------------------------------------------------

const TEST_RESOURCE = 'OS::Heat::TestResource';

check('5b4db88b-d171-4400-b7a7-a7dc8f597d31', 'resourcetypes_list_resource_types', async (_ctx, heat) => {
  await heat.listResourceTypes();
});

check('cc05d1ef-17f1-430e-bea1-0f6766f7d0b4', 'resourcetypes_show_resource_type', async (_ctx, heat) => {
  const { body } = await heat.showResourceType(TEST_RESOURCE);
  const what = `GET /resource_types/${TEST_RESOURCE}`;
  expectEqual((body['support_status'] as { status?: unknown } | undefined)?.status, 'SUPPORTED', `${what}: $.support_status.status`);
  const props = body['properties'] as Record<string, { default?: unknown }> | undefined;
  expectEqual(props?.['wait_secs']?.default, 0, `${what}: $.properties.wait_secs.default`);
});

check('5a2164eb-645a-4245-acd7-b222a715fc09', 'resourcetypes_resource_type_template', async (_ctx, heat) => {
  const { body } = await heat.resourceTypeTemplate(TEST_RESOURCE, 'hot');
  const what = `GET /resource_types/${TEST_RESOURCE}/template?template_type=hot`;
  const resources = body['resources'] as Record<string, { type?: unknown }> | undefined;
  expectEqual(resources?.['TestResource']?.type, TEST_RESOURCE, `${what}: $.resources.TestResource.type`);
  const version = body['heat_template_version'];
  expectThat(typeof version === 'string' && /^20[1-9][0-9]-[0-1][0-9]-[0-3][0-9]$/.test(version), `${what}: $.heat_template_version ${JSON.stringify(version)} is not a dated HOT version`);
});

// --- templates.yaml ----------------------------------------------------------

check('cbc28c20-e740-43ef-a01b-b1a39f4a0db3', 'templates_list_template_versions', async (_ctx, heat) => {
  const { body } = await heat.listTemplateVersions();
  const found = body.template_versions.filter((v) => v.version === 'heat_template_version.2016-04-08');
  expectThat(found.length > 0, 'GET /template_versions: heat_template_version.2016-04-08 is not listed');
  expectEqual(found.length === 1 ? found[0]!.type : found.map((v) => v.type), 'hot', "GET /template_versions: type of heat_template_version.2016-04-08");
});

check('721ff23c-8527-480f-a090-1c915b4f8430', 'templates_list_template_functions', async (_ctx, heat) => {
  const { body } = await heat.listTemplateFunctions('heat_template_version.2016-04-08');
  const found = body.template_functions.filter((f) => f.functions === 'get_file');
  expectThat(found.length > 0, 'GET /template_versions/heat_template_version.2016-04-08/functions: get_file is not listed');
  expectEqual(found.length === 1 ? found[0]!.description : found.map((f) => f.description), 'A function for including a file inline.', 'GET /template_versions/heat_template_version.2016-04-08/functions: description of get_file');
});

check('f307139b-03d0-4006-92b7-81c86c949727', 'templates_template_validate', async (_ctx, heat) => {
  await heat.validateTemplate({ template: testResourceTemplate('2016-04-08') });
});
