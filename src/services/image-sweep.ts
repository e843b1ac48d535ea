/**
 * Removal of image leftovers: every image owned by the caller's project whose name
 * starts with a run prefix (unprotected first when needed). Used by the runner's
 * final sweep and `defcore cleanup`.
 */
import type { CloudClient } from '../cloud/types.js';
import { ImageClient, type Image } from './image.js';
import { anyReply } from './protocol.js';

const PAGE = 200;
const MAX_PAGES = 500;

/** Images of the caller's project named with `prefix`, over every page. */
async function prefixedImages(images: ImageClient, owner: string, prefix: string): Promise<Image[]> {
  const found: Image[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    // The sweep reads whatever the listing holds: an image breaking the schema is still a leftover.
    const res = await anyReply(() => images.listImages({ owner, limit: PAGE, ...(marker ? { marker } : {}) }));
    if (res.status !== 200) throw new Error(`GET /v2/images answered ${res.status}`);
    const list = Array.isArray(res.body?.images) ? res.body.images : [];
    for (const image of list) if (typeof image.name === 'string' && image.name.startsWith(prefix)) found.push(image);
    const last = list[list.length - 1];
    if (!res.body.next || !last) break;
    marker = last.id;
  }
  return found;
}

/** Deletes the caller's images named with `prefix`; returns what it removed, throws on the first refusal. */
export async function sweepImages(client: CloudClient, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('image sweep needs a non-empty prefix');
  const images = new ImageClient(client);
  const { projectId } = await client.identity();
  const removed: string[] = [];
  const failures: string[] = [];
  for (const image of await prefixedImages(images, projectId, prefix)) {
    if (image['protected'] === true) {
      // Its answer is not judged: the deletion below says whether the image went.
      await anyReply(() => images.updateImage(image.id, [{ op: 'replace', path: '/protected', value: false }]));
    }
    const res = await anyReply(() => images.deleteImage(image.id));
    if (res.status === 204 || res.status === 404) removed.push(`image ${image.name} (${image.id})`);
    else failures.push(`image ${image.name} (${image.id}): DELETE answered ${res.status}`);
  }
  if (failures.length > 0) throw new Error(`removed ${removed.length} image(s), but ${failures.join('; ')}`);
  return removed;
}
