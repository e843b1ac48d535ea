/**
 * Native checks for tempest.api.image.v2.test_images_tags.ImagesTagsTest and
 * ImagesTagsNegativeTest that the interop guidelines require (images-v2-update,
 * images-v2-delete).
 */
import { randomUUID } from 'node:crypto';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectThat } from '../../src/check/expect.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { createImage, imageClient, showImage } from './steps.js';

const imagesTags = tempestClass('tempest.api.image.v2.test_images_tags.ImagesTagsTest');

imagesTags.test('test_update_delete_tags_for_image', '10407036-6059-4f95-a2cd-cbbbee7ed329', async (ctx) => {
  const images = imageClient(ctx);
  // Tempest deletes this image in a test-level cleanup: a refused deletion fails the test.
  const image = await createImage(ctx, images, { visibility: 'private' }, { asserted: true });
  const tag = ctx.name('tag');

  await images.addImageTag(image.id, tag);
  const withTag = await showImage(images, image.id);
  expectThat(withTag.tags.includes(tag), `GET /v2/images/${image.id}: tag ${tag} missing after it was added`);

  await images.deleteImageTag(image.id, tag);
  const withoutTag = await showImage(images, image.id);
  expectThat(!withoutTag.tags.includes(tag), `GET /v2/images/${image.id}: tag ${tag} still present after it was deleted`);
});

const imagesTagsNegative = tempestClass('tempest.api.image.v2.test_images_tags_negative.ImagesTagsNegativeTest');

imagesTagsNegative.test('test_update_tags_for_non_existing_image', '8cd30f82-6f9a-4c6e-8034-c1b51fba43d9', async (ctx) => {
  await expectErrorStatus(404, () => imageClient(ctx).addImageTag(randomUUID(), ctx.name('tag')));
});

imagesTagsNegative.test('test_delete_non_existing_tag', '39c023a2-325a-433a-9eea-649bf1414b19', async (ctx) => {
  const images = imageClient(ctx);
  const image = await createImage(ctx, images, { visibility: 'private' });
  await expectErrorStatus(404, () => images.deleteImageTag(image.id, ctx.name('non-exist-tag')));
});
