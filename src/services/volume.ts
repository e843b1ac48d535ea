/**
 * Cinder (Block Storage) v3 client: one method per API operation, as in the
 * Block Storage v3 API reference (https://docs.openstack.org/api-ref/block-storage/v3/).
 * Methods return the response whatever its status; checks assert statuses and
 * bodies with src/check/expect.ts against the schemas in src/services/schemas/volume/.
 *
 * No microversion header is sent: the interop tests ask for none, so Cinder
 * answers with the base 3.0 API, which is what those schemas describe.
 *
 * The catalog may call the service `block-storage` or `volumev3` (older clouds);
 * src/cloud/catalog.ts resolves either name.
 */
import type { CloudClient, HttpMethod, HttpResponse, RequestOptions } from '../cloud/types.js';

/** A response that also names its request method, for assertion messages. */
export type VolumeResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

/** Catalog service type asked for; aliases (`volumev3`…) are resolved by the catalog. */
export const VOLUME_SERVICE = 'block-storage';

export interface Link {
  href: string;
  rel: string;
  [field: string]: unknown;
}

/** The fields of a volume our checks read; the schemas hold the full contract. */
export interface Volume {
  id: string;
  name: string | null;
  status: string;
  size: number;
  availability_zone: string | null;
  bootable: string;
  description: string | null;
  metadata: Record<string, string>;
  snapshot_id: string | null;
  source_volid: string | null;
  [field: string]: unknown;
}

/** The fields of a snapshot our checks read. */
export interface Snapshot {
  id: string;
  name: string | null;
  status: string;
  size: number;
  volume_id: string;
  description: string | null;
  metadata: Record<string, string>;
  [field: string]: unknown;
}

/** Query parameters of list calls (`name`, `status`, `limit`, `marker`, `sort_key`…). */
export type VolumeQuery = Record<string, string | number | boolean | undefined | Record<string, string>>;

export interface VolumeList {
  volumes: Volume[];
  volumes_links?: Link[];
}

export interface SnapshotList {
  snapshots: Snapshot[];
  snapshots_links?: Link[];
}

/**
 * The v3 base URL of a Cinder endpoint. Catalogs list it as `…/v3/<project_id>`
 * (or `…/v2/<project_id>`, `…/v3`, bare); the version segment becomes `v3` and
 * what follows it is kept, and a bare endpoint gets `/v3/<project_id>`.
 */
export function volumeBase(endpoint: string, projectId: string): string {
  const url = new URL(endpoint);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const at = parts.findIndex((p) => /^v\d+(\.\d+)?$/.test(p));
  if (at >= 0) parts[at] = 'v3';
  else parts.push('v3', projectId);
  url.pathname = `/${parts.join('/')}`;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/$/, '');
}

/** The endpoint cut before its version segment: where Cinder lists its API versions. */
export function volumeRoot(endpoint: string): string {
  const url = new URL(endpoint);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const at = parts.findIndex((p) => /^v\d+(\.\d+)?$/.test(p));
  const kept = at >= 0 ? parts.slice(0, at) : parts;
  url.pathname = `/${kept.join('/')}${kept.length > 0 ? '/' : ''}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

const enc = encodeURIComponent;

export class VolumeClient {
  private base?: Promise<string>;

  constructor(private readonly cloud: CloudClient) {}

  // --- volumes ---------------------------------------------------------------

  /** POST /volumes (202, the volume in `creating`). */
  createVolume(volume: Record<string, unknown>): Promise<VolumeResponse<{ volume: Volume }>> {
    return this.call('POST', 'volumes', { body: { volume } });
  }

  /** GET /volumes/{id} (200). `id` is sent as given, so empty and malformed ids reach the API. */
  showVolume(id: string): Promise<VolumeResponse<{ volume: Volume }>> {
    return this.call('GET', `volumes/${enc(id)}`);
  }

  /** GET /volumes or /volumes/detail (200). */
  listVolumes(detail = false, query?: VolumeQuery | string): Promise<VolumeResponse<VolumeList>> {
    return this.call('GET', detail ? 'volumes/detail' : 'volumes', query === undefined ? {} : { query: toQuery(query) });
  }

  /** PUT /volumes/{id} (200, the volume). */
  updateVolume(id: string, fields: Record<string, unknown>): Promise<VolumeResponse<{ volume: Volume }>> {
    return this.call('PUT', `volumes/${enc(id)}`, { body: { volume: fields } });
  }

  /** DELETE /volumes/{id} (202). */
  deleteVolume(id: string): Promise<VolumeResponse> {
    return this.call('DELETE', `volumes/${enc(id)}`);
  }

  /** POST /volumes/{id}/action os-set_bootable (200). */
  setBootable(id: string, bootable: boolean): Promise<VolumeResponse> {
    return this.action(id, { 'os-set_bootable': { bootable } });
  }

  /** POST /volumes/{id}/action os-update_readonly_flag (202). */
  updateReadonly(id: string, readonly: boolean): Promise<VolumeResponse> {
    return this.action(id, { 'os-update_readonly_flag': { readonly } });
  }

  /** POST /volumes/{id}/action os-volume_upload_image (202, `os-volume_upload_image` with the new image's id). */
  uploadToImage(id: string, request: Record<string, unknown>): Promise<VolumeResponse<{ 'os-volume_upload_image': Record<string, unknown> }>> {
    return this.action(id, { 'os-volume_upload_image': request });
  }

  /** POST /volumes/{id}/action os-reserve: marks the volume `attaching` (202). */
  reserveVolume(id: string): Promise<VolumeResponse> {
    return this.action(id, { 'os-reserve': {} });
  }

  /** POST /volumes/{id}/action os-unreserve: back to `available` (202). */
  unreserveVolume(id: string): Promise<VolumeResponse> {
    return this.action(id, { 'os-unreserve': {} });
  }

  /** POST /volumes/{id}/action os-attach: records an attachment to a server, as Nova once did (202). */
  attachVolume(id: string, attach: { instance_uuid: string; mountpoint: string }): Promise<VolumeResponse> {
    return this.action(id, { 'os-attach': attach });
  }

  /** POST /volumes/{id}/action os-detach (202). */
  detachVolume(id: string): Promise<VolumeResponse> {
    return this.action(id, { 'os-detach': {} });
  }

  /** POST /volumes/{id}/action os-extend (202). */
  extendVolume(id: string, newSize: unknown): Promise<VolumeResponse> {
    return this.action(id, { 'os-extend': { new_size: newSize } });
  }

  // --- volume metadata ---------------------------------------------------------

  /** POST /volumes/{id}/metadata: adds or replaces the given keys (200). */
  createVolumeMetadata(id: string, metadata: Record<string, string>): Promise<VolumeResponse<{ metadata: Record<string, string> }>> {
    return this.call('POST', `volumes/${enc(id)}/metadata`, { body: { metadata } });
  }

  /** GET /volumes/{id}/metadata (200). */
  showVolumeMetadata(id: string): Promise<VolumeResponse<{ metadata: Record<string, string> }>> {
    return this.call('GET', `volumes/${enc(id)}/metadata`);
  }

  /** PUT /volumes/{id}/metadata: replaces all metadata (200). */
  updateVolumeMetadata(id: string, metadata: Record<string, string>): Promise<VolumeResponse<{ metadata: Record<string, string> }>> {
    return this.call('PUT', `volumes/${enc(id)}/metadata`, { body: { metadata } });
  }

  /** GET /volumes/{id}/metadata/{key} (200, `meta`). */
  showVolumeMetadataItem(id: string, key: string): Promise<VolumeResponse<{ meta: Record<string, string> }>> {
    return this.call('GET', `volumes/${enc(id)}/metadata/${enc(key)}`);
  }

  /** PUT /volumes/{id}/metadata/{key} (200, `meta`). */
  updateVolumeMetadataItem(id: string, key: string, meta: Record<string, string>): Promise<VolumeResponse<{ meta: Record<string, string> }>> {
    return this.call('PUT', `volumes/${enc(id)}/metadata/${enc(key)}`, { body: { meta } });
  }

  /** DELETE /volumes/{id}/metadata/{key} (200). */
  deleteVolumeMetadataItem(id: string, key: string): Promise<VolumeResponse> {
    return this.call('DELETE', `volumes/${enc(id)}/metadata/${enc(key)}`);
  }

  // --- snapshots -----------------------------------------------------------------

  /** POST /snapshots (202, the snapshot in `creating`). */
  createSnapshot(snapshot: Record<string, unknown>): Promise<VolumeResponse<{ snapshot: Snapshot }>> {
    return this.call('POST', 'snapshots', { body: { snapshot } });
  }

  /** GET /snapshots/{id} (200). */
  showSnapshot(id: string): Promise<VolumeResponse<{ snapshot: Snapshot }>> {
    return this.call('GET', `snapshots/${enc(id)}`);
  }

  /** GET /snapshots or /snapshots/detail (200). */
  listSnapshots(detail = false, query?: VolumeQuery): Promise<VolumeResponse<SnapshotList>> {
    return this.call('GET', detail ? 'snapshots/detail' : 'snapshots', query === undefined ? {} : { query: toQuery(query) });
  }

  /** PUT /snapshots/{id} (200, the snapshot). */
  updateSnapshot(id: string, fields: Record<string, unknown>): Promise<VolumeResponse<{ snapshot: Snapshot }>> {
    return this.call('PUT', `snapshots/${enc(id)}`, { body: { snapshot: fields } });
  }

  /** DELETE /snapshots/{id} (202). */
  deleteSnapshot(id: string): Promise<VolumeResponse> {
    return this.call('DELETE', `snapshots/${enc(id)}`);
  }

  /** POST /snapshots/{id}/metadata (200). */
  createSnapshotMetadata(id: string, metadata: Record<string, string>): Promise<VolumeResponse<{ metadata: Record<string, string> }>> {
    return this.call('POST', `snapshots/${enc(id)}/metadata`, { body: { metadata } });
  }

  /** GET /snapshots/{id}/metadata (200). */
  showSnapshotMetadata(id: string): Promise<VolumeResponse<{ metadata: Record<string, string> }>> {
    return this.call('GET', `snapshots/${enc(id)}/metadata`);
  }

  /** PUT /snapshots/{id}/metadata: replaces all metadata (200). */
  updateSnapshotMetadata(id: string, metadata: Record<string, string>): Promise<VolumeResponse<{ metadata: Record<string, string> }>> {
    return this.call('PUT', `snapshots/${enc(id)}/metadata`, { body: { metadata } });
  }

  /** GET /snapshots/{id}/metadata/{key} (200, `meta`). */
  showSnapshotMetadataItem(id: string, key: string): Promise<VolumeResponse<{ meta: Record<string, string> }>> {
    return this.call('GET', `snapshots/${enc(id)}/metadata/${enc(key)}`);
  }

  /** PUT /snapshots/{id}/metadata/{key} (200, `meta`). */
  updateSnapshotMetadataItem(id: string, key: string, meta: Record<string, string>): Promise<VolumeResponse<{ meta: Record<string, string> }>> {
    return this.call('PUT', `snapshots/${enc(id)}/metadata/${enc(key)}`, { body: { meta } });
  }

  /** DELETE /snapshots/{id}/metadata/{key} (200). */
  deleteSnapshotMetadataItem(id: string, key: string): Promise<VolumeResponse> {
    return this.call('DELETE', `snapshots/${enc(id)}/metadata/${enc(key)}`);
  }

  // --- service-wide ----------------------------------------------------------------

  /** GET /os-availability-zone (200, `availabilityZoneInfo`). */
  listAvailabilityZones(): Promise<VolumeResponse<{ availabilityZoneInfo: unknown[] }>> {
    return this.call('GET', 'os-availability-zone');
  }

  /** GET /extensions (200). */
  listExtensions(): Promise<VolumeResponse<{ extensions: Record<string, unknown>[] }>> {
    return this.call('GET', 'extensions');
  }

  /** GET /limits (200). */
  showLimits(): Promise<VolumeResponse<{ limits: Record<string, unknown> }>> {
    return this.call('GET', 'limits');
  }

  /**
   * The newest user message (GET /messages, microversion 3.3) about a resource, as
   * `event: message`, or undefined when there is none or the cloud offers none.
   * Only for evidence: why a volume or snapshot went to `error`.
   */
  async latestMessage(resourceId: string): Promise<string | undefined> {
    const res = await this.call<{ messages?: { user_message?: string; event_id?: string }[] }>('GET', 'messages', {
      query: { resource_uuid: resourceId, sort: 'created_at:desc', limit: 1 },
      headers: { 'OpenStack-API-Version': 'volume 3.3' },
    });
    const m = res.status === 200 ? res.body?.messages?.[0] : undefined;
    return m?.user_message ? `${m.event_id ?? 'message'}: ${m.user_message}` : undefined;
  }

  /** GET / on the unversioned endpoint without a token (300, `versions`). */
  async listVersions(): Promise<VolumeResponse<{ versions: Record<string, unknown>[] }>> {
    const url = volumeRoot(await this.cloud.endpoint(VOLUME_SERVICE));
    const res = await this.cloud.request<{ versions: Record<string, unknown>[] }>({ method: 'GET', url, auth: false });
    return { ...res, method: 'GET' };
  }

  /** The v3 base URL this client sends to (…/v3/<project_id>). */
  baseUrl(): Promise<string> {
    this.base ??= (async () => volumeBase(await this.cloud.endpoint(VOLUME_SERVICE), (await this.cloud.identity()).projectId))();
    return this.base;
  }

  private action<T = unknown>(id: string, body: Record<string, unknown>): Promise<VolumeResponse<T>> {
    return this.call<T>('POST', `volumes/${enc(id)}/action`, { body });
  }

  private async call<T = unknown>(
    method: HttpMethod,
    path: string,
    extra: Omit<RequestOptions, 'method' | 'url' | 'path' | 'service'> = {},
  ): Promise<VolumeResponse<T>> {
    const url = `${await this.baseUrl()}/${path}`;
    const res = await this.cloud.request<T>({ ...extra, method, url });
    return { ...res, method };
  }
}

/**
 * Query parameters as the request layer takes them. A raw query string (the
 * query of a `next` link) is decoded into pairs; `metadata` objects are sent as
 * Cinder expects them, a JSON text (`metadata={"k":"v"}`).
 */
function toQuery(query: VolumeQuery | string): Record<string, string | number | boolean | undefined> {
  if (typeof query === 'string') return Object.fromEntries(new URLSearchParams(query));
  return Object.fromEntries(
    Object.entries(query).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]),
  );
}
