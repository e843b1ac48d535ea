/**
 * Native checks for tempest.api.image.v2.test_images_tags.ImagesTagsTest and
 * ImagesTagsNegativeTest that the interop guidelines require (images-v2-update,
 * images-v2-delete).
 */
import { randomUUID } from 'node:crypto';
import { registerCheck } from '../../src/check/api.js';
import { expectStatus, expectThat } from '../../src/check/expect.js';
import { createImage, imageClient, showImage } from './steps.js';

registerCheck({
  id: '10407036-6059-4f95-a2cd-cbbbee7ed329',
  test: 'tempest.api.image.v2.test_images_tags.ImagesTagsTest.test_update_delete_tags_for_image',
  async run(ctx) {
    const images = imageClient(ctx);
    // Tempest deletes this image in a test-level cleanup: a refused deletion fails the test.
    const image = await createImage(ctx, images, { visibility: 'private' }, { asserted: true });
    const tag = ctx.name('tag');

    const added = await images.addImageTag(image.id, tag);
    expectStatus(added, 204);
    const withTag = await showImage(images, image.id);
    expectThat(withTag.tags.includes(tag), `GET /v2/images/${image.id}: tag ${tag} missing after it was added`);

    const removed = await images.deleteImageTag(image.id, tag);
    expectStatus(removed, 204);
    const withoutTag = await showImage(images, image.id);
    expectThat(!withoutTag.tags.includes(tag), `GET /v2/images/${image.id}: tag ${tag} still present after it was deleted`);
  },
});

const NEGATIVE = 'tempest.api.image.v2.test_images_tags_negative.ImagesTagsNegativeTest';

registerCheck({
  id: '8cd30f82-6f9a-4c6e-8034-c1b51fba43d9',
  test: `${NEGATIVE}.test_update_tags_for_non_existing_image`,
  async run(ctx) {
    expectStatus(await imageClient(ctx).addImageTag(randomUUID(), ctx.name('tag')), 404);
  },
});

registerCheck({
  id: '39c023a2-325a-433a-9eea-649bf1414b19',
  test: `${NEGATIVE}.test_delete_non_existing_tag`,
  async run(ctx) {
    const images = imageClient(ctx);
    const image = await createImage(ctx, images, { visibility: 'private' });
    expectStatus(await images.deleteImageTag(image.id, ctx.name('non-exist-tag')), 404);
  },
});
