/**
 * Checks standing for tempest.api.object_storage.test_account_services.AccountTest:
 * account listings (plain, JSON, limit/marker/end_marker), /info, and accounts
 * without containers or metadata.
 *
 * Tempest lists a fresh project holding only its six containers, so it can expect
 * exact counts. Here the primary account is shared with concurrent checks (and may
 * hold the user's own containers), so each listing is judged by the rules that
 * produce Tempest's counts (listing.ts): the whole answer is in byte order, inside
 * marker/end_marker and within the limit, and the class's qualifying containers
 * are all there up to the last name listed. Windows bounded by the class's own
 * containers hold nothing else and are compared exactly. Parameters are fixed,
 * never random, and chosen so that a cloud ignoring one fails every run.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectHeader, expectNoHeaderWithPrefix, expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { listingNames, type ListingParams, type ObjectStorageClient } from '../../src/services/object-storage.js';
import { anyReply } from '../../src/services/protocol.js';
import { withExclusiveMetadata } from './account-metadata.js';
import { expectSwiftHeaders, sharedContainers, expectWellFormattedHeaders, pollFor, storagePolicies, swiftFor } from './steps.js';
import { expectDiscoverableCapabilities } from './info.js';
import { byteSorted, judgeSharedListing, type WindowParams } from './listing.js';

const accountTests = tempestClass('tempest.api.object_storage.test_account_services.AccountTest');
const COUNT = 6;
/**
 * Tempest names its six containers after the letters a–f. Here four ASCII letters
 * and two characters whose UTF-8 byte order is the reverse of their UTF-16 order
 * (U+FF41 "ａ" is EF BD 81, U+1F600 "😀" is F0 9F 98 80 but D83D DE00 in UTF-16),
 * so a listing sorted as JavaScript or Java strings sort is told apart from
 * Swift's memcmp order. Container names are any UTF-8 without "/" (API reference,
 * path parameter `container`).
 */
const SUFFIXES = ['a', 'b', 'c', 'd', '\uFF41', '\u{1F600}'];

interface Fixture {
  swift: ObjectStorageClient;
  /** The class's shared containers, in listing (byte) order. */
  names: string[];
}

/**
 * Six containers sharing a name unique to this run's AccountTest, `<base>-<suffix>`,
 * set up once and shared by the class's listing tests, as Tempest's resource_setup
 * does (none of them writes to these containers). No other name can sort strictly
 * between the first and the last of them (it would have to start with `<base>-`),
 * so a window bounded by two of them holds only these and its listing is known
 * exactly, shared account or not.
 */
async function sixContainers(ctx: CheckContext): Promise<Fixture> {
  const names = await sharedContainers(ctx, 'AccountTest listing', async (swift, add) => {
    const base = ctx.name('list');
    const all = SUFFIXES.map((suffix) => `${base}-${suffix}`);
    await Promise.all(all.map(add));
    const sorted = byteSorted(all);
    // Wait (bounded) until the account lists them all; Swift updates it on container PUT.
    await pollFor(
      ctx,
      async () => listingNames(await anyReply(() => swift.listContainers({ prefix: base }))),
      (listed) => sorted.every((n) => listed.includes(n)),
    );
    return sorted;
  });
  return { swift: swiftFor(ctx), names };
}

/** GET account with `params`, asserting the standard headers; returns the names listed. */
async function list(ctx: CheckContext, fx: Fixture, params: ListingParams): Promise<{ names: string[]; where: string }> {
  const res = await fx.swift.listContainers(params);
  expectSwiftHeaders(res, 'Account', 'GET', await storagePolicies(ctx, fx.swift));
  return { names: listingNames(res), where: describeRequest(res) };
}

/** Lists with `params` and judges the answer by the listing rules (foreign containers tolerated). */
async function listAndJudge(
  ctx: CheckContext,
  fx: Fixture,
  params: ListingParams & WindowParams,
): Promise<{ names: string[]; where: string }> {
  const listed = await list(ctx, fx, params);
  const foreign = listed.names.filter((n) => !fx.names.includes(n)).length;
  if (foreign > 0) ctx.note(`${listed.where}: ${foreign} container(s) of others listed besides the class's`);
  judgeSharedListing(listed.names, fx.names, params, listed.where);
  return listed;
}

/** Lists a window bounded by the class's own containers: the answer is known exactly. */
async function listExactly(ctx: CheckContext, fx: Fixture, params: ListingParams & WindowParams, expected: string[]): Promise<void> {
  const listed = await list(ctx, fx, params);
  judgeSharedListing(listed.names, fx.names, params, listed.where);
  expectEqual(listed.names, expected, `${listed.where}: listing`);
}

accountTests.test('test_list_containers', '3499406a-ae53-4f8c-b43a-133d4dc6fe3f', async (ctx) => {
  const fx = await sixContainers(ctx);
  await listAndJudge(ctx, fx, {});
});

accountTests.test('test_list_no_containers', '884ec421-fbad-4fcc-916b-0580f2699565', async (ctx) => {
  // Tempest uses a second, untouched account for this.
  const swift = swiftFor(ctx, 'alt');
  const res = await swift.listContainers();
  // An account never written to may lack accept-ranges and content-length,
  // so only these headers are required here.
  for (const h of ['x-timestamp', 'x-account-bytes-used', 'x-account-container-count', 'x-account-object-count',
    'content-type', 'x-trans-id', 'date']) {
    expectHeader(res, h);
  }
  expectWellFormattedHeaders(res);
  const names = listingNames(res);
  expectThat(names.length === 0, `${describeRequest(res)}: expected no containers in the alt account, got ${JSON.stringify(names.slice(0, 5))}`);
}, { accounts: ['alt'] });

accountTests.test('test_list_containers_with_format_json', '1c7efa35-e8a2-4b0b-b5ff-862c7fd83704', async (ctx) => {
  const fx = await sixContainers(ctx);
  const res = await fx.swift.listContainerEntries();
  expectSwiftHeaders(res, 'Account', 'GET', await storagePolicies(ctx, fx.swift));
  const entries = res.body;
  const where = describeRequest(res);
  expectThat(entries.length > 0, `${where}: the JSON listing is empty`);
  // The same names, order and completeness as the plain listing.
  judgeSharedListing(entries.map((e) => e.name), fx.names, {}, where);
  // The class's containers never held an object: their usage is exactly zero.
  for (const e of entries.filter((x) => fx.names.includes(x.name))) {
    expectEqual({ count: e.count, bytes: e.bytes }, { count: 0, bytes: 0 }, `${where}: count and bytes of the empty container ${JSON.stringify(e.name)}`);
  }
});

accountTests.test('test_list_extensions', '6eb04a6a-4860-4e31-ba91-ea3347d76b58', async (ctx) => {
  const swift = swiftFor(ctx);
  const res = await swift.showInfo();
  expectWellFormattedHeaders(res);
  await expectDiscoverableCapabilities(ctx, swift, res.body, describeRequest(res));
});

accountTests.test('test_list_containers_with_limit', '5cfa4ab2-4373-48dd-a41f-a532b12b08b2', async (ctx) => {
  const fx = await sixContainers(ctx);
  for (const limit of [1, COUNT / 2, COUNT]) {
    const { names, where } = await listAndJudge(ctx, fx, { limit });
    // The account holds at least the class's six containers, so every page is full.
    if (names.length !== limit) fail(`${where}: expected ${limit} containers, got ${names.length}`);
  }
});

accountTests.test('test_list_containers_with_marker', '638f876d-6a43-482a-bbb3-0840bca101c6', async (ctx) => {
  const fx = await sixContainers(ctx);
  // After the last: none of the class's; after the fourth: the last two.
  for (const marker of [fx.names[COUNT - 1]!, fx.names[COUNT / 2]!]) await listAndJudge(ctx, fx, { marker });
});

accountTests.test('test_list_containers_with_end_marker', '5ca164e4-7bde-43fa-bafb-913b53b9e786', async (ctx) => {
  const fx = await sixContainers(ctx);
  // Before the first: none of the class's; before the fourth: the first three.
  for (const endMarker of [fx.names[0]!, fx.names[COUNT / 2]!]) await listAndJudge(ctx, fx, { end_marker: endMarker });
});

accountTests.test('test_list_containers_with_marker_and_end_marker', 'ac8502c2-d4e4-4f68-85a6-40befea2ef5e', async (ctx) => {
  const fx = await sixContainers(ctx);
  await listExactly(ctx, fx, { marker: fx.names[0]!, end_marker: fx.names[COUNT - 1]! }, fx.names.slice(1, COUNT - 1));
});

accountTests.test('test_list_containers_with_limit_and_marker', 'f7064ae8-dbcc-48da-b594-82feef6ea5af', async (ctx) => {
  const fx = await sixContainers(ctx);
  // Tempest takes each character of a random container name as marker with a
  // random limit in 0..5 and asserts the count never exceeds the limit: a run
  // that happened to draw large limits could not see an ignored limit. Here
  // every limit of that range is used, after the class's first container, where
  // the next five names are the class's own: the answer is known exactly, so an
  // ignored limit or marker, or a wrong order, fails every time.
  for (let limit = 0; limit < COUNT; limit++) {
    await listExactly(ctx, fx, { marker: fx.names[0]!, limit }, fx.names.slice(1, 1 + limit));
  }
  // And a one-character marker as Tempest uses (the first of a name): all six
  // of the class's containers follow it, more than the limit.
  await listAndJudge(ctx, fx, { marker: fx.names[0]!.slice(0, 1), limit: COUNT - 1 });
});

accountTests.test('test_list_containers_with_limit_and_end_marker', '888a3f0e-7214-4806-8e50-5e0c9a69bb5e', async (ctx) => {
  const fx = await sixContainers(ctx);
  // Tempest draws the limit at random in 1..6 before the fourth container of a
  // fresh account and expects min(limit, 3) names. Other containers may sort
  // before these in a shared account, so instead the limit doubles from 1: the
  // first answers are capped (three of the class's qualify), and the first
  // answer shorter than its limit is the end of the listing, which must hold
  // the first three and nothing from the fourth on, so an ignored end_marker
  // shows whatever the account holds (up to 1024 containers before these).
  const endMarker = fx.names[COUNT / 2]!;
  for (let limit = 1; limit <= 1024; limit *= 2) {
    const { names } = await listAndJudge(ctx, fx, { limit, end_marker: endMarker });
    if (names.length < limit) return;
  }
  ctx.note(`over 1024 containers sort before ${JSON.stringify(endMarker)}: the end of the listing was not reached`);
});

accountTests.test('test_list_containers_with_limit_and_marker_and_end_marker', '8cf98d9c-e3a0-4e44-971b-c87656fdddbd', async (ctx) => {
  const fx = await sixContainers(ctx);
  // Tempest draws the limit at random in 1..6 and expects min(limit, 4) names.
  // Here both sides of that minimum: 2 (an ignored limit shows) and 6 (an
  // ignored end_marker shows); the window holds only the class's containers.
  const window = { marker: fx.names[0]!, end_marker: fx.names[COUNT - 1]! };
  for (const limit of [2, COUNT]) {
    await listExactly(ctx, fx, { ...window, limit }, fx.names.slice(1, COUNT - 1).slice(0, limit));
  }
});

accountTests.test('test_list_no_account_metadata', 'b904c2e3-24c2-4dba-ad7d-04e90a761be5', async (ctx) => {
  const swift = swiftFor(ctx);
  const policies = await storagePolicies(ctx, swift);
  await withExclusiveMetadata(ctx, swift, async () => {
    const res = await swift.showAccountMetadata();
    expectSwiftHeaders(res, 'Account', 'HEAD', policies);
    expectNoHeaderWithPrefix(res, 'x-account-meta-');
  });
});
