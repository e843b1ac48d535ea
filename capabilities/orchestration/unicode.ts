/**
 * heat-tempest-plugin 1.0.0, functional/test_unicode_template.StackUnicodeTemplateTest:
 * a template whose description, parameter, resource and output names are
 * Chinese is validated, previewed and created with those names intact.
 */
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import { CHECK_TIMEOUT_MS, heatClient } from './steps.js';
import { createStackThen } from './flow.js';

/** "This is a description", "parameter", "label", "resource", "output". */
const DESCRIPTION = '\u8fd9\u662f\u4e00\u4e2a\u63cf\u8ff0';
const PARAM = '\u53c2\u6570';
const LABEL = '\u6807\u7b7e';
const RESOURCE = '\u8d44\u6e90';
const OUTPUT = '\u8f93\u51fa';

const TEMPLATE = `
heat_template_version: 2014-10-16
description: ${DESCRIPTION}
parameters:
  ${PARAM}:
    type: number
    default: 10
    label: ${LABEL}
    description: ${DESCRIPTION}
resources:
  ${RESOURCE}:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: ${PARAM}}
outputs:
  ${OUTPUT}:
    description: ${DESCRIPTION}
    value: {get_attr: [${RESOURCE}, value]}
`;

function validated(value: number | undefined): Record<string, unknown> {
  return {
    Description: DESCRIPTION,
    Parameters: { [PARAM]: { Default: 10, ...(value === undefined ? {} : { Value: value }), Description: DESCRIPTION, Label: LABEL, NoEcho: 'false', Type: 'Number' } },
    Environment: { event_sinks: [], parameter_defaults: {}, parameters: value === undefined ? {} : { [PARAM]: value }, resource_registry: { resources: {} } },
  };
}

/** _assert_results: what preview and create both report of the stack. */
function expectStackFacts(stack: Record<string, unknown>, where: string): void {
  expectThat(stack['disable_rollback'] === true, `${where}: disable_rollback is ${JSON.stringify(stack['disable_rollback'])}, expected true`);
  expectThat(stack['parent'] === null, `${where}: parent is ${JSON.stringify(stack['parent'])}, expected null`);
  expectEqual(stack['template_description'], DESCRIPTION, `${where}: template_description`);
  expectEqual((stack['parameters'] as Record<string, unknown> | undefined)?.[PARAM], '10', `${where}: parameters.${PARAM}`);
}

tempestClass('heat_tempest_plugin.tests.functional.test_unicode_template.StackUnicodeTemplateTest', { timeoutMs: CHECK_TIMEOUT_MS })
  .test('test_template_validate_basic', '871cc5dd-7550-494d-8c6d-9d549a8c0305', async (ctx) => {
    const { body } = await heatClient(ctx).validateTemplate({ template: TEMPLATE });
    expectSameJson(body, validated(undefined), 'POST /validate');
  })
  .test('test_template_validate_override_default', 'e84c76b8-a5e5-45e7-9c4b-4c160d1c385f', async (ctx) => {
    const { body } = await heatClient(ctx).validateTemplate({ template: TEMPLATE, environment: { parameters: { [PARAM]: 5 } } });
    expectSameJson(body, validated(5), 'POST /validate with the parameter set in the environment');
  })
  .test('test_stack_preview', '66338945-a3ae-4e3a-aa17-ab802ceb00b1', async (ctx) => {
    const { body } = await heatClient(ctx).previewStack({ stack_name: ctx.name('stack'), template: TEMPLATE, disable_rollback: true });
    const stack = body.stack;
    expectStackFacts(stack, 'POST /stacks/preview');
    const first = (stack['resources'] as Array<Record<string, unknown>> | undefined)?.[0];
    if (!first) fail('POST /stacks/preview: no resources');
    expectEqual((first['resource_identity'] as Record<string, unknown> | undefined)?.['path'], `/resources/${String(first['resource_name'])}`, 'POST /stacks/preview: resources[0].resource_identity.path');
  })
  .test('test_create_stack', 'd2c4a10c-3cb4-4efd-889d-695a0acbd04f', async (ctx) => {
    const heat = heatClient(ctx);
    const stack = await createStackThen(ctx, heat, { template: TEMPLATE });
    const shown = (await heat.showStack(stack.path)).body.stack;
    expectStackFacts(shown, `GET ${stack.path}`);
    const output = shown.outputs?.[0];
    if (!output) fail(`GET ${stack.path}: no outputs`);
    expectEqual(output.description, DESCRIPTION, `GET ${stack.path}: outputs[0].description`);
    expectEqual(output.output_key, OUTPUT, `GET ${stack.path}: outputs[0].output_key`);
    expectThat(output.output_value !== undefined && output.output_value !== null, `GET ${stack.path}: outputs[0] has no output_value`);
    const resources = (await heat.listResources(stack.path)).body.resources;
    expectEqual(resources.length, 1, `GET ${stack.path}/resources: number of resources`);
    expectEqual(resources[0]!.resource_name, RESOURCE, `GET ${stack.path}/resources: resource_name`);
    expectEqual(resources[0]!.resource_type, 'OS::Heat::RandomString', `GET ${stack.path}/resources: resource_type`);
  });
