/**
 * Nova (Compute) v2.1 client: one method per API operation, as in the Compute
 * API reference (https://docs.openstack.org/api-ref/compute/). Methods return
 * the response whatever its status; checks assert statuses and bodies with
 * src/check/expect.ts against the schemas in src/services/schemas/compute/.
 *
 * A client speaks one microversion: none (the base 2.1 API, as Tempest sends
 * when its tests ask for none) or the one given, sent in both
 * `X-OpenStack-Nova-API-Version` and `OpenStack-API-Version: compute <v>`.
 */
import type { CloudClient, HttpMethod, HttpResponse, RequestOptions } from '../cloud/types.js';

/** A response that also names its request method, for assertion messages. */
export type ComputeResponse<T = unknown> = HttpResponse<T> & { method: HttpMethod };

/** Query parameters of list calls (`changes-since`, `limit`, `name`…). */
export type ComputeQuery = Record<string, string | number | boolean | undefined>;

export interface Link {
  href: string;
  rel: string;
  type?: string;
}

/** The fields of a server our checks read; the schemas hold the contract. */
export interface Server {
  id: string;
  name: string;
  status: string;
  image: { id: string; links?: Link[] } | '';
  flavor: { id?: string; original_name?: string; [k: string]: unknown };
  metadata: Record<string, string>;
  addresses: Record<string, { addr: string; version: number; [k: string]: unknown }[]>;
  accessIPv4: string;
  accessIPv6: string;
  key_name?: string | null;
  fault?: { code?: number; message?: string; details?: string };
  'OS-EXT-STS:task_state'?: string | null;
  adminPass?: string;
  security_groups?: { name: string }[];
  [field: string]: unknown;
}

export interface Flavor {
  id: string;
  name: string;
  links: Link[];
  ram?: number;
  disk?: number;
  vcpus?: number;
  [field: string]: unknown;
}

export interface Keypair {
  name: string;
  public_key: string;
  fingerprint: string;
  type?: string;
  private_key?: string;
  [field: string]: unknown;
}

export interface InstanceAction {
  action: string;
  instance_uuid: string;
  request_id: string;
  [field: string]: unknown;
}

export interface VolumeAttachment {
  id: string;
  serverId: string;
  volumeId: string;
  device?: string | null;
  [field: string]: unknown;
}

/** Nova's proxy view of a Glance image (deprecated since 2.36, still in 2.1). */
/** A volume as Nova's os-volumes proxy shows it. */
export interface ProxyVolume {
  id: string;
  status: string;
  displayName?: string | null;
  [field: string]: unknown;
}

export interface ComputeImage {
  id: string;
  name: string;
  status: string;
  minDisk: number;
  minRam: number;
  metadata: Record<string, unknown>;
  [field: string]: unknown;
}

const seg = encodeURIComponent;

/** `?a=1&b=2` for the defined values of `query` ('' when none). */
export function encodeComputeQuery(query: ComputeQuery | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The API base from a catalog endpoint: the endpoint up to and including its
 * version segment (`…/v2.1`, `…/v2.1/<project>` as some catalogs list it),
 * or the endpoint with `/v2.1` appended when it has none.
 */
export function computeBase(endpoint: string): { api: string; root: string } {
  const url = new URL(endpoint);
  url.search = '';
  url.hash = '';
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const at = parts.findIndex((p) => /^v2(\.\d+)?$/.test(p));
  const rootParts = at >= 0 ? parts.slice(0, at) : parts;
  const apiParts = at >= 0 ? parts : [...parts, 'v2.1'];
  const origin = url.origin;
  return {
    api: `${origin}/${apiParts.join('/')}`,
    root: `${origin}/${rootParts.join('/')}${rootParts.length ? '/' : ''}`,
  };
}

export class ComputeClient {
  private base?: Promise<{ api: string; root: string }>;

  /** `microversion` e.g. '2.2'; undefined sends no version header (2.1). */
  constructor(
    private readonly cloud: CloudClient,
    readonly microversion?: string,
  ) {}

  /** The same account speaking another microversion. */
  withMicroversion(microversion: string | undefined): ComputeClient {
    return new ComputeClient(this.cloud, microversion);
  }

  // --- versions ------------------------------------------------------------

  /** GET / (unversioned root): the versions document (200). */
  async listVersions(): Promise<ComputeResponse<{ versions: { id: string; [k: string]: unknown }[] }>> {
    const { root } = await this.baseUrls();
    const res = await this.cloud.request<{ versions: { id: string }[] }>({ method: 'GET', url: root, auth: false, headers: this.versionHeaders() });
    return { ...res, method: 'GET' };
  }

  // --- flavors -------------------------------------------------------------

  /** GET /flavors or /flavors/detail (200). */
  listFlavors(detail = false, query?: ComputeQuery): Promise<ComputeResponse<{ flavors: Flavor[] }>> {
    return this.call('GET', `flavors${detail ? '/detail' : ''}${encodeComputeQuery(query)}`);
  }

  /** GET /flavors/{id} (200). */
  showFlavor(id: string): Promise<ComputeResponse<{ flavor: Flavor }>> {
    return this.call('GET', `flavors/${seg(id)}`);
  }

  // --- servers -------------------------------------------------------------

  /** POST /servers (202); `server` is sent under the `server` key. */
  createServer(server: Record<string, unknown>): Promise<ComputeResponse<{ server: Server; reservation_id?: string }>> {
    return this.call('POST', 'servers', { body: { server } });
  }

  /** GET /servers/{id} (200). */
  showServer(id: string): Promise<ComputeResponse<{ server: Server }>> {
    return this.call('GET', `servers/${seg(id)}`);
  }

  /** GET /servers or /servers/detail (200). */
  listServers(detail = false, query?: ComputeQuery): Promise<ComputeResponse<{ servers: Server[]; servers_links?: Link[] }>> {
    return this.call('GET', `servers${detail ? '/detail' : ''}${encodeComputeQuery(query)}`);
  }

  /** PUT /servers/{id} (200). */
  updateServer(id: string, attrs: Record<string, unknown>): Promise<ComputeResponse<{ server: Server }>> {
    return this.call('PUT', `servers/${seg(id)}`, { body: { server: attrs } });
  }

  /** DELETE /servers/{id} (204). */
  deleteServer(id: string): Promise<ComputeResponse> {
    return this.call('DELETE', `servers/${seg(id)}`);
  }

  /** GET /servers/{id}/ips (200). */
  listAddresses(id: string): Promise<ComputeResponse<{ addresses: Server['addresses'] }>> {
    return this.call('GET', `servers/${seg(id)}/ips`);
  }

  // --- server actions (POST /servers/{id}/action) --------------------------

  /** POST /servers/{id}/action with one action object (202 for most). */
  serverAction<T = unknown>(id: string, action: Record<string, unknown>): Promise<ComputeResponse<T>> {
    return this.call('POST', `servers/${seg(id)}/action`, { body: action });
  }

  /** reboot (202). */
  rebootServer(id: string, type: 'HARD' | 'SOFT'): Promise<ComputeResponse> {
    return this.serverAction(id, { reboot: { type } });
  }

  /** rebuild (202, the server). */
  rebuildServer(id: string, imageRef: string, extra: Record<string, unknown> = {}): Promise<ComputeResponse<{ server: Server }>> {
    return this.serverAction(id, { rebuild: { imageRef, ...extra } });
  }

  /** resize (202). */
  resizeServer(id: string, flavorRef: unknown): Promise<ComputeResponse> {
    return this.serverAction(id, { resize: { flavorRef } });
  }

  /** confirmResize (204). */
  confirmResizeServer(id: string): Promise<ComputeResponse> {
    return this.serverAction(id, { confirmResize: null });
  }

  /** revertResize (202). */
  revertResizeServer(id: string): Promise<ComputeResponse> {
    return this.serverAction(id, { revertResize: null });
  }

  /** os-stop (202). */
  stopServer(id: string): Promise<ComputeResponse> {
    return this.serverAction(id, { 'os-stop': null });
  }

  /** os-start (202). */
  startServer(id: string): Promise<ComputeResponse> {
    return this.serverAction(id, { 'os-start': null });
  }

  /** lock (202). */
  lockServer(id: string): Promise<ComputeResponse> {
    return this.serverAction(id, { lock: null });
  }

  /** unlock (202). */
  unlockServer(id: string): Promise<ComputeResponse> {
    return this.serverAction(id, { unlock: null });
  }

  /** createImage (202; the image's URL in Location before 2.45). */
  createImage(id: string, name: string, metadata?: Record<string, string>): Promise<ComputeResponse> {
    return this.serverAction(id, { createImage: { name, ...(metadata ? { metadata } : {}) } });
  }

  // --- server metadata -----------------------------------------------------

  /** GET /servers/{id}/metadata (200). */
  listServerMetadata(id: string): Promise<ComputeResponse<{ metadata: Record<string, string> }>> {
    return this.call('GET', `servers/${seg(id)}/metadata`);
  }

  /** PUT /servers/{id}/metadata: replaces all metadata (200). */
  setServerMetadata(id: string, metadata: Record<string, string>): Promise<ComputeResponse<{ metadata: Record<string, string> }>> {
    return this.call('PUT', `servers/${seg(id)}/metadata`, { body: { metadata } });
  }

  /** POST /servers/{id}/metadata: merges metadata (200). */
  updateServerMetadata(id: string, metadata: Record<string, string>): Promise<ComputeResponse<{ metadata: Record<string, string> }>> {
    return this.call('POST', `servers/${seg(id)}/metadata`, { body: { metadata } });
  }

  /** GET /servers/{id}/metadata/{key} (200). */
  showServerMetadataItem(id: string, key: string): Promise<ComputeResponse<{ meta: Record<string, string> }>> {
    return this.call('GET', `servers/${seg(id)}/metadata/${seg(key)}`);
  }

  /** PUT /servers/{id}/metadata/{key} (200). */
  setServerMetadataItem(id: string, key: string, meta: Record<string, string>): Promise<ComputeResponse<{ meta: Record<string, string> }>> {
    return this.call('PUT', `servers/${seg(id)}/metadata/${seg(key)}`, { body: { meta } });
  }

  /** DELETE /servers/{id}/metadata/{key} (204). */
  deleteServerMetadataItem(id: string, key: string): Promise<ComputeResponse> {
    return this.call('DELETE', `servers/${seg(id)}/metadata/${seg(key)}`);
  }

  // --- instance actions ----------------------------------------------------

  /** GET /servers/{id}/os-instance-actions (200). */
  listInstanceActions(id: string): Promise<ComputeResponse<{ instanceActions: InstanceAction[] }>> {
    return this.call('GET', `servers/${seg(id)}/os-instance-actions`);
  }

  /** GET /servers/{id}/os-instance-actions/{request_id} (200). */
  showInstanceAction(id: string, requestId: string): Promise<ComputeResponse<{ instanceAction: InstanceAction }>> {
    return this.call('GET', `servers/${seg(id)}/os-instance-actions/${seg(requestId)}`);
  }

  // --- volume attachments --------------------------------------------------

  /** POST /servers/{id}/os-volume_attachments (200). */
  attachVolume(id: string, volumeId: string, extra: Record<string, unknown> = {}): Promise<ComputeResponse<{ volumeAttachment: VolumeAttachment }>> {
    return this.call('POST', `servers/${seg(id)}/os-volume_attachments`, { body: { volumeAttachment: { volumeId, ...extra } } });
  }

  /** GET /servers/{id}/os-volume_attachments (200). */
  listVolumeAttachments(id: string): Promise<ComputeResponse<{ volumeAttachments: VolumeAttachment[] }>> {
    return this.call('GET', `servers/${seg(id)}/os-volume_attachments`);
  }

  /** GET /servers/{id}/os-volume_attachments/{attachment_id} (200). */
  showVolumeAttachment(id: string, attachmentId: string): Promise<ComputeResponse<{ volumeAttachment: VolumeAttachment }>> {
    return this.call('GET', `servers/${seg(id)}/os-volume_attachments/${seg(attachmentId)}`);
  }

  /** DELETE /servers/{id}/os-volume_attachments/{volume_id} (202). */
  detachVolume(id: string, volumeId: string): Promise<ComputeResponse> {
    return this.call('DELETE', `servers/${seg(id)}/os-volume_attachments/${seg(volumeId)}`);
  }

  // --- images (Nova's proxy to Glance) -------------------------------------

  /** GET /images/{id} (200). */
  showImage(id: string): Promise<ComputeResponse<{ image: ComputeImage }>> {
    return this.call('GET', `images/${seg(id)}`);
  }

  /**
   * GET /images[/detail] (200): Nova's image proxy, removed at microversion 2.36;
   * a client without a microversion (2.1) still has it.
   */
  listImages(detail = false, query?: ComputeQuery): Promise<ComputeResponse<{ images: ComputeImage[]; images_links?: Link[] }>> {
    return this.call('GET', `images${detail ? '/detail' : ''}${encodeComputeQuery(query)}`);
  }

  /** DELETE /images/{id} (204). */
  deleteImage(id: string): Promise<ComputeResponse> {
    return this.call('DELETE', `images/${seg(id)}`);
  }

  // --- volumes (Nova's proxy to Cinder, os-volumes; gone at 2.36 like /images) ---

  /** POST /os-volumes (200, `volume` in Nova's camelCase view). */
  createProxyVolume(volume: Record<string, unknown>): Promise<ComputeResponse<{ volume: ProxyVolume }>> {
    return this.call('POST', 'os-volumes', { body: { volume } });
  }

  /** GET /os-volumes/{id} (200). */
  showProxyVolume(id: string): Promise<ComputeResponse<{ volume: ProxyVolume }>> {
    return this.call('GET', `os-volumes/${seg(id)}`);
  }

  /** GET /os-volumes[/detail] (200). */
  listProxyVolumes(detail = false): Promise<ComputeResponse<{ volumes: ProxyVolume[] }>> {
    return this.call('GET', `os-volumes${detail ? '/detail' : ''}`);
  }

  /** DELETE /os-volumes/{id} (202). */
  deleteProxyVolume(id: string): Promise<ComputeResponse> {
    return this.call('DELETE', `os-volumes/${seg(id)}`);
  }

  // --- keypairs ------------------------------------------------------------

  /** POST /os-keypairs (200 in 2.1, 201 from 2.2). */
  createKeypair(keypair: Record<string, unknown>): Promise<ComputeResponse<{ keypair: Keypair }>> {
    return this.call('POST', 'os-keypairs', { body: { keypair } });
  }

  /** GET /os-keypairs/{name} (200). */
  showKeypair(name: string): Promise<ComputeResponse<{ keypair: Keypair }>> {
    return this.call('GET', `os-keypairs/${seg(name)}`);
  }

  /** GET /os-keypairs (200). */
  listKeypairs(query?: ComputeQuery): Promise<ComputeResponse<{ keypairs: { keypair: Keypair }[] }>> {
    return this.call('GET', `os-keypairs${encodeComputeQuery(query)}`);
  }

  /** DELETE /os-keypairs/{name} (202 in 2.1, 204 from 2.2). */
  deleteKeypair(name: string): Promise<ComputeResponse> {
    return this.call('DELETE', `os-keypairs/${seg(name)}`);
  }

  // --- quotas and availability zones ---------------------------------------

  /** GET /os-quota-sets/{project}[?user_id=] (200). */
  showQuotaSet(projectId: string, userId?: string): Promise<ComputeResponse<{ quota_set: Record<string, unknown> }>> {
    return this.call('GET', `os-quota-sets/${seg(projectId)}${encodeComputeQuery({ user_id: userId })}`);
  }

  /** GET /os-quota-sets/{project}/defaults (200). */
  showDefaultQuotaSet(projectId: string): Promise<ComputeResponse<{ quota_set: Record<string, unknown> }>> {
    return this.call('GET', `os-quota-sets/${seg(projectId)}/defaults`);
  }

  /** GET /limits (200): the account's absolute limits and what it uses of them. */
  showLimits(): Promise<ComputeResponse<{ limits: { absolute: Record<string, number> } }>> {
    return this.call('GET', 'limits');
  }

  /** GET /os-availability-zone (200). */
  listAvailabilityZones(): Promise<ComputeResponse<{ availabilityZoneInfo: unknown[] }>> {
    return this.call('GET', 'os-availability-zone');
  }

  // --- internals -----------------------------------------------------------

  private baseUrls(): Promise<{ api: string; root: string }> {
    this.base ??= this.cloud.endpoint('compute').then(computeBase);
    return this.base;
  }

  private versionHeaders(): Record<string, string> {
    if (!this.microversion) return {};
    return { 'X-OpenStack-Nova-API-Version': this.microversion, 'OpenStack-API-Version': `compute ${this.microversion}` };
  }

  /** `path` is relative to the API base and may carry an encoded query string. */
  private async call<T = unknown>(
    method: HttpMethod,
    path: string,
    extra: Omit<RequestOptions, 'method' | 'url' | 'path' | 'service'> = {},
  ): Promise<ComputeResponse<T>> {
    const { api } = await this.baseUrls();
    const res = await this.cloud.request<T>({ ...extra, method, url: `${api}/${path}`, headers: { ...this.versionHeaders(), ...extra.headers } });
    return { ...res, method };
  }
}
