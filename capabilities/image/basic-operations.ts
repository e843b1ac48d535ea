/**
 * Native checks for tempest.api.image.v2.test_images.BasicOperationsImagesTest
 * that the interop guidelines require (images-v2-delete, images-v2-update).
 */
import { registerCheck } from '../../src/check/api.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { createImage, deleteImageAndWait, expectImage, imageClient, listAllImageIds, showImage } from './steps.js';

const CLASS = 'tempest.api.image.v2.test_images.BasicOperationsImagesTest';

registerCheck({
  id: 'f848bb94-1c6e-45a4-8726-39e3a5b23535',
  test: `${CLASS}.test_delete_image`,
  async run(ctx) {
    const images = imageClient(ctx);
    const image = await createImage(ctx, images, { visibility: 'private' });
    await deleteImageAndWait(ctx, images, image.id);
    const listed = await listAllImageIds(images);
    expectThat(!listed.has(image.id), `GET /v2/images: deleted image ${image.id} is still listed`);
  },
});

registerCheck({
  id: 'f66891a7-a35c-41a8-b590-a065c2a1caa6',
  test: `${CLASS}.test_update_image`,
  async run(ctx) {
    const images = imageClient(ctx);
    const image = await createImage(ctx, images, { visibility: 'private' });
    expectEqual(image.status, 'queued', `status of new image ${image.id} without data`);
    const newName = ctx.name('image-renamed');
    const res = await images.updateImage(image.id, [{ op: 'replace', path: '/name', value: newName }]);
    expectImage(res, 200);
    const shown = await showImage(images, image.id);
    expectEqual(shown.name, newName, `GET /v2/images/${image.id}: name after the update`);
  },
});
