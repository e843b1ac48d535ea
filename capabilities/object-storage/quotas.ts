/**
 * Checks standing for Tempest's account-quota and container-quota tests
 * (test_account_quotas, test_account_quotas_negative, test_container_quotas).
 *
 * Account quotas: Tempest sets a 20-byte quota on a fresh project. The primary
 * account here is shared with concurrent checks, so the reseller sets the quota to
 * the bytes already used plus a wide margin: the facts checked stay the same (a
 * reseller can set a quota, an object that fits is stored, the account's own user
 * cannot change or remove the quota) without starving other checks' uploads.
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, fail } from '../../src/check/expect.js';
import { ObjectStorageClient } from '../../src/services/object-storage.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { acquireAccountQuota } from './account-metadata.js';
import { arbitraryString, createContainer, createObject, expectSwiftHeaders, pollFor, swiftFor } from './steps.js';
import { expectRefusal } from '../../src/check/expect-refusal.js';

const accountQuotas = tempestClass('tempest.api.object_storage.test_account_quotas.AccountQuotasTest', { accounts: ['reseller'] });
const accountQuotasNegative = tempestClass('tempest.api.object_storage.test_account_quotas_negative.AccountQuotasNegativeTest');
const containerQuotas = tempestClass('tempest.api.object_storage.test_container_quotas.ContainerQuotasTest');

/** Headroom above current usage, so concurrent checks' uploads still fit. */
const ACCOUNT_QUOTA_MARGIN = 1 << 30;

async function withAccountQuota(ctx: CheckContext) {
  const owner = swiftFor(ctx);
  const container = await createContainer(ctx, owner);
  const reseller = ObjectStorageClient.forAccount(ctx.account('reseller'), await owner.accountUrl());
  const quota = await acquireAccountQuota(ctx, owner, reseller, (used) => used + ACCOUNT_QUOTA_MARGIN);
  ctx.note(`account byte quota set by the reseller: ${quota}`);
  return { owner, container };
}

accountQuotas.test('test_upload_valid_object', 'a22ef352-a342-4587-8f47-3bbdb5b039c4', async (ctx) => {
  const { owner, container } = await withAccountQuota(ctx);
  expectSwiftHeaders(await owner.createObject(container, ctx.name('TestObject'), arbitraryString()), 'Object', 'PUT');
});

accountQuotasNegative.test('test_user_modify_quota', 'd1dc5076-555e-4e6d-9697-28f1fe976324', async (ctx) => {
  const { owner } = await withAccountQuota(ctx);
  for (const value of ['', '100']) {
    const what = `setting X-Account-Meta-Quota-Bytes=${JSON.stringify(value)} as the account's own user`;
    await expectRefusal(403, what, () => owner.updateAccountMetadata({ 'X-Account-Meta-Quota-Bytes': value }));
  }
}, { accounts: ['reseller'] });

const QUOTA_BYTES = 10;
const QUOTA_COUNT = 3;

async function quotaContainer(ctx: CheckContext): Promise<{ swift: ObjectStorageClient; container: string }> {
  const swift = swiftFor(ctx);
  const container = await createContainer(ctx, swift);
  await swift.updateContainerMetadata(container, {
    'X-Container-Meta-Quota-Bytes': String(QUOTA_BYTES),
    'X-Container-Meta-Quota-Count': String(QUOTA_COUNT),
  });
  return { swift, container };
}

async function usage(swift: ObjectStorageClient, container: string): Promise<{ bytes: number; count: number; where: string }> {
  const res = await swift.showContainerMetadata(container);
  const bytes = Number.parseInt(res.headers['x-container-bytes-used'] ?? '', 10);
  const count = Number.parseInt(res.headers['x-container-object-count'] ?? '', 10);
  if (Number.isNaN(bytes) || Number.isNaN(count)) {
    fail(`${describeRequest(res)}: x-container-bytes-used / x-container-object-count missing or not numbers`);
  }
  return { bytes, count, where: describeRequest(res) };
}

containerQuotas.test('test_upload_valid_object', '9a0fb034-86af-4df0-86fa-f8bd7db21ae0', async (ctx) => {
  const { swift, container } = await quotaContainer(ctx);
  const data = arbitraryString(QUOTA_BYTES);
  const before = await usage(swift, container);
  expectSwiftHeaders(await swift.createObject(container, ctx.name('TestObject'), data), 'Object', 'PUT');
  const want = before.bytes + data.length;
  const after = await pollFor(ctx, () => usage(swift, container), (u) => u.bytes === want);
  if (after.bytes !== want) fail(`${after.where}: x-container-bytes-used expected ${want}, got ${after.bytes}`);
});

containerQuotas.test('test_upload_large_object', '22eeeb2b-3668-4160-baef-44790f65a5a0', async (ctx) => {
  const { swift, container } = await quotaContainer(ctx);
  const before = await usage(swift, container);
  await expectErrorStatus(413, () => swift.createObject(container, ctx.name('TestObject'), arbitraryString(QUOTA_BYTES + 1)));
  const after = await usage(swift, container);
  if (after.bytes !== before.bytes) {
    fail(`${after.where}: x-container-bytes-used changed from ${before.bytes} to ${after.bytes} after a refused upload`);
  }
});

containerQuotas.test('test_upload_too_many_objects', '3a387039-697a-44fc-a9c0-935de31f426b', async (ctx) => {
  const { swift, container } = await quotaContainer(ctx);
  for (let i = 0; i < QUOTA_COUNT; i++) await createObject(ctx, swift, container, ctx.name('TestObject'), '');
  const before = await pollFor(ctx, () => usage(swift, container), (u) => u.count === QUOTA_COUNT);
  if (before.count !== QUOTA_COUNT) {
    fail(`${before.where}: x-container-object-count expected ${QUOTA_COUNT}, got ${before.count}`);
  }
  await expectErrorStatus(413, () => swift.createObject(container, 'OverQuotaObject', ''));
  const after = await usage(swift, container);
  if (after.count !== before.count) {
    fail(`${after.where}: x-container-object-count changed from ${before.count} to ${after.count} after a refused upload`);
  }
});

/**
 * Required, and flagged, by 2017.01 only. Tempest skipped this test from 2014
 * (skip_because bug 1310597) until it removed it in 2016, and the guideline
 * flags it for that removal: a skip reports exactly what Tempest reported, and
 * a flagged test never decides a verdict.
 */
accountQuotasNegative.test('test_upload_large_object', 'cf9e21f5-3aa4-41b1-9462-28ac550d8d3f', async () => {
  throw new CheckSkip('Tempest skipped this test from April 2014 until it removed it in August 2016 (bug 1310597); the guideline flags it');
});
