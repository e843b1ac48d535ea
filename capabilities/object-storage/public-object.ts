/**
 * Native checks for tempest.api.object_storage.test_object_services.PublicObjectTest,
 * which the guidelines 2015.03 … 2015.07 require: a container made public with
 * `X-Container-Read: .r:*,.rlistings` serves its objects to a request without
 * a token and to another project's user.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectEqual, expectStatus, fail } from '../../src/check/expect.js';
import { encodeName, ObjectStorageClient, type SwiftResponse } from '../../src/services/object-storage.js';
import { createContainer, expectSwiftHeaders, swiftFor } from './steps.js';

const publicObjectTests = tempestClass('tempest.api.object_storage.test_object_services.PublicObjectTest');
const PUBLIC_READ = '.r:*,.rlistings';

/** A public-read container holding one object; returns the owner's client, names and data. */
async function publicObject(ctx: CheckContext): Promise<{ owner: ObjectStorageClient; container: string; name: string; data: string }> {
  const owner = swiftFor(ctx);
  const container = await createContainer(ctx, owner);
  const post = await owner.updateContainerMetadata(container, { 'X-Container-Read': PUBLIC_READ });
  expectStatus(post, 204);
  expectSwiftHeaders(post, 'Container', 'POST');
  const name = ctx.name('Object');
  // Tempest's arbitrary_string(len(name), base_text=name) is the name itself
  const data = name;
  const put = await owner.createObject(container, name, data);
  expectStatus(put, 201);
  expectSwiftHeaders(put, 'Object', 'PUT');
  const head = await owner.showContainerMetadata(container);
  expectStatus(head, 204);
  expectSwiftHeaders(head, 'Container', 'HEAD');
  const read = head.headers['x-container-read'];
  if (read === undefined) fail(`${describeRequest(head)}: no X-Container-Read header`);
  expectEqual(read, PUBLIC_READ, `${describeRequest(head)}: X-Container-Read`);
  return { owner, container, name, data };
}

function expectObject(res: SwiftResponse<Buffer>, data: string): void {
  expectStatus(res, 200);
  expectSwiftHeaders(res, 'Object', 'GET');
  expectEqual(Buffer.from(res.body).toString('utf8'), data, `${describeRequest(res)}: object content`);
}

publicObjectTests.test('test_access_public_container_object_without_using_creds', '07c9cf95-c0d4-4b49-b9c8-0ef2c9b27193', async (ctx) => {
  const { owner, container, name, data } = await publicObject(ctx);
  const url = `${await owner.accountUrl()}/${encodeName(container)}/${encodeName(name)}`;
  expectObject(await owner.requestUnauthenticated<Buffer>('GET', url, { responseType: 'buffer' }), data);
});

publicObjectTests.test('test_access_public_object_with_another_user_creds', '54e2a2fe-42dc-491b-8270-8e4217dd4cdc', async (ctx) => {
  const { owner, container, name, data } = await publicObject(ctx);
  const asAlt = ObjectStorageClient.forAccount(ctx.account('alt'), await owner.accountUrl());
  expectObject(await asAlt.getObject(container, name), data);
}, { accounts: ['alt'] });
