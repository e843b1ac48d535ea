/**
 * Check standing for tempest.api.object_storage.test_object_version.ContainerTest
 * .test_versioned_container: with X-Versions-Location, overwriting an object keeps
 * the old version in the versions container, deleting restores it, and deleting
 * again leaves both containers empty.
 *
 * The test removes both containers in its own addCleanup (base.delete_containers),
 * so their removal is asserted: the base container first, then the versions one.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectBytes, fail } from '../../src/check/expect.js';
import type { ObjectStorageClient } from '../../src/services/object-storage.js';
import { createNamedContainer, expectSwiftHeaders, pollReply, randomBytes, storagePolicies, swiftFor } from './steps.js';

const containerTests = tempestClass('tempest.api.object_storage.test_object_version.ContainerTest', { timeoutMs: 120_000 });
const MISSING = 'Missing Header';

interface Expected {
  count: string;
  bytes: string;
  versions: string;
}

/** HEAD the container until its counters match (they may lag), then assert all three facts. */
async function expectContainer(ctx: CheckContext, swift: ObjectStorageClient, container: string, want: Expected) {
  const policies = await storagePolicies(ctx, swift);
  const facts = (h: Record<string, string>): Expected => ({
    count: h['x-container-object-count'] ?? MISSING,
    bytes: h['x-container-bytes-used'] ?? MISSING,
    versions: h['x-versions-location'] ?? MISSING,
  });
  const res = await pollReply(
    ctx,
    () => swift.showContainerMetadata(container),
    (r) => r.status !== 204 || JSON.stringify(facts(r.headers)) === JSON.stringify(want),
  );
  expectSwiftHeaders(res, 'Container', 'HEAD', policies);
  const got = facts(res.headers);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    fail(`${describeRequest(res)}: expected object count ${want.count}, bytes ${want.bytes}, x-versions-location ${want.versions}; got ${got.count}, ${got.bytes}, ${got.versions}`);
  }
}

containerTests.test('test_versioned_container', 'a151e158-dcbf-4a1f-a1e7-46cd65895a6f', async (ctx) => {
  const swift = swiftFor(ctx);
  const versions = ctx.name('TestVersionContainer');
  expectSwiftHeaders(await createNamedContainer(ctx, swift, versions, {}, { asserted: true }), 'Container', 'PUT');
  await expectContainer(ctx, swift, versions, { count: '0', bytes: '0', versions: MISSING });

  const base = ctx.name('TestBaseContainer');
  expectSwiftHeaders(await createNamedContainer(ctx, swift, base, { 'X-Versions-Location': versions }, { asserted: true }), 'Container', 'PUT');
  await expectContainer(ctx, swift, base, { count: '0', bytes: '0', versions });

  const object = ctx.name('TestObject');
  const data1 = randomBytes();
  const data2 = randomBytes();
  await swift.createObject(base, object, data1);
  await swift.createObject(base, object, data2);
  let got = await swift.getObject(base, object);
  expectBytes(got.body, data2, `${describeRequest(got)}: current version`);

  await swift.deleteObject(base, object);
  await expectContainer(ctx, swift, base, { count: '1', bytes: String(data1.length), versions });
  got = await swift.getObject(base, object);
  expectBytes(got.body, data1, `${describeRequest(got)}: version restored by the delete`);

  await swift.deleteObject(base, object);
  await expectContainer(ctx, swift, base, { count: '0', bytes: '0', versions });
  await expectContainer(ctx, swift, versions, { count: '0', bytes: '0', versions: MISSING });
});
