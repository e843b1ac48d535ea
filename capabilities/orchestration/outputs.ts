/**
 * heat-tempest-plugin 1.0.0, functional/test_stack_outputs.StackOutputsTest: a
 * stack's outputs through the outputs API (list without values, show with the
 * value), after an update adding the resource an output reads, and an output of
 * a nested stack that cannot be resolved (reported as output_error, not failing
 * the stack).
 */
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import { CHECK_TIMEOUT_MS, heatClient } from './steps.js';
import { createStackThen, updateStackThen } from './flow.js';

const TWO_OUTPUTS = `
heat_template_version: 2015-10-15
resources:
  res_a:
    type: OS::Heat::TestResource
    properties:
      value: 'a'
  res_b:
    type: OS::Heat::TestResource
    properties:
      value: 'b'
outputs:
  out_a:
    description: 'Output of resource a'
    value: { get_attr: [res_a, output] }
  out_b:
    description: 'Output of resource b'
    value: { get_attr: [res_b, output] }
`;

const BEFORE = `
heat_template_version: 2015-10-15
resources:
  res_a:
    type: OS::Heat::TestResource
    properties:
      value: 'foo'
outputs:
`;

const AFTER = `
heat_template_version: 2015-10-15
resources:
  res_a:
    type: OS::Heat::TestResource
    properties:
      value: 'foo'
  res_b:
    type: OS::Heat::TestResource
    properties:
      value: {get_attr: [res_a, output]}
outputs:
  out_value:
    description: 'Output of resource b'
    value: {get_attr: [res_b, output]}
`;

const PARENT = `
heat_template_version: 2015-10-15
resources:
  parent:
    type: child.yaml
outputs:
  out_a:
    value: { get_attr: [parent, out_a] }
    description: 'parent a'
  out_b:
    value: { get_attr: [parent, out_b] }
    description: 'parent b'
`;

/** Like TWO_OUTPUTS, but out_b reads a parameter the template does not declare. */
const BROKEN_CHILD = TWO_OUTPUTS.replace('value: { get_attr: [res_b, output] }', 'value: { get_param: foo }');

const byKey = (list: Array<{ output_key: string }>) => [...list].sort((x, y) => (x.output_key < y.output_key ? -1 : x.output_key > y.output_key ? 1 : 0));

tempestClass('heat_tempest_plugin.tests.functional.test_stack_outputs.StackOutputsTest', { timeoutMs: CHECK_TIMEOUT_MS })
  .test('test_outputs', 'a886dd67-4506-4a37-82ae-43f0a7d83f35', async (ctx) => {
    const heat = heatClient(ctx);
    const stack = await createStackThen(ctx, heat, { template: TWO_OUTPUTS });
    const listed = (await heat.listOutputs(stack.path)).body.outputs;
    expectSameJson(
      byKey(listed),
      [
        { output_key: 'out_a', description: 'Output of resource a' },
        { output_key: 'out_b', description: 'Output of resource b' },
      ],
      `GET ${stack.path}/outputs`,
    );
    for (const [key, value, description] of [['out_a', 'a', 'Output of resource a'], ['out_b', 'b', 'Output of resource b']] as const) {
      const { body } = await heat.showOutput(stack.path, key);
      expectSameJson(body.output, { output_key: key, output_value: value, description }, `GET ${stack.path}/outputs/${key}`);
    }
  })
  .test('test_outputs_update_new_resource', 'aea0e495-4c77-4033-8c43-3351e9cb7b48', async (ctx) => {
    const heat = heatClient(ctx);
    const stack = await createStackThen(ctx, heat, { template: BEFORE });
    await updateStackThen(ctx, heat, stack, { template: AFTER });
    const { body } = await heat.showOutput(stack.path, 'out_value');
    expectSameJson(body.output, { output_key: 'out_value', output_value: 'foo', description: 'Output of resource b' }, `GET ${stack.path}/outputs/out_value after the update`);
  })
  .test('test_output_error_nested', '993a403c-c6e2-475d-a65d-a82b8c9e0c22', async (ctx) => {
    const heat = heatClient(ctx);
    const files = { 'child.yaml': BROKEN_CHILD };
    const stack = await createStackThen(ctx, heat, { template: PARENT, files });
    await updateStackThen(ctx, heat, stack, { template: PARENT, files });
    const { body } = await heat.showStack(stack.path);
    expectSameJson(
      byKey(body.stack.outputs ?? []),
      [
        { output_key: 'out_a', output_value: 'a', description: 'parent a' },
        { output_key: 'out_b', output_value: null, output_error: 'Error in parent output out_b: The Parameter (foo) was not provided.', description: 'parent b' },
      ],
      `GET ${stack.path}: outputs`,
    );
  });
