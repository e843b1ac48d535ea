/**
 * Checks standing for tempest.api.object_storage.test_object_services.ObjectTest:
 * object create/get/delete, the copy variants, conditional GET, and dynamic large
 * objects (X-Object-Manifest).
 */
import { createHash } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import {
  describeRequest,
  expectBytes,
  expectHeader,
  expectHeaderEquals,
  expectHeaderMatches,
  expectSuccess,
  expectThat,
  fail,
} from '../../src/check/expect.js';
import type { ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyStatus, expectErrorStatus } from '../../src/services/protocol.js';
import {
  arbitraryString,
  createContainer,
  createObject,
  expectStandardHeaders,
  expectSwiftHeaders,
  expectWellFormattedHeaders,
  randomBytes,
  sharedContainers,
  swiftFor,
  withUnquotedEtag,
} from './steps.js';

const objectTests = tempestClass('tempest.api.object_storage.test_object_services.ObjectTest');

/**
 * The class's container, shared by its tests as Tempest's resource_setup shares one:
 * each test writes objects under names of its own and none lists the container, so
 * they cannot see each other. What they leave goes with the container at the run's end.
 */
async function setup(ctx: CheckContext): Promise<{ swift: ObjectStorageClient; container: string }> {
  const container = await sharedContainers(ctx, 'ObjectTest', async (_swift, add) => {
    const name = ctx.name('container');
    await add(name);
    return name;
  });
  return { swift: swiftFor(ctx), container };
}

function put(swift: ObjectStorageClient, container: string, name: string, data: Buffer | string, headers?: Record<string, string>) {
  return swift.createObject(container, name, data, { headers });
}

/** Ten segments `<name>/<i>` holding `test0`…`test9`. */
async function uploadSegments(swift: ObjectStorageClient, container: string, name: string): Promise<string[]> {
  const data = arbitraryString();
  const segments = Array.from({ length: 10 }, (_, i) => `${data}${i}`);
  // Side by side: DLO joins segments by name order, whatever order they were written in.
  await Promise.all(segments.map((segment, i) => put(swift, container, `${name}/${i}`, segment)));
  return segments;
}

objectTests.test('test_create_object', '5b4ce26f-3545-46c9-a2ba-5754358a4c62', async (ctx) => {
  const { swift, container } = await setup(ctx);
  await put(swift, container, ctx.name('TestObject'), randomBytes());
  const name = ctx.name('TestObject');
  const data = randomBytes();
  const res = await put(swift, container, name, data);
  expectSwiftHeaders(res, 'Object', 'PUT');
  const got = await swift.getObject(container, name);
  expectBytes(got.body, data, `${describeRequest(got)}: content`);
});

objectTests.test('test_delete_object', '17738d45-03bd-4d45-9e0b-7b2f58f98687', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const name = ctx.name('TestObject');
  await put(swift, container, name, randomBytes());
  expectSwiftHeaders(await swift.deleteObject(container, name), 'Object', 'DELETE');
});

objectTests.test('test_get_object', '02610ba7-86b7-4272-9ed8-aa8d417cb3cd', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const { name, data } = await createObject(ctx, swift, container);
  const res = await swift.getObject(container, name);
  expectSwiftHeaders(res, 'Object', 'GET');
  expectBytes(res.body, data, `${describeRequest(res)}: content`);
});

objectTests.test('test_get_object_if_different', '50d01f12-526f-4360-9ac2-75dd508d7b68', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const { name, data } = await createObject(ctx, swift, container);
  const same = createHash('md5').update(data).digest('hex');
  const notModified = await expectErrorStatus(304, () => swift.getObject(container, name, { headers: { 'If-None-Match': same } }));
  // A 304 carries no X-Timestamp: only Date is required, plus well-formed headers.
  expectHeader(notModified, 'date');
  expectWellFormattedHeaders(notModified);
  const other = createHash('md5').update('something different').digest('hex');
  // Tempest's get_object takes 200 or 206; any success is accepted here, as before.
  const res = await anyStatus(() => swift.getObject(container, name, { headers: { 'If-None-Match': other } }));
  expectSuccess(res);
  expectSwiftHeaders(res, 'Object', 'GET');
});

objectTests.test('test_copy_object_in_same_container', '1a9ab572-1b66-4981-8c21-416e2a5e6011', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const src = ctx.name('SrcObject');
  const srcData = randomBytes(src.length * 2);
  await put(swift, container, src, srcData);
  const dst = ctx.name('DstObject');
  await put(swift, container, dst, randomBytes(dst.length * 3));
  const res = await put(swift, container, dst, '', { 'X-Copy-From': `${container}/${src}` });
  expectSwiftHeaders(res, 'Object', 'PUT');
  const got = await swift.getObject(container, dst);
  expectBytes(got.body, srcData, `${describeRequest(got)}: content of the copy`);
});

objectTests.test('test_copy_object_to_itself', '2248abba-415d-410b-9c30-22dff9cd6e67', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const { name } = await createObject(ctx, swift, container);
  const before = await swift.showObjectMetadata(container, name);
  const contentType = 'text/plain; charset=UTF-8';
  expectThat(
    before.headers['content-type'] !== contentType,
    `${describeRequest(before)}: the new object already has content-type ${contentType}; the copy would prove nothing`,
  );
  const res = await put(swift, container, name, '', {
    'X-Copy-From': `${container}/${name}`,
    'content-type': contentType,
  });
  expectSwiftHeaders(res, 'Object', 'PUT');
  expectHeaderEquals(await swift.showObjectMetadata(container, name), 'content-type', contentType);
});

objectTests.test('test_copy_object_2d_way', '06f90388-2d0e-40aa-934c-e9a8833e958a', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const src = ctx.name('SrcObject');
  const srcData = randomBytes(src.length * 2);
  await put(swift, container, src, srcData);
  const dst = ctx.name('DstObject');
  await put(swift, container, dst, randomBytes(dst.length * 3));
  const res = await swift.copyObject(container, src, `${container}/${dst}`);
  expectSwiftHeaders(res, 'Object', 'COPY');
  expectHeaderEquals(res, 'x-copied-from', `${container}/${src}`);
  const got = await swift.getObject(container, dst);
  expectBytes(got.body, srcData, `${describeRequest(got)}: content of the copy`);
});

objectTests.test('test_copy_object_across_containers', 'aa467252-44f3-472a-b5ae-5b57c3c9c147', async (ctx) => {
  const swift = swiftFor(ctx);
  const srcContainer = await createContainer(ctx, swift, 'TestSourceContainer');
  const dstContainer = await createContainer(ctx, swift, 'TestDestinationContainer');
  const name = ctx.name('Object');
  const data = randomBytes(name.length * 2);
  await put(swift, srcContainer, name, data);
  const metaKey = ctx.name('test');
  const metaValue = ctx.name('MetaValue');
  expectSwiftHeaders(await swift.updateObjectMetadata(srcContainer, name, { [`X-Object-Meta-${metaKey}`]: metaValue }), 'Object', 'POST');
  const res = await put(swift, dstContainer, name, '', { 'X-Copy-From': `${srcContainer}/${name}` });
  expectSwiftHeaders(res, 'Object', 'PUT');
  const got = await swift.getObject(dstContainer, name);
  expectBytes(got.body, data, `${describeRequest(got)}: content of the copy`);
  expectHeaderEquals(got, `x-object-meta-${metaKey}`, metaValue);
});

objectTests.test('test_object_upload_in_segments', 'e3e6a64a-9f50-4955-b987-6ce6767c97fb', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const name = ctx.name('LObject');
  const segments = await uploadSegments(swift, container, name);
  const manifest = await put(swift, container, name, '');
  expectSwiftHeaders(manifest, 'Object', 'PUT');
  expectSwiftHeaders(await swift.updateObjectMetadata(container, name, { 'X-Object-Manifest': `${container}/${name}/` }), 'Object', 'POST');
  const head = await swift.showObjectMetadata(container, name);
  expectSwiftHeaders(withUnquotedEtag(head), 'Object', 'HEAD');
  expectHeaderEquals(head, 'x-object-manifest', `${container}/${name}/`);
  const got = await swift.getObject(container, name);
  expectBytes(got.body, segments.join(''), `${describeRequest(got)}: content joined from the segments`);
});

objectTests.test('test_list_object_metadata_with_x_object_manifest', '23a3674c-d6de-46c3-86af-ff92bfc8a3da', async (ctx) => {
  const { swift, container } = await setup(ctx);
  const name = ctx.name('LObject');
  await uploadSegments(swift, container, name);
  await put(swift, container, name, '', { 'X-Object-Manifest': `${container}/${name}` });
  const head = await swift.showObjectMetadata(container, name);
  expectStandardHeaders(head, 'Object', 'HEAD');
  const etag = expectHeader(head, 'etag');
  if (!/^"[A-Za-z0-9]+"$/.test(etag)) {
    fail(`${describeRequest(head)}: etag of a large object should be alphanumeric in double quotes, got ${JSON.stringify(etag)}`);
  }
  expectHeaderMatches(head, 'x-timestamp', /^\d+\.?\d*$/, 'a decimal timestamp');
  expectHeaderMatches(head, 'content-type', /./, 'non-empty');
  expectHeaderMatches(head, 'x-trans-id', /^tx[0-9a-f]{21}-[0-9a-f]{10}/, 'a Swift transaction id');
  expectHeaderMatches(head, 'date', /./, 'non-empty');
  expectHeaderEquals(head, 'accept-ranges', 'bytes');
  expectHeaderEquals(head, 'x-object-manifest', `${container}/${name}`);
});
