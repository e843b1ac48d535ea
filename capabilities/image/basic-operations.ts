/**
 * Native checks for tempest.api.image.v2.test_images.BasicOperationsImagesTest
 * that the interop guidelines require (images-v2-delete, images-v2-update).
 */
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { createImage, deleteImageAndWait, imageClient, listAllImageIds, showImage } from './steps.js';

const basicOperationsImages = tempestClass('tempest.api.image.v2.test_images.BasicOperationsImagesTest');

basicOperationsImages.test('test_delete_image', 'f848bb94-1c6e-45a4-8726-39e3a5b23535', async (ctx) => {
  const images = imageClient(ctx);
  const image = await createImage(ctx, images, { visibility: 'private' });
  await deleteImageAndWait(ctx, images, image.id);
  const listed = await listAllImageIds(images);
  expectThat(!listed.has(image.id), `GET /v2/images: deleted image ${image.id} is still listed`);
});

basicOperationsImages.test('test_update_image', 'f66891a7-a35c-41a8-b590-a065c2a1caa6', async (ctx) => {
  const images = imageClient(ctx);
  const image = await createImage(ctx, images, { visibility: 'private' });
  expectEqual(image.status, 'queued', `status of new image ${image.id} without data`);
  const newName = ctx.name('image-renamed');
  // The client asserts the 200 and the image schema.
  await images.updateImage(image.id, [{ op: 'replace', path: '/name', value: newName }]);
  const shown = await showImage(images, image.id);
  expectEqual(shown.name, newName, `GET /v2/images/${image.id}: name after the update`);
});
