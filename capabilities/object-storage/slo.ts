/**
 * Checks standing for tempest.api.object_storage.test_object_slo.ObjectSloTest:
 * static large objects made of two 1 MiB segments (upload the manifest, HEAD,
 * GET the joined content, delete with its segments).
 *
 * ObjectSloTest.tearDown empties and deletes the test's container
 * (base.delete_containers): that removal is part of each test, so it is asserted
 * here (a DELETE refused, or an object or container that never disappears, fails
 * the check).
 */
import { createHash } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectBytes, expectHeaderEquals, fail } from '../../src/check/expect.js';
import type { ObjectStorageClient } from '../../src/services/object-storage.js';
import type { Reply } from '../../src/services/protocol.js';
import { createContainer, expectSwiftHeaders, pollReply, randomBytes, swiftFor, withUnquotedEtag } from './steps.js';

const objectSlo = tempestClass('tempest.api.object_storage.test_object_slo.ObjectSloTest', { timeoutMs: 120_000 });
/** Every segment but the last must be at least 1 MiB. */
const SEGMENT_SIZE = 1024 * 1024;

interface Slo {
  swift: ObjectStorageClient;
  container: string;
  content: Buffer;
}

async function segmentsAndManifest(ctx: CheckContext): Promise<Slo & { manifest: string }> {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift, 'container', {}, { asserted: true });
  const base = ctx.name('TestObject');
  const content = randomBytes(SEGMENT_SIZE);
  const etag = createHash('md5').update(content).digest('hex');
  const entries = [];
  for (const suffix of ['_01', '_02']) {
    await swift.createObject(container, `${base}${suffix}`, content);
    entries.push({ path: `/${container}/${base}${suffix}`, etag, size_bytes: SEGMENT_SIZE });
  }
  return { swift, container, content, manifest: JSON.stringify(entries) };
}

function putManifest(slo: Slo & { manifest: string }, name: string): Promise<Reply<string>> {
  return slo.swift.createObject(slo.container, name, slo.manifest, { query: { 'multipart-manifest': 'put' } });
}

/** X-Static-Large-Object on GET/HEAD, a quoted etag, then the standard headers. */
function expectSloHeaders(res: Reply<unknown>, method: 'PUT' | 'GET' | 'HEAD'): void {
  if (method !== 'PUT') expectHeaderEquals(res, 'x-static-large-object', 'True');
  expectSwiftHeaders(withUnquotedEtag(res), 'Object', method);
}

async function largeObject(ctx: CheckContext): Promise<Slo & { name: string }> {
  const slo = await segmentsAndManifest(ctx);
  const name = ctx.name('TestObject');
  await putManifest(slo, name);
  return { ...slo, name };
}

objectSlo.test('test_upload_manifest', '2c3f24a6-36e8-4711-9aa2-800ee1fc7b5b', async (ctx) => {
  const slo = await segmentsAndManifest(ctx);
  const res = await putManifest(slo, ctx.name('TestObject'));
  expectSloHeaders(res, 'PUT');
});

objectSlo.test('test_list_large_object_metadata', 'e69ad766-e1aa-44a2-bdd2-bf62c09c1456', async (ctx) => {
  const { swift, container, name } = await largeObject(ctx);
  expectSloHeaders(await swift.showObjectMetadata(container, name), 'HEAD');
});

objectSlo.test('test_retrieve_large_object', '49bc49bc-dd1b-4c0f-904e-d9f10b830ee8', async (ctx) => {
  const { swift, container, name, content } = await largeObject(ctx);
  const res = await swift.getObject(container, name);
  expectSloHeaders(res, 'GET');
  expectBytes(res.body, Buffer.concat([content, content]), `${describeRequest(res)}: content joined from the segments`);
});

objectSlo.test('test_delete_large_object', '87b6dfa1-abe9-404d-8bf0-6c3751e6aa77', async (ctx) => {
  const { swift, container, name } = await largeObject(ctx);
  expectSwiftHeaders(await swift.deleteObject(container, name, { 'multipart-manifest': 'delete' }), 'Object', 'DELETE');
  // The manifest and both segments go; the container's count follows.
  const listed = await pollReply(ctx, () => swift.listObjects(container), (r) => r.headers['x-container-object-count'] === '0');
  const count = listed.headers['x-container-object-count'];
  if (count !== '0') fail(`${describeRequest(listed)}: x-container-object-count expected 0 after deleting the large object, got ${count}`);
});
