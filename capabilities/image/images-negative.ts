/**
 * Native checks for tempest.api.image.v2.test_images_negative.ImagesNegativeTest
 * that the interop guidelines require (images-v2-get, images-v2-delete): showing or
 * deleting an image that does not exist, never existed or has no id answers 404.
 */
import { randomUUID } from 'node:crypto';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { createImage, deleteImageAndWait, imageClient } from './steps.js';

const imagesNegative = tempestClass('tempest.api.image.v2.test_images_negative.ImagesNegativeTest');

imagesNegative.test('test_get_non_existent_image', '668743d5-08ad-4480-b2b8-15da34f81d9f', async (ctx) => {
  await expectErrorStatus(404, () => imageClient(ctx).showImage(randomUUID()));
});

imagesNegative.test('test_get_image_null_id', 'ef45000d-0a72-4781-866d-4cb7bf2562ad', async (ctx) => {
  // An empty id leaves GET /v2/images/ (trailing slash), which is no image.
  await expectErrorStatus(404, () => imageClient(ctx).showImage(''));
});

imagesNegative.test('test_get_delete_deleted_image', 'e57fc127-7ba0-4693-92d7-1d8a05ebcba9', async (ctx) => {
  const images = imageClient(ctx);
  const image = await createImage(ctx, images);
  await deleteImageAndWait(ctx, images, image.id);
  await expectErrorStatus(404, () => images.showImage(image.id));
  await expectErrorStatus(404, () => images.deleteImage(image.id));
});

imagesNegative.test('test_delete_non_existing_image', '6fe40f1c-57bd-4918-89cc-8500f850f3de', async (ctx) => {
  await expectErrorStatus(404, () => imageClient(ctx).deleteImage(randomUUID()));
});

imagesNegative.test('test_delete_image_null_id', '32248db1-ab88-4821-9604-c7c369f1f88c', async (ctx) => {
  await expectErrorStatus(404, () => imageClient(ctx).deleteImage(''));
});
