/**
 * Unit tests of the heat-tempest-plugin functional checks of hooks, preview,
 * unicode templates, outputs and events: each passes against a conforming
 * (fake) Heat and leaves no stack, and fails when one answer is bent away from
 * what the plugin's test asserts — the fault each title names.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/orchestration/hooks.js';
import '../../../capabilities/orchestration/preview.js';
import '../../../capabilities/orchestration/unicode.js';
import '../../../capabilities/orchestration/outputs.js';
import '../../../capabilities/orchestration/events.js';
import { FLOW_WAIT } from '../../../capabilities/orchestration/flow.js';
import { findCheck, registeredChecks } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { fakeHeatFlow, PROJECT, type FakeHeatFlow, type FakeRequest, type Fault, type Json } from '../../fakes/fake-heat-flow.js';

const ORIGIN = 'http://127.0.0.1:48005';
const P = `/v1/${PROJECT}`;
const STACK = new RegExp(`^${P}/stacks/[^/]+/[0-9a-f-]{36}$`);
const SUB = (rest: string) => new RegExp(`^${P}/stacks/[^/]+/[0-9a-f-]{36}/${rest}$`);
const PREVIEW = new RegExp(`^${P}/stacks/preview$`);
const VALIDATE = new RegExp(`^${P}/validate$`);

export const FLOW_CLASSES = /\.(test_hooks\.HooksTest|test_preview\.StackPreviewTest|test_unicode_template\.StackUnicodeTemplateTest|test_stack_outputs\.StackOutputsTest|test_stack_events\.StackEventsTest)\./;

let heat: FakeHeatFlow;
let sessions: CloudSession[] = [];

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  heat = fakeHeatFlow(ORIGIN, faults);
  const def = findCheck(id);
  if (!def) throw new Error(`no check registered for ${id}`);
  const s = nockCloud({ catalog: { orchestration: `${ORIGIN}${P}` }, projectId: PROJECT });
  sessions.push(s);
  return runCheck(def, { accounts: { primary: s }, timeoutMs: 20_000 });
}

function edit(method: string, p: RegExp, change: (body: Json, req: FakeRequest) => void, times?: number): Fault {
  return {
    method,
    path: p,
    ...(times === undefined ? {} : { times }),
    reply: (r, req) => {
      if (r.body === undefined || r.status >= 400) return r;
      const body = JSON.parse(JSON.stringify(r.body)) as Json;
      change(body, req);
      return { ...r, body };
    },
  };
}

const stackOf = (b: Json) => b.stack as Json;
const outputsOf = (b: Json) => (b.stack as Json).outputs as Json[];
const resourcesOf = (b: Json) => (b.stack as Json).resources as Json[];
const named = (b: Json, n: string) => resourcesOf(b).find((r) => r.resource_name === n)!;
/** The events of one resource whose reason matches `reason` answer another status. */
const eventStatus = (reason: RegExp, status: string): Fault => edit('GET', SUB('resources/[^/]+/events'), (b) => { for (const e of b.events as Json[]) if (reason.test(String(e.resource_status_reason))) e.resource_status = status; });
/** The resource keeps another physical id than the one it shows after the update (by the n-th show). */
const physIdAfter = (n: number): Fault => {
  let seen = 0;
  return { method: 'GET', path: SUB('resources/[^/]+'), reply: (r) => {
    seen += 1;
    if (seen < n || r.status !== 200) return r;
    const body = JSON.parse(JSON.stringify(r.body)) as Json;
    (body.resource as Json).physical_resource_id = 'something-else';
    return { ...r, body };
  } };
};
/** The resource answers the same physical id throughout, whatever Heat did. */
const physIdFixed: Fault = edit('GET', SUB('resources/[^/]+'), (b) => { (b.resource as Json).physical_resource_id = 'fixed'; });
/** Clearing the hook by signal is refused. */
const signalRefused: Fault = { method: 'POST', path: SUB('resources/[^/]+/signal'), reply: () => ({ status: 400, body: { error: { message: 'no hook' } } }) };
/** The stack says it completed while it has not. */
const stackFails = (action: string): Fault => edit('GET', STACK, (b) => { if (String(stackOf(b).stack_status).startsWith(action)) stackOf(b).stack_status = `${action}_FAILED`; });

interface Case { label: string; faults: () => Fault[]; says: RegExp }

const CASES: Record<string, Case[]> = {
  // HooksTest
  'f14cbe86-0392-474a-9f28-bb561745698d': [
    { label: 'the pause event reports CREATE_COMPLETE', faults: () => [eventStatus(/paused/, 'CREATE_COMPLETE')], says: /in the event of its pause: expected "INIT_COMPLETE"/ },
    { label: 'the signal clearing the hook is refused', faults: () => [signalRefused], says: /signal: expected status 200, got 400/ },
  ],
  '75009076-96eb-43af-b4df-f002704737d2': [
    { label: 'the resource is replaced by an update changing nothing', faults: () => [physIdAfter(2)], says: /physical_resource_id of rand_step2 after an update changing nothing/ },
    { label: 'the cleared event reports UPDATE_IN_PROGRESS', faults: () => [eventStatus(/^Hook .* is cleared$/, 'UPDATE_IN_PROGRESS')], says: /hook cleared: expected "CREATE_COMPLETE"/ },
  ],
  '9f03d1e0-a2d2-42fc-a9c6-47db05b9c8ed': [
    { label: 'the resource is not replaced', faults: () => [physIdFixed], says: /still "fixed" after an update replacing it/ },
    { label: 'the update fails', faults: () => [stackFails('UPDATE')], says: /UPDATE_FAILED/ },
  ],
  '15c4f97d-5e06-40c6-83af-0e57d5afaff9': [
    { label: 'the group is replaced by an in-place update', faults: () => [physIdAfter(2)], says: /physical_resource_id of the group after an update in place/ },
  ],
  '7d96b5f4-4aba-493d-b098-4beea4654a2b': [
    { label: "the nested stack names another parent", faults: () => [edit('GET', STACK, (b) => { if (stackOf(b).parent) stackOf(b).parent = 'another'; })], says: /parent is "another", expected "00000000/ },
    { label: 'the pause event reports CREATE_IN_PROGRESS', faults: () => [eventStatus(/paused/, 'CREATE_IN_PROGRESS')], says: /expected "INIT_COMPLETE"/ },
  ],
  'cffc0783-3add-4f0c-ac66-03c90f6feeb0': [
    { label: 'the hook is never reported as cleared', faults: () => [edit('GET', SUB('resources/[^/]+/events'), (b) => { b.events = (b.events as Json[]).filter((e) => !/^Hook .* is cleared$/.test(String(e.resource_status_reason))); })], says: /with reason "Hook pre-create is cleared"/ },
  ],
  // StackPreviewTest
  '4c2c062d-4723-42c0-a113-3307dd4ceb12': [
    { label: 'a resource has a creation_time', faults: () => [edit('POST', PREVIEW, (b) => { named(b, 'first').creation_time = '2026-01-01T00:00:00Z'; })], says: /resource first: creation_time/ },
    { label: 'required_by is empty', faults: () => [edit('POST', PREVIEW, (b) => { named(b, 'first').required_by = []; })], says: /resource first: required_by/ },
    { label: 'the identity names another project', faults: () => [edit('POST', PREVIEW, (b) => { (named(b, 'second').resource_identity as Json).tenant = 'other'; })], says: /resource_identity.tenant/ },
    { label: 'the environment parameter is not applied', faults: () => [edit('POST', PREVIEW, (b) => { (stackOf(b).parameters as Json).incoming = ''; })], says: /parameters.incoming/ },
  ],
  '54e69a54-762d-479e-a4f4-1fbf21af01c6': [
    { label: 'the broken template is previewed', faults: () => [{ method: 'POST', path: PREVIEW, reply: () => ({ status: 200, body: { stack: {} } }) }], says: /expected status 400, got 200/ },
    { label: 'the refusal does not name the missing parameter', faults: () => [{ method: 'POST', path: PREVIEW, reply: () => ({ status: 400, body: { error: { message: 'bad template' } } }) }], says: /does not say "Property error/ },
  ],
  '0449113c-ff90-4f2b-8825-27ea35c1983f': [
    { label: 'nested resources are not listed as a nested list', faults: () => [edit('POST', PREVIEW, (b) => { stackOf(b).resources = (resourcesOf(b) as unknown as Json[][]).flat(); })], says: /resources\[0\] is not the nested stack's list/ },
    { label: "the nested resource names the parent stack", faults: () => [edit('POST', PREVIEW, (b) => { const r = (resourcesOf(b) as unknown as Json[][])[0]![0]!; r.stack_name = stackOf(b).stack_name; })], says: /resource nested: stack_name/ },
  ],
  '6ca8ddfc-106f-4ecc-83f7-fca31d0c85ca': [
    { label: "the group's nested port is left out", faults: () => [edit('POST', PREVIEW, (b) => { stackOf(b).resources = resourcesOf(b).filter((r) => !Array.isArray(r)); })], says: /no resource port/ },
  ],
  // StackUnicodeTemplateTest
  '871cc5dd-7550-494d-8c6d-9d549a8c0305': [
    { label: 'the label is lost', faults: () => [edit('POST', VALIDATE, (b) => { for (const v of Object.values(b.Parameters as Record<string, Json>)) v.Label = '?'; })], says: /Label/ },
  ],
  'e84c76b8-a5e5-45e7-9c4b-4c160d1c385f': [
    { label: 'the environment value is not shown', faults: () => [edit('POST', VALIDATE, (b) => { for (const v of Object.values(b.Parameters as Record<string, Json>)) delete v.Value; })], says: /Value/ },
  ],
  '66338945-a3ae-4e3a-aa17-ab802ceb00b1': [
    { label: 'the description is mangled', faults: () => [edit('POST', PREVIEW, (b) => { stackOf(b).template_description = '??????'; })], says: /template_description/ },
    { label: 'the identity path is percent-encoded', faults: () => [edit('POST', PREVIEW, (b) => { const r = resourcesOf(b)[0]!; (r.resource_identity as Json).path = `/resources/${encodeURIComponent(String(r.resource_name))}`; })], says: /resource_identity.path/ },
  ],
  'd2c4a10c-3cb4-4efd-889d-695a0acbd04f': [
    { label: 'the output key is mangled', faults: () => [edit('GET', STACK, (b) => { for (const o of outputsOf(b)) o.output_key = 'output'; })], says: /outputs\[0\].output_key/ },
    { label: 'the output has no value', faults: () => [edit('GET', STACK, (b) => { for (const o of outputsOf(b)) o.output_value = null; })], says: /has no output_value/ },
    { label: 'the stack has a parent', faults: () => [edit('GET', STACK, (b) => { stackOf(b).parent = 'x'; })], says: /parent is "x"/ },
  ],
  // StackOutputsTest
  'a886dd67-4506-4a37-82ae-43f0a7d83f35': [
    { label: 'the list carries values', faults: () => [edit('GET', SUB('outputs'), (b) => { for (const o of b.outputs as Json[]) o.output_value = 'v'; })], says: /outputs: .*differs/ },
    { label: 'an output shows the wrong value', faults: () => [edit('GET', SUB('outputs/out_b'), (b) => { (b.output as Json).output_value = 'a'; })], says: /outputs\/out_b.*differs/ },
  ],
  'aea0e495-4c77-4033-8c43-3351e9cb7b48': [
    { label: 'the new output is not resolved', faults: () => [edit('GET', SUB('outputs/out_value'), (b) => { (b.output as Json).output_value = null; })], says: /out_value after the update.*differs/ },
  ],
  '993a403c-c6e2-475d-a65d-a82b8c9e0c22': [
    { label: 'the output error is not reported', faults: () => [edit('GET', STACK, (b) => { for (const o of outputsOf(b)) delete o.output_error; })], says: /outputs.*differs/ },
    { label: 'the nested stack fails', faults: () => [stackFails('CREATE')], says: /CREATE_FAILED/ },
  ],
  // StackEventsTest
  '620f4f7c-74f8-48a4-a8b0-d06d0337f133': [
    { label: 'an event shows another resource type', faults: () => [edit('GET', SUB('resources/the_resource/events/[^/]+'), (b) => { (b.event as Json).resource_type = 'OS::Heat::None'; })], says: /resource_type: expected "OS::Heat::TestResource"/ },
    { label: 'the resource filter is ignored', faults: () => [{ method: 'GET', path: SUB('resources/[^/]+/events'), reply: (r, req) => (r.status === 200 ? { ...r, body: { events: heatEvents(req) } } : r) }], says: /expected fewer than the stack's|resource_name/ },
    { label: 'an event lacks its reason', faults: () => [edit('GET', SUB('events'), (b) => { (b.events as Json[])[0]!.resource_status_reason = null; })], says: /has no resource_status_reason/ },
    { label: 'an event has an update status', faults: () => [edit('GET', SUB('events'), (b) => { (b.events as Json[])[0]!.resource_status = 'UPDATE_COMPLETE'; })], says: /expected one of CREATE_IN_PROGRESS, CREATE_COMPLETE/ },
  ],
};

/** All the stack's events, whatever resource was asked for. */
function heatEvents(req: FakeRequest): Json[] {
  const id = req.path.match(/\/([0-9a-f-]{36})\//)![1]!;
  const s = heat.stacks.get(id)!;
  return s.events.map((e) => ({ ...e, links: [{ href: 'x', rel: 'self' }] }));
}

describe('Orchestration functional checks: hooks, preview, unicode, outputs, events (fake Heat)', function () {
  this.timeout(30_000);
  const patience = FLOW_WAIT.timeoutMs;
  before(() => {
    FLOW_WAIT.timeoutMs = 4000;
  });
  after(() => {
    FLOW_WAIT.timeoutMs = patience;
  });

  afterEach(() => {
    nock.cleanAll();
    for (const s of sessions) s.close();
    sessions = [];
  });

  it('registers the 18 checks of the five classes, each with fault cases', () => {
    const ids = registeredChecks().filter((c) => FLOW_CLASSES.test(c.test)).map((c) => c.id).sort();
    assert.equal(ids.length, 18);
    assert.deepEqual(ids, Object.keys(CASES).sort());
  });

  for (const id of Object.keys(CASES)) {
    const name = (findCheck(id)?.test ?? id).split('.').slice(-2).join('.');
    it(`${name} passes against a conforming Heat and leaves no stack`, async () => {
      const r = await run(id);
      assert.equal(r.status, 'pass', r.message);
      assert.deepEqual(r.cleanupErrors, []);
      assert.deepEqual([...heat.stacks.values()].map((s) => s.name), []);
    });
    for (const c of CASES[id]!) {
      it(`${name} fails when ${c.label}`, async () => {
        const r = await run(id, c.faults());
        assert.equal(r.status, 'fail', `expected a failure, got ${r.status}: ${r.message}`);
        assert.match(r.message, c.says);
      });
    }
  }
});
