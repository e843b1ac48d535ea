/**
 * Steps shared by the image checks: each performs one Image v2 operation (the
 * client asserts the status the API reference documents for success and the
 * response schema), checks what Tempest asserts beyond that, and registers cleanup
 * for whatever it created. Registers no check itself.
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../../src/check/api.js';
import { expectEqual, expectThat, fail } from '../../src/check/expect.js';
import { ImageClient, type Image, type ListImagesQuery } from '../../src/services/image.js';
import { ProtocolFailure, anyReply, type Reply } from '../../src/services/protocol.js';

/** Formats every Glance accepts by default; `raw` takes any bytes, so uploads stay valid. */
export const CONTAINER_FORMAT = 'bare';
export const DISK_FORMAT = 'raw';

/** The primary account's image client. */
export function imageClient(ctx: CheckContext): ImageClient {
  return new ImageClient(ctx.account('primary'));
}

/**
 * Registers an image (201, schema) with a prefixed name and defers its deletion.
 * `fields` are sent as they are (container/disk format default to bare/raw).
 * With `asserted`, the deletion is part of the test, as where Tempest deletes the
 * image in a test-level cleanup (delete_image, nothing ignored): it must answer 204.
 */
export async function createImage(
  ctx: CheckContext,
  images: ImageClient,
  fields: Record<string, unknown> = {},
  deletion: { asserted?: boolean } = {},
): Promise<Image> {
  const body = { name: ctx.name('image'), container_format: CONTAINER_FORMAT, disk_format: DISK_FORMAT, ...fields };
  // Defer before the answer is judged: a non-conforming 201 must not leave the image behind.
  const deferDeletion = (res: Reply<unknown>): void => {
    const created = res.body as { id?: unknown } | undefined;
    if (!(res.status >= 200 && res.status < 300 && created && typeof created.id === 'string')) return;
    const id = created.id;
    const asserted = deletion.asserted === true;
    ctx.defer(`delete image ${id}`, async () => {
      // The cleanup judges the status itself: a 404 is fine unless Tempest asserts the deletion.
      const del = await anyReply(() => images.deleteImage(id));
      if (del.status !== 204 && (asserted || del.status !== 404)) fail(`DELETE image ${id}: expected status 204, got ${del.status}`);
    }, { asserted });
  };
  let res: Reply<Image>;
  try {
    res = await images.createImage(body);
  } catch (err) {
    if (err instanceof ProtocolFailure) deferDeletion(err.reply);
    throw err;
  }
  deferDeletion(res);
  const image = res.body;
  if (typeof body.name === 'string') expectEqual(image.name, body.name, `${res.method} ${res.url}: name of the new image`);
  return image;
}

/** Uploads `size` random bytes (204) and returns them. */
export async function uploadRandomData(images: ImageClient, id: string, size: number): Promise<Buffer> {
  const data = randomBytes(size);
  await images.uploadImageFile(id, data);
  return data;
}

/**
 * A private image holding `size` random bytes, active once the upload returns: the
 * kind of image Tempest's listing fixtures hold. Tempest draws the size at random
 * in 1024..4096; a fixed size lets the size filters be judged against a decoy of
 * a known other size, every run.
 */
export async function createActiveImage(
  ctx: CheckContext,
  images: ImageClient,
  fields: Record<string, unknown> = {},
  size = 1024,
): Promise<Image> {
  const image = await createImage(ctx, images, { visibility: 'private', ...fields });
  await uploadRandomData(images, image.id, size);
  return showImage(images, image.id);
}

/** GET /v2/images/{id} (200, schema). */
export async function showImage(images: ImageClient, id: string): Promise<Image> {
  const res = await images.showImage(id);
  const image = res.body;
  expectEqual(image.id, id, `${res.method} ${res.url}: id of the shown image`);
  return image;
}

/** GET /v2/images with `query` (200, envelope and every image against their schemas). */
export async function listImages(images: ImageClient, query?: ListImagesQuery): Promise<Image[]> {
  return (await images.listImages(query)).body.images;
}

/**
 * The ids of all images listed, following `next` links (bounded), so a cloud with
 * many visible images does not hide ours behind the first page.
 */
export async function listAllImageIds(images: ImageClient, maxPages = 40): Promise<Set<string>> {
  const ids = new Set<string>();
  let marker: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await images.listImages(marker ? { marker } : undefined);
    for (const image of res.body.images) ids.add(image.id);
    const last = res.body.images[res.body.images.length - 1];
    if (!res.body.next || !last) return ids;
    marker = last.id;
  }
  return ids;
}

/** DELETE /v2/images/{id} (204) then waits until GET answers 404. */
export async function deleteImageAndWait(ctx: CheckContext, images: ImageClient, id: string): Promise<void> {
  const res = await images.deleteImage(id);
  const gone = await images.waitForImageDeletion(id, 240_000, ctx.signal);
  expectThat(gone, `image ${id} still shown 240 s after ${res.method} ${res.url} answered 204`);
}
