/**
 * Glance (Image service) v2 client: one method per API operation, as in the Image
 * v2 API reference (https://docs.openstack.org/api-ref/image/v2/). Each method
 * declares the status Tempest's images_client expects and the answer's schema
 * (src/services/schemas/image/v2/), validates the answer and returns it typed, or
 * throws a ProtocolFailure (see protocol.ts). Negative checks wrap a call in
 * `expectErrorStatus`; cleanups and polls that accept other answers use `anyReply`.
 */
import type { CloudClient } from '../cloud/types.js';
import { versionedBase } from './endpoint.js';
import { ProtocolClient, ProtocolFailure, expectEachMatches, type Reply } from './protocol.js';

/** One operation of a JSON Patch (the media type Glance calls openstack-images-v2.1-json-patch). */
export type ImagePatchOp =
  | { op: 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** The fields of an image our checks read; the schema holds the full contract. */
export interface Image {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  size: number | null;
  container_format: string | null;
  disk_format: string | null;
  owner: string | null;
  tags: string[];
  [property: string]: unknown;
}

export interface ImageList {
  images: Image[];
  next?: string;
}

/** Query parameters of GET /v2/images that the checks use. */
export type ListImagesQuery = Record<string, string | number | boolean | undefined>;

const PATCH_TYPE = 'application/openstack-images-v2.1-json-patch';

const enc = encodeURIComponent;

export class ImageClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  protected async resolveBase(): Promise<string> {
    return versionedBase(await this.cloud.endpoint('image'), 'v2');
  }

  /** POST /v2/images: registers an image record (201, the image). */
  createImage(image: Record<string, unknown>): Promise<Reply<Image>> {
    return this.send<Image>({ method: 'POST', path: 'images', body: image, status: 201, schema: 'image/v2/image' });
  }

  /** GET /v2/images/{id}: shows an image (200). An empty id leaves GET /v2/images/, which is no image. */
  showImage(id: string): Promise<Reply<Image>> {
    return this.send<Image>({ method: 'GET', path: `images/${enc(id)}`, status: 200, schema: 'image/v2/image' });
  }

  /** GET /v2/images: lists the images the caller can see, filtered by `query` (200; every element is an image). */
  async listImages(query?: ListImagesQuery): Promise<Reply<ImageList>> {
    const reply = await this.send<ImageList>({ method: 'GET', path: 'images', ...(query ? { query } : {}), status: 200, schema: 'image/v2/list-images' });
    expectEachMatches(reply, '/images', reply.body.images, 'image/v2/image');
    return reply;
  }

  /** PATCH /v2/images/{id}: applies JSON Patch operations (200, the image). */
  updateImage(id: string, ops: ImagePatchOp[]): Promise<Reply<Image>> {
    return this.send<Image>({
      method: 'PATCH',
      path: `images/${enc(id)}`,
      body: JSON.stringify(ops),
      headers: { 'Content-Type': PATCH_TYPE },
      status: 200,
      schema: 'image/v2/image',
    });
  }

  /** DELETE /v2/images/{id} (204). */
  deleteImage(id: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `images/${enc(id)}`, status: 204 });
  }

  /** PUT /v2/images/{id}/file: uploads the image data (204). */
  uploadImageFile(id: string, data: Buffer): Promise<Reply<unknown>> {
    return this.send({
      method: 'PUT',
      path: `images/${enc(id)}/file`,
      body: data,
      headers: { 'Content-Type': 'application/octet-stream' },
      status: 204,
    });
  }

  /** GET /v2/images/{id}/file: downloads the image data (200, or 204 without data). */
  downloadImageFile(id: string): Promise<Reply<Buffer>> {
    return this.send<Buffer>({ method: 'GET', path: `images/${enc(id)}/file`, responseType: 'buffer', status: [200, 204] });
  }

  /** PUT /v2/images/{id}/tags/{tag} (204). */
  addImageTag(id: string, tag: string): Promise<Reply<unknown>> {
    return this.send({ method: 'PUT', path: `images/${enc(id)}/tags/${enc(tag)}`, status: 204 });
  }

  /** DELETE /v2/images/{id}/tags/{tag} (204). */
  deleteImageTag(id: string, tag: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path: `images/${enc(id)}/tags/${enc(tag)}`, status: 204 });
  }

  /** GET /v2/schemas/{name}: the JSON Schema Glance publishes for `image`, `images`… (200, a schema document). */
  showSchema(name: string): Promise<Reply<{ name?: unknown; [field: string]: unknown }>> {
    return this.send({ method: 'GET', path: `schemas/${enc(name)}`, status: 200, schema: 'image/v2/show-schema' });
  }

  /**
   * Polls GET /v2/images/{id} until it answers 404 (deletion may be asynchronous);
   * any other answer, conforming or not, means "not yet". Returns false when the
   * image still exists after `timeoutMs`.
   */
  async waitForImageDeletion(id: string, timeoutMs = 60_000, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        await this.showImage(id);
      } catch (err) {
        if (!(err instanceof ProtocolFailure)) throw err;
        if (err.reply.status === 404) return true;
      }
      if (Date.now() >= deadline || signal?.aborted) return false;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
