/**
 * Unit tests of the image checks: each passes against a conforming (fake) Glance
 * and fails when one response is bent away from the Image v2 API.
 */
import assert from 'node:assert/strict';
import nock from 'nock';
import '../../../capabilities/image/list-user-images.js';
import '../../../capabilities/image/basic-operations.js';
import '../../../capabilities/image/images-negative.js';
import '../../../capabilities/image/images-tags.js';
import type { HarnessResult } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';
import { runById } from '../support.js';
import { fakeGlance, imageRecord, type Fault, type FakeGlance, type FakeReply, type Json } from '../../fakes/fake-glance.js';

const ORIGIN = 'http://127.0.0.1:9292';
const PREFIX = 'defcore-unit-';
const ONE = /^\/v2\/images\/[^/]+$/;
const LIST = /^\/v2\/images$/;

let fake: FakeGlance;

async function run(id: string, faults: Fault[] = []): Promise<HarnessResult> {
  nock.cleanAll();
  fake = fakeGlance(ORIGIN, faults);
  const primary = nockCloud({ catalog: { image: ORIGIN } });
  try {
    return await runById(id, { primary }, PREFIX);
  } finally {
    primary.close();
  }
}

function leftovers(): string[] {
  return [...fake.images.values()].map((i) => String(i.name)).filter((n) => n.startsWith(PREFIX));
}

async function expectPass(id: string): Promise<void> {
  const outcome = await run(id);
  assert.equal(outcome.status, 'pass', outcome.message);
  assert.deepEqual(outcome.cleanupErrors, []);
  assert.deepEqual(leftovers(), [], 'images created by the check were not deleted');
}

async function expectFail(id: string, faults: Fault[], reason: RegExp): Promise<void> {
  const outcome = await run(id, faults);
  assert.equal(outcome.status, 'fail', `expected fail, got ${outcome.status}: ${outcome.message}`);
  assert.match(outcome.message ?? '', reason);
  assert.deepEqual(leftovers(), [], 'images created by the check were not deleted after the failure');
}

function edit(method: string, path: RegExp, change: (reply: FakeReply, query: URLSearchParams) => FakeReply, times?: number): Fault {
  return { method, path, reply: (r, req) => change(r, req.query), ...(times === undefined ? {} : { times }) };
}

function status(method: string, path: RegExp, code: number, body?: unknown): Fault {
  return edit(method, path, (r) => ({ status: code, body: body ?? r.body }));
}

/** Appends `extra` to every listing page (only when the query matches `when`). */
function listAlso(extra: () => Json, when: (q: URLSearchParams) => boolean = () => true): Fault {
  return edit('GET', LIST, (r, q) => {
    if (r.status !== 200 || !when(q)) return r;
    const body = r.body as { images: Json[] };
    return { ...r, body: { ...body, images: [...body.images, extra()] } };
  });
}

function imageBody(change: (image: Json) => Json): (r: FakeReply) => FakeReply {
  return (r) => (r.status < 300 && r.body && typeof r.body === 'object' ? { ...r, body: change({ ...(r.body as Json) }) } : r);
}

/**
 * A Glance that ignores the filter `param` in a project holding only the check's
 * own images (no public image to give the filter away): it lists them all.
 */
function ignoring(param: string): Fault {
  return edit('GET', LIST, (r, q) => {
    if (r.status !== 200 || !q.has(param)) return r;
    const own = [...fake.images.values()].filter((i) => String(i.name).startsWith(PREFIX));
    return { ...r, body: { ...(r.body as Json), images: own } };
  });
}

describe('image checks: filters ignored in a project holding only the check\'s images (unit, fake Glance, 20 runs each)', () => {
  afterEach(() => nock.cleanAll());
  const cases: Array<[string, string, string, RegExp]> = [
    ['cf1b9a48-8340-480e-af7b-fe7e17690876', 'test_list_images_param_size', 'size', /size=2048, outside the filter/],
    ['4ad8c157-971a-4ba8-aa84-ed61154b1e7f', 'test_list_images_param_min_max_size', 'size_min', /has size 4096/],
    ['7fc9e369-0f58-4d05-9aa5-0969e2d59d15', 'test_list_images_param_status', 'status', /status="queued", outside the filter/],
  ];
  for (const [id, title, param, reason] of cases) {
    for (let i = 1; i <= 20; i++) {
      it(`${title} fails when ${param} is ignored (run ${i}/20)`, async () => {
        await expectFail(id, [ignoring(param)], reason);
      });
    }
  }
});

describe('image checks (unit, fake Glance)', () => {
  afterEach(() => nock.cleanAll());

  describe('ListUserImagesTest', () => {
    it('test_list_no_params passes; fails when created images are not listed or the listing breaks its schema', async () => {
      const id = '1e341d7a-90a9-494c-b143-2cdf2aeb6aee';
      await expectPass(id);
      await expectFail(
        id,
        [edit('GET', LIST, (r) => ({ ...r, body: { ...(r.body as Json), images: ((r.body as { images: Json[] }).images).filter((i) => i.visibility === 'public') } }))],
        /is not listed/,
      );
      await expectFail(id, [edit('GET', LIST, (r) => ({ ...r, body: { ...(r.body as Json), extra: 1 } }))], /list-images: \/extra is not allowed/);
      await expectFail(id, [edit('GET', LIST, (r) => ({ ...r, body: { images: (r.body as Json).images, schema: '/v2/schemas/images' } }))], /\/first is required/);
      await expectFail(id, [listAlso(() => imageRecord({ size: '1024' }))], /image\/v2\/image: \/images\/\d+\/size/);
      await expectFail(id, [status('GET', LIST, 500, 'boom')], /expected status 200, got 500/);
    });

    it('test_list_images_param_container_format passes; fails on an image of another format or an empty list', async () => {
      const id = '9959ca1d-1aa7-4b7a-a1ea-0fff0499b37e';
      await expectPass(id);
      await expectFail(id, [listAlso(() => imageRecord({ container_format: 'ovf' }))], /container_format="ovf", outside the filter/);
      await expectFail(id, [edit('GET', LIST, (r) => ({ ...r, body: { ...(r.body as Json), images: [] } }))], /no image matched/);
    });

    it('test_list_images_param_disk_format passes; fails on a qcow2 image in a raw listing', async () => {
      const id = '4a4735a7-f22f-49b6-b0d9-66e1ef7453eb';
      await expectPass(id);
      await expectFail(id, [listAlso(() => imageRecord({ disk_format: 'qcow2' }))], /disk_format="qcow2"/);
    });

    it('test_list_images_param_visibility passes; fails when a public image is listed as private', async () => {
      const id = '7a95bb92-d99e-4b12-9718-7bc6ab73e6d2';
      await expectPass(id);
      await expectFail(id, [listAlso(() => imageRecord({ visibility: 'public' }))], /visibility="public"/);
      await expectFail(id, [listAlso(() => imageRecord({ visibility: 'secret' }))], /\/visibility must be equal to one of the allowed values/);
    });

    it('test_list_images_param_size passes; fails on another size or a missing size', async () => {
      const id = 'cf1b9a48-8340-480e-af7b-fe7e17690876';
      await expectPass(id);
      await expectFail(id, [listAlso(() => imageRecord({ size: 1 }))], /size=1, outside the filter/);
      await expectFail(id, [edit('GET', ONE, imageBody((i) => ({ ...i, size: null })))], /size of an image with data is null/);
    });

    it('test_list_images_param_min_max_size passes; fails on an image outside the bounds', async () => {
      const id = '4ad8c157-971a-4ba8-aa84-ed61154b1e7f';
      await expectPass(id);
      await expectFail(id, [listAlso(() => imageRecord({ size: 999999 }))], /has size 999999/);
    });

    it('test_list_images_param_status passes; fails on an empty list, a queued image listed, or a failed upload', async () => {
      const id = '7fc9e369-0f58-4d05-9aa5-0969e2d59d15';
      await expectPass(id);
      await expectFail(id, [edit('GET', LIST, (r) => ({ ...r, body: { ...(r.body as Json), images: [] } }))], /no image matched/);
      await expectFail(id, [listAlso(() => imageRecord({ status: 'queued' }))], /status="queued"/);
      await expectFail(id, [status('PUT', /\/file$/, 200)], /expected status 204, got 200/);
    });

    it('test_list_images_param_limit passes; fails when the limit is ignored', async () => {
      const id = 'e914a891-3cc8-4b40-ad32-e0a39ffbddbb';
      await expectPass(id);
      await expectFail(id, [listAlso(() => imageRecord())], /limit=1: number of images returned: expected 1, got 2/);
    });

    it('test_get_image_schema passes; fails on a wrong name, a non-schema body or a wrong status', async () => {
      const id = '622b925c-479f-4736-860d-adeaf13bc371';
      await expectPass(id);
      await expectFail(id, [edit('GET', /schemas\/image$/, (r) => ({ ...r, body: { ...(r.body as Json), name: 'images' } }))], /name of the schema: expected "image", got "images"/);
      await expectFail(id, [edit('GET', /schemas\/image$/, (r) => ({ ...r, body: { name: 'image' } }))], /show-schema: \/properties is required/);
      await expectFail(id, [status('GET', /schemas\/image$/, 404)], /expected status 200, got 404/);
    });

    it('test_get_images_schema passes; fails on a wrong name', async () => {
      const id = '25c8d7b2-df21-460f-87ac-93130bcdc684';
      await expectPass(id);
      await expectFail(id, [edit('GET', /schemas\/images$/, (r) => ({ ...r, body: { ...(r.body as Json), name: 'image' } }))], /expected "images", got "image"/);
    });
  });

  describe('BasicOperationsImagesTest', () => {
    it('test_delete_image passes; fails on a wrong status or an image still listed', async () => {
      const id = 'f848bb94-1c6e-45a4-8726-39e3a5b23535';
      await expectPass(id);
      await expectFail(id, [status('DELETE', ONE, 200)], /DELETE .*: expected status 204, got 200/);
      const deletedId = (): string => {
        const line = [...fake.log].reverse().find((l) => l.startsWith('DELETE '));
        return line ? line.split('/').pop() ?? '' : '';
      };
      await expectFail(id, [listAlso(() => imageRecord({ id: deletedId() }), () => deletedId() !== '')], /deleted image .* is still listed/);
    });

    it('test_update_image passes; fails when the name does not change, on wrong statuses or schema violations', async () => {
      const id = 'f66891a7-a35c-41a8-b590-a065c2a1caa6';
      await expectPass(id);
      await expectFail(id, [edit('GET', ONE, imageBody((i) => ({ ...i, name: 'unchanged' })))], /name after the update/);
      await expectFail(id, [status('PATCH', ONE, 204, '')], /PATCH .*: expected status 200, got 204/);
      await expectFail(id, [edit('POST', LIST, imageBody((i) => ({ ...i, status: 'active' })))], /status of new image .*: expected "queued", got "active"/);
      await expectFail(id, [edit('POST', LIST, imageBody((i) => ({ ...i, custom: 5 })))], /image\/v2\/image: \/custom must be string/);
      await expectFail(
        id,
        [edit('POST', LIST, imageBody((i) => Object.fromEntries(Object.entries(i).filter(([k]) => k !== 'self'))))],
        /\/self is required but missing/,
      );
      await expectFail(id, [status('POST', LIST, 200)], /POST .*: expected status 201, got 200/);
    });
  });

  describe('ImagesNegativeTest', () => {
    const found = (r: FakeReply): FakeReply => (r.status === 404 ? { status: 200, body: imageRecord() } : r);
    const deleted = (r: FakeReply): FakeReply => (r.status === 404 ? { status: 204 } : r);

    it('test_get_non_existent_image passes; fails when an unknown id is shown', async () => {
      const id = '668743d5-08ad-4480-b2b8-15da34f81d9f';
      await expectPass(id);
      await expectFail(id, [edit('GET', ONE, found)], /expected status 404, got 200/);
    });

    it('test_get_image_null_id passes; fails when GET /v2/images/ answers 200', async () => {
      const id = 'ef45000d-0a72-4781-866d-4cb7bf2562ad';
      await expectPass(id);
      await expectFail(id, [edit('GET', /^\/v2\/images\/$/, () => ({ status: 200, body: { images: [] } }))], /images\/: expected status 404, got 200/);
    });

    it('test_get_delete_deleted_image passes; fails when a deleted image is shown or deleted again', async () => {
      const id = 'e57fc127-7ba0-4693-92d7-1d8a05ebcba9';
      await expectPass(id);
      await expectFail(id, [edit('DELETE', ONE, deleted)], /DELETE .*: expected status 404, got 204/);
      // Shown once more after the wait saw it gone: the check's own GET must catch it.
      let seen404 = false;
      const flaky = edit('GET', ONE, (r) => {
        if (r.status === 404 && !seen404) {
          seen404 = true;
          return r;
        }
        return r.status === 404 ? { status: 200, body: imageRecord() } : r;
      });
      await expectFail(id, [flaky], /GET .*: expected status 404, got 200/);
    });

    it('test_delete_non_existing_image passes; fails when deleting an unknown id succeeds', async () => {
      const id = '6fe40f1c-57bd-4918-89cc-8500f850f3de';
      await expectPass(id);
      await expectFail(id, [edit('DELETE', ONE, deleted)], /expected status 404, got 204/);
    });

    it('test_delete_image_null_id passes; fails when DELETE /v2/images/ is refused otherwise', async () => {
      const id = '32248db1-ab88-4821-9604-c7c369f1f88c';
      await expectPass(id);
      await expectFail(id, [edit('DELETE', /^\/v2\/images\/$/, () => ({ status: 405, body: 'Method Not Allowed' }))], /expected status 404, got 405/);
    });
  });

  describe('ImagesTagsTest and ImagesTagsNegativeTest', () => {
    it('test_update_delete_tags_for_image passes; fails when a tag is not kept, not removed, or on wrong statuses', async () => {
      const id = '10407036-6059-4f95-a2cd-cbbbee7ed329';
      await expectPass(id);
      await expectFail(id, [edit('GET', ONE, imageBody((i) => ({ ...i, tags: [] })))], /tag .* missing after it was added/);
      // The tag is deleted (204) but still shown afterwards.
      const stillTagged = edit('GET', ONE, (r) => {
        const removed = fake.log.filter((l) => /^DELETE .*\/tags\//.test(l)).map((l) => decodeURIComponent(l.split('/').pop() ?? ''));
        return imageBody((i) => ({ ...i, tags: [...(i.tags as string[]), ...removed] }))(r);
      });
      await expectFail(id, [stillTagged], /tag .* still present after it was deleted/);
      await expectFail(id, [status('PUT', /\/tags\//, 200, { tags: [] })], /expected status 204, got 200/);
      // Tempest deletes the image in a test-level cleanup: a refused deletion fails the test.
      await expectFail(id, [status('DELETE', ONE, 409, { conflict: 'in use' })], /^cleanup "delete image .*" failed: DELETE image .*: expected status 204, got 409/);
    });

    it('test_update_tags_for_non_existing_image passes; fails when tagging an unknown image succeeds', async () => {
      const id = '8cd30f82-6f9a-4c6e-8034-c1b51fba43d9';
      await expectPass(id);
      await expectFail(id, [edit('PUT', /\/tags\//, (r) => (r.status === 404 ? { status: 204 } : r))], /expected status 404, got 204/);
    });

    it('test_delete_non_existing_tag passes; fails when deleting an unknown tag succeeds', async () => {
      const id = '39c023a2-325a-433a-9eea-649bf1414b19';
      await expectPass(id);
      await expectFail(id, [edit('DELETE', /\/tags\//, (r) => (r.status === 404 ? { status: 204 } : r))], /expected status 404, got 204/);
    });
  });
});
