/**
 * Native checks for tempest.api.object_storage.test_object_services.PublicObjectTest,
 * which the guidelines 2015.03 … 2015.07 require: a container made public with
 * `X-Container-Read: .r:*,.rlistings` serves its objects to a request without
 * a token and to another project's user.
 *
 * PublicObjectTest.tearDown deletes the test's container with its object
 * (base.delete_containers): that removal is part of each test, so it is asserted.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectStatus, fail } from '../../src/check/expect.js';
import { ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyStatus, type Reply } from '../../src/services/protocol.js';
import { createContainer, expectSwiftHeaders, swiftFor } from './steps.js';

const publicObjectTests = tempestClass('tempest.api.object_storage.test_object_services.PublicObjectTest');
const PUBLIC_READ = '.r:*,.rlistings';

/** A public-read container holding one object; returns the owner's client, names and data. */
async function publicObject(ctx: CheckContext): Promise<{ owner: ObjectStorageClient; container: string; name: string; data: string }> {
  const owner = swiftFor(ctx);
  const container = await createContainer(ctx, owner, 'container', {}, { asserted: true });
  expectSwiftHeaders(await owner.updateContainerMetadata(container, { 'X-Container-Read': PUBLIC_READ }), 'Container', 'POST');
  const name = ctx.name('Object');
  // Tempest's arbitrary_string(len(name), base_text=name) is the name itself
  const data = name;
  expectSwiftHeaders(await owner.createObject(container, name, data), 'Object', 'PUT');
  const head = await owner.showContainerMetadata(container);
  expectSwiftHeaders(head, 'Container', 'HEAD');
  const read = head.headers['x-container-read'];
  if (read === undefined) fail(`${describeRequest(head)}: no X-Container-Read header`);
  expectEqual(read, PUBLIC_READ, `${describeRequest(head)}: X-Container-Read`);
  return { owner, container, name, data };
}

/**
 * Reads the object with `read` and asserts its content. No Range is asked, so the
 * whole object must come: 200 only, stricter than the client's 200 or 206.
 */
async function expectObject(read: () => Promise<Reply<Buffer>>, data: string): Promise<void> {
  const res = await anyStatus(read);
  expectStatus(res, 200);
  expectSwiftHeaders(res, 'Object', 'GET');
  expectEqual(Buffer.from(res.body).toString('utf8'), data, `${describeRequest(res)}: object content`);
}

publicObjectTests.test('test_access_public_container_object_without_using_creds', '07c9cf95-c0d4-4b49-b9c8-0ef2c9b27193', async (ctx) => {
  const { owner, container, name, data } = await publicObject(ctx);
  await expectObject(() => owner.getObject(container, name, { auth: false }), data);
});

publicObjectTests.test('test_access_public_object_with_another_user_creds', '54e2a2fe-42dc-491b-8270-8e4217dd4cdc', async (ctx) => {
  const { owner, container, name, data } = await publicObject(ctx);
  const asAlt = ObjectStorageClient.forAccount(ctx.account('alt'), await owner.accountUrl());
  await expectObject(() => asAlt.getObject(container, name), data);
}, { accounts: ['alt'] });
