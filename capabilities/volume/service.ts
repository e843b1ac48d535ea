/**
 * Native checks of the Block Storage service documents: API versions
 * (VersionsTest), availability zones (AvailabilityZoneTestJSON) and extensions
 * (ExtensionsTestJSON).
 */
import { expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { volumeClient } from './steps.js';

const versionsTests = tempestClass('tempest.api.volume.test_versions.VersionsTest');
const availabilityZone = tempestClass('tempest.api.volume.test_availability_zone.AvailabilityZoneTestJSON');
const extensionsTests = tempestClass('tempest.api.volume.test_extensions.ExtensionsTestJSON');

versionsTests.test('test_list_versions', '77838fc4-b49b-4c64-9533-166762517369', async (ctx) => {
  // Tempest asks the unversioned endpoint without a token and validates the 300
  // Multiple Choices document: the client asserts both.
  await volumeClient(ctx).listVersions();
});

availabilityZone.test('test_get_availability_zone_list', '01f1ae88-eba9-4c6b-a011-6f7ace06b725', async (ctx) => {
  const res = await volumeClient(ctx).listAvailabilityZones();
  expectThat(res.body.availabilityZoneInfo.length > 0, `${res.method} ${res.url}: availabilityZoneInfo is empty`);
});

extensionsTests.test('test_list_extensions', '94607eb0-43a5-47ca-82aa-736b41bd2e2c', async (ctx) => {
  const res = await volumeClient(ctx).listExtensions();
  // Tempest's default [volume-feature-enabled] api_extensions is "all", with which it
  // requires the extension named "Hosts" among those listed.
  const names = res.body.extensions.map((e) => e['name']);
  ctx.note(`extensions: ${res.body.extensions.map((e) => String(e['alias'])).join(', ')}`);
  expectThat(names.includes('Hosts'), `${res.method} ${res.url}: no extension named "Hosts" is listed (names: ${names.join(', ')})`);
});
