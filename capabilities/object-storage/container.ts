/**
 * Checks standing for tempest.api.object_storage.test_container_services.ContainerTest:
 * container create/overwrite/delete, object listings with their query parameters,
 * and container metadata set/remove through PUT and POST.
 *
 * Listing checks run over a nine-object fixture (LISTING_OBJECTS) instead of
 * Tempest's single object, with fixed parameters, and compare the whole answer
 * with the list the API reference defines: a container is the check's own, so
 * nothing foreign can be listed.
 */
import { createHash } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectHeaderEquals, expectNoHeader, expectNoHeaderWithPrefix, expectThat } from '../../src/check/expect.js';
import { listingNames, type ListingParams, type ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyReply } from '../../src/services/protocol.js';
import {
  createContainer, createNamedContainer, expectSwiftHeaders, pollFor, sharedContainers, storagePolicies, swiftFor, uploadObject,
} from './steps.js';
import { byteSorted, inWindow } from './listing.js';

const containerTests = tempestClass('tempest.api.object_storage.test_container_services.ContainerTest');

/** GET container with params; asserts the standard headers; returns the plain listing. */
async function listNames(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  container: string,
  params?: ListingParams,
): Promise<{ names: string[]; where: string }> {
  const res = await swift.listObjects(container, params);
  expectSwiftHeaders(res, 'Container', 'GET', await storagePolicies(ctx, swift));
  return { names: listingNames(res), where: describeRequest(res) };
}

/**
 * The objects of a listing fixture, in Swift's order (UTF-8 bytes): one before
 * Tempest's marker "AaaaObject1234567890" and the rest after it; a "Swift/"
 * pseudo-directory with two direct children and a deeper one (path); a
 * "TestObject" prefix shared by a nested and a flat name (prefix, delimiter); and
 * U+FF41 "ａ" before U+1F600 "😀", whose UTF-16 order is the reverse, so a listing
 * sorted as JavaScript strings sort is told apart. Tempest lists a container
 * holding one object, where an ignored limit, marker, end_marker, prefix or path,
 * or a wrong order, cannot show; with these nine every parameter changes the answer.
 */
export const LISTING_OBJECTS = [
  'Aaaa0',
  'Swift/a',
  'Swift/b',
  'Swift/deeper/c',
  'TestObject/leaf',
  'TestObject0',
  'b',
  '\uFF41',
  '\u{1F600}',
] as const;

/** The body of a fixture object: distinct sizes and hashes, so JSON fields are told apart. */
export function listingObjectBody(name: string, index: number): Buffer {
  return Buffer.from(`${name}|${'x'.repeat(index * 3)}`);
}

/** The content type a fixture object is stored with (distinct per object). */
export function listingObjectType(index: number): string {
  return `application/x-defcore-listing-${index}`;
}

/**
 * A container holding the listing fixture, waited for (bounded) until all nine are
 * listed. Set up once per run and shared by the class's listing tests, which only
 * read it (Tempest gives each test its own container with one object).
 */
async function listingFixture(ctx: CheckContext): Promise<{ swift: ObjectStorageClient; container: string }> {
  const container = await sharedContainers(ctx, 'ContainerTest listing', async (swift, add) => {
    const name = ctx.name('container');
    await add(name);
    await Promise.all(LISTING_OBJECTS.map((object, i) =>
      uploadObject(ctx, swift, name, object, listingObjectBody(object, i), { 'Content-Type': listingObjectType(i) })));
    // Swift updates listings synchronously unless the container server is slow to
    // answer (then the update is queued): wait, bounded, before the asserted requests.
    await pollFor(ctx, () => anyReply(() => swift.listObjects(name)), (r) => LISTING_OBJECTS.every((n) => listingNames(r).includes(n)));
    return name;
  });
  return { swift: swiftFor(ctx), container };
}

/** Lists the fixture with `params` and compares the names with `expected`, exactly and in order. */
async function expectListing(
  ctx: CheckContext,
  fx: { swift: ObjectStorageClient; container: string },
  params: ListingParams,
  expected: readonly string[],
): Promise<void> {
  const { names, where } = await listNames(ctx, fx.swift, fx.container, params);
  expectEqual(names, expected, `${where}: listing`);
}

/** The fixture's names `marker`/`end_marker`/`prefix` let through, in order. */
function fixtureNames(params: { marker?: string; end_marker?: string; prefix?: string } = {}): string[] {
  return inWindow(byteSorted(LISTING_OBJECTS), params).filter((n) => params.prefix === undefined || n.startsWith(params.prefix));
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
  if (assertHeaders) expectSwiftHeaders(res, 'Container', 'HEAD', await storagePolicies(ctx, swift));
  return res;
}

containerTests.test('test_create_container', '92139d73-7819-4db1-85f8-3f2f22a8d91f', async (ctx) => {
  const swift = swiftFor(ctx);
  const res = await createNamedContainer(ctx, swift, ctx.name('container'));
  expectSwiftHeaders(res, 'Container', 'PUT');
});

containerTests.test('test_create_container_overwrite', '49f866ed-d6af-4395-93e7-4187eb56d322', async (ctx) => {
  const swift = swiftFor(ctx);
  const name = await createContainer(ctx, swift);
  expectSwiftHeaders(await swift.createContainer(name), 'Container', 'PUT');
});

containerTests.test('test_delete_container', '95d3a249-b702-4082-a2c4-14bb860cf06a', async (ctx) => {
  const swift = swiftFor(ctx);
  const name = await createContainer(ctx, swift);
  expectSwiftHeaders(await swift.deleteContainer(name), 'Container', 'DELETE');
});

containerTests.test('test_list_container_contents', '312ff6bd-5290-497f-bda1-7c5fec6697ab', async (ctx) => {
  const fx = await listingFixture(ctx);
  // API reference: objects are listed sorted by name (binary, memcmp) order.
  await expectListing(ctx, fx, {}, fixtureNames());
});

containerTests.test('test_list_container_contents_with_no_object', '4646ac2d-9bfb-4c7d-a3c5-0f527402b3df', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  const { names, where } = await listNames(ctx, swift, container);
  expectEqual(names, [], `${where}: listing of an empty container`);
});

containerTests.test('test_list_container_contents_with_delimiter', 'fe323a32-57b9-4704-a996-2e68f83b09bc', async (ctx) => {
  const fx = await listingFixture(ctx);
  // Names holding the delimiter roll up into one "<first part>/" entry, in place.
  const rolled = [...new Set(fixtureNames().map((n) => (n.includes('/') ? `${n.split('/')[0]}/` : n)))];
  await expectListing(ctx, fx, { delimiter: '/' }, rolled);
});

containerTests.test('test_list_container_contents_with_end_marker', '55b4fa5c-e12e-4ca9-8fcf-a79afe118522', async (ctx) => {
  const fx = await listingFixture(ctx);
  // Tempest's end_marker (the object's name + "zzzz") is past its only object;
  // these cut the fixture in the middle, and between "ａ" and "😀", whose UTF-16
  // order is the reverse of their byte order.
  for (const endMarker of ['TestObject0', '\u{1F600}']) {
    await expectListing(ctx, fx, { end_marker: endMarker }, fixtureNames({ end_marker: endMarker }));
  }
});

containerTests.test('test_list_container_contents_with_format_json', '196f5034-6ab0-4032-9da9-a937bbb9fba9', async (ctx) => {
  const fx = await listingFixture(ctx);
  const res = await fx.swift.listObjectEntries(fx.container);
  expectSwiftHeaders(res, 'Container', 'GET', await storagePolicies(ctx, fx.swift));
  const where = describeRequest(res);
  expectThat(res.body.length > 0, `${where}: the JSON listing is empty`);
  // Each entry describes its own object (API reference, "Show container details
  // and list objects": name, bytes, content_type, hash — the MD5 of the content).
  const entries = res.body as Array<{ name: string; hash: string; bytes: number; content_type: string }>;
  expectEqual(entries.map((e) => e.name), fixtureNames(), `${where}: names`);
  for (const e of entries) {
    const i = LISTING_OBJECTS.indexOf(e.name as (typeof LISTING_OBJECTS)[number]);
    const data = listingObjectBody(e.name, i);
    expectEqual(
      { hash: e.hash, bytes: e.bytes, content_type: e.content_type },
      { hash: createHash('md5').update(data).digest('hex'), bytes: data.length, content_type: listingObjectType(i) },
      `${where}: entry of ${JSON.stringify(e.name)}`,
    );
  }
});

containerTests.test('test_list_container_contents_with_limit', '297ec38b-2b61-4ff4-bcd1-7fa055e97b61', async (ctx) => {
  const fx = await listingFixture(ctx);
  // Tempest draws the limit at random in 1..10000 over one object, where any
  // limit lists it. Fixed limits over nine: 2 (an ignored limit shows), one
  // short of all (the one left out must be "😀", last in byte order) and all.
  const all = fixtureNames();
  for (const limit of [2, all.length - 1, all.length]) {
    await expectListing(ctx, fx, { limit }, all.slice(0, limit));
  }
});

containerTests.test('test_list_container_contents_with_marker', 'c31ddc63-2a58-4f6b-b25c-94d2937e6867', async (ctx) => {
  const fx = await listingFixture(ctx);
  // Tempest's marker, which one fixture object sorts before; then "ａ", after
  // which only "😀" sorts in byte order (nothing in UTF-16 order).
  for (const marker of ['AaaaObject1234567890', '\uFF41']) {
    await expectListing(ctx, fx, { marker }, fixtureNames({ marker }));
  }
});

containerTests.test('test_list_container_contents_with_path', '58ca6cc9-6af0-408d-aaec-2a6a7b2f0df9', async (ctx) => {
  const fx = await listingFixture(ctx);
  // path=Swift lists the objects directly in the pseudo-directory "Swift/": not
  // the deeper one, nor anything outside it.
  await expectListing(ctx, fx, { path: 'Swift' }, ['Swift/a', 'Swift/b']);
});

containerTests.test('test_list_container_contents_with_prefix', '77e742c7-caf2-4ec9-8aa4-f7d509a3344c', async (ctx) => {
  const fx = await listingFixture(ctx);
  // Tempest's prefix (the first 8 characters of its only object's name) is shared
  // by nothing else; this one selects two of nine, a nested and a flat name.
  await expectListing(ctx, fx, { prefix: 'TestObject' }, fixtureNames({ prefix: 'TestObject' }));
});

containerTests.test('test_list_container_metadata', '96e68f0e-19ec-4aa2-86f3-adc6a45e14dd', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  await swift.updateContainerMetadata(container, { 'X-Container-Meta-name': 'Pictures' });
  const res = await headContainer(ctx, swift, container, true);
  expectHeaderEquals(res, 'x-container-meta-name', 'Pictures');
});

containerTests.test('test_list_no_container_metadata', 'a2faf936-6b13-4f8d-92a2-c2278355821e', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  const res = await headContainer(ctx, swift, container, true);
  expectNoHeaderWithPrefix(res, 'x-container-meta-');
});

async function postMetadata(
  ctx: CheckContext,
  swift: ObjectStorageClient,
  container: string,
  headers: Record<string, string>,
): Promise<void> {
  expectSwiftHeaders(await swift.updateContainerMetadata(container, headers), 'Container', 'POST');
}

containerTests.test('test_update_container_metadata_with_create_and_delete_metadata', 'cf19bc0b-7e16-4a5a-aaed-cb0c2fe8deef', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await containerWithHeaders(ctx, swift, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
  await postMetadata(ctx, swift, container, {
    'X-Container-Meta-test-container-meta2': 'Meta2',
    'X-Remove-Container-Meta-test-container-meta1': 'Meta1',
  });
  const res = await headContainer(ctx, swift, container, false);
  expectNoHeader(res, 'x-container-meta-test-container-meta1');
  expectHeaderEquals(res, 'x-container-meta-test-container-meta2', 'Meta2');
});

containerTests.test('test_update_container_metadata_with_create_metadata', '2ae5f295-4bf1-4e04-bfad-21e54b62cec5', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  await postMetadata(ctx, swift, container, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
  const res = await headContainer(ctx, swift, container, false);
  expectHeaderEquals(res, 'x-container-meta-test-container-meta1', 'Meta1');
});

containerTests.test('test_update_container_metadata_with_delete_metadata', '3a5ce7d4-6e4b-47d0-9d87-7cd42c325094', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await containerWithHeaders(ctx, swift, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
  await postMetadata(ctx, swift, container, { 'X-Remove-Container-Meta-test-container-meta1': 'Meta1' });
  const res = await headContainer(ctx, swift, container, false);
  expectNoHeader(res, 'x-container-meta-test-container-meta1');
});

containerTests.test('test_update_container_metadata_with_create_metadata_key', '31f40a5f-6a52-4314-8794-cd89baed3040', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  // An empty value does not register the item.
  await postMetadata(ctx, swift, container, { 'X-Container-Meta-test-container-meta1': '' });
  const res = await headContainer(ctx, swift, container, false);
  expectNoHeader(res, 'x-container-meta-test-container-meta1');
});

containerTests.test('test_update_container_metadata_with_delete_metadata_key', 'a2e36378-6f1f-43f4-840a-ffd9cfd61914', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await containerWithHeaders(ctx, swift, { 'X-Container-Meta-test-container-meta1': 'Meta1' });
  // Removal works whatever value the X-Remove header carries, even empty.
  await postMetadata(ctx, swift, container, { 'X-Remove-Container-Meta-test-container-meta1': '' });
  const res = await headContainer(ctx, swift, container, false);
  expectNoHeader(res, 'x-container-meta-test-container-meta1');
});
