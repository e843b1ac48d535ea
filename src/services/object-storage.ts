/**
 * Swift (Object Storage) v1 client: one method per API operation, as in the
 * Object Storage API reference (https://docs.openstack.org/api-ref/object-store/).
 * Each method declares the status Tempest's object_storage clients (account,
 * container, object, capabilities) expect and, for JSON listings and /info, the
 * answer's schema (src/services/schemas/object-storage/v1/); it validates the
 * answer and returns it, or throws a ProtocolFailure (see protocol.ts). Negative
 * checks wrap a call in `expectErrorStatus`; cleanups, the sweep, polls and
 * discovery that accept other answers use `anyReply`/`anyStatus`. Swift's
 * standard headers are asserted by the checks, as Tempest's `assertHeaders` does.
 *
 * Requests go without an Accept header (Swift would pick a listing's format from
 * it); bodies are read as text, object data as bytes, under the session's size
 * limit as any request.
 *
 * The account URL is the catalog endpoint of `object-store`. A client can be bound
 * to another account's URL (`forAccount`) to act there with its own token, which is
 * how ACL and reseller (quota) requests are made.
 */
import { createHmac } from 'node:crypto';
import type { CloudClient, HttpMethod } from '../cloud/types.js';
import { ProtocolClient, SUCCESS, type Operation, type Reply } from './protocol.js';

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
  /** `false`: send no token (a public object read anonymously). */
  auth?: false;
}

/** A container as GET account?format=json lists it. */
export interface ContainerEntry {
  name: string;
  count: number;
  bytes: number;
  last_modified?: string;
}

/** An object as GET container?format=json lists it, or a `{subdir}` roll-up with a delimiter. */
export type ObjectEntry =
  | { name: string; hash: string; bytes: number; content_type: string; last_modified: string }
  | { subdir: string };

/** Digest algorithms Swift's tempurl accepts. */
export type TempUrlDigest = 'sha1' | 'sha256' | 'sha512';

/** Encodes each path segment of a container or object name, keeping the slashes. */
export function encodeName(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** The non-empty lines of a plain-text listing (one name per line). */
export function listingNames(res: { text: string }): string[] {
  return res.text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

type Answer = Promise<Reply<string>>;

/** Swift API operations on one account (see the module comment). */
export class ObjectStorageClient extends ProtocolClient {
  /**
   * @param cloud session whose token is sent
   * @param accountUrl account to act on; defaults to the session's own `object-store` endpoint
   * @param signal the check's deadline, passed to every request
   */
  constructor(
    cloud: CloudClient,
    private readonly accountUrlOverride?: string,
    signal?: AbortSignal,
  ) {
    super(cloud, signal);
  }

  /** A client sending `cloud`'s token to another account's URL. */
  static forAccount(cloud: CloudClient, accountUrl: string): ObjectStorageClient {
    return new ObjectStorageClient(cloud, accountUrl);
  }

  /** The name of the cloud whose token is sent (cluster-wide caches key on it). */
  get cloudName(): string {
    return this.cloud.cloudName;
  }

  protected async resolveBase(): Promise<string> {
    const url = this.accountUrlOverride ?? (await this.cloud.endpoint('object-store'));
    return url.replace(/\/+$/, '');
  }

  /** The account URL (…/v1/AUTH_<project>) without trailing slash. */
  accountUrl(): Promise<string> {
    return this.base();
  }

  /** Cluster root (scheme://host[:port]/prefix-before-/v1), where /info lives. */
  async clusterUrl(): Promise<string> {
    const account = new URL(await this.accountUrl());
    const cut = account.pathname.split(/(?:^|\/)+v\d+(?:\.\d+)?/)[0] ?? '';
    return `${account.origin}${cut.replace(/\/+$/, '')}/`;
  }

  /** `op` on `relPath` under the account URL (the account itself when empty), read as text unless said otherwise. */
  private async call<T = string>(relPath: string, op: Omit<Operation, 'path'>): Promise<Reply<T>> {
    const base = await this.accountUrl();
    return this.send<T>({ responseType: 'text', accept: false, ...op, path: relPath ? `${base}/${relPath}` : base });
  }

  private static objectPath(container: string, object: string): string {
    return `${encodeName(container)}/${encodeName(object)}`;
  }

  // ---- account ----

  /** HEAD account: metadata and usage headers (204). */
  showAccountMetadata(): Answer {
    return this.call('', { method: 'HEAD', status: 204 });
  }

  /** GET account: container listing (200, or 204 when empty), as text: plain unless `format` says otherwise. */
  listContainers(params: ListingParams = {}): Answer {
    return this.call('', { method: 'GET', query: { ...params }, status: [200, 204] });
  }

  /** GET account?format=json: the containers as JSON (200/204; schema account-container-listing). */
  listContainerEntries(params: Omit<ListingParams, 'format'> = {}): Promise<Reply<ContainerEntry[]>> {
    return this.call('', {
      method: 'GET',
      query: { ...params, format: 'json' },
      responseType: 'json',
      status: [200, 204],
      schema: 'object-storage/v1/account-container-listing',
    });
  }

  /** POST account: set (`X-Account-Meta-*`) or remove (`X-Remove-Account-Meta-*`) metadata (200/204). */
  updateAccountMetadata(headers: Record<string, string>): Answer {
    return this.call('', { method: 'POST', headers, status: [200, 204] });
  }

  // ---- container ----

  /** PUT container: create, or update when it exists (201/202). */
  createContainer(container: string, headers: Record<string, string> = {}): Answer {
    return this.call(encodeName(container), { method: 'PUT', headers, status: [201, 202] });
  }

  /** HEAD container: metadata and usage (204). */
  showContainerMetadata(container: string): Answer {
    return this.call(encodeName(container), { method: 'HEAD', status: 204 });
  }

  /** GET container: object listing (200, or 204 when empty), as text. */
  listObjects(container: string, params: ListingParams = {}): Answer {
    return this.call(encodeName(container), { method: 'GET', query: { ...params }, status: [200, 204] });
  }

  /** GET container?format=json: the objects as JSON (200/204; schema container-object-listing). */
  listObjectEntries(container: string, params: Omit<ListingParams, 'format'> = {}): Promise<Reply<ObjectEntry[]>> {
    return this.call(encodeName(container), {
      method: 'GET',
      query: { ...params, format: 'json' },
      responseType: 'json',
      status: [200, 204],
      schema: 'object-storage/v1/container-object-listing',
    });
  }

  /** POST container: set/remove metadata and ACLs (204). */
  updateContainerMetadata(container: string, headers: Record<string, string>): Answer {
    return this.call(encodeName(container), { method: 'POST', headers, status: 204 });
  }

  /** DELETE container (204; 409 when not empty). */
  deleteContainer(container: string): Answer {
    return this.call(encodeName(container), { method: 'DELETE', status: 204 });
  }

  // ---- object ----

  /** PUT object (201). An empty body sends Content-Length: 0. */
  createObject(container: string, object: string, data: Buffer | string, opts: ObjectRequestOptions = {}): Answer {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    const headers = { 'Content-Length': String(body.length), ...opts.headers };
    return this.call(ObjectStorageClient.objectPath(container, object), {
      method: 'PUT',
      headers,
      ...(opts.query ? { query: opts.query } : {}),
      body,
      status: 201,
    });
  }

  /** HEAD object: metadata (200). */
  showObjectMetadata(container: string, object: string, opts: ObjectRequestOptions = {}): Answer {
    return this.call(ObjectStorageClient.objectPath(container, object), { method: 'HEAD', ...requestParts(opts), status: 200 });
  }

  /** GET object: content as bytes (200/206). */
  getObject(container: string, object: string, opts: ObjectRequestOptions = {}): Promise<Reply<Buffer>> {
    return this.call<Buffer>(ObjectStorageClient.objectPath(container, object), {
      method: 'GET',
      ...requestParts(opts),
      responseType: 'buffer',
      status: [200, 206],
    });
  }

  /** COPY object to `destination` (`container/object`) (201). */
  copyObject(container: string, object: string, destination: string, headers: Record<string, string> = {}): Answer {
    return this.call(ObjectStorageClient.objectPath(container, object), {
      method: 'COPY',
      headers: { Destination: encodeName(destination), ...headers },
      status: 201,
    });
  }

  /** POST object: replace metadata (202). */
  updateObjectMetadata(container: string, object: string, headers: Record<string, string>): Answer {
    return this.call(ObjectStorageClient.objectPath(container, object), { method: 'POST', headers, status: 202 });
  }

  /** DELETE object (200/204; 200 for `multipart-manifest=delete`). */
  deleteObject(container: string, object: string, query?: Record<string, string | number | boolean | undefined>): Answer {
    return this.call(ObjectStorageClient.objectPath(container, object), {
      method: 'DELETE',
      ...(query ? { query } : {}),
      status: [200, 204],
    });
  }

  // ---- cluster ----

  /**
   * GET /info: discoverable capabilities (200, a JSON object; schema info).
   * Unauthenticated, as Swift serves it; `text` keeps the document as sent.
   */
  async showInfo(): Promise<Reply<Record<string, unknown>>> {
    return this.send({
      method: 'GET',
      path: `${await this.clusterUrl()}info`,
      auth: false,
      accept: false,
      responseType: 'json',
      status: 200,
      schema: 'object-storage/v1/info',
    });
  }

  // ---- temporary URLs and form posts ----

  /**
   * A temporary URL for `method` on an object, valid until `expires` (unix seconds),
   * signed with `key` (account `Temp-URL-Key`). Use it with the `…WithTempUrl` operations.
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

  /*
   * Requests through a temporary URL go without a token. Tempest sends them as plain
   * requests, which only refuse an error, so any 2xx is accepted.
   */

  /** GET an object through a temporary URL: content as bytes (any 2xx). */
  getObjectWithTempUrl(url: string): Promise<Reply<Buffer>> {
    return this.send<Buffer>({ method: 'GET', path: url, auth: false, accept: false, responseType: 'buffer', status: SUCCESS });
  }

  /** HEAD an object through a temporary URL (any 2xx). */
  showObjectMetadataWithTempUrl(url: string): Answer {
    return this.send<string>({ method: 'HEAD', path: url, auth: false, accept: false, responseType: 'text', status: SUCCESS });
  }

  /** PUT an object through a temporary URL (any 2xx). */
  createObjectWithTempUrl(url: string, data: Buffer | string): Answer {
    return this.send<string>({ method: 'PUT', path: url, auth: false, accept: false, body: data, responseType: 'text', status: SUCCESS });
  }
}

/** The optional request parts of an object operation, as Operation fields. */
function requestParts(opts: ObjectRequestOptions): Pick<Operation, 'headers' | 'query' | 'auth'> {
  return {
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.query ? { query: opts.query } : {}),
    ...(opts.auth === false ? { auth: false } : {}),
  };
}
