/**
 * Checks standing for tempest.api.object_storage.test_container_services.ContainerTest:
 * container create/overwrite/delete, object listings with their query parameters,
 * and container metadata set/remove through PUT and POST.
 */
import { registerCheck, type CheckContext } from '../../src/check/api.js';
import {
  describeRequest,
  expectEqual,
  expectHeaderEquals,
  expectJson,
  expectNoHeader,
  expectNoHeaderWithPrefix,
  expectSchema,
  expectStatus,
  expectThat,
} from '../../src/check/expect.js';
import { listingNames, type ListingParams, type ObjectStorageClient } from '../../src/services/object-storage.js';
import { createContainer, createObject, deferPurge, expectSwiftHeaders, pollFor, storagePolicies, swiftFor } from './common.js';

const CLASS = 'tempest.api.object_storage.test_container_services.ContainerTest';

/** GET container with params; asserts status and headers; returns the plain listing. */
async function listNames(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  container: string,
  params?: ListingParams,
): Promise<{ names: string[]; where: string }> {
  const res = await swift.listObjects(container, params);
  expectStatus(res, [200, 204]);
  expectSwiftHeaders(res, 'Container', 'GET', await storagePolicies(ctx, swift));
  return { names: listingNames(res), where: describeRequest(res) };
}

/** A container holding one object; returns both names. */
async function containerWithObject(
  ctx: CheckContext,
  objectName?: string,
): Promise<{ swift: ObjectStorageClient; container: string; object: string }> {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  const { name } = await createObject(ctx, swift, container, objectName ?? ctx.name('object'));
  // Swift updates listings synchronously unless the container server is slow to
  // answer (then the update is queued): wait, bounded, before the asserted request.
  await pollFor(ctx, () => swift.listObjects(container), (r) => listingNames(r).includes(name));
  return { swift, container, object: name };
}

/** Creates a container with metadata headers in the PUT (Tempest's update_container with headers). */
async function containerWithHeaders(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  headers: Record<string, string>,
): Promise<string> {
  return createContainer(ctx, swift, 'container', headers);
}

async function headContainer(ctx: CheckContext, swift: ObjectStorageClient, container: string, assertHeaders: boolean) {
  const res = await swift.showContainerMetadata(container);
  expectStatus(res, 204);
  if (assertHeaders) expectSwiftHeaders(res, 'Container', 'HEAD', await storagePolicies(ctx, swift));
  return res;
}

registerCheck({
  id: '92139d73-7819-4db1-85f8-3f2f22a8d91f',
  test: `${CLASS}.test_create_container`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const name = ctx.name('container');
    const res = await swift.createContainer(name);
    deferPurge(ctx, swift, name);
    expectStatus(res, [201, 202]);
    expectSwiftHeaders(res, 'Container', 'PUT');
  },
});

registerCheck({
  id: '49f866ed-d6af-4395-93e7-4187eb56d322',
  test: `${CLASS}.test_create_container_overwrite`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const name = await createContainer(ctx, swift);
    const res = await swift.createContainer(name);
    expectStatus(res, [201, 202]);
    expectSwiftHeaders(res, 'Container', 'PUT');
  },
});

registerCheck({
  id: '95d3a249-b702-4082-a2c4-14bb860cf06a',
  test: `${CLASS}.test_delete_container`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const name = await createContainer(ctx, swift);
    const res = await swift.deleteContainer(name);
    expectStatus(res, 204);
    expectSwiftHeaders(res, 'Container', 'DELETE');
  },
});

registerCheck({
  id: '312ff6bd-5290-497f-bda1-7c5fec6697ab',
  test: `${CLASS}.test_list_container_contents`,
  async run(ctx) {
    const { swift, container, object } = await containerWithObject(ctx);
    const { names, where } = await listNames(ctx, swift, container);
    expectEqual(names, [object], `${where}: listing`);
  },
});

registerCheck({
  id: '4646ac2d-9bfb-4c7d-a3c5-0f527402b3df',
  test: `${CLASS}.test_list_container_contents_with_no_object`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await createContainer(ctx, swift);
    const { names, where } = await listNames(ctx, swift, container);
    expectEqual(names, [], `${where}: listing of an empty container`);
  },
});

registerCheck({
  id: 'fe323a32-57b9-4704-a996-2e68f83b09bc',
  test: `${CLASS}.test_list_container_contents_with_delimiter`,
  async run(ctx) {
    const top = ctx.name('TestObject');
    const { swift, container } = await containerWithObject(ctx, `${top}/${ctx.name('leaf')}`);
    const { names, where } = await listNames(ctx, swift, container, { delimiter: '/' });
    expectEqual(names, [`${top}/`], `${where}: listing rolled up at the delimiter`);
  },
});

registerCheck({
  id: '55b4fa5c-e12e-4ca9-8fcf-a79afe118522',
  test: `${CLASS}.test_list_container_contents_with_end_marker`,
  async run(ctx) {
    const { swift, container, object } = await containerWithObject(ctx);
    const { names, where } = await listNames(ctx, swift, container, { end_marker: `${object}zzzz` });
    expectEqual(names, [object], `${where}: listing`);
  },
});

registerCheck({
  id: '196f5034-6ab0-4032-9da9-a937bbb9fba9',
  test: `${CLASS}.test_list_container_contents_with_format_json`,
  async run(ctx) {
    const { swift, container } = await containerWithObject(ctx);
    const res = await swift.listObjects(container, { format: 'json' });
    expectStatus(res, [200, 204]);
    expectSwiftHeaders(res, 'Container', 'GET', await storagePolicies(ctx, swift));
    const body = expectJson(res);
    expectSchema('object-storage', 'container-object-listing', body, res);
    expectThat((body as unknown[]).length > 0, `${describeRequest(res)}: the JSON listing is empty`);
  },
});

registerCheck({
  id: '297ec38b-2b61-4ff4-bcd1-7fa055e97b61',
  test: `${CLASS}.test_list_container_contents_with_limit`,
  async run(ctx) {
    const { swift, container, object } = await containerWithObject(ctx);
    const limit = 1 + Math.floor(Math.random() * 10000);
    const { names, where } = await listNames(ctx, swift, container, { limit });
    expectEqual(names, [object], `${where}: listing`);
  },
});

registerCheck({
  id: 'c31ddc63-2a58-4f6b-b25c-94d2937e6867',
  test: `${CLASS}.test_list_container_contents_with_marker`,
  async run(ctx) {
    const { swift, container, object } = await containerWithObject(ctx);
    const marker = 'AaaaObject1234567890';
    if (Buffer.compare(Buffer.from(object), Buffer.from(marker)) <= 0) {
      throw new Error(`harness: object name "${object}" does not sort after the marker "${marker}"`);
    }
    const { names, where } = await listNames(ctx, swift, container, { marker });
    expectEqual(names, [object], `${where}: listing`);
  },
});

registerCheck({
  id: '58ca6cc9-6af0-408d-aaec-2a6a7b2f0df9',
  test: `${CLASS}.test_list_container_contents_with_path`,
  async run(ctx) {
    const object = `Swift/${ctx.name('TestObject')}`;
    const { swift, container } = await containerWithObject(ctx, object);
    const { names, where } = await listNames(ctx, swift, container, { path: 'Swift' });
    expectEqual(names, [object], `${where}: listing`);
  },
});

registerCheck({
  id: '77e742c7-caf2-4ec9-8aa4-f7d509a3344c',
  test: `${CLASS}.test_list_container_contents_with_prefix`,
  async run(ctx) {
    const { swift, container, object } = await containerWithObject(ctx);
    const { names, where } = await listNames(ctx, swift, container, { prefix: object.slice(0, 8) });
    expectEqual(names, [object], `${where}: listing`);
  },
});

registerCheck({
  id: '96e68f0e-19ec-4aa2-86f3-adc6a45e14dd',
  test: `${CLASS}.test_list_container_metadata`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await createContainer(ctx, swift);
    const post = await swift.updateContainerMetadata(container, { 'X-Container-Meta-name': 'Pictures' });
    expectStatus(post, 204);
    const res = await headContainer(ctx, swift, container, true);
    expectHeaderEquals(res, 'x-container-meta-name', 'Pictures');
  },
});

registerCheck({
  id: 'a2faf936-6b13-4f8d-92a2-c2278355821e',
  test: `${CLASS}.test_list_no_container_metadata`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await createContainer(ctx, swift);
    const res = await headContainer(ctx, swift, container, true);
    expectNoHeaderWithPrefix(res, 'x-container-meta-');
  },
});

async function postMetadata(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  container: string,
  headers: Record<string, string>,
): Promise<void> {
  const res = await swift.updateContainerMetadata(container, headers);
  expectStatus(res, 204);
  expectSwiftHeaders(res, 'Container', 'POST');
}

registerCheck({
  id: 'cf19bc0b-7e16-4a5a-aaed-cb0c2fe8deef',
  test: `${CLASS}.test_update_container_metadata_with_create_and_delete_metadata`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await containerWithHeaders(ctx, swift, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
    await postMetadata(ctx, swift, container, {
      'X-Container-Meta-test-container-meta2': 'Meta2',
      'X-Remove-Container-Meta-test-container-meta1': 'Meta1',
    });
    const res = await headContainer(ctx, swift, container, false);
    expectNoHeader(res, 'x-container-meta-test-container-meta1');
    expectHeaderEquals(res, 'x-container-meta-test-container-meta2', 'Meta2');
  },
});

registerCheck({
  id: '2ae5f295-4bf1-4e04-bfad-21e54b62cec5',
  test: `${CLASS}.test_update_container_metadata_with_create_metadata`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await createContainer(ctx, swift);
    await postMetadata(ctx, swift, container, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
    const res = await headContainer(ctx, swift, container, false);
    expectHeaderEquals(res, 'x-container-meta-test-container-meta1', 'Meta1');
  },
});

registerCheck({
  id: '3a5ce7d4-6e4b-47d0-9d87-7cd42c325094',
  test: `${CLASS}.test_update_container_metadata_with_delete_metadata`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await containerWithHeaders(ctx, swift, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
    await postMetadata(ctx, swift, container, { 'X-Remove-Container-Meta-test-container-meta1': 'Meta1' });
    const res = await headContainer(ctx, swift, container, false);
    expectNoHeader(res, 'x-container-meta-test-container-meta1');
  },
});

registerCheck({
  id: '31f40a5f-6a52-4314-8794-cd89baed3040',
  test: `${CLASS}.test_update_container_metadata_with_create_metadata_key`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await createContainer(ctx, swift);
    // An empty value does not register the item.
    await postMetadata(ctx, swift, container, { 'X-Container-Meta-test-container-meta1': '' });
    const res = await headContainer(ctx, swift, container, false);
    expectNoHeader(res, 'x-container-meta-test-container-meta1');
  },
});

registerCheck({
  id: 'a2e36378-6f1f-43f4-840a-ffd9cfd61914',
  test: `${CLASS}.test_update_container_metadata_with_delete_metadata_key`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const container = await containerWithHeaders(ctx, swift, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
    // Removal works whatever value the X-Remove header carries, even empty.
    await postMetadata(ctx, swift, container, { 'X-Remove-Container-Meta-test-container-meta1': '' });
    const res = await headContainer(ctx, swift, container, false);
    expectNoHeader(res, 'x-container-meta-test-container-meta1');
  },
});
