/**
 * Checks standing for tempest.api.object_storage.test_object_temp_url.ObjectTempUrlTest:
 * with an account Temp-URL key, a signed URL lets anyone GET/HEAD, or PUT, an
 * object without a token until it expires.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectBytes, fail } from '../../src/check/expect.js';
import type { ObjectStorageClient, TempUrlDigest } from '../../src/services/object-storage.js';
import { anyReply } from '../../src/services/protocol.js';
import { acquireTempUrlKey } from './account-metadata.js';
import { createContainer, createObject, expectSwiftHeaders, randomBytes, swiftFor } from './steps.js';

const objectTempUrl = tempestClass('tempest.api.object_storage.test_object_temp_url.ObjectTempUrlTest');

/** The digest to sign with: SHA-256 unless /info says the cluster does not allow it. */
async function digestFor(swift: ObjectStorageClient): Promise<TempUrlDigest> {
  const res = await anyReply(() => swift.showInfo());
  if (res.status !== 200) return 'sha256';
  try {
    const info = JSON.parse(res.text) as { tempurl?: { allowed_digests?: unknown } };
    const allowed = info.tempurl?.allowed_digests;
    if (Array.isArray(allowed) && allowed.length > 0 && !allowed.includes('sha256')) {
      return allowed.includes('sha1') ? 'sha1' : (allowed[0] as TempUrlDigest);
    }
  } catch {
    // fall through to the default
  }
  return 'sha256';
}

async function setup(ctx: CheckContext) {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  const key = await acquireTempUrlKey(ctx, swift);
  // Tempest verifies the key is in place before each test.
  const head = await swift.showAccountMetadata();
  // Compared, never printed: the key is a credential.
  if (head.headers['x-account-meta-temp-url-key'] !== key) {
    fail(`${describeRequest(head)}: x-account-meta-temp-url-key does not hold the key just set`);
  }
  const { name, data } = await createObject(ctx, swift, container);
  const expires = Math.floor(Date.now() / 1000) + 1000;
  return { swift, container, key, name, data, expires, digest: await digestFor(swift) };
}

objectTempUrl.test('test_get_object_using_temp_url', 'f91c96d4-1230-4bba-8eb9-84476d18d991', async (ctx) => {
  const { swift, container, key, name, data, expires, digest } = await setup(ctx);
  const url = await swift.tempUrl(container, name, 'GET', expires, key, digest);
  const res = await swift.getObjectWithTempUrl(url);
  expectSwiftHeaders(res, 'Object', 'GET');
  expectBytes(res.body, data, `${describeRequest(res)}: content through the temp URL`);
  expectSwiftHeaders(await swift.showObjectMetadataWithTempUrl(url), 'Object', 'HEAD');
});

objectTempUrl.test('test_put_object_using_temp_url', '9b08dade-3571-4152-8a4f-a4f2a873a735', async (ctx) => {
  const { swift, container, key, name, expires, digest } = await setup(ctx);
  const newData = randomBytes(name.length);
  const putUrl = await swift.tempUrl(container, name, 'PUT', expires, key, digest);
  expectSwiftHeaders(await swift.createObjectWithTempUrl(putUrl, newData), 'Object', 'PUT');
  // A PUT signature also allows HEAD.
  expectSwiftHeaders(await swift.showObjectMetadataWithTempUrl(putUrl), 'Object', 'HEAD');
  const getUrl = await swift.tempUrl(container, name, 'GET', expires, key, digest);
  const got = await swift.getObjectWithTempUrl(getUrl);
  expectBytes(got.body, newData, `${describeRequest(got)}: content after the temp-URL PUT`);
});
