/**
 * heat-tempest-plugin 1.0.0, functional/test_stack_events.StackEventsTest: the
 * events of a created stack, listed for the stack, filtered by resource, and
 * shown one by one, each carrying the fields the event API documents.
 */
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import type { StackEvent } from '../../src/services/orchestration.js';
import { CHECK_TIMEOUT_MS, heatClient } from './steps.js';
import { createStackThen } from './flow.js';

const TEMPLATE = `
heat_template_version: 2014-10-16
parameters:
resources:
  the_resource:
    type: OS::Heat::TestResource
    properties:
      value: 'one'
      fail: False
      update_replace: False
      wait_secs: 0
outputs:
  resource_id:
    description: 'ID of resource'
    value: { get_resource: the_resource }
`;

const STATUSES = ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'];

/** _verify_event_fields: the event is of a known resource, has its fields set and a create status. */
function verifyEvent(event: StackEvent, types: Record<string, string>, where: string): void {
  if (!Object.hasOwn(types, event.resource_name)) fail(`${where}: event ${event.id} is of resource ${JSON.stringify(event.resource_name)}, neither the stack nor the_resource`);
  for (const field of ['event_time', 'links', 'logical_resource_id', 'resource_status', 'resource_status_reason', 'id'] as const) {
    expectThat(event[field] !== undefined && event[field] !== null, `${where}: event ${String(event.id)} has no ${field}`);
  }
  expectThat(STATUSES.includes(String(event.resource_status)), `${where}: event ${event.id} has status ${JSON.stringify(event.resource_status)}, expected one of ${STATUSES.join(', ')}`);
}

tempestClass('heat_tempest_plugin.tests.functional.test_stack_events.StackEventsTest', { timeoutMs: CHECK_TIMEOUT_MS }).test('test_event', '620f4f7c-74f8-48a4-a8b0-d06d0337f133', async (ctx) => {
  const heat = heatClient(ctx);
  const stack = await createStackThen(ctx, heat, { template: TEMPLATE });
  const types: Record<string, string> = { [stack.name]: 'OS::Heat::Stack', the_resource: 'OS::Heat::TestResource' };
  const all = (await heat.listEvents(stack.path)).body.events;
  for (const event of all) {
    verifyEvent(event, types, `GET ${stack.path}/events`);
    const where = `GET ${stack.path}/resources/${event.resource_name}/events`;
    const own = (await heat.listResourceEvents(stack.path, event.resource_name)).body.events;
    expectThat(own.length < all.length, `${where}: ${own.length} events, expected fewer than the stack's ${all.length}`);
    for (const e of own) {
      expectThat(all.some((x) => x.id === e.id), `${where}: event ${e.id} is not among the stack's events`);
      expectEqual(e.resource_name, event.resource_name, `${where}: event ${e.id} resource_name`);
      verifyEvent(e, types, where);
      const shown = (await heat.showEvent(stack.path, e.resource_name, e.id)).body.event;
      const at = `${where}/${e.id}`;
      verifyEvent(shown, types, at);
      expectEqual(shown.resource_name, e.resource_name, `${at}: resource_name`);
      expectThat(shown.resource_type !== undefined && shown.resource_type !== null, `${at}: no resource_type`);
      expectEqual(shown.resource_type, types[shown.resource_name], `${at}: resource_type`);
    }
  }
});
