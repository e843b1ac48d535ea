/**
 * Unit tests of the Orchestration gabbi API checks: each of the 23 passes against
 * a conforming (fake) Heat and leaves no stack, and fails when one response is bent
 * away from what the gabbi test asserts. Also the stack sweeper.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/orchestration/api.js';
import '../../../capabilities/orchestration/template-validate.js';
import '../../../capabilities/orchestration/functional.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { sweepStacks } from '../../../src/services/orchestration-sweep.js';
import { OrchestrationClient } from '../../../src/services/orchestration.js';
import { runCheck, newPrefix, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeHeat, PROJECT, type FakeHeat, type FakeReply, type FakeRequest, type Fault, type Json } from '../../fakes/fake-heat.js';

// Classes counted by their own test files: the flow classes (orchestration-flow-checks.test.ts)
// and the server-booting ones (orchestration-server-checks.test.ts), whichever of them the
// mocha process has loaded.
const FLOW_CLASSES = /\.(test_hooks\.HooksTest|test_preview\.StackPreviewTest|test_unicode_template\.StackUnicodeTemplateTest|test_stack_outputs\.StackOutputsTest|test_stack_events\.StackEventsTest|test_base_resources\.BasicResourcesTest|test_software_config\.ParallelDeploymentsTest)\./;
const ORIGIN = 'http://127.0.0.1:48004';
const P = `/v1/${PROJECT}`;
const STACKS = new RegExp(`^${P}/stacks$`);
const STACK = new RegExp(`^${P}/stacks/[^/]+/[0-9a-f-]{36}$`);
const STACK_SUB = (rest: string) => new RegExp(`^${P}/stacks/[^/]+/[0-9a-f-]{36}/${rest}$`);
const BY_NAME = new RegExp(`^${P}/stacks/[^/]+$`);
const path = (rest: string) => new RegExp(`^${P}/${rest}$`);

let heat: FakeHeat;
let sessions: CloudSession[] = [];

function session(): CloudSession {
  const s = nockCloud({ catalog: { orchestration: `${ORIGIN}${P}` }, projectId: PROJECT });
  sessions.push(s);
  return s;
}

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  heat = fakeHeat(ORIGIN, faults);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  return runCheck(def, { accounts: { primary: session() }, timeoutMs: 20_000 });
}

function edit(method: string, p: RegExp, change: (body: Json, req: FakeRequest) => void): Fault {
  return {
    method,
    path: p,
    reply: (r, req) => {
      if (r.body === undefined || r.status >= 400) return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body, req);
      return { ...r, body };
    },
  };
}

function status(method: string, p: RegExp, code: number, opts: { from?: number } = {}): Fault {
  return { method, path: p, reply: (r) => (opts.from !== undefined && r.status !== opts.from ? r : { ...r, status: code }) };
}

/** The stack settles in a failed state instead of completing. */
const createFails = edit('GET', STACK, (b) => { (b.stack as Json).stack_status = 'CREATE_FAILED'; });
const stackObj = (b: Json) => b.stack as Json;

interface Case {
  label: string;
  faults: Fault[];
  says: RegExp;
}

const VALIDATE = path('validate');
const param = (b: Json, name: string) => (b.Parameters as Json)[name] as Json;

const CASES: Record<string, Case[]> = {
  // TemplateAPITest, ResourcesList, StackTagTest
  'ac6ebc41-bd6a-4df4-80e5-f4b9ae3b5506': [
    { label: 'the template comes back changed', faults: [edit('GET', STACK_SUB('template'), (b) => { b.description = 'other'; })], says: /differs at \/description/ },
    { label: 'the stack fails to create', faults: [createFails], says: /CREATE_FAILED/ },
  ],
  '9f9a2fc0-f029-4d1f-a2eb-f019b9f75944': [{ label: 'TestResource is not listed', faults: [edit('GET', path('resource_types'), (b) => { b.resource_types = ['OS::Heat::None']; })], says: /OS::Heat::TestResource is not listed/ }],
  'fafbdcd0-eec3-4e6f-9c88-1e4835d085cf': [{ label: 'another type is shown', faults: [edit('GET', /resource_types\/OS(::|%3A%3A)Heat(::|%3A%3A)TestResource$/, (b) => { b.resource_type = 'OS::Heat::None'; })], says: /resource_type: expected "OS::Heat::TestResource"/ }],
  'b65b5c82-68b0-42c9-82a0-c0e74e9ad906': [
    { label: 'the name filter is ignored', faults: [edit('GET', STACK_SUB('resources'), (b) => { (b.resources as Json[]).push({ ...(b.resources as Json[])[0]! }); })], says: /expected exactly 1 resource, got 2/ },
    { label: 'test2 is still in progress', faults: [edit('GET', STACK_SUB('resources'), (b) => { for (const r of b.resources as Json[]) r.resource_status = 'CREATE_IN_PROGRESS'; })], says: /resource_status: expected "CREATE_COMPLETE"/ },
  ],
  '97a65d53-b449-4a43-8283-42d43b165756': [{ label: 'required_by is empty', faults: [edit('GET', STACK_SUB('resources'), (b) => { for (const r of b.resources as Json[]) r.required_by = []; })], says: /required_by: expected \["test2"\], got \[\]/ }],
  '67332e51-b427-42d5-ad8d-fd2ec334f361': [
    { label: 'the tags are not stored', faults: [edit('GET', STACK, (b) => { stackObj(b).tags = null; })], says: /tags after creation/ },
    { label: 'the tags survive an update without them', faults: [edit('GET', STACK, (b) => { if ((stackObj(b).tags as string[] | null)?.length === 0) stackObj(b).tags = ['tag1', 'tag2']; })], says: /tags after an update without tags: expected none/ },
  ],
  '5ed79584-0684-4f9c-ae8e-44a8f874ec79': [{ label: 'the hidden stack is listed', faults: [edit('GET', STACKS, (b) => { b.stacks = [...heat.stacks.values()].map((x) => ({ id: x.id, stack_name: x.stack_name, stack_status: x.stack_status, tags: x.tags })); })], says: /lists the stack tagged data-processing-cluster/ }],
  // StackTemplateValidateTest
  'b65a80c2-a507-4deb-9e7e-43181cc05211': [
    { label: 'the default is a string', faults: [edit('POST', VALIDATE, (b) => { param(b, 'aparam').Default = '10'; })], says: /differs at \/Parameters\/aparam\/Default/ },
    { label: 'the environment lacks event_sinks', faults: [edit('POST', VALIDATE, (b) => { delete (b.Environment as Json).event_sinks; })], says: /differs at \/Environment\/event_sinks/ },
  ],
  'bf27371d-e202-4bae-9f13-2ef137958517': [{ label: 'the environment value is not shown', faults: [edit('POST', VALIDATE, (b) => { delete param(b, 'aparam').Value; })], says: /\/Parameters\/aparam\/Value/ }],
  '0278e03d-ed50-4909-b29d-9c4267d3fcd6': [{ label: 'the registry override is dropped', faults: [edit('POST', VALIDATE, (b) => { delete ((b.Environment as Json).resource_registry as Json)['OS::Heat::RandomString']; })], says: /resource_registry/ }],
  'acb1435b-f1db-4427-9121-7e3144ddb81e': [{ label: 'a default is invented', faults: [edit('POST', VALIDATE, (b) => { param(b, 'aparam').Default = 0; })], says: /\/Parameters\/aparam\/Default/ }],
  '7aac1feb-8256-4f70-8459-5e9780d28904': [
    { label: 'the invalid version is accepted', faults: [{ method: 'POST', path: VALIDATE, reply: () => ({ status: 200, body: { Parameters: {} } }) }], says: /expected status 400, got 200/ },
    { label: 'the refusal does not name the version', faults: [{ method: 'POST', path: VALIDATE, reply: (r) => (r.status === 400 ? { status: 400, body: { error: { message: 'bad template' } } } : r) }], says: /does not say "The template version is invalid"/ },
  ],
  '6a6472d2-71fa-4ebe-a2b6-20878838555b': [
    { label: 'the hidden parameter echoes', faults: [edit('POST', VALIDATE, (b) => { param(b, 'cparam').NoEcho = 'false'; })], says: /\/Parameters\/cparam\/NoEcho/ },
    { label: 'the groups are missing', faults: [edit('POST', VALIDATE, (b) => { delete b.ParameterGroups; })], says: /ParameterGroups/ },
  ],
  '5100cf18-f52a-47a2-880c-d540edad149f': [{ label: 'the nested file is not registered', faults: [edit('POST', VALIDATE, (b) => { ((b.Environment as Json).resource_registry as Json) = { resources: {} }; })], says: /resource_registry/ }],
  '480bcf64-25ae-49c7-b147-7cbc27d09cea': [{ label: 'nested parameters are not shown', faults: [edit('POST', VALIDATE, (b) => { delete b.NestedParameters; })], says: /NestedParameters/ }],
  'a0bb07f0-2e10-4226-a205-a7eb04df415f': [{ label: 'the second level is not shown', faults: [edit('POST', VALIDATE, (b) => { delete ((b.NestedParameters as Json).nres as Json).NestedParameters; })], says: /NestedParameters/ }],

  '39c0245e-6055-41cf-9f0e-15adfe55ded6': [
    { label: 'the list answers 500', faults: [status('GET', STACKS, 500)], says: /GET .*\/stacks: expected status 200, got 500/ },
    { label: 'the list is not JSON-typed', faults: [{ method: 'GET', path: STACKS, reply: (r) => ({ ...r, headers: { 'content-type': 'text/plain' } }) as FakeReply }], says: /expected a JSON body/ },
  ],
  'bde1b827-65fb-47ea-909f-82537e6260d3': [
    { label: 'create answers 202', faults: [status('POST', STACKS, 202)], says: /expected status 201, got 202/ },
    { label: 'the Location names another stack', faults: [{ method: 'POST', path: STACKS, reply: (r) => ({ ...r, headers: { location: `${ORIGIN}${P}/stacks/other/1234` } }) as FakeReply }], says: /Location header/ },
  ],
  '89b233fe-0d55-4959-9289-0b5dabe4e4c9': [
    { label: 'the stack fails to create', faults: [createFails], says: /CREATE_FAILED/ },
    { label: 'show lacks stack_status', faults: [edit('GET', STACK, (b) => { delete stackObj(b).stack_status; })], says: /schema orchestration\/v1\/stack: \/stack\/stack_status is required/ },
  ],
  '7eca55fe-8300-43b6-a6b8-fb2d99b51911': [
    { label: 'delete answers 200', faults: [status('DELETE', STACK, 200)], says: /DELETE .*: expected status 204, got 200/ },
  ],
  '6bb1ec02-dd19-4b2c-9a6d-866ce666650f': [
    { label: 'update answers 200', faults: [status('PUT', STACK, 200)], says: /PUT .*: expected status 202, got 200/ },
    { label: 'show answers 203', faults: [status('GET', STACK, 203)], says: /expected status 200, got 203/ },
  ],
  '927cea42-a35b-4664-b209-ab2cb34e6ef4': [
    { label: 'patch answers 200', faults: [status('PATCH', STACK, 200)], says: /PATCH .*: expected status 202, got 200/ },
    { label: 'the update fails', faults: [edit('GET', STACK, (b) => { if (String(stackObj(b).stack_status).startsWith('UPDATE')) stackObj(b).stack_status = 'UPDATE_FAILED'; })], says: /UPDATE_FAILED/ },
  ],
  '8281d088-0c80-4071-a13d-333b309be6ca': [{ label: 'create answers 200', faults: [status('POST', STACKS, 200)], says: /expected status 201, got 200/ }],
  'f60dd8df-82d1-4228-8926-54d65ebd12e1': [
    { label: 'the environment parameter is ignored', faults: [edit('GET', STACK_SUB('outputs/output_value'), (b) => { (b.output as Json).output_value = null; })], says: /\$\.output\.output_value: expected "test", got null/ },
    { label: 'the output lacks output_key', faults: [edit('GET', STACK_SUB('outputs/output_value'), (b) => { delete (b.output as Json).output_key; })], says: /\/output\/output_key is required/ },
  ],
  '0efde180-cc0e-4f2c-bb18-fa345e8d21ad': [
    { label: 'delete by name is not redirected', faults: [status('DELETE', BY_NAME, 404)], says: /expected status 204, got 404/ },
  ],
  '947be7b2-503d-41f5-9843-61be50954f13': [{ label: 'create answers 500', faults: [status('POST', STACKS, 500)], says: /expected status 201, got 500/ }],
  'ec53f10d-a89a-4243-8706-629a01ea890f': [
    { label: 'the resource is still in progress', faults: [edit('GET', STACK_SUB('resources'), (b) => { for (const r of b.resources as Json[]) r.resource_status = 'CREATE_IN_PROGRESS'; })], says: /resource_status: expected "CREATE_COMPLETE"/ },
    { label: 'no resource is listed', faults: [edit('GET', STACK_SUB('resources'), (b) => { b.resources = []; })], says: /no resource listed/ },
  ],
  'da07d3d2-9ccc-4fa1-9b1b-9cb3074fe9b9': [
    { label: 'the type filter is ignored', faults: [edit('GET', STACK_SUB('resources'), (b, req) => { if (req.query.get('type')) b.resources = [{ logical_resource_id: 'test', resource_name: 'test', resource_status: 'CREATE_COMPLETE', resource_type: 'OS::Heat::TestResource' }]; })], says: /type=OS::Nova::Server: \$\.resources/ },
  ],
  '2cbcedc5-0aa7-454e-bf89-a3dd5d379dc1': [
    { label: 'the output attribute is wrong', faults: [edit('GET', STACK_SUB('resources/test'), (b) => { ((b.resource as Json).attributes as Json).output = 'other'; })], says: /attributes\.output: expected "test"/ },
  ],
  '6031516b-3a8f-4d1b-8990-81a571b5f956': [{ label: 'marking answers 400', faults: [status('PATCH', STACK_SUB('resources/test'), 400)], says: /PATCH .*: expected status 200, got 400/ }],
  '9e784490-2e88-49af-8ee7-c4c6aba2be64': [
    { label: 'the resource is not CHECK_FAILED', faults: [edit('GET', STACK_SUB('resources/test'), (b) => { (b.resource as Json).resource_status = 'CREATE_COMPLETE'; })], says: /resource_status: expected "CHECK_FAILED"/ },
    { label: 'the reason is lost', faults: [edit('GET', STACK_SUB('resources/test'), (b) => { (b.resource as Json).resource_status_reason = null; })], says: /resource_status_reason: expected "resource deleted"/ },
  ],
  'c65a047c-8c7b-4b44-9f5f-bf1069751c5c': [
    { label: 'the signal is accepted', faults: [{ method: 'POST', path: STACK_SUB('resources/test/signal'), reply: () => ({ status: 200 }) }], says: /signal: expected status 400, got 200/ },
  ],
  '0edc4fdc-811d-4d27-a0dd-6ec4db2bda6e': [{ label: 'delete answers 202', faults: [status('DELETE', STACK, 202)], says: /expected status 204, got 202/ }],
  '5b4db88b-d171-4400-b7a7-a7dc8f597d31': [{ label: 'the list is an object', faults: [edit('GET', path('resource_types'), (b) => { b.resource_types = {}; })], says: /\/resource_types must be array/ }],
  'cc05d1ef-17f1-430e-bea1-0f6766f7d0b4': [
    { label: 'TestResource is unsupported', faults: [edit('GET', /resource_types\/OS(::|%3A%3A)Heat(::|%3A%3A)TestResource$/, (b) => { (b.support_status as Json).status = 'UNSUPPORTED'; })], says: /support_status\.status: expected "SUPPORTED"/ },
    { label: 'wait_secs defaults to 1', faults: [edit('GET', /resource_types\/OS(::|%3A%3A)Heat(::|%3A%3A)TestResource$/, (b) => { ((b.properties as Json).wait_secs as Json).default = 1; })], says: /wait_secs\.default: expected 0, got 1/ },
  ],
  '5a2164eb-645a-4245-acd7-b222a715fc09': [
    { label: 'the template version is a name', faults: [edit('GET', /TestResource\/template$/, (b) => { b.heat_template_version = 'wallaby'; })], says: /not a dated HOT version/ },
    { label: 'the template lacks the resource', faults: [edit('GET', /TestResource\/template$/, (b) => { b.resources = {}; })], says: /TestResource\.type: expected/ },
  ],
  'cbc28c20-e740-43ef-a01b-b1a39f4a0db3': [
    { label: '2016-04-08 is not listed', faults: [edit('GET', path('template_versions'), (b) => { b.template_versions = (b.template_versions as Json[]).filter((v) => v.type !== 'hot'); })], says: /is not listed/ },
    { label: '2016-04-08 is typed cfn', faults: [edit('GET', path('template_versions'), (b) => { (b.template_versions as Json[])[0]!.type = 'cfn'; })], says: /type of heat_template_version\.2016-04-08: expected "hot"/ },
  ],
  '721ff23c-8527-480f-a090-1c915b4f8430': [
    { label: 'get_file is described otherwise', faults: [edit('GET', /functions$/, (b) => { (b.template_functions as Json[])[0]!.description = 'Include a file.'; })], says: /description of get_file/ },
    { label: 'a function lacks its description', faults: [edit('GET', /functions$/, (b) => { delete (b.template_functions as Json[])[1]!.description; })], says: /\/template_functions\/1\/description is required/ },
  ],
  'f307139b-03d0-4006-92b7-81c86c949727': [
    { label: 'validate answers 400', faults: [status('POST', path('validate'), 400)], says: /expected status 200, got 400/ },
    { label: 'validate lacks Parameters', faults: [edit('POST', path('validate'), (b) => { delete b.Parameters; })], says: /\/Parameters is required/ },
  ],
};

describe('Orchestration checks (fake Heat)', function () {
  this.timeout(30_000);

  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });

  it('registers the 23 gabbi API checks and 16 functional checks, each with fault cases', () => {
    // The functional classes of orchestration-flow-checks.test.ts are counted there.
    const ids = registeredChecks().filter((c) => c.test.startsWith('heat_tempest_plugin.') && !FLOW_CLASSES.test(c.test)).map((c) => c.id).sort();
    assert.equal(ids.length, 39);
    assert.deepEqual(ids, Object.keys(CASES).sort());
  });

  for (const id of Object.keys(CASES)) {
    const test = findCheck(id)?.test ?? id;
    const name = test.endsWith('.test_request') ? test.split('.').slice(-2, -1)[0] : test.split('.').slice(-2).join('.');
    it(`${name} passes against a conforming Heat and leaves no stack`, async () => {
      const r = await run(id);
      assert.equal(r.status, 'pass', r.message);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual([...heat.stacks.values()].map((s) => s.stack_name), []);
    });
    for (const c of CASES[id]!) {
      it(`${name} fails when ${c.label}`, async () => {
        const r = await run(id, c.faults.map((f) => ({ ...f })));
        assert.equal(r.status, 'fail', `expected a failure, got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
      });
    }
  }

  it('sweepStacks removes the stacks named with the prefix, and only those', async () => {
    heat = fakeHeat(ORIGIN);
    const primary = session();
    const api = new OrchestrationClient(primary);
    const prefix = newPrefix();
    const template = { heat_template_version: '2016-04-08' };
    await api.createStack({ stack_name: `${prefix}a`, template });
    await api.createStack({ stack_name: `${prefix}b`, template });
    await api.createStack({ stack_name: 'someone-else', template });
    const removed = await sweepStacks(primary, prefix);
    assert.equal(removed.length, 2);
    assert.deepEqual([...heat.stacks.values()].map((s) => s.stack_name), ['someone-else']);
  });

  it('sweepStacks does not count a stack Heat still lists as DELETE_COMPLETE (a check had removed it) as a leftover', async () => {
    const primary = session();
    const prefix = newPrefix();
    const id = '5b2c5a4e-0000-4000-8000-000000000001';
    nock(ORIGIN).get(`${P}/stacks`).reply(200, { stacks: [{ id, stack_name: `${prefix}gone`, stack_status: 'DELETE_COMPLETE', creation_time: '2026-12-02T00:00:00Z', links: [] }] });
    // neither a show nor a delete may follow for it
    assert.deepEqual(await sweepStacks(primary, prefix), []);
  });
});
