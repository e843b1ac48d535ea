/**
 * Checks standing for tempest.api.object_storage.test_account_services.AccountTest:
 * account listings (plain, JSON, limit/marker/end_marker), /info, and accounts
 * without containers or metadata.
 *
 * Tempest lists a fresh project holding only its six containers, so it can expect
 * exact counts. Here the primary account is shared with concurrent checks (and may
 * hold the user's own containers), so each listing is judged by the rules that
 * produce Tempest's counts: every name respects marker/end_marker/limit, this
 * check's containers that qualify come first-in-order, and all of them are listed
 * whenever the limit leaves room. With no foreign containers this is exactly
 * Tempest's expectation.
 */
import { registerCheck, type CheckContext } from '../../src/check/api.js';
import {
  describeRequest,
  expectHeader,
  expectJson,
  expectNoHeaderWithPrefix,
  expectSchema,
  expectStatus,
  expectThat,
  fail,
} from '../../src/check/expect.js';
import { listingNames, type ListingParams, type ObjectStorageClient } from '../../src/services/object-storage.js';
import { withExclusiveMetadata } from './account-metadata.js';
import { deferPurge, expectSwiftHeaders, expectWellFormattedHeaders, pollFor, storagePolicies, swiftFor } from './common.js';

const CLASS = 'tempest.api.object_storage.test_account_services.AccountTest';
const COUNT = 6;

interface Fixture {
  swift: ObjectStorageClient;
  /** This check's containers, in listing (byte) order. */
  names: string[];
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Six containers named after the letters a–f, as Tempest's class setup creates. */
async function sixContainers(ctx: CheckContext): Promise<Fixture> {
  const swift = swiftFor(ctx);
  const names: string[] = [];
  for (const letter of ['a', 'b', 'c', 'd', 'e', 'f']) {
    const name = ctx.name(`${letter}-`);
    const res = await swift.createContainer(name);
    deferPurge(ctx, swift, name);
    expectStatus(res, [201, 202]);
    names.push(name);
  }
  names.sort(byteCompare);
  // Wait (bounded) until the account lists them all; Swift updates it on container PUT.
  await pollFor(
    ctx,
    async () => listingNames(await swift.listContainers({ prefix: ctx.prefix })),
    (listed) => names.every((n) => listed.includes(n)),
  );
  return { swift, names };
}

/** GET account with `params`, asserting status and standard headers; returns the names listed. */
async function list(ctx: CheckContext, fx: Fixture, params: ListingParams): Promise<{ names: string[]; where: string }> {
  const res = await fx.swift.listContainers(params);
  expectStatus(res, [200, 204]);
  expectSwiftHeaders(res, 'Account', 'GET', await storagePolicies(ctx, fx.swift));
  return { names: listingNames(res), where: describeRequest(res) };
}

/** Judges a listing against marker/end_marker/limit and this check's containers. */
function judgeListing(
  ctx: CheckContext,
  listed: { names: string[]; where: string },
  mine: string[],
  params: { marker?: string; end_marker?: string; limit?: number },
): void {
  const { names, where } = listed;
  const { marker, end_marker: endMarker, limit } = params;
  if (limit !== undefined && names.length > limit) {
    fail(`${where}: listed ${names.length} containers, more than limit=${limit}`);
  }
  for (const n of names) {
    if (marker !== undefined && byteCompare(n, marker) <= 0) fail(`${where}: listed "${n}", not after marker "${marker}"`);
    if (endMarker !== undefined && byteCompare(n, endMarker) >= 0) {
      fail(`${where}: listed "${n}", not before end_marker "${endMarker}"`);
    }
  }
  const expected = mine.filter(
    (n) => (marker === undefined || byteCompare(n, marker) > 0) && (endMarker === undefined || byteCompare(n, endMarker) < 0),
  );
  const ours = names.filter((n) => mine.includes(n));
  const foreign = names.length - ours.length;
  if (foreign > 0) ctx.note(`${where}: ${foreign} container(s) of others listed besides this check's`);
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] !== expected[i]) {
      fail(`${where}: expected this check's containers ${JSON.stringify(expected)} in order, got ${JSON.stringify(ours)}`);
    }
  }
  const roomLeft = limit === undefined || names.length < limit;
  if (roomLeft && ours.length < expected.length) {
    const missing = expected.filter((n) => !ours.includes(n));
    fail(`${where}: expected ${expected.length} of this check's containers, missing ${JSON.stringify(missing)}`);
  }
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

registerCheck({
  id: '3499406a-ae53-4f8c-b43a-133d4dc6fe3f',
  test: `${CLASS}.test_list_containers`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    const listed = await list(ctx, fx, {});
    const missing = fx.names.filter((n) => !listed.names.includes(n));
    if (missing.length) fail(`${listed.where}: containers not listed: ${JSON.stringify(missing)}`);
  },
});

registerCheck({
  id: '884ec421-fbad-4fcc-916b-0580f2699565',
  test: `${CLASS}.test_list_no_containers`,
  accounts: ['alt'],
  async run(ctx) {
    // Tempest uses a second, untouched account for this.
    const swift = swiftFor(ctx, 'alt');
    const res = await swift.listContainers();
    expectStatus(res, [200, 204]);
    // An account never written to may lack accept-ranges and content-length,
    // so only these headers are required here.
    for (const h of ['x-timestamp', 'x-account-bytes-used', 'x-account-container-count', 'x-account-object-count',
      'content-type', 'x-trans-id', 'date']) {
      expectHeader(res, h);
    }
    expectWellFormattedHeaders(res);
    const names = listingNames(res);
    expectThat(names.length === 0, `${describeRequest(res)}: expected no containers in the alt account, got ${JSON.stringify(names.slice(0, 5))}`);
  },
});

registerCheck({
  id: '1c7efa35-e8a2-4b0b-b5ff-862c7fd83704',
  test: `${CLASS}.test_list_containers_with_format_json`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    const res = await fx.swift.listContainers({ format: 'json' });
    expectStatus(res, [200, 204]);
    expectSwiftHeaders(res, 'Account', 'GET', await storagePolicies(ctx, fx.swift));
    const body = expectJson(res);
    expectSchema('object-storage', 'account-container-listing', body, res);
    expectThat((body as unknown[]).length > 0, `${describeRequest(res)}: the JSON listing is empty`);
  },
});

registerCheck({
  id: '6eb04a6a-4860-4e31-ba91-ea3347d76b58',
  test: `${CLASS}.test_list_extensions`,
  async run(ctx) {
    const res = await swiftFor(ctx).showInfo();
    expectStatus(res, 200);
    expectWellFormattedHeaders(res);
    expectSchema('object-storage', 'info', expectJson(res), res);
  },
});

registerCheck({
  id: '5cfa4ab2-4373-48dd-a41f-a532b12b08b2',
  test: `${CLASS}.test_list_containers_with_limit`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    for (const limit of [1, COUNT / 2, COUNT]) {
      const listed = await list(ctx, fx, { limit });
      // The account holds at least this check's six containers, so every page is full.
      if (listed.names.length !== limit) fail(`${listed.where}: expected ${limit} containers, got ${listed.names.length}`);
    }
  },
});

registerCheck({
  id: '638f876d-6a43-482a-bbb3-0840bca101c6',
  test: `${CLASS}.test_list_containers_with_marker`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    for (const marker of [fx.names[COUNT - 1]!, fx.names[COUNT / 2]!]) {
      judgeListing(ctx, await list(ctx, fx, { marker }), fx.names, { marker });
    }
  },
});

registerCheck({
  id: '5ca164e4-7bde-43fa-bafb-913b53b9e786',
  test: `${CLASS}.test_list_containers_with_end_marker`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    for (const endMarker of [fx.names[0]!, fx.names[COUNT / 2]!]) {
      judgeListing(ctx, await list(ctx, fx, { end_marker: endMarker }), fx.names, { end_marker: endMarker });
    }
  },
});

registerCheck({
  id: 'ac8502c2-d4e4-4f68-85a6-40befea2ef5e',
  test: `${CLASS}.test_list_containers_with_marker_and_end_marker`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    const params = { marker: fx.names[0]!, end_marker: fx.names[COUNT - 1]! };
    judgeListing(ctx, await list(ctx, fx, params), fx.names, params);
  },
});

registerCheck({
  id: 'f7064ae8-dbcc-48da-b594-82feef6ea5af',
  test: `${CLASS}.test_list_containers_with_limit_and_marker`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    // Tempest walks the characters of one random container name, using each as
    // marker with a random limit; the listing must never exceed the limit.
    const picked = fx.names[randomInt(0, COUNT - 1)]!;
    for (const marker of picked) {
      const limit = randomInt(0, COUNT - 1);
      const listed = await list(ctx, fx, { marker, limit });
      if (listed.names.length > limit) {
        fail(`${listed.where}: listed ${listed.names.length} containers, more than limit=${limit}`);
      }
    }
  },
});

registerCheck({
  id: '888a3f0e-7214-4806-8e50-5e0c9a69bb5e',
  test: `${CLASS}.test_list_containers_with_limit_and_end_marker`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    const params = { limit: randomInt(1, COUNT), end_marker: fx.names[COUNT / 2]! };
    judgeListing(ctx, await list(ctx, fx, params), fx.names, params);
  },
});

registerCheck({
  id: '8cf98d9c-e3a0-4e44-971b-c87656fdddbd',
  test: `${CLASS}.test_list_containers_with_limit_and_marker_and_end_marker`,
  async run(ctx) {
    const fx = await sixContainers(ctx);
    const params = { limit: randomInt(1, COUNT), marker: fx.names[0]!, end_marker: fx.names[COUNT - 1]! };
    judgeListing(ctx, await list(ctx, fx, params), fx.names, params);
  },
});

registerCheck({
  id: 'b904c2e3-24c2-4dba-ad7d-04e90a761be5',
  test: `${CLASS}.test_list_no_account_metadata`,
  async run(ctx) {
    const swift = swiftFor(ctx);
    const policies = await storagePolicies(ctx, swift);
    await withExclusiveMetadata(ctx, swift, async () => {
      const res = await swift.showAccountMetadata();
      expectStatus(res, 204);
      expectSwiftHeaders(res, 'Account', 'HEAD', policies);
      expectNoHeaderWithPrefix(res, 'x-account-meta-');
    });
  },
});
