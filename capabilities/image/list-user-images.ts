/**
 * Native checks for tempest.api.image.v2.test_images.ListUserImagesTest that the
 * interop guidelines require (images-v2-index, images-v2-list, images-v2-get).
 * Tempest builds a class-wide set of private images with data; each check here
 * builds the few images its fact needs, so checks stay independent.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import type { Image, ImageClient } from '../../src/services/image.js';
import { createActiveImage, createImage, imageClient, listAllImageIds, listImages, showImage } from './steps.js';

const listUserImages = tempestClass('tempest.api.image.v2.test_images.ListUserImagesTest');

/**
 * Lists with `query` and asserts the list is not empty and that every image
 * carries exactly the filtered value.
 */
async function expectFilteredList(images: ImageClient, query: Record<string, string | number>): Promise<Image[]> {
  const list = await listImages(images, query);
  const filter = Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&');
  expectThat(list.length > 0, `GET /v2/images?${filter}: no image matched, though one was created to match`);
  for (const image of list) {
    for (const [key, value] of Object.entries(query)) {
      if (image[key] !== value) {
        fail(`GET /v2/images?${filter}: image ${image.id} has ${key}=${JSON.stringify(image[key])}, outside the filter`);
      }
    }
  }
  return list;
}

// its name in Tempest 4, as the guidelines 2015.03–2015.05 give it
listUserImages.test('test_list_no_params', '1e341d7a-90a9-494c-b143-2cdf2aeb6aee', async (ctx: CheckContext) => {
  const images = imageClient(ctx);
  const created = [await createActiveImage(ctx, images), await createActiveImage(ctx, images)];
  const listed = await listAllImageIds(images);
  for (const image of created) {
    expectThat(listed.has(image.id), `GET /v2/images: image ${image.id} created by this check is not listed`);
  }
}, { aliases: ['tempest.api.image.v2.test_images.ListImagesTest.test_index_no_params'] });

listUserImages.test('test_list_images_param_container_format', '9959ca1d-1aa7-4b7a-a1ea-0fff0499b37e', async (ctx) => {
  const images = imageClient(ctx);
  const image = await createActiveImage(ctx, images);
  await expectFilteredList(images, { container_format: String(image.container_format) });
});

listUserImages.test('test_list_images_param_disk_format', '4a4735a7-f22f-49b6-b0d9-66e1ef7453eb', async (ctx) => {
  const images = imageClient(ctx);
  await createActiveImage(ctx, images, { disk_format: 'raw' });
  await expectFilteredList(images, { disk_format: 'raw' });
});

listUserImages.test('test_list_images_param_visibility', '7a95bb92-d99e-4b12-9718-7bc6ab73e6d2', async (ctx) => {
  const images = imageClient(ctx);
  await createActiveImage(ctx, images, { visibility: 'private' });
  await expectFilteredList(images, { visibility: 'private' });
});

listUserImages.test('test_list_images_param_size', 'cf1b9a48-8340-480e-af7b-fe7e17690876', async (ctx) => {
  const images = imageClient(ctx);
  const created = await createActiveImage(ctx, images, {}, 1024);
  // A decoy of another size: a cloud ignoring the filter lists it, whatever else
  // the project holds (Tempest's random sizes catch that only by luck).
  await createActiveImage(ctx, images, {}, 2048);
  const image = await showImage(images, created.id);
  if (typeof image.size !== 'number') fail(`GET /v2/images/${image.id}: size of an image with data is ${JSON.stringify(image.size)}`);
  await expectFilteredList(images, { size: image.size });
});

listUserImages.test('test_list_images_param_min_max_size', '4ad8c157-971a-4ba8-aa84-ed61154b1e7f', async (ctx) => {
  const images = imageClient(ctx);
  const created = await createActiveImage(ctx, images, {}, 1024);
  // A decoy beyond size+500, so ignored bounds show.
  await createActiveImage(ctx, images, {}, 4096);
  const image = await showImage(images, created.id);
  if (typeof image.size !== 'number') fail(`GET /v2/images/${image.id}: size of an image with data is ${JSON.stringify(image.size)}`);
  const min = image.size - 500;
  const max = image.size + 500;
  // Tempest asserts the bounds of whatever is returned, not that the list is non-empty.
  const list = await listImages(images, { size_min: min, size_max: max });
  ctx.note(`size_min=${min}&size_max=${max} returned ${list.length} image(s)`);
  for (const item of list) {
    if (typeof item.size !== 'number' || item.size < min || item.size > max) {
      fail(`GET /v2/images?size_min=${min}&size_max=${max}: image ${item.id} has size ${JSON.stringify(item.size)}`);
    }
  }
});

listUserImages.test('test_list_images_param_status', '7fc9e369-0f58-4d05-9aa5-0969e2d59d15', async (ctx) => {
  const images = imageClient(ctx);
  // An image with data; Tempest only asserts the filtered list, not this image's status.
  await createActiveImage(ctx, images);
  // And a queued one (no data): a cloud ignoring the status filter lists it.
  await createImage(ctx, images, { visibility: 'private' });
  await expectFilteredList(images, { status: 'active' });
});

listUserImages.test('test_list_images_param_limit', 'e914a891-3cc8-4b40-ad32-e0a39ffbddbb', async (ctx) => {
  const images = imageClient(ctx);
  await createActiveImage(ctx, images);
  await createActiveImage(ctx, images);
  const list = await listImages(images, { limit: 1 });
  expectEqual(list.length, 1, 'GET /v2/images?limit=1: number of images returned');
});

/** GET /v2/schemas/{name}: 200, a schema document (the client asserts both) whose `name` is the entity. */
async function expectPublishedSchema(ctx: CheckContext, name: string): Promise<void> {
  const res = await imageClient(ctx).showSchema(name);
  expectEqual(res.body.name, name, `${res.method} ${res.url}: name of the schema`);
}

listUserImages.test('test_get_image_schema', '622b925c-479f-4736-860d-adeaf13bc371', (ctx) => expectPublishedSchema(ctx, 'image'));

listUserImages.test('test_get_images_schema', '25c8d7b2-df21-460f-87ac-93130bcdc684', (ctx) => expectPublishedSchema(ctx, 'images'));
