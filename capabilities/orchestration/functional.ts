/**
 * Native checks for heat-tempest-plugin's functional tests (plugin 1.0.0) that
 * drive stacks of OS::Heat::TestResource through the API: TemplateAPITest,
 * ResourcesList and StackTagTest. Stacks are created and awaited as the plugin's
 * functional_base does and deleted afterwards.
 */
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import { CHECK_TIMEOUT_MS, heatClient, stackCreate, stackUpdate } from './steps.js';

// --- test_templates.TemplateAPITest ----------------------------------------------

const templateAPI = tempestClass('heat_tempest_plugin.tests.functional.test_templates.TemplateAPITest');
const TEMPLATE_API_TEMPLATE = {
  heat_template_version: '2014-10-16',
  description: 'Test Template APIs',
  resources: { test1: { type: 'OS::Heat::TestResource', properties: { update_replace: false, wait_secs: 0, value: 'Test1', fail: false } } },
};

templateAPI.test('test_get_stack_template', 'ac6ebc41-bd6a-4df4-80e5-f4b9ae3b5506', async (ctx) => {
  const heat = heatClient(ctx);
  const stack = await stackCreate(ctx, heat, { template: TEMPLATE_API_TEMPLATE });
  const { body } = await heat.getTemplate(stack.path);
  expectSameJson(body, TEMPLATE_API_TEMPLATE, `GET ${stack.path}/template`);
}, { timeoutMs: CHECK_TIMEOUT_MS });

templateAPI.test('test_resource_types', '9f9a2fc0-f029-4d1f-a2eb-f019b9f75944', async (ctx) => {
  const { body } = await heatClient(ctx).listResourceTypes();
  // heatclient wraps plain names (and objects with resource_type) alike.
  const names = body.resource_types.map((t) => (typeof t === 'string' ? t : (t as { resource_type?: unknown } | null)?.resource_type));
  expectThat(names.includes('OS::Heat::TestResource'), 'GET /resource_types: OS::Heat::TestResource is not listed');
});

templateAPI.test('test_show_resource_template', 'fafbdcd0-eec3-4e6f-9c88-1e4835d085cf', async (ctx) => {
  const { body } = await heatClient(ctx).showResourceType('OS::Heat::TestResource');
  expectEqual(body['resource_type'], 'OS::Heat::TestResource', 'GET /resource_types/OS::Heat::TestResource: resource_type');
});

// --- test_resources_list.ResourcesList ---------------------------------------------

const resourcesList = tempestClass('heat_tempest_plugin.tests.functional.test_resources_list.ResourcesList', { timeoutMs: CHECK_TIMEOUT_MS });
const DEPEND_TEMPLATE = {
  heat_template_version: '2013-05-23',
  resources: {
    test1: { type: 'OS::Heat::TestResource', properties: { value: 'Test1' } },
    test2: { type: 'OS::Heat::TestResource', depends_on: ['test1'], properties: { value: 'Test2' } },
  },
};

async function onlyResource(ctx: Parameters<typeof heatClient>[0], name: string) {
  const heat = heatClient(ctx);
  const stack = await stackCreate(ctx, heat, { template: DEPEND_TEMPLATE });
  const { body } = await heat.listResources(stack.path, { name });
  if (body.resources.length !== 1) fail(`GET ${stack.path}/resources?name=${name}: expected exactly 1 resource, got ${body.resources.length}`);
  return { stack, resource: body.resources[0]! };
}

resourcesList.test('test_filtering_with_depend', 'b65b5c82-68b0-42c9-82a0-c0e74e9ad906', async (ctx) => {
  const { stack, resource } = await onlyResource(ctx, 'test2');
  expectEqual(resource.resource_status, 'CREATE_COMPLETE', `GET ${stack.path}/resources?name=test2: resource_status`);
});

resourcesList.test('test_required_by', '97a65d53-b449-4a43-8283-42d43b165756', async (ctx) => {
  const { stack, resource } = await onlyResource(ctx, 'test1');
  expectEqual(resource.required_by, ['test2'], `GET ${stack.path}/resources?name=test1: required_by`);
});

// --- test_stack_tags.StackTagTest ----------------------------------------------

const stackTag = tempestClass('heat_tempest_plugin.tests.functional.test_stack_tags.StackTagTest', { timeoutMs: CHECK_TIMEOUT_MS });
const TAG_TEMPLATE = `
heat_template_version: 2014-10-16
description:
  foo
parameters:
  input:
    type: string
    default: test
resources:
  not-used:
    type: OS::Heat::TestResource
    properties:
      wait_secs: 1
      value: {get_param: input}
`;
/** The plugin's [heat_plugin] hidden_stack_tag default (Heat's hidden_stack_tags default). */
export const HIDDEN_STACK_TAG = 'data-processing-cluster';

stackTag.test('test_stack_tag', '67332e51-b427-42d5-ad8d-fd2ec334f361', async (ctx) => {
  const heat = heatClient(ctx);
  const stack = await stackCreate(ctx, heat, { template: TAG_TEMPLATE, tags: 'foo,bar' });
  const tagsNow = async () => (await heat.showStack(stack.path)).body.stack.tags ?? null;
  expectEqual(await tagsNow(), ['foo', 'bar'], `GET ${stack.path}: tags after creation`);
  await stackUpdate(ctx, heat, stack, { template: TAG_TEMPLATE, tags: 'tag1,tag2', parameters: { input: 'next' } });
  expectEqual(await tagsNow(), ['tag1', 'tag2'], `GET ${stack.path}: tags after updating them`);
  await stackUpdate(ctx, heat, stack, { template: TAG_TEMPLATE, parameters: { input: 'none' } });
  // The plugin asserted None until 1.1.0 (Heat ships since Train may answer [] instead):
  // no tags, in either form.
  const left = await tagsNow();
  expectThat(left === null || (Array.isArray(left) && left.length === 0), `GET ${stack.path}: tags after an update without tags: expected none, got ${JSON.stringify(left)}`);
});

stackTag.test('test_hidden_stack', '5ed79584-0684-4f9c-ae8e-44a8f874ec79', async (ctx) => {
  const heat = heatClient(ctx);
  const stack = await stackCreate(ctx, heat, { template: TAG_TEMPLATE, tags: `foo,${HIDDEN_STACK_TAG}` });
  const { body } = await heat.listStacks();
  // The plugin looks for 'hidden' in each listed stack's tags in a project holding only
  // its hidden stack: what it asserts is that the hidden stack is not listed.
  expectThat(!body.stacks.some((s) => s.id === stack.id), `GET /stacks lists the stack tagged ${HIDDEN_STACK_TAG}, which must be hidden`);
  for (const s of body.stacks) expectThat(!(s.tags ?? []).includes('hidden'), `GET /stacks: stack ${s.stack_name} is tagged hidden`);
});
