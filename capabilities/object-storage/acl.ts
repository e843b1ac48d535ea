/**
 * Checks standing for tempest.api.object_storage.test_container_acl.ObjectTestACLs:
 * a container ACL naming another project's user (`<project_id>:<user_id>`) lets
 * that user read, or write, objects in the owner's container.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { ObjectStorageClient } from '../../src/services/object-storage.js';
import { createContainer, expectSwiftHeaders, swiftFor } from './steps.js';

const objectTestACLs = tempestClass('tempest.api.object_storage.test_container_acl.ObjectTestACLs', { accounts: ['alt'] });

/** The owner's client, a container of the owner, and the alt user acting on the owner's account. */
async function setup(ctx: CheckContext, aclHeader: 'X-Container-Read' | 'X-Container-Write') {
  const owner = swiftFor(ctx);
  const container = await createContainer(ctx, owner);
  const alt = ctx.account('alt');
  const who = await alt.identity();
  expectSwiftHeaders(await owner.updateContainerMetadata(container, { [aclHeader]: `${who.projectId}:${who.userId}` }), 'Container', 'POST');
  // The alt user's token sent to the owner's account URL.
  const asAlt = ObjectStorageClient.forAccount(alt, await owner.accountUrl());
  return { owner, container, asAlt };
}

objectTestACLs.test('test_read_object_with_rights', 'a3270f3f-7640-4944-8448-c7ea783ea5b6', async (ctx) => {
  const { owner, container, asAlt } = await setup(ctx, 'X-Container-Read');
  const name = ctx.name('Object');
  expectSwiftHeaders(await owner.createObject(container, name, 'data'), 'Object', 'PUT');
  expectSwiftHeaders(await asAlt.getObject(container, name), 'Object', 'GET');
});

objectTestACLs.test('test_write_object_with_rights', 'aa58bfa5-40d9-4bc3-82b4-d07f4a9e392a', async (ctx) => {
  const { container, asAlt } = await setup(ctx, 'X-Container-Write');
  expectSwiftHeaders(await asAlt.createObject(container, ctx.name('Object'), 'data'), 'Object', 'PUT');
});
