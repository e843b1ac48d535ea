/**
 * heat-tempest-plugin 1.0.0, functional/test_preview.StackPreviewTest: POST
 * /stacks/preview answers the stack as it would be created — its parameters,
 * each resource in INIT_COMPLETE with empty ids and times, identities naming
 * the would-be stack — recursing into nested stacks (and resource groups), and
 * refuses a template that does not validate.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { CHECK_TIMEOUT_MS, heatClient } from './steps.js';

type Obj = Record<string, unknown>;

const TEMPLATE = `
heat_template_version: 2015-04-30
parameters:
  incoming:
    type: string
resources:
  first:
    type: OS::Heat::TestResource
    properties:
      value: fred
  second:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: incoming}
    depends_on: first
outputs:
  main_out:
    value: {get_attr: [second, output]}
`;
const ENV = 'parameters:\n  incoming: abc\n';

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** _assert_results: the previewed stack's own fields. */
function expectStack(result: Obj, name: string): void {
  const at = 'POST /stacks/preview';
  expectEqual(result['stack_name'], name, `${at}: stack_name`);
  expectThat(Boolean(result['disable_rollback']), `${at}: disable_rollback is ${JSON.stringify(result['disable_rollback'])}, expected true`);
  expectEqual(result['id'], 'None', `${at}: id`);
  expectThat(Object.hasOwn(result, 'parent') && result['parent'] === null, `${at}: parent is ${JSON.stringify(result['parent'])}, expected null`);
  expectEqual(result['template_description'], 'No description', `${at}: template_description`);
  const params = obj(result['parameters']);
  expectEqual(params['OS::stack_id'], 'None', `${at}: parameters.OS::stack_id`);
  expectEqual(params['OS::stack_name'], name, `${at}: parameters.OS::stack_name`);
  expectEqual(params['incoming'], 'abc', `${at}: parameters.incoming`);
}

/** _assert_resource: one previewed resource of `stackName`, in `project`. */
function expectResource(res: Obj, stackName: string, project: string): void {
  const at = `POST /stacks/preview: resource ${String(res['resource_name'])}`;
  expectEqual(res['stack_name'], stackName, `${at}: stack_name`);
  expectEqual(res['resource_action'], 'INIT', `${at}: resource_action`);
  expectEqual(res['resource_status'], 'COMPLETE', `${at}: resource_status`);
  for (const field of ['resource_status_reason', 'physical_resource_id', 'description']) {
    expectThat(Object.hasOwn(res, field), `${at}: no ${field}`);
    expectEqual(res[field], '', `${at}: ${field}`);
  }
  for (const field of ['creation_time', 'updated_time']) {
    expectThat(Object.hasOwn(res, field), `${at}: no ${field}`);
    expectEqual(res[field], null, `${at}: ${field}`);
  }
  expectThat(Object.hasOwn(obj(res['attributes']), 'output'), `${at}: attributes has no output`);
  const ri = obj(res['resource_identity']);
  expectEqual(ri['stack_name'], stackName, `${at}: resource_identity.stack_name`);
  expectEqual(ri['stack_id'], 'None', `${at}: resource_identity.stack_id`);
  expectEqual(ri['tenant'], project, `${at}: resource_identity.tenant`);
  expectEqual(ri['path'], `/resources/${String(res['resource_name'])}`, `${at}: resource_identity.path`);
  const si = obj(res['stack_identity']);
  expectEqual(si['stack_name'], stackName, `${at}: stack_identity.stack_name`);
  expectEqual(si['stack_id'], 'None', `${at}: stack_identity.stack_id`);
  expectEqual(si['tenant'], project, `${at}: stack_identity.tenant`);
  expectEqual(si['path'], '', `${at}: stack_identity.path`);
}

/** The TestResource defaults every previewed TestResource shows. */
function expectTestResource(res: Obj, value: string, requiredBy: string[]): void {
  const at = `POST /stacks/preview: resource ${String(res['resource_name'])}`;
  expectEqual(res['resource_type'], 'OS::Heat::TestResource', `${at}: resource_type`);
  const props = obj(res['properties']);
  expectThat(!props['fail'], `${at}: properties.fail is ${JSON.stringify(props['fail'])}, expected false`);
  expectEqual(props['wait_secs'], 0, `${at}: properties.wait_secs`);
  expectThat(!props['update_replace'], `${at}: properties.update_replace is ${JSON.stringify(props['update_replace'])}, expected false`);
  expectEqual(props['value'], value, `${at}: properties.value`);
  expectEqual(res['required_by'], requiredBy, `${at}: required_by`);
}

async function projectOf(ctx: CheckContext): Promise<string> {
  return (await ctx.account('primary').identity()).projectId;
}

tempestClass('heat_tempest_plugin.tests.functional.test_preview.StackPreviewTest', { timeoutMs: CHECK_TIMEOUT_MS })
  .test('test_basic_pass', '4c2c062d-4723-42c0-a113-3307dd4ceb12', async (ctx) => {
    const name = ctx.name('stack');
    const { body } = await heatClient(ctx).previewStack({ stack_name: name, template: TEMPLATE, disable_rollback: true, environment: ENV });
    const project = await projectOf(ctx);
    const result = body.stack;
    expectStack(result, name);
    const resources = result['resources'];
    if (!Array.isArray(resources)) fail('POST /stacks/preview: resources is not a list');
    for (const res of resources as Obj[]) {
      expectResource(obj(res), name, project);
      const rname = res['resource_name'];
      // The plugin asserts the type and defaults of every resource, and the value
      // and dependants of the two it knows.
      expectEqual(res['resource_type'], 'OS::Heat::TestResource', `POST /stacks/preview: resource ${String(rname)}: resource_type`);
      if (rname === 'first') expectTestResource(res, 'fred', ['second']);
      else if (rname === 'second') expectTestResource(res, 'abc', []);
      else {
        const props = obj(res['properties']);
        expectThat(!props['fail'] && props['wait_secs'] === 0 && !props['update_replace'], `POST /stacks/preview: resource ${String(rname)}: properties ${JSON.stringify(props)} are not TestResource's defaults`);
      }
    }
  })
  .test('test_basic_fail', '54e69a54-762d-479e-a4f4-1fbf21af01c6', async (ctx) => {
    const broken = TEMPLATE.replace('get_param: incoming', 'get_param: missing');
    const reply = await expectErrorStatus(400, () => heatClient(ctx).previewStack({ stack_name: ctx.name('stack'), template: broken, disable_rollback: true, environment: ENV }));
    const said = 'Property error: : resources.second.properties.value: : The Parameter (missing) was not provided.';
    expectThat(reply.text.includes(said), `POST /stacks/preview of a template reading an undeclared parameter: the refusal does not say ${JSON.stringify(said)}: ${reply.text.slice(0, 500)}`);
  })
  .test('test_nested_pass', '0449113c-ff90-4f2b-8825-27ea35c1983f', async (ctx) => {
    const main = `
heat_template_version: 2015-04-30
parameters:
  incoming:
    type: string
resources:
  main:
    type: inner.yaml
    properties:
      value: {get_param: incoming}
outputs:
  main_out:
    value: {get_attr: [main, output]}
`;
    const inner = `
heat_template_version: 2015-04-30
parameters:
  value:
    type: string
resources:
  nested:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: value}
outputs:
  output:
    value: {get_attr: [nested, output]}
`;
    const name = ctx.name('stack');
    const { body } = await heatClient(ctx).previewStack({ stack_name: name, template: main, files: { 'inner.yaml': inner }, disable_rollback: true, environment: ENV });
    const project = await projectOf(ctx);
    const result = body.stack;
    expectStack(result, name);
    const first = (result['resources'] as unknown[] | undefined)?.[0];
    const res = Array.isArray(first) ? (first[0] as Obj | undefined) : undefined;
    if (!res || typeof res !== 'object' || Array.isArray(res)) fail(`POST /stacks/preview: resources[0] is not the nested stack's list of resources: ${JSON.stringify(first)?.slice(0, 300)}`);
    expectResource(res, `${name}-${String(res['parent_resource'])}`, project);
    expectTestResource(res, 'abc', []);
  })
  .test('test_res_group_with_nested_template', '6ca8ddfc-106f-4ecc-83f7-fca31d0c85ca', async (ctx) => {
    const main = `
heat_template_version: 2015-04-30
resources:
  fixed_network:
    type: "OS::Neutron::Net"
  rg:
    type: "OS::Heat::ResourceGroup"
    properties:
      count: 1
      resource_def:
        type: member.yaml
        properties:
          fixed_network_id: {get_resource: fixed_network}
`;
    const member = `
heat_template_version: 2015-04-30
parameters:
  fixed_network_id:
    type: string
resources:
  port:
    type: "OS::Neutron::Port"
    properties:
      network_id:
          get_param: fixed_network_id
`;
    const { body } = await heatClient(ctx).previewStack({ stack_name: ctx.name('stack'), template: main, files: { 'member.yaml': member }, disable_rollback: true });
    const names: unknown[] = [];
    const collect = (items: unknown): void => {
      if (!Array.isArray(items)) fail(`POST /stacks/preview: resources holds ${JSON.stringify(items)?.slice(0, 200)}, not a list`);
      for (const item of items) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) names.push((item as Obj)['resource_name']);
        else collect(item);
      }
    };
    collect(body.stack['resources']);
    for (const n of ['fixed_network', 'port']) expectThat(names.includes(n), `POST /stacks/preview: no resource ${n} among ${JSON.stringify(names)}`);
  });
