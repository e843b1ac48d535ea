/**
 * Cinder (Block Storage) v3 client: one method per API operation, as in the
 * Block Storage v3 API reference (https://docs.openstack.org/api-ref/block-storage/v3/).
 * Each method declares the status Tempest's volume clients expect and the answer's
 * schema (src/services/schemas/volume/v3/), validates the answer and returns it
 * typed, or throws a ProtocolFailure (see protocol.ts). Negative checks wrap a call
 * in `expectErrorStatus`; cleanups, sweeps and polls that accept other answers use
 * `anyReply`. Answers without a body (actions, metadata item deletes) declare no
 * schema; the checks that Tempest makes refuse a body assert it is empty.
 *
 * No microversion header is sent: the interop tests ask for none, so Cinder
 * answers with the base 3.0 API, which is what those schemas describe.
 *
 * The catalog may call the service `block-storage` or `volumev3` (older clouds);
 * src/cloud/catalog.ts resolves either name.
 */
import type { CloudClient } from '../cloud/types.js';
import { ProtocolClient, anyReply, type Operation, type Reply } from './protocol.js';

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

/** An answer without a body (deletes, actions): Tempest's schemas declare none. */
type Answer = Promise<Reply<unknown>>;
type Metadata = { metadata: Record<string, string> };
type Meta = { meta: Record<string, string> };

export class VolumeClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  /** The v3 base URL (…/v3/<project_id>). */
  protected async resolveBase(): Promise<string> {
    return volumeBase(await this.cloud.endpoint(VOLUME_SERVICE), (await this.cloud.identity()).projectId);
  }

  // --- volumes ---------------------------------------------------------------

  /** POST /volumes (202, the volume in `creating`). */
  createVolume(volume: Record<string, unknown>): Promise<Reply<{ volume: Volume }>> {
    return this.send({ method: 'POST', path: 'volumes', body: { volume }, status: 202, schema: 'volume/v3/create-volume' });
  }

  /** GET /volumes/{id} (200). `id` is sent as given, so empty and malformed ids reach the API. */
  showVolume(id: string): Promise<Reply<{ volume: Volume }>> {
    return this.send({ method: 'GET', path: `volumes/${enc(id)}`, status: 200, schema: 'volume/v3/show-volume' });
  }

  /** GET /volumes or /volumes/detail (200, the schema of that listing). */
  listVolumes(detail = false, query?: VolumeQuery | string): Promise<Reply<VolumeList>> {
    return this.send({
      method: 'GET',
      path: detail ? 'volumes/detail' : 'volumes',
      ...(query === undefined ? {} : { query: toQuery(query) }),
      status: 200,
      schema: detail ? 'volume/v3/list-volumes-detail' : 'volume/v3/list-volumes',
    });
  }

  /** PUT /volumes/{id} (200, the volume). */
  updateVolume(id: string, fields: Record<string, unknown>): Promise<Reply<{ volume: Volume }>> {
    return this.send({ method: 'PUT', path: `volumes/${enc(id)}`, body: { volume: fields }, status: 200, schema: 'volume/v3/update-volume' });
  }

  /** DELETE /volumes/{id} (202). */
  deleteVolume(id: string): Answer {
    return this.send({ method: 'DELETE', path: `volumes/${enc(id)}`, status: 202 });
  }

  /** POST /volumes/{id}/action os-set_bootable (200). */
  setBootable(id: string, bootable: boolean): Answer {
    return this.action(id, { 'os-set_bootable': { bootable } }, 200);
  }

  /** POST /volumes/{id}/action os-update_readonly_flag (202). */
  updateReadonly(id: string, readonly: boolean): Answer {
    return this.action(id, { 'os-update_readonly_flag': { readonly } }, 202);
  }

  /** POST /volumes/{id}/action os-volume_upload_image (202, `os-volume_upload_image` with the new image's id). */
  uploadToImage(id: string, request: Record<string, unknown>): Promise<Reply<{ 'os-volume_upload_image': Record<string, unknown> }>> {
    return this.action(id, { 'os-volume_upload_image': request }, 202);
  }

  /** POST /volumes/{id}/action os-reserve: marks the volume `attaching` (202). */
  reserveVolume(id: string): Answer {
    return this.action(id, { 'os-reserve': {} }, 202);
  }

  /** POST /volumes/{id}/action os-unreserve: back to `available` (202). */
  unreserveVolume(id: string): Answer {
    return this.action(id, { 'os-unreserve': {} }, 202);
  }

  /** POST /volumes/{id}/action os-attach: records an attachment to a server, as Nova once did (202). */
  attachVolume(id: string, attach: { instance_uuid: string; mountpoint: string }): Answer {
    return this.action(id, { 'os-attach': attach }, 202);
  }

  /** POST /volumes/{id}/action os-detach (202). */
  detachVolume(id: string): Answer {
    return this.action(id, { 'os-detach': {} }, 202);
  }

  /** POST /volumes/{id}/action os-extend (202). */
  extendVolume(id: string, newSize: unknown): Answer {
    return this.action(id, { 'os-extend': { new_size: newSize } }, 202);
  }

  // --- volume metadata ---------------------------------------------------------

  /** POST /volumes/{id}/metadata: adds or replaces the given keys (200). */
  createVolumeMetadata(id: string, metadata: Record<string, string>): Promise<Reply<Metadata>> {
    return this.send({ method: 'POST', path: `volumes/${enc(id)}/metadata`, body: { metadata }, status: 200, schema: 'volume/v3/create-volume-metadata' });
  }

  /** GET /volumes/{id}/metadata (200). */
  showVolumeMetadata(id: string): Promise<Reply<Metadata>> {
    return this.send({ method: 'GET', path: `volumes/${enc(id)}/metadata`, status: 200, schema: 'volume/v3/show-volume-metadata' });
  }

  /** PUT /volumes/{id}/metadata: replaces all metadata (200). */
  updateVolumeMetadata(id: string, metadata: Record<string, string>): Promise<Reply<Metadata>> {
    return this.send({ method: 'PUT', path: `volumes/${enc(id)}/metadata`, body: { metadata }, status: 200, schema: 'volume/v3/update-volume-metadata' });
  }

  /** GET /volumes/{id}/metadata/{key} (200, `meta`). */
  showVolumeMetadataItem(id: string, key: string): Promise<Reply<Meta>> {
    return this.send({ method: 'GET', path: `volumes/${enc(id)}/metadata/${enc(key)}`, status: 200, schema: 'volume/v3/show-volume-metadata-item' });
  }

  /** PUT /volumes/{id}/metadata/{key} (200, `meta`). */
  updateVolumeMetadataItem(id: string, key: string, meta: Record<string, string>): Promise<Reply<Meta>> {
    return this.send({
      method: 'PUT',
      path: `volumes/${enc(id)}/metadata/${enc(key)}`,
      body: { meta },
      status: 200,
      schema: 'volume/v3/update-volume-metadata-item',
    });
  }

  /** DELETE /volumes/{id}/metadata/{key} (200). */
  deleteVolumeMetadataItem(id: string, key: string): Answer {
    return this.send({ method: 'DELETE', path: `volumes/${enc(id)}/metadata/${enc(key)}`, status: 200 });
  }

  // --- snapshots -----------------------------------------------------------------

  /** POST /snapshots (202, the snapshot in `creating`). */
  createSnapshot(snapshot: Record<string, unknown>): Promise<Reply<{ snapshot: Snapshot }>> {
    return this.send({ method: 'POST', path: 'snapshots', body: { snapshot }, status: 202, schema: 'volume/v3/create-snapshot' });
  }

  /** GET /snapshots/{id} (200). */
  showSnapshot(id: string): Promise<Reply<{ snapshot: Snapshot }>> {
    return this.send({ method: 'GET', path: `snapshots/${enc(id)}`, status: 200, schema: 'volume/v3/show-snapshot' });
  }

  /** GET /snapshots or /snapshots/detail (200, the schema of that listing). */
  listSnapshots(detail = false, query?: VolumeQuery): Promise<Reply<SnapshotList>> {
    return this.send({
      method: 'GET',
      path: detail ? 'snapshots/detail' : 'snapshots',
      ...(query === undefined ? {} : { query: toQuery(query) }),
      status: 200,
      schema: detail ? 'volume/v3/list-snapshots-detail' : 'volume/v3/list-snapshots',
    });
  }

  /** PUT /snapshots/{id} (200, the snapshot). */
  updateSnapshot(id: string, fields: Record<string, unknown>): Promise<Reply<{ snapshot: Snapshot }>> {
    return this.send({ method: 'PUT', path: `snapshots/${enc(id)}`, body: { snapshot: fields }, status: 200, schema: 'volume/v3/update-snapshot' });
  }

  /** DELETE /snapshots/{id} (202). */
  deleteSnapshot(id: string): Answer {
    return this.send({ method: 'DELETE', path: `snapshots/${enc(id)}`, status: 202 });
  }

  /** POST /snapshots/{id}/metadata (200). */
  createSnapshotMetadata(id: string, metadata: Record<string, string>): Promise<Reply<Metadata>> {
    return this.send({ method: 'POST', path: `snapshots/${enc(id)}/metadata`, body: { metadata }, status: 200, schema: 'volume/v3/create-snapshot-metadata' });
  }

  /** GET /snapshots/{id}/metadata (200). */
  showSnapshotMetadata(id: string): Promise<Reply<Metadata>> {
    return this.send({ method: 'GET', path: `snapshots/${enc(id)}/metadata`, status: 200, schema: 'volume/v3/show-snapshot-metadata' });
  }

  /** PUT /snapshots/{id}/metadata: replaces all metadata (200). */
  updateSnapshotMetadata(id: string, metadata: Record<string, string>): Promise<Reply<Metadata>> {
    return this.send({ method: 'PUT', path: `snapshots/${enc(id)}/metadata`, body: { metadata }, status: 200, schema: 'volume/v3/update-snapshot-metadata' });
  }

  /** GET /snapshots/{id}/metadata/{key} (200, `meta`). */
  showSnapshotMetadataItem(id: string, key: string): Promise<Reply<Meta>> {
    return this.send({ method: 'GET', path: `snapshots/${enc(id)}/metadata/${enc(key)}`, status: 200, schema: 'volume/v3/show-snapshot-metadata-item' });
  }

  /** PUT /snapshots/{id}/metadata/{key} (200, `meta`). */
  updateSnapshotMetadataItem(id: string, key: string, meta: Record<string, string>): Promise<Reply<Meta>> {
    return this.send({
      method: 'PUT',
      path: `snapshots/${enc(id)}/metadata/${enc(key)}`,
      body: { meta },
      status: 200,
      schema: 'volume/v3/update-snapshot-metadata-item',
    });
  }

  /** DELETE /snapshots/{id}/metadata/{key} (200). */
  deleteSnapshotMetadataItem(id: string, key: string): Answer {
    return this.send({ method: 'DELETE', path: `snapshots/${enc(id)}/metadata/${enc(key)}`, status: 200 });
  }

  // --- service-wide ----------------------------------------------------------------

  /** GET /os-availability-zone (200, `availabilityZoneInfo`). */
  listAvailabilityZones(): Promise<Reply<{ availabilityZoneInfo: unknown[] }>> {
    return this.send({ method: 'GET', path: 'os-availability-zone', status: 200, schema: 'volume/v3/list-availability-zones' });
  }

  /** GET /extensions (200). */
  listExtensions(): Promise<Reply<{ extensions: Record<string, unknown>[] }>> {
    return this.send({ method: 'GET', path: 'extensions', status: 200, schema: 'volume/v3/list-extensions' });
  }

  /** GET /limits (200; no check reads it, so no schema is declared). */
  showLimits(): Promise<Reply<{ limits: Record<string, unknown> }>> {
    return this.send({ method: 'GET', path: 'limits', status: 200 });
  }

  /**
   * The newest user message (GET /messages, microversion 3.3) about a resource, as
   * `event: message`, or undefined when there is none or the cloud offers none.
   * Only for evidence: why a volume or snapshot went to `error`; any answer is taken.
   */
  async latestMessage(resourceId: string): Promise<string | undefined> {
    const res = await anyReply(() =>
      this.send<{ messages?: { user_message?: string; event_id?: string }[] }>({
        method: 'GET',
        path: 'messages',
        query: { resource_uuid: resourceId, sort: 'created_at:desc', limit: 1 },
        headers: { 'OpenStack-API-Version': 'volume 3.3' },
        status: 200,
      }),
    );
    const m = res.status === 200 ? res.body?.messages?.[0] : undefined;
    return m?.user_message ? `${m.event_id ?? 'message'}: ${m.user_message}` : undefined;
  }

  /** GET / on the unversioned endpoint without a token (300, `versions`). */
  async listVersions(): Promise<Reply<{ versions: Record<string, unknown>[] }>> {
    const url = volumeRoot(await this.cloud.endpoint(VOLUME_SERVICE));
    return this.send({ method: 'GET', path: url, auth: false, status: 300, schema: 'volume/v3/list-versions' });
  }

  private action<T = unknown>(id: string, body: Record<string, unknown>, status: Operation['status']): Promise<Reply<T>> {
    return this.send<T>({ method: 'POST', path: `volumes/${enc(id)}/action`, body, status });
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
