/**
 * Native checks for heat_tempest_plugin.tests.functional.test_template_validate.
 * StackTemplateValidateTest (plugin 1.0.0): POST /validate answers exactly the
 * description, parameters, parameter groups, nested parameters and environment
 * the plugin expects (compared as JSON, key order aside), and refuses an invalid
 * template version with 400 naming it. Templates are sent as YAML text, as
 * heatclient sends them.
 */
import { expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectSameJson } from '../../src/check/expect-extra.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { heatClient } from './steps.js';

const stackTemplateValidate = tempestClass('heat_tempest_plugin.tests.functional.test_template_validate.StackTemplateValidateTest');

export const RANDOM_TEMPLATE = `
heat_template_version: 2014-10-16
description: the stack description
parameters:
  aparam:
    type: number
    default: 10
    description: the param description
resources:
  myres:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: aparam}
`;

const PARENT_TEMPLATE = `
heat_template_version: 2014-10-16
description: the parent template
parameters:
  pparam:
    type: number
    default: 5
    description: the param description
resources:
  nres:
    type: mynested.yaml
    properties:
      aparam: {get_param: pparam}
`;

const PARENT_TEMPLATE_NOPROP = `
heat_template_version: 2014-10-16
description: the parent template
resources:
  nres:
    type: mynested.yaml
`;

const RANDOM_TEMPLATE_GROUPS = `
heat_template_version: 2014-10-16
description: the stack description
parameters:
  aparam:
    type: number
    default: 10
    description: the param description
  bparam:
    type: string
    default: foo
  cparam:
    type: string
    default: secret
    hidden: true
parameter_groups:
- label: str_params
  description: The string params
  parameters:
  - bparam
  - cparam
resources:
  myres:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: aparam}
`;

const APARAM = { Default: 10, Description: 'the param description', Label: 'aparam', NoEcho: 'false', Type: 'Number' };
const PPARAM = { Default: 5, Description: 'the param description', Label: 'pparam', NoEcho: 'false', Type: 'Number' };

function environment(extra: { parameters?: Record<string, unknown>; registry?: Record<string, string> } = {}): Record<string, unknown> {
  return { event_sinks: [], parameter_defaults: {}, parameters: extra.parameters ?? {}, resource_registry: { ...(extra.registry ?? {}), resources: {} } };
}

function validateCheck(id: string, test: string, body: Record<string, unknown>, expected: Record<string, unknown>, showNested = false): void {
  stackTemplateValidate.test(test, id, async (ctx) => {
    const { body: answer } = await heatClient(ctx).validateTemplate(body, showNested ? { show_nested: 'True' } : undefined);
    expectSameJson(answer, expected, `POST /validate${showNested ? '?show_nested=True' : ''}`);
  });
}

validateCheck('b65a80c2-a507-4deb-9e7e-43181cc05211', 'test_template_validate_basic', { template: RANDOM_TEMPLATE }, {
  Description: 'the stack description',
  Parameters: { aparam: APARAM },
  Environment: environment(),
});

validateCheck('bf27371d-e202-4bae-9f13-2ef137958517', 'test_template_validate_override_default', { template: RANDOM_TEMPLATE, environment: { parameters: { aparam: 5 } } }, {
  Description: 'the stack description',
  Parameters: { aparam: { ...APARAM, Value: 5 } },
  Environment: environment({ parameters: { aparam: 5 } }),
});

validateCheck('0278e03d-ed50-4909-b29d-9c4267d3fcd6', 'test_template_validate_override_none', { template: RANDOM_TEMPLATE, environment: { resource_registry: { 'OS::Heat::RandomString': 'OS::Heat::None' } } }, {
  Description: 'the stack description',
  Parameters: { aparam: APARAM },
  Environment: environment({ registry: { 'OS::Heat::RandomString': 'OS::Heat::None' } }),
});

const { Default: _unused, ...APARAM_REQUIRED } = APARAM;
validateCheck('acb1435b-f1db-4427-9121-7e3144ddb81e', 'test_template_validate_basic_required_param', { template: RANDOM_TEMPLATE.replace('default: 10', '') }, {
  Description: 'the stack description',
  Parameters: { aparam: APARAM_REQUIRED },
  Environment: environment(),
});

stackTemplateValidate.test('test_template_validate_fail_version', '7aac1feb-8256-4f70-8459-5e9780d28904', async (ctx) => {
  const heat = heatClient(ctx);
  const refusal = await expectErrorStatus(400, () => heat.validateTemplate({ template: RANDOM_TEMPLATE.replace('2014-10-16', 'invalid') }));
  expectThat(refusal.text.includes('The template version is invalid'), `POST /validate (version "invalid"): the refusal does not say "The template version is invalid" (body: ${refusal.text.slice(0, 200)})`);
});

validateCheck('6a6472d2-71fa-4ebe-a2b6-20878838555b', 'test_template_validate_parameter_groups', { template: RANDOM_TEMPLATE_GROUPS }, {
  Description: 'the stack description',
  ParameterGroups: [{ description: 'The string params', label: 'str_params', parameters: ['bparam', 'cparam'] }],
  Parameters: {
    aparam: APARAM,
    bparam: { Default: 'foo', Description: '', Label: 'bparam', NoEcho: 'false', Type: 'String' },
    cparam: { Default: 'secret', Description: '', Label: 'cparam', NoEcho: 'true', Type: 'String' },
  },
  Environment: environment(),
});

validateCheck('5100cf18-f52a-47a2-880c-d540edad149f', 'test_template_validate_nested_off', { template: PARENT_TEMPLATE, files: { 'mynested.yaml': RANDOM_TEMPLATE } }, {
  Description: 'the parent template',
  Parameters: { pparam: PPARAM },
  Environment: environment({ registry: { 'mynested.yaml': 'mynested.yaml' } }),
});

validateCheck(
  '480bcf64-25ae-49c7-b147-7cbc27d09cea',
  'test_template_validate_nested_on',
  { template: PARENT_TEMPLATE_NOPROP, files: { 'mynested.yaml': RANDOM_TEMPLATE } },
  {
    Description: 'the parent template',
    Parameters: {},
    NestedParameters: { nres: { Description: 'the stack description', Parameters: { aparam: APARAM }, Type: 'mynested.yaml' } },
    Environment: environment({ registry: { 'mynested.yaml': 'mynested.yaml' } }),
  },
  true,
);

validateCheck(
  'a0bb07f0-2e10-4226-a205-a7eb04df415f',
  'test_template_validate_nested_on_multiple',
  { template: PARENT_TEMPLATE, files: { 'mynested.yaml': RANDOM_TEMPLATE.replace('OS::Heat::RandomString', 'mynested2.yaml'), 'mynested2.yaml': RANDOM_TEMPLATE } },
  {
    Description: 'the parent template',
    Parameters: { pparam: PPARAM },
    NestedParameters: {
      nres: {
        Description: 'the stack description',
        Parameters: { aparam: { ...APARAM, Value: 5 } },
        NestedParameters: { myres: { Description: 'the stack description', Parameters: { aparam: APARAM }, Type: 'mynested2.yaml' } },
        Type: 'mynested.yaml',
      },
    },
    Environment: environment({ registry: { 'mynested.yaml': 'mynested.yaml' } }),
  },
  true,
);
