/**
 * Check standing for tempest.api.object_storage.test_object_expiry.ObjectExpiryTest
 * .test_get_object_after_expiry_time: an object given X-Delete-After shows
 * X-Delete-At, and is gone (404) once that time has passed.
 */
import type { CheckContext } from '../../src/check/api.js';
import { describeRequest, expectHeaderMatches, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import type { ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyReply, UnexpectedStatus, type Reply } from '../../src/services/protocol.js';
import { createContainer, createObject, expectSwiftHeaders, pollFor, sleep, swiftFor } from './steps.js';

/**
 * X-Delete-After of each try, in seconds. It only has to outlast the HEAD and GET that
 * read X-Delete-At back, which a healthy cloud answers in well under a second, so the
 * first try uses 3 s instead of Tempest's 10 and the run waits 7 s less. The window is
 * the harness's choice, so it must not fail a slow cloud: when the object is already
 * gone before those reads answer, the test starts over with Tempest's own 10 s, and
 * only that try decides.
 *
 * graceMs: how long after X-Delete-At the object may still be served: about Tempest's
 * own bound (five retries over ~60 s). Swift itself answers 404 at once. Unit tests
 * shorten both.
 */
export const expiryTiming = { deleteAfter: [3, 10], graceMs: 60_000 };
const LONGEST_DELETE_AFTER = 10;
const GRACE_MS = 60_000;

const objectExpiry = tempestClass('tempest.api.object_storage.test_object_expiry.ObjectExpiryTest', {
  timeoutMs: (3 + LONGEST_DELETE_AFTER + 30) * 1000 + GRACE_MS,
  // mostly a wait: started before the other tests, it never ends a run alone
  startFirst: true,
});

objectExpiry.test('test_get_object_after_expiry_time', 'fb024a42-37f3-4ba5-9684-4f40a7910b41', async (ctx) => {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  const tries = expiryTiming.deleteAfter;
  for (const [i, seconds] of tries.entries()) {
    const last = i === tries.length - 1;
    if (await expiresOnTime(ctx, swift, container, seconds, last)) return;
    ctx.note(`the object given X-Delete-After: ${seconds} was gone before its HEAD and GET answered: trying again with ${tries[i + 1]} s`);
  }
});

/** One try; false when the object expired before it could be read back (not on the last try: then that fails). */
async function expiresOnTime(ctx: CheckContext, swift: ObjectStorageClient, container: string, seconds: number, last: boolean): Promise<boolean> {
  const { name } = await createObject(ctx, swift, container);
  await swift.updateObjectMetadata(container, name, { 'X-Delete-After': String(seconds) });
  const head = await beforeExpiry(() => swift.showObjectMetadata(container, name), last);
  if (!head) return false;
  const headAt = Date.now();
  expectSwiftHeaders(head, 'Object', 'HEAD');
  const deleteAt = Number.parseInt(expectHeaderMatches(head, 'x-delete-at', /^\d+$/, 'unix seconds'), 10);
  const get = await beforeExpiry(() => swift.getObject(container, name), last);
  if (!get) return false;
  expectSwiftHeaders(get, 'Object', 'GET');
  expectHeaderMatches(get, 'x-delete-at', /^\d+$/, 'unix seconds');
  // X-Delete-At is the cloud's clock; its Date header says how far ours is from it
  // (a skewed harness clock must neither fail the test nor cut the wait short).
  const cloudDate = Date.parse(head.headers['date'] ?? '');
  const skew = Number.isNaN(cloudDate) ? 0 : cloudDate - headAt;
  const away = deleteAt * 1000 - (headAt + skew);
  if (away > (seconds + 5) * 1000) {
    fail(`${describeRequest(head)}: x-delete-at ${deleteAt} is ${Math.round(away / 1000)} s away, expected about ${seconds} s`);
  }
  // + 1 s: the Date header counts whole seconds
  const wait = deleteAt * 1000 - (Date.now() + skew) + 1000;
  if (wait > 0) await sleep(wait, ctx.signal);
  // Any answer but 404 means the object is still served.
  const after = await pollFor(ctx, () => anyReply(() => swift.getObject(container, name)), (r) => r.status === 404, expiryTiming.graceMs, 2000);
  if (after.status !== 404) {
    fail(`${describeRequest(after)}: object still served (${after.status}) ${Math.round(expiryTiming.graceMs / 1000)} s after its X-Delete-At`);
  }
  return true;
}

/** The read's reply; undefined when a try that is not the last finds the object already expired. */
async function beforeExpiry<T>(read: () => Promise<Reply<T>>, last: boolean): Promise<Reply<T> | undefined> {
  try {
    return await read();
  } catch (err) {
    if (!last && err instanceof UnexpectedStatus && err.reply.status === 404) return undefined;
    throw err;
  }
}
