/**
 * Native checks for tempest.api.volume.test_volumes_list.VolumesListTestJSON.
 *
 * Like Tempest's class, the checks of one run share three volumes with metadata
 * {Type: work} (a run-scoped fixture, torn down at the run's final sweep). The
 * pagination checks list only those three, through a metadata filter unique to
 * the run: Tempest pages through a project no other test touches, while checks
 * of one run share a project whose other volumes come and go meanwhile.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { canonicalJson } from '../../src/check/expect-extra.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import type { Volume, VolumeClient, VolumeQuery } from '../../src/services/volume.js';
import {
  CHECK_TIMEOUT_MS, VOLUME_SIZE, deleteVolumeAndWait, expectContainsAll, listVolumes, settle, showVolume, volumeClient, waitVolumeStatus,
} from './steps.js';

const volumesList = tempestClass('tempest.api.volume.test_volumes_list.VolumesListTestJSON', { timeoutMs: CHECK_TIMEOUT_MS });
const METADATA = { Type: 'work' };

interface ListFixture {
  /** The three volumes as shown once available, without updated_at. */
  volumes: Volume[];
  /** Metadata only these three carry (Type: work plus a key naming the run). */
  ownMetadata: Record<string, string>;
}

function withoutVolatile(v: Volume): Volume {
  const { updated_at: _ignored, ...rest } = v;
  return rest as Volume;
}

/** The run's three list volumes, created by the first check that asks. */
function listFixture(ctx: CheckContext, cinder: VolumeClient): Promise<ListFixture> {
  return runFixture(ctx.prefix, ctx.account('primary'), 'volume-list', async () => {
    const ownMetadata = { ...METADATA, 'defcore-list-set': ctx.prefix };
    const ids: string[] = [];
    const teardown = async (): Promise<void> => {
      const errors: string[] = [];
      for (const id of ids.reverse()) await deleteVolumeAndWait(cinder, id).catch((e: Error) => errors.push(e.message));
      if (errors.length > 0) throw new Error(errors.join('; '));
    };
    try {
      const volumes: Volume[] = [];
      for (let i = 0; i < 3; i++) {
        const { reply: res, failure } = await settle(() => cinder.createVolume({ size: VOLUME_SIZE, name: ctx.name('volume'), metadata: ownMetadata }));
        const id = res.status === 202 ? res.body?.volume?.id : undefined;
        if (typeof id === 'string') ids.push(id);
        // The client's verdict (202, schema) once the teardown knows the volume.
        if (failure) throw failure;
        await waitVolumeStatus(ctx, cinder, res.body.volume.id, 'available');
        volumes.push(withoutVolatile(await showVolume(cinder, res.body.volume.id)));
      }
      return { value: { volumes, ownMetadata }, teardown };
    } catch (err) {
      await teardown().catch(() => undefined);
      throw err;
    }
  });
}

/**
 * The fixture volume a by-value filter looks for. Tempest draws one of the three at
 * random; a fixed one keeps verdicts repeatable. The middle one: neither the
 * first nor the last created, so a cloud answering with the oldest or newest
 * volume whatever the filter is caught.
 */
function pick(list: Volume[]): Volume {
  return list[Math.floor(list.length / 2)]!;
}

const label = (v: { id?: unknown; name?: unknown }) => `${String(v.id)}:${String(v.name)}`;

/**
 * Every expected volume is in the fetched list: compared on id and name, or as a
 * whole (minus updated_at) when `fields` is absent.
 */
function expectVolumesIn(fetched: Volume[], expected: Volume[], what: string, fields?: (keyof Volume)[]): void {
  const key = (v: Volume) => (fields ? canonicalJson(fields.map((f) => v[f])) : canonicalJson(withoutVolatile(v)));
  const have = new Set(fetched.map(key));
  const missing = expected.filter((v) => !have.has(key(v)));
  if (missing.length === 0) return;
  const byId = new Map(fetched.map((v) => [v.id, v]));
  const differing = missing.filter((v) => byId.has(v.id)).map((v) => v.id);
  fail(`${what}: volumes ${missing.map(label).join(', ')} not found${differing.length ? ` (listed but differing: ${differing.join(', ')})` : ''}; fetched ${fetched.map(label).join(', ') || 'nothing'}`);
}

/** Lists with `query` and, for detailed listings, checks each volume matches every parameter. */
async function listByParams(cinder: VolumeClient, query: VolumeQuery, detail: boolean): Promise<Volume[]> {
  const { volumes, res } = await listVolumes(cinder, detail, query);
  if (detail) {
    for (const volume of volumes) {
      for (const [key, value] of Object.entries(query)) {
        const what = `${res.method} ${res.url}: volume ${volume.id} listed for ${key}`;
        if (key === 'metadata') expectContainsAll(volume.metadata, value as Record<string, string>, what);
        else expectEqual(volume[key], value, what);
      }
    }
  }
  return volumes;
}

function listCheck(id: string, name: string, body: (ctx: CheckContext, cinder: VolumeClient, fx: ListFixture) => Promise<void>): void {
  volumesList.test(name, id, async (ctx) => {
    const cinder = volumeClient(ctx);
    await body(ctx, cinder, await listFixture(ctx, cinder));
  });
}

listCheck('0b6ddd39-b948-471f-8038-4787978747c4', 'test_volume_list', async (_ctx, cinder, fx) => {
  const { volumes } = await listVolumes(cinder, false);
  expectVolumesIn(volumes, fx.volumes, 'GET /volumes', ['id', 'name']);
});

listCheck('adcbb5a7-5ad8-4b61-bd10-5380e111a877', 'test_volume_list_with_details', async (_ctx, cinder, fx) => {
  const { volumes } = await listVolumes(cinder, true);
  expectVolumesIn(volumes, fx.volumes, 'GET /volumes/detail');
});

for (const [id, name, detail] of [
  ['a28e8da4-0b56-472f-87a8-0f4d3f819c02', 'test_volume_list_by_name', false],
  ['2de3a6d4-12aa-403b-a8f2-fdeb42a89623', 'test_volume_list_details_by_name', true],
] as const) {
  listCheck(id, name, async (_ctx, cinder, fx) => {
    const volume = pick(fx.volumes);
    const { volumes, res } = await listVolumes(cinder, detail, { name: volume.name ?? '' });
    expectThat(volumes.length === 1, `${res.method} ${res.url}: expected exactly 1 volume named ${volume.name}, got ${volumes.length}: ${volumes.map(label).join(', ')}`);
    expectEqual(volumes[0]!.name, volume.name, `${res.method} ${res.url}: name of the listed volume`);
  });
}

listCheck('39654e13-734c-4dab-95ce-7613bf8407ce', 'test_volumes_list_by_status', async (_ctx, cinder, fx) => {
  const { volumes } = await listVolumes(cinder, false, { status: 'available' });
  expectVolumesIn(volumes, fx.volumes, 'GET /volumes?status=available', ['id', 'name']);
});

listCheck('2943f712-71ec-482a-bf49-d5ca06216b9f', 'test_volumes_list_details_by_status', async (_ctx, cinder, fx) => {
  const { volumes } = await listVolumes(cinder, true, { status: 'available' });
  for (const v of volumes) expectEqual(v.status, 'available', `GET /volumes/detail?status=available: status of volume ${v.id}`);
  expectVolumesIn(volumes, fx.volumes, 'GET /volumes/detail?status=available');
});

listCheck('c0cfa863-3020-40d7-b587-e35f597d5d87', 'test_volumes_list_by_availability_zone', async (_ctx, cinder, fx) => {
  const zone = pick(fx.volumes).availability_zone ?? '';
  const volumes = await listByParams(cinder, { availability_zone: zone }, false);
  expectVolumesIn(volumes, fx.volumes, `GET /volumes?availability_zone=${zone}`, ['id', 'name']);
});

listCheck('e1b80d13-94f0-4ba2-a40e-386af29f8db1', 'test_volumes_list_details_by_availability_zone', async (_ctx, cinder, fx) => {
  const zone = pick(fx.volumes).availability_zone ?? '';
  const { volumes } = await listVolumes(cinder, true, { availability_zone: zone });
  for (const v of volumes) expectEqual(v.availability_zone, zone, `GET /volumes/detail?availability_zone=${zone}: zone of volume ${v.id}`);
  expectVolumesIn(volumes, fx.volumes, `GET /volumes/detail?availability_zone=${zone}`);
});

listCheck('b5ebea1b-0603-40a0-bb41-15fcd0a53214', 'test_volume_list_with_param_metadata', async (_ctx, cinder) => {
  await listByParams(cinder, { metadata: METADATA }, false);
});

listCheck('1ca92d3c-4a8e-4b43-93f5-e4c7fb3b291d', 'test_volume_list_with_detail_param_metadata', async (_ctx, cinder) => {
  await listByParams(cinder, { metadata: METADATA }, true);
});

listCheck('777c87c1-2fc4-4883-8b8e-5c0b951d1ec8', 'test_volume_list_param_display_name_and_status', async (_ctx, cinder, fx) => {
  await listByParams(cinder, { name: pick(fx.volumes).name ?? '', status: 'available' }, false);
});

listCheck('856ab8ca-6009-4c37-b691-be1065528ad4', 'test_volume_list_with_detail_param_display_name_and_status', async (_ctx, cinder, fx) => {
  await listByParams(cinder, { name: pick(fx.volumes).name ?? '', status: 'available' }, true);
});

listCheck('2a7064eb-b9c3-429b-b888-33928fc5edd3', 'test_volume_list_details_with_multiple_params', async (_ctx, cinder) => {
  for (const dir of ['asc', 'desc'] as const) {
    const query = { limit: 2, status: 'available', sort_dir: dir, sort_key: 'id' };
    const { volumes, res } = await listVolumes(cinder, true, query);
    const where = `${res.method} ${res.url}`;
    expectThat(volumes.length === 2, `${where}: expected 2 volumes, got ${volumes.length}`);
    const [a, b] = volumes as [Volume, Volume];
    expectEqual(a.status, 'available', `${where}: status of the first volume`);
    expectEqual(b.status, 'available', `${where}: status of the second volume`);
    const ordered = dir === 'asc' ? a.id < b.id : a.id > b.id;
    expectThat(ordered, `${where}: ids ${a.id}, ${b.id} are not in ${dir} order`);
  }
});

/**
 * Pages through the listing with limit=1 following `next` links: every page has
 * as many volumes as remain (at most 1), each expected once and nothing else, a
 * next link after every full page (also after the last volume), none after the
 * empty page, and each next link on the listing's own scheme, host and path.
 */
async function paginate(cinder: VolumeClient, detail: boolean, fx: ListFixture): Promise<void> {
  const ids = fx.volumes.map((v) => v.id);
  const remaining = new Set(ids);
  let query: VolumeQuery | string = { metadata: fx.ownMetadata, limit: 1 };
  for (let page = 0; page <= ids.length + 1; page++) {
    const { volumes, res } = await listVolumes(cinder, detail, query);
    const where = `${res.method} ${res.url}`;
    const expected = Math.min(remaining.size, 1);
    expectThat(volumes.length === expected, `${where}: expected ${expected} volume(s) on this page, got ${volumes.length}`);
    for (const v of volumes) {
      expectThat(ids.includes(v.id), `${where}: volume ${v.id} is not one of the expected ${ids.join(', ')}`);
      expectThat(remaining.has(v.id), `${where}: volume ${v.id} was listed twice`);
      remaining.delete(v.id);
    }
    const next = res.body.volumes_links?.find((l) => l.rel === 'next')?.href;
    if (expected > 0) expectThat(next, `${where}: missing link to the next page`);
    else expectThat(!next, `${where}: unexpected link to a next page (${next})`);
    if (!next) {
      expectThat(remaining.size === 0, `${where}: no more pages, but volumes ${[...remaining].join(', ')} were never listed`);
      return;
    }
    const asked = new URL(res.url);
    const link = new URL(next);
    for (const part of ['protocol', 'hostname', 'pathname'] as const) {
      expectEqual(link[part], asked[part], `${where}: ${part} of the next link ${next}`);
    }
    query = link.search.replace(/^\?/, '');
  }
  fail(`listing volumes one per page did not end after ${ids.length + 2} pages`);
}

listCheck('e9138a2c-f67b-4796-8efa-635c196d01de', 'test_volume_list_details_pagination', async (_ctx, cinder, fx) => {
  await paginate(cinder, true, fx);
});

listCheck('af55e775-8e4b-4feb-8719-215c43b0238c', 'test_volume_list_pagination', async (_ctx, cinder, fx) => {
  await paginate(cinder, false, fx);
});
