/**
 * Native checks for the small read-only compute capabilities: API versions
 * (TestVersions), flavors (FlavorsV2TestJSON), availability zones (AZV2TestJSON),
 * quotas (QuotasTestJSON) and keypair types (KeyPairsV22TestJSON, microversion 2.2).
 */
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { canonicalJson } from '../../src/check/expect-extra.js';
import type { Flavor } from '../../src/services/compute.js';
import { anyReply } from '../../src/services/protocol.js';
import { settle } from '../volume/steps.js';
import { computeRefs, nova } from './steps.js';

const testVersions = tempestClass('tempest.api.compute.test_versions.TestVersions');
const flavorsV2 = tempestClass('tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON');
const azV2 = tempestClass('tempest.api.compute.servers.test_availability_zone.AZV2TestJSON');
const quotasTests = tempestClass('tempest.api.compute.test_quotas.QuotasTestJSON');
const keyPairsV22 = tempestClass('tempest.api.compute.keypairs.test_keypairs_v22.KeyPairsV22TestJSON');

testVersions.test('test_list_api_versions', '6c0a0990-43b6-4529-9b61-5fd8daf7c55c', async (ctx) => {
  const res = await nova(ctx).listVersions();
  const { versions } = res.body;
  expectEqual(versions[0]?.id, 'v2.0', `${res.method} ${res.url}: id of the first listed version`);
});

/** The flavor Tempest's flavor_ref names, shown (200 + schema). */
async function referenceFlavor(ctx: Parameters<typeof nova>[0]): Promise<Flavor> {
  const refs = await computeRefs(ctx);
  const res = await nova(ctx).showFlavor(refs.flavorRef);
  return res.body.flavor;
}

flavorsV2.test('test_list_flavors', 'e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59', async (ctx) => {
  const res = await nova(ctx).listFlavors(false);
  const { flavors } = res.body;
  const flavor = await referenceFlavor(ctx);
  // Before 2.55 a flavor in the plain list is exactly id, links and name.
  const expected = canonicalJson({ id: flavor.id, links: flavor.links, name: flavor.name });
  expectThat(flavors.some((f) => canonicalJson(f) === expected), `${res.method} ${res.url}: the list lacks flavor ${flavor.id} as shown (id, links, name): ${expected}`);
});

flavorsV2.test('test_list_flavors_with_detail', '6e85fde4-b3cd-4137-ab72-ed5f418e8c24', async (ctx) => {
  const res = await nova(ctx).listFlavors(true);
  const { flavors } = res.body;
  const flavor = await referenceFlavor(ctx);
  const expected = canonicalJson(flavor);
  expectThat(flavors.some((f) => canonicalJson(f) === expected), `${res.method} ${res.url}: the detailed list lacks flavor ${flavor.id} exactly as GET /flavors/${flavor.id} shows it`);
});

azV2.test('test_get_availability_zone_list_with_non_admin_user', 'a8333aa2-205c-449f-a828-d38c2489bf25', async (ctx) => {
  const res = await nova(ctx).listAvailabilityZones();
  const body = res.body;
  expectThat(body.availabilityZoneInfo.length > 0, `${res.method} ${res.url}: availabilityZoneInfo is empty`);
});

/** Quotas Tempest expects at 2.1 (before 2.36 and 2.57 removed some). */
const QUOTA_KEYS = [
  'id', 'metadata_items', 'ram', 'key_pairs', 'instances', 'cores', 'server_group_members', 'server_groups',
  'fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups',
  'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files',
];

function expectQuotaSet(quota: Record<string, unknown>, projectId: string, what: string): void {
  expectEqual(quota['id'], projectId, `${what}: quota_set.id`);
  const missing = QUOTA_KEYS.filter((k) => !(k in quota));
  expectThat(missing.length === 0, `${what}: quota_set lacks ${missing.join(', ')}`);
}

quotasTests.test('test_get_quotas', 'f1ef0a97-dbbb-4cca-adc5-c9fbc4f76107', async (ctx) => {
  const client = ctx.account('primary');
  const { projectId, userId } = await client.identity();
  const compute = nova(ctx);
  const res = await compute.showQuotaSet(projectId);
  expectQuotaSet(res.body.quota_set, projectId, `${res.method} ${res.url}`);
  const byUser = await compute.showQuotaSet(projectId, userId);
  expectQuotaSet(byUser.body.quota_set, projectId, `${byUser.method} ${byUser.url}`);
});

quotasTests.test('test_get_default_quotas', '9bfecac7-b966-4f47-913f-1a9e2c12134a', async (ctx) => {
  const { projectId } = await ctx.account('primary').identity();
  const res = await nova(ctx).showDefaultQuotaSet(projectId);
  expectQuotaSet(res.body.quota_set, projectId, `${res.method} ${res.url}`);
});

keyPairsV22.test('test_keypairsv22_create_list_show_with_type', '89d59d43-f735-441a-abcf-0601727f47b6', async (ctx) => {
  const compute = nova(ctx, '2.2');
  const name = ctx.name('keypair');
  // The client (2.2) asserts the 201 and the schema once the deletion is registered.
  const { reply: res, failure } = await settle(() => compute.createKeypair({ name, type: 'x509' }));
  if (res.status >= 200 && res.status < 300) {
    ctx.defer(`delete keypair ${name}`, async () => {
      const del = await anyReply(() => compute.deleteKeypair(name));
      if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE keypair ${name}: status ${del.status}`);
    });
  }
  if (failure) throw failure;
  const created = res.body.keypair;
  expectEqual(created.type, 'x509', `${res.method} ${res.url}: type of the new keypair`);
  const shown = await compute.showKeypair(name);
  expectEqual(shown.body.keypair.type, 'x509', `${shown.method} ${shown.url}: type`);
  const listed = await compute.listKeypairs();
  const entry = listed.body.keypairs.find((k) => k.keypair.name === name);
  if (entry) expectEqual(entry.keypair.type, 'x509', `${listed.method} ${listed.url}: type of keypair ${name}`);
});
