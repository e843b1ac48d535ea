/**
 * Native checks for designate_tempest_plugin.tests.api.v2.test_recordset.RecordsetsTest
 * (plugin 0.8.0). The plugin shares one zone per class; each check here creates its
 * own (the same API facts, and checks stay independent), removed afterwards.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import type { DnsClient, Zone } from '../../src/services/dns.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { CHECK_TIMEOUT_MS, createZone, dnsClient, expectMatches, randHigherTtl, randRecordsetData } from './steps.js';

const recordsetsTests = tempestClass('designate_tempest_plugin.tests.api.v2.test_recordset.RecordsetsTest', { timeoutMs: CHECK_TIMEOUT_MS });
/** BaseRecordsetsTest.excluded_keys. */
const EXCLUDED = ['created_at', 'updated_at', 'version', 'links', 'type'];

/**
 * recordset_data.json of the plugin: one recordset per type (null name: the apex).
 * The AAAA set repeats an address, as there.
 */
export const ALL_TYPES: ReadonlyArray<{ label: string; name: string | null; type: string; records: string[] }> = [
  { label: 'A', name: 'www', type: 'A', records: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] },
  { label: 'AAAA', name: 'www', type: 'AAAA', records: ['2001:db8::1', '2001:db8::1', '2001:db8::'] },
  { label: 'SRV TCP', name: '_sip._tcp', type: 'SRV', records: ['10 60 5060 server1.example.com.', '20 60 5060 server2.example.com.', '20 30 5060 server3.example.com.'] },
  { label: 'SRV UDP', name: '_sip._udp', type: 'SRV', records: ['10 60 5060 server1.example.com.', '10 60 5060 server2.example.com.', '20 30 5060 server3.example.com.'] },
  { label: 'CNAME', name: 'alias-of-target', type: 'CNAME', records: ['target.example.org.'] },
  { label: 'MX at APEX', name: null, type: 'MX', records: ['10 mail1.example.org.', '20 mail2.example.org.'] },
  { label: 'MX under APEX', name: 'under', type: 'MX', records: ['10 mail.example.org.'] },
  { label: 'SSHFP', name: 'www', type: 'SSHFP', records: ['2 1 123456789abcdef67890123456789abcdef67890'] },
  { label: 'TXT', name: 'www', type: 'TXT', records: ['"Any Old Text Goes Here"'] },
];

async function withZone(ctx: CheckContext, body: (dns: DnsClient, zone: Zone) => Promise<void>): Promise<void> {
  const dns = dnsClient(ctx);
  await body(dns, await createZone(ctx, dns));
}

recordsetsTests.test('test_create_all_recordset_types', 'd03b69a5-5052-43bc-a38a-b511b6b34304', (ctx) =>
  withZone(ctx, async (dns, zone) => {
    // ddt runs one test per entry, all under this id: every one must pass.
    for (const entry of ALL_TYPES) {
      const name = entry.name === null ? zone.name : `${entry.name}.${zone.name}`;
      const { body } = await dns.createRecordset(zone.id, { name, type: entry.type, records: entry.records });
      expectEqual(body.status, 'PENDING', `POST /v2/zones/${zone.id}/recordsets (${entry.label}): status`);
    }
  }));

recordsetsTests.test('test_list_recordsets', '5964f730-5546-46e6-9105-5030e9c492b2', (ctx) =>
  withZone(ctx, async (dns, zone) => {
    await dns.createRecordset(zone.id, randRecordsetData('A', zone.name));
    const { body } = await dns.listRecordsets(zone.id);
    // The plugin asserts the answer is not empty (its length as a dict).
    expectThat(Object.keys(body).length > 0, `GET /v2/zones/${zone.id}/recordsets: empty answer`);
  }));

recordsetsTests.test('test_show_recordsets', '84c13cb2-9020-4c1e-aeb0-c348d9a70caa', (ctx) =>
  withZone(ctx, async (dns, zone) => {
    const { body: created } = await dns.createRecordset(zone.id, randRecordsetData('A', zone.name));
    const { body: shown } = await dns.showRecordset(zone.id, created.id);
    expectMatches(created, shown, EXCLUDED, `GET /v2/zones/${zone.id}/recordsets/${created.id} against the created recordset`);
  }));

recordsetsTests.test('test_delete_recordset', '855399c1-8806-4ae5-aa31-cb8a6f35e218', (ctx) =>
  withZone(ctx, async (dns, zone) => {
    const { body: created } = await dns.createRecordset(zone.id, randRecordsetData('A', zone.name));
    await dns.deleteRecordset(zone.id, created.id);
    await expectErrorStatus(404, () => dns.showRecordset(zone.id, created.id));
  }));

recordsetsTests.test('test_update_recordset', '8d41c85f-09f9-48be-a202-92d1bdf5c796', (ctx) =>
  withZone(ctx, async (dns, zone) => {
    const { body: created } = await dns.createRecordset(zone.id, randRecordsetData('A', zone.name));
    let data = randRecordsetData('A', zone.name, created.name);
    // rand_ip may repeat the address; a new one is what the test means.
    while (JSON.stringify(data.records) === JSON.stringify(created.records)) data = randRecordsetData('A', zone.name, created.name);
    const { body: updated } = await dns.updateRecordset(zone.id, created.id, data);
    const what = `PUT /v2/zones/${zone.id}/recordsets/${created.id}`;
    expectEqual(updated.name, created.name, `${what}: name`);
    if (JSON.stringify(updated.records) === JSON.stringify(created.records)) {
      fail(`${what}: records unchanged (${JSON.stringify(updated.records)}), though new ones were sent`);
    }
  }));

recordsetsTests.test('test_update_recordset_one_field', '60904cc5-148b-4e3b-a0c6-35656dc8d44c', (ctx) =>
  withZone(ctx, async (dns, zone) => {
    const { body: created } = await dns.createRecordset(zone.id, randRecordsetData('A', zone.name));
    const ttl = randHigherTtl(created.ttl ?? 0);
    const { body: updated } = await dns.updateRecordset(zone.id, created.id, { ttl });
    const what = `PUT /v2/zones/${zone.id}/recordsets/${created.id} (ttl only)`;
    expectEqual(updated.name, created.name, `${what}: name`);
    expectEqual(updated.records, created.records, `${what}: records`);
    expectEqual(updated.description, created.description, `${what}: description`);
    expectThat(updated.ttl !== created.ttl, `${what}: ttl still ${String(created.ttl)}`);
  }));
