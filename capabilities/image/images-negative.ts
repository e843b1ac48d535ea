/**
 * Native checks for tempest.api.image.v2.test_images_negative.ImagesNegativeTest
 * that the interop guidelines require (images-v2-get, images-v2-delete): showing or
 * deleting an image that does not exist, never existed or has no id answers 404.
 */
import { randomUUID } from 'node:crypto';
import { registerCheck } from '../../src/check/api.js';
import { expectStatus } from '../../src/check/expect.js';
import { createImage, deleteImageAndWait, imageClient } from './steps.js';

const CLASS = 'tempest.api.image.v2.test_images_negative.ImagesNegativeTest';

registerCheck({
  id: '668743d5-08ad-4480-b2b8-15da34f81d9f',
  test: `${CLASS}.test_get_non_existent_image`,
  async run(ctx) {
    expectStatus(await imageClient(ctx).showImage(randomUUID()), 404);
  },
});

registerCheck({
  id: 'ef45000d-0a72-4781-866d-4cb7bf2562ad',
  test: `${CLASS}.test_get_image_null_id`,
  async run(ctx) {
    // An empty id leaves GET /v2/images/ (trailing slash), which is no image.
    expectStatus(await imageClient(ctx).showImage(''), 404);
  },
});

registerCheck({
  id: 'e57fc127-7ba0-4693-92d7-1d8a05ebcba9',
  test: `${CLASS}.test_get_delete_deleted_image`,
  async run(ctx) {
    const images = imageClient(ctx);
    const image = await createImage(ctx, images);
    await deleteImageAndWait(ctx, images, image.id);
    expectStatus(await images.showImage(image.id), 404);
    expectStatus(await images.deleteImage(image.id), 404);
  },
});

registerCheck({
  id: '6fe40f1c-57bd-4918-89cc-8500f850f3de',
  test: `${CLASS}.test_delete_non_existing_image`,
  async run(ctx) {
    expectStatus(await imageClient(ctx).deleteImage(randomUUID()), 404);
  },
});

registerCheck({
  id: '32248db1-ab88-4821-9604-c7c369f1f88c',
  test: `${CLASS}.test_delete_image_null_id`,
  async run(ctx) {
    expectStatus(await imageClient(ctx).deleteImage(''), 404);
  },
});
