/**
 * Native checks for designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest
 * (plugin 0.8.0, contemporary with the 2020.06 DNS guideline; ids as there).
 * Every zone is removed after the check as the plugin's wait_zone_delete does.
 */
import { randomBytes } from 'node:crypto';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { CHECK_TIMEOUT_MS, createZone, dnsClient, expectMatches, randTtl } from './steps.js';

const zonesTests = tempestClass('designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest', { timeoutMs: CHECK_TIMEOUT_MS });
/** BaseZonesTest.excluded_keys: what may change between two reads of a zone. */
const EXCLUDED = ['created_at', 'updated_at', 'version', 'links', 'status', 'action'];

zonesTests.test('test_show_zone', '02ca5d6a-86ce-4f02-9d94-9e5db55c3055', async (ctx) => {
  const dns = dnsClient(ctx);
  const zone = await createZone(ctx, dns);
  const { body } = await dns.showZone(zone.id);
  expectMatches(zone, body, EXCLUDED, `GET /v2/zones/${zone.id} against the created zone`);
});

zonesTests.test('test_list_zones', '5bfa3cfe-5bc8-443b-bf48-cfba44cbb247', async (ctx) => {
  const dns = dnsClient(ctx);
  await createZone(ctx, dns);
  const { body } = await dns.listZones();
  expectThat(body.zones.length > 0, 'GET /v2/zones: no zone listed, though one was just created');
});

zonesTests.test('test_update_zone', '123f51cb-19d5-48a9-aacc-476742c02141', async (ctx) => {
  const dns = dnsClient(ctx);
  const zone = await createZone(ctx, dns);
  const description = `${ctx.prefix}${randomBytes(6).toString('hex')}`;
  // The plugin's update_zone sends a fresh email and ttl with the description.
  const { body } = await dns.updateZone(zone.id, { email: `example@${zone.name.replace(/\.$/, '')}`, ttl: randTtl(), description });
  expectEqual(body.action, 'UPDATE', `PATCH /v2/zones/${zone.id}: action`);
  expectEqual(body.status, 'PENDING', `PATCH /v2/zones/${zone.id}: status`);
  expectEqual(body.description, description, `PATCH /v2/zones/${zone.id}: description`);
});
