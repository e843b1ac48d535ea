/**
 * Check standing for tempest.api.object_storage.test_object_expiry.ObjectExpiryTest
 * .test_get_object_after_expiry_time: an object given X-Delete-After shows
 * X-Delete-At, and is gone (404) once that time has passed.
 */
import { describeRequest, expectHeaderMatches, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { anyReply } from '../../src/services/protocol.js';
import { createContainer, createObject, expectSwiftHeaders, pollFor, sleep, swiftFor } from './steps.js';

/** Seconds until expiry: long enough for the HEAD and GET below to happen before it. */
const DELETE_AFTER = 10;
/**
 * How long after X-Delete-At the object may still be served: about Tempest's own
 * bound (five retries over ~60 s). Swift itself answers 404 at once, so a
 * conforming cloud passes within seconds. Unit tests shorten it.
 */
export const expiryTiming = { graceMs: 60_000 };
const GRACE_MS = 60_000;

const objectExpiry = tempestClass('tempest.api.object_storage.test_object_expiry.ObjectExpiryTest', { timeoutMs: (DELETE_AFTER + 15) * 1000 + GRACE_MS });

objectExpiry.test('test_get_object_after_expiry_time', 'fb024a42-37f3-4ba5-9684-4f40a7910b41', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  const { name } = await createObject(ctx, swift, container);
  await swift.updateObjectMetadata(container, name, { 'X-Delete-After': String(DELETE_AFTER) });
  const head = await swift.showObjectMetadata(container, name);
  expectSwiftHeaders(head, 'Object', 'HEAD');
  const deleteAt = Number.parseInt(expectHeaderMatches(head, 'x-delete-at', /^\d+$/, 'unix seconds'), 10);
  const get = await swift.getObject(container, name);
  expectSwiftHeaders(get, 'Object', 'GET');
  expectHeaderMatches(get, 'x-delete-at', /^\d+$/, 'unix seconds');
  const wait = deleteAt * 1000 - Date.now();
  if (wait > (DELETE_AFTER + 5) * 1000) {
    fail(`${describeRequest(head)}: x-delete-at ${deleteAt} is ${Math.round(wait / 1000)} s away, expected about ${DELETE_AFTER} s`);
  }
  if (wait > 0) await sleep(wait + 1000, ctx.signal);
  // Any answer but 404 means the object is still served.
  const after = await pollFor(ctx, () => anyReply(() => swift.getObject(container, name)), (r) => r.status === 404, expiryTiming.graceMs, 2000);
  if (after.status !== 404) {
    fail(`${describeRequest(after)}: object still served (${after.status}) ${Math.round(expiryTiming.graceMs / 1000)} s after its X-Delete-At`);
  }
});
