/**
 * Native check for tempest.api.network.test_versions.NetworksApiDiscovery
 * (guideline capability networks-list-api-versions): the unversioned endpoint
 * lists the API versions, each with id, links and status, and the only version
 * is v2.0.
 */
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectThat } from '../../src/check/expect.js';
import { primaryNetwork } from './steps.js';

const networksApiDiscovery = tempestClass('tempest.api.network.test_versions.NetworksApiDiscovery');

networksApiDiscovery.test('test_api_version_resources', 'cac8a836-c2e0-4304-b556-cd299c7281d1', async (ctx) => {
  // The client asserts the 200 and that each version has an id, a status and links.
  const res = await primaryNetwork(ctx).listVersions();
  for (const version of res.body.versions) {
    expectThat(version.id === 'v2.0', `${describeRequest(res)}: lists version ${JSON.stringify(version.id)}; only v2.0 is expected`);
  }
});
