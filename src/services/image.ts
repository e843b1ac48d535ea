/**
 * Glance (Image service) v2 client: one method per API operation, as in the Image
 * v2 API reference (https://docs.openstack.org/api-ref/image/v2/). Methods return
 * the response whatever its status; checks assert statuses and bodies with
 * src/check/expect.ts, against the schemas in src/services/schemas/image/.
 */
import type { CloudClient, HttpMethod, HttpResponse, RequestOptions } from '../cloud/types.js';
import { versionedBase } from './endpoint.js';

/** A response that also names its request method, for assertion messages. */
export type ImageResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

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

export class ImageClient {
  private base?: Promise<string>;

  constructor(private readonly cloud: CloudClient) {}

  /** POST /v2/images: registers an image record (201, the image). */
  createImage(image: Record<string, unknown>): Promise<ImageResponse<Image>> {
    return this.call<Image>('POST', 'images', { body: image });
  }

  /** GET /v2/images/{id}: shows an image (200). */
  showImage(id: string): Promise<ImageResponse<Image>> {
    return this.call<Image>('GET', `images/${encodeURIComponent(id)}`);
  }

  /** GET /v2/images: lists the images the caller can see, filtered by `query` (200). */
  listImages(query?: ListImagesQuery): Promise<ImageResponse<ImageList>> {
    return this.call<ImageList>('GET', 'images', query ? { query } : {});
  }

  /** PATCH /v2/images/{id}: applies JSON Patch operations (200, the image). */
  updateImage(id: string, ops: ImagePatchOp[]): Promise<ImageResponse<Image>> {
    return this.call<Image>('PATCH', `images/${encodeURIComponent(id)}`, {
      body: JSON.stringify(ops),
      headers: { 'Content-Type': PATCH_TYPE },
    });
  }

  /** DELETE /v2/images/{id} (204). */
  deleteImage(id: string): Promise<ImageResponse> {
    return this.call('DELETE', `images/${encodeURIComponent(id)}`);
  }

  /** PUT /v2/images/{id}/file: uploads the image data (204). */
  uploadImageFile(id: string, data: Buffer): Promise<ImageResponse> {
    return this.call('PUT', `images/${encodeURIComponent(id)}/file`, {
      body: data,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
  }

  /** GET /v2/images/{id}/file: downloads the image data (200, or 204 without data). */
  downloadImageFile(id: string): Promise<ImageResponse<Buffer>> {
    return this.call<Buffer>('GET', `images/${encodeURIComponent(id)}/file`, { responseType: 'buffer' });
  }

  /** PUT /v2/images/{id}/tags/{tag} (204). */
  addImageTag(id: string, tag: string): Promise<ImageResponse> {
    return this.call('PUT', `images/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`);
  }

  /** DELETE /v2/images/{id}/tags/{tag} (204). */
  deleteImageTag(id: string, tag: string): Promise<ImageResponse> {
    return this.call('DELETE', `images/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`);
  }

  /** GET /v2/schemas/{name}: the JSON Schema Glance publishes for `image`, `images`… (200). */
  showSchema(name: string): Promise<ImageResponse> {
    return this.call('GET', `schemas/${encodeURIComponent(name)}`);
  }

  /**
   * Polls GET /v2/images/{id} until it answers 404 (deletion may be asynchronous).
   * Returns false when the image still exists after `timeoutMs`.
   */
  async waitForImageDeletion(id: string, timeoutMs = 60_000, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      const res = await this.showImage(id);
      if (res.status === 404) return true;
      if (Date.now() >= deadline || signal?.aborted) return false;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private baseUrl(): Promise<string> {
    this.base ??= this.cloud.endpoint('image').then((e) => versionedBase(e, 'v2'));
    return this.base;
  }

  private async call<T = unknown>(
    method: HttpMethod,
    path: string,
    extra: Omit<RequestOptions, 'method' | 'url' | 'path' | 'service'> = {},
  ): Promise<ImageResponse<T>> {
    const url = `${await this.baseUrl()}/${path}`;
    const res = await this.cloud.request<T>({ ...extra, method, url });
    return { ...res, method };
  }
}
