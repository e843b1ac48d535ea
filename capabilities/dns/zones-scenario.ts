/**
 * Native check for designate_tempest_plugin.tests.scenario.v2.test_zones.ZonesTest
 * (plugin 0.8.0): a zone's whole life, CREATE/PENDING → NONE/ACTIVE → DELETE/PENDING → 404.
 */
import { expectEqual } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { CHECK_TIMEOUT_MS, createZone, dnsClient, waitForZone404, waitForZoneStatus } from './steps.js';

const zonesTests = tempestClass('designate_tempest_plugin.tests.scenario.v2.test_zones.ZonesTest', { timeoutMs: CHECK_TIMEOUT_MS });

zonesTests.test('test_create_and_delete_zone', 'd0648f53-4114-45bd-8792-462a82f69d32', async (ctx) => {
  const dns = dnsClient(ctx);
  const created = await createZone(ctx, dns);
  expectEqual(created.action, 'CREATE', 'POST /v2/zones: action');
  expectEqual(created.status, 'PENDING', 'POST /v2/zones: status');
  await waitForZoneStatus(ctx, dns, created.id, 'ACTIVE');
  const { body: active } = await dns.showZone(created.id);
  expectEqual(active.action, 'NONE', `GET /v2/zones/${created.id} once ACTIVE: action`);
  expectEqual(active.status, 'ACTIVE', `GET /v2/zones/${created.id} once ACTIVE: status`);
  const { body: deleting } = await dns.deleteZone(created.id);
  expectEqual(deleting.action, 'DELETE', `DELETE /v2/zones/${created.id}: action`);
  expectEqual(deleting.status, 'PENDING', `DELETE /v2/zones/${created.id}: status`);
  await waitForZone404(ctx, dns, created.id);
});
