/**
 * Native checks for tempest.api.identity.v3.test_api_discovery.TestApiDiscovery
 * that the interop guidelines require (identity-v3-api-discovery): the v3 version
 * document (GET /v3) names its resources, its JSON media type and a known status.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { fail } from '../../src/check/expect.js';
import { IdentityClient, type ApiVersionDescription } from '../../src/services/identity.js';

const testApiDiscovery = tempestClass('tempest.api.identity.v3.test_api_discovery.TestApiDiscovery');

/** GET /v3 as the primary user: 200 and the version document's schema. */
async function showApiDescription(ctx: CheckContext): Promise<ApiVersionDescription['version'] & { url: string }> {
  // The client asserts the 200 and the schema (id, links, media-types, status, updated).
  const res = await new IdentityClient(ctx.account('primary')).showApiDescription();
  return { ...res.body.version, url: `${res.method} ${res.url}` };
}

testApiDiscovery.test('test_api_version_resources', 'b9232f5e-d9e5-4d97-b96c-28d3db4de1bd', async (ctx) => {
  // The schema requires id, links, media-types, status and updated.
  await showApiDescription(ctx);
});

const JSON_MEDIA_TYPE = { base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' };

testApiDiscovery.test('test_api_media_types', '657c1970-4722-4189-8831-7325f3bc4265', async (ctx) => {
  const version = await showApiDescription(ctx);
  const found = version['media-types'].some((m) => m.base === JSON_MEDIA_TYPE.base && m.type === JSON_MEDIA_TYPE.type);
  if (!found) {
    fail(`${version.url}: media-types lacks ${JSON.stringify(JSON_MEDIA_TYPE)}, got ${JSON.stringify(version['media-types'])}`);
  }
});

const STATUSES = ['current', 'stable', 'experimental', 'supported', 'deprecated'];

testApiDiscovery.test('test_api_version_statuses', '8879a470-abfb-47bb-bb8d-5a7fd279ad1e', async (ctx) => {
  const version = await showApiDescription(ctx);
  if (!STATUSES.includes(version.status.toLowerCase())) {
    fail(`${version.url}: version status ${JSON.stringify(version.status)} is none of ${STATUSES.join(', ')}`);
  }
});
