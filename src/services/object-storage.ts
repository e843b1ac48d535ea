/**
 * Typed client for the OpenStack Object Storage (Swift) API, in the spirit of
 * Tempest's object_storage service clients: one method per API operation, each
 * returning the raw response (statuses are asserted by the caller, never hidden).
 * API reference: https://docs.openstack.org/api-ref/object-store/
 *
 * The account URL is the catalog endpoint of `object-store`. A client can be bound
 * to another account's URL (`forAccount`) to act there with its own token, which is
 * how ACL and reseller (quota) requests are made.
 */
import { createHmac } from 'node:crypto';
import type { CloudClient, HttpMethod, HttpResponse, RequestOptions } from '../cloud/types.js';

/** A response that also names its method, so failures can say `PUT <url>`. */
export type SwiftResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

/** Query parameters of account and container listings. */
export interface ListingParams {
  limit?: number;
  marker?: string;
  end_marker?: string;
  prefix?: string;
  delimiter?: string;
  path?: string;
  format?: 'json' | 'xml' | 'plain';
  reverse?: boolean;
}

/** Extra request parts for object operations. */
export interface ObjectRequestOptions {
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
}

/** Digest algorithms Swift's tempurl accepts. */
export type TempUrlDigest = 'sha1' | 'sha256' | 'sha512';

/** Encodes each path segment of a container or object name, keeping the slashes. */
export function encodeName(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** The non-empty lines of a plain-text listing (one name per line). */
export function listingNames(res: HttpResponse): string[] {
  return res.text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Swift API operations on one account (see the module comment). */
export class ObjectStorageClient {
  private accountUrlPromise: Promise<string> | undefined;

  /**
   * @param cloud session whose token is sent
   * @param accountUrl account to act on; defaults to the session's own `object-store` endpoint
   */
  constructor(
    readonly cloud: CloudClient,
    accountUrl?: string,
  ) {
    if (accountUrl) this.accountUrlPromise = Promise.resolve(accountUrl.replace(/\/+$/, ''));
  }

  /** A client sending `cloud`'s token to another account's URL. */
  static forAccount(cloud: CloudClient, accountUrl: string): ObjectStorageClient {
    return new ObjectStorageClient(cloud, accountUrl);
  }

  /** The account URL (…/v1/AUTH_<project>) without trailing slash. */
  accountUrl(): Promise<string> {
    if (!this.accountUrlPromise) {
      this.accountUrlPromise = this.cloud.endpoint('object-store').then((u) => u.replace(/\/+$/, ''));
    }
    return this.accountUrlPromise;
  }

  /** Cluster root (scheme://host[:port]/prefix-before-/v1), where /info lives. */
  async clusterUrl(): Promise<string> {
    const account = new URL(await this.accountUrl());
    const cut = account.pathname.split(/(?:^|\/)+v\d+(?:\.\d+)?/)[0] ?? '';
    return `${account.origin}${cut.replace(/\/+$/, '')}/`;
  }

  private async send<T>(
    method: HttpMethod,
    relPath: string,
    opts: Omit<RequestOptions, 'method' | 'url' | 'path' | 'service'> = {},
  ): Promise<SwiftResponse<T>> {
    const base = await this.accountUrl();
    const url = relPath ? `${base}/${relPath}` : base;
    const res = await this.cloud.request<T>({ ...opts, method, url });
    return Object.assign(res, { method });
  }

  // ---- account ----

  /** HEAD account: metadata and usage headers (204). */
  showAccountMetadata(): Promise<SwiftResponse<string>> {
    return this.send('HEAD', '', { responseType: 'text' });
  }

  /** GET account: container listing (200, or 204 when empty). Plain text unless `format` says otherwise. */
  listContainers(params: ListingParams = {}): Promise<SwiftResponse<string>> {
    return this.send('GET', '', { query: { ...params }, responseType: 'text' });
  }

  /** POST account: set (`X-Account-Meta-*`) or remove (`X-Remove-Account-Meta-*`) metadata (204). */
  updateAccountMetadata(headers: Record<string, string>): Promise<SwiftResponse<string>> {
    return this.send('POST', '', { headers, responseType: 'text' });
  }

  // ---- container ----

  /** PUT container: create, or update when it exists (201/202). */
  createContainer(container: string, headers: Record<string, string> = {}): Promise<SwiftResponse<string>> {
    return this.send('PUT', encodeName(container), { headers, responseType: 'text' });
  }

  /** HEAD container: metadata and usage (204). */
  showContainerMetadata(container: string): Promise<SwiftResponse<string>> {
    return this.send('HEAD', encodeName(container), { responseType: 'text' });
  }

  /** GET container: object listing (200, or 204 when empty). */
  listObjects(container: string, params: ListingParams = {}): Promise<SwiftResponse<string>> {
    return this.send('GET', encodeName(container), { query: { ...params }, responseType: 'text' });
  }

  /** POST container: set/remove metadata and ACLs (204). */
  updateContainerMetadata(container: string, headers: Record<string, string>): Promise<SwiftResponse<string>> {
    return this.send('POST', encodeName(container), { headers, responseType: 'text' });
  }

  /** DELETE container (204; 409 when not empty). */
  deleteContainer(container: string): Promise<SwiftResponse<string>> {
    return this.send('DELETE', encodeName(container), { responseType: 'text' });
  }

  // ---- object ----

  /** PUT object (201). An empty body sends Content-Length: 0. */
  createObject(
    container: string,
    object: string,
    data: Buffer | string,
    opts: ObjectRequestOptions = {},
  ): Promise<SwiftResponse<string>> {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    const headers = { 'Content-Length': String(body.length), ...opts.headers };
    return this.send('PUT', `${encodeName(container)}/${encodeName(object)}`, {
      headers,
      query: opts.query,
      body,
      responseType: 'text',
    });
  }

  /** HEAD object: metadata (200). */
  showObjectMetadata(container: string, object: string, opts: ObjectRequestOptions = {}): Promise<SwiftResponse<string>> {
    return this.send('HEAD', `${encodeName(container)}/${encodeName(object)}`, { ...opts, responseType: 'text' });
  }

  /** GET object: content as bytes (200/206; 304 on a matching If-None-Match). */
  getObject(container: string, object: string, opts: ObjectRequestOptions = {}): Promise<SwiftResponse<Buffer>> {
    return this.send('GET', `${encodeName(container)}/${encodeName(object)}`, { ...opts, responseType: 'buffer' });
  }

  /** COPY object to `destination` (`container/object`) (201). */
  copyObject(
    container: string,
    object: string,
    destination: string,
    headers: Record<string, string> = {},
  ): Promise<SwiftResponse<string>> {
    return this.send('COPY', `${encodeName(container)}/${encodeName(object)}`, {
      headers: { Destination: encodeName(destination), ...headers },
      responseType: 'text',
    });
  }

  /** POST object: replace metadata (202). */
  updateObjectMetadata(container: string, object: string, headers: Record<string, string>): Promise<SwiftResponse<string>> {
    return this.send('POST', `${encodeName(container)}/${encodeName(object)}`, { headers, responseType: 'text' });
  }

  /** DELETE object (204; 200 for `multipart-manifest=delete`). */
  deleteObject(
    container: string,
    object: string,
    query?: Record<string, string | number | boolean | undefined>,
  ): Promise<SwiftResponse<string>> {
    return this.send('DELETE', `${encodeName(container)}/${encodeName(object)}`, { query, responseType: 'text' });
  }

  // ---- cluster ----

  /** GET /info: discoverable capabilities (200, JSON). Unauthenticated, as Swift serves it. */
  async showInfo(): Promise<SwiftResponse<string>> {
    const url = `${await this.clusterUrl()}info`;
    const res = await this.cloud.request<string>({ method: 'GET', url, auth: false, responseType: 'text' });
    return Object.assign(res, { method: 'GET' as const });
  }

  // ---- temporary URLs and form posts ----

  /**
   * A temporary URL for `method` on an object, valid until `expires` (unix seconds),
   * signed with `key` (account `Temp-URL-Key`). Use it with `requestUnauthenticated`.
   */
  async tempUrl(
    container: string,
    object: string,
    method: HttpMethod,
    expires: number,
    key: string,
    digest: TempUrlDigest = 'sha256',
  ): Promise<string> {
    const base = await this.accountUrl();
    const path = `${decodeURIComponent(new URL(base).pathname)}/${container}/${object}`;
    const sig = createHmac(digest, key).update(`${method}\n${expires}\n${path}`).digest('hex');
    return `${base}/${encodeName(container)}/${encodeName(object)}?temp_url_sig=${sig}&temp_url_expires=${expires}`;
  }

  /** HMAC signature of a form POST to `path` (the `signature` form field). */
  static formPostSignature(
    path: string,
    redirect: string,
    maxFileSize: number,
    maxFileCount: number,
    expires: number,
    key: string,
    digest: TempUrlDigest = 'sha256',
  ): string {
    const body = `${path}\n${redirect}\n${maxFileSize}\n${maxFileCount}\n${expires}`;
    return createHmac(digest, key).update(body).digest('hex');
  }

  /** A request to an absolute URL without a token (temp URLs, form posts). */
  async requestUnauthenticated<T = string>(
    method: HttpMethod,
    url: string,
    opts: { headers?: Record<string, string>; body?: Buffer | string; responseType?: 'text' | 'buffer' } = {},
  ): Promise<SwiftResponse<T>> {
    const res = await this.cloud.request<T>({
      method,
      url,
      auth: false,
      headers: opts.headers,
      body: opts.body,
      responseType: opts.responseType ?? 'text',
    });
    return Object.assign(res, { method });
  }
}
