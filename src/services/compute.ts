/**
 * Nova (Compute) v2.1 client: one method per API operation, as in the Compute
 * API reference (https://docs.openstack.org/api-ref/compute/). Each method
 * declares the status Tempest's compute clients expect and the answer's schema
 * (src/services/schemas/compute/v2.1/, and v2.2/ for the keypairs at 2.2, as
 * Tempest's api_schema/response/compute/v2_1 and v2_2), validates the answer and
 * returns it typed, or throws a ProtocolFailure (see protocol.ts). Negative
 * checks wrap a call in `expectErrorStatus`; cleanups, sweeps, polls and
 * discovery that judge answers themselves use `anyReply`/`anyStatus`/`statusOnly`.
 * Answers without a body (actions, deletes) declare no schema; the checks that
 * Tempest makes refuse a body assert it is empty.
 *
 * A client speaks one microversion: none (the base 2.1 API, as Tempest sends
 * when its tests ask for none) or the one given, sent in both
 * `X-OpenStack-Nova-API-Version` and `OpenStack-API-Version: compute <v>`.
 */
import type { CloudClient } from '../cloud/types.js';
import { ProtocolClient, type Operation, type Reply } from './protocol.js';

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

/** A volume as Nova's os-volumes proxy shows it. */
export interface ProxyVolume {
  id: string;
  status: string;
  displayName?: string | null;
  [field: string]: unknown;
}

/** Nova's proxy view of a Glance image (deprecated since 2.36, still in 2.1). */
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

/** An answer without a body (deletes, most actions): Tempest's schemas declare none. */
type Answer = Promise<Reply<unknown>>;
type Metadata = { metadata: Record<string, string> };
type Meta = { meta: Record<string, string> };

/** `compute/v2.1/<name>`: the schemas of the base API. */
const v21 = (name: string) => `compute/v2.1/${name}`;

/** Whether microversion `a` (`2.x`) is at least `b`. */
function atLeast(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const [aMaj = 0, aMin = 0] = a.split('.').map(Number);
  const [bMaj = 0, bMin = 0] = b.split('.').map(Number);
  return aMaj !== bMaj ? aMaj > bMaj : aMin >= bMin;
}

export class ComputeClient extends ProtocolClient {
  /** `microversion` e.g. '2.2'; undefined sends no version header (2.1). */
  constructor(
    cloud: CloudClient,
    readonly microversion?: string,
  ) {
    super(cloud);
  }

  /** The same account speaking another microversion. */
  withMicroversion(microversion: string | undefined): ComputeClient {
    return new ComputeClient(this.cloud, microversion);
  }

  /** The API base (…/v2.1, or …/v2.1/<project> as the catalog lists it). */
  protected async resolveBase(): Promise<string> {
    return computeBase(await this.cloud.endpoint('compute')).api;
  }

  // --- versions ------------------------------------------------------------

  /** GET / (unversioned root, no token): the versions document (200). */
  async listVersions(): Promise<Reply<{ versions: { id: string; [k: string]: unknown }[] }>> {
    const { root } = computeBase(await this.cloud.endpoint('compute'));
    return this.op({ method: 'GET', path: root, auth: false, status: 200, schema: v21('list-versions') });
  }

  // --- flavors -------------------------------------------------------------

  /** GET /flavors or /flavors/detail (200). */
  listFlavors(detail = false, query?: ComputeQuery): Promise<Reply<{ flavors: Flavor[]; flavors_links?: Link[] }>> {
    return this.op({ method: 'GET', path: `flavors${detail ? '/detail' : ''}${encodeComputeQuery(query)}`, status: 200, schema: v21(detail ? 'list-flavors-details' : 'list-flavors') });
  }

  /** GET /flavors/{id} (200). */
  showFlavor(id: string): Promise<Reply<{ flavor: Flavor }>> {
    return this.op({ method: 'GET', path: `flavors/${seg(id)}`, status: 200, schema: v21('get-flavor-details') });
  }

  // --- servers -------------------------------------------------------------

  /** POST /servers (202, the server with its adminPass); `server` is sent under the `server` key. */
  createServer(server: Record<string, unknown>): Promise<Reply<{ server: Server; reservation_id?: string }>> {
    return this.op({ method: 'POST', path: 'servers', body: { server }, status: 202, schema: v21('create-server-with-admin-pass') });
  }

  /** GET /servers/{id} (200). */
  showServer(id: string): Promise<Reply<{ server: Server }>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}`, status: 200, schema: v21('get-server') });
  }

  /** GET /servers or /servers/detail (200, the schema of that listing). */
  listServers(detail = false, query?: ComputeQuery): Promise<Reply<{ servers: Server[]; servers_links?: Link[] }>> {
    return this.op({ method: 'GET', path: `servers${detail ? '/detail' : ''}${encodeComputeQuery(query)}`, status: 200, schema: v21(detail ? 'list-servers-detail' : 'list-servers') });
  }

  /** PUT /servers/{id} (200). */
  updateServer(id: string, attrs: Record<string, unknown>): Promise<Reply<{ server: Server }>> {
    return this.op({ method: 'PUT', path: `servers/${seg(id)}`, body: { server: attrs }, status: 200, schema: v21('update-server') });
  }

  /** DELETE /servers/{id} (204). */
  deleteServer(id: string): Answer {
    return this.op({ method: 'DELETE', path: `servers/${seg(id)}`, status: 204 });
  }

  /** GET /servers/{id}/ips (200). */
  listAddresses(id: string): Promise<Reply<{ addresses: Server['addresses'] }>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/ips`, status: 200, schema: v21('list-addresses') });
  }

  // --- server actions (POST /servers/{id}/action) --------------------------

  /** reboot (202). */
  rebootServer(id: string, type: 'HARD' | 'SOFT'): Answer {
    return this.action(id, { reboot: { type } }, 202);
  }

  /** rebuild (202, the server with its adminPass). */
  rebuildServer(id: string, imageRef: string, extra: Record<string, unknown> = {}): Promise<Reply<{ server: Server }>> {
    return this.action(id, { rebuild: { imageRef, ...extra } }, 202, v21('rebuild-server-with-admin-pass'));
  }

  /** resize (202). */
  resizeServer(id: string, flavorRef: unknown): Answer {
    return this.action(id, { resize: { flavorRef } }, 202);
  }

  /** confirmResize (204). */
  confirmResizeServer(id: string): Answer {
    return this.action(id, { confirmResize: null }, 204);
  }

  /** revertResize (202). */
  revertResizeServer(id: string): Answer {
    return this.action(id, { revertResize: null }, 202);
  }

  /** os-stop (202). */
  stopServer(id: string): Answer {
    return this.action(id, { 'os-stop': null }, 202);
  }

  /** os-start (202). */
  startServer(id: string): Answer {
    return this.action(id, { 'os-start': null }, 202);
  }

  /** lock (202). */
  lockServer(id: string): Answer {
    return this.action(id, { lock: null }, 202);
  }

  /** unlock (202). */
  unlockServer(id: string): Answer {
    return this.action(id, { unlock: null }, 202);
  }

  /** changePassword (202). */
  changePassword(id: string, adminPass: string): Answer {
    return this.action(id, { changePassword: { adminPass } }, 202);
  }

  /** os-getConsoleOutput (200, `output`); the checks judge the output themselves. */
  getConsoleOutput(id: string, length: number): Promise<Reply<{ output?: unknown }>> {
    return this.action(id, { 'os-getConsoleOutput': { length } }, 200);
  }

  /** createImage (202; the image's URL in Location before 2.45). */
  createImage(id: string, name: string, metadata?: Record<string, string>): Answer {
    return this.action(id, { createImage: { name, ...(metadata ? { metadata } : {}) } }, 202);
  }

  // --- server metadata -----------------------------------------------------

  /** GET /servers/{id}/metadata (200). */
  listServerMetadata(id: string): Promise<Reply<Metadata>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/metadata`, status: 200, schema: v21('list-server-metadata') });
  }

  /** PUT /servers/{id}/metadata: replaces all metadata (200). */
  setServerMetadata(id: string, metadata: Record<string, string>): Promise<Reply<Metadata>> {
    return this.op({ method: 'PUT', path: `servers/${seg(id)}/metadata`, body: { metadata }, status: 200, schema: v21('set-server-metadata') });
  }

  /** POST /servers/{id}/metadata: merges metadata (200). */
  updateServerMetadata(id: string, metadata: Record<string, string>): Promise<Reply<Metadata>> {
    return this.op({ method: 'POST', path: `servers/${seg(id)}/metadata`, body: { metadata }, status: 200, schema: v21('update-server-metadata') });
  }

  /** GET /servers/{id}/metadata/{key} (200). */
  showServerMetadataItem(id: string, key: string): Promise<Reply<Meta>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/metadata/${seg(key)}`, status: 200, schema: v21('set-show-server-metadata-item') });
  }

  /** PUT /servers/{id}/metadata/{key} (200). */
  setServerMetadataItem(id: string, key: string, meta: Record<string, string>): Promise<Reply<Meta>> {
    return this.op({ method: 'PUT', path: `servers/${seg(id)}/metadata/${seg(key)}`, body: { meta }, status: 200, schema: v21('set-show-server-metadata-item') });
  }

  /** DELETE /servers/{id}/metadata/{key} (204). */
  deleteServerMetadataItem(id: string, key: string): Answer {
    return this.op({ method: 'DELETE', path: `servers/${seg(id)}/metadata/${seg(key)}`, status: 204 });
  }

  // --- instance actions ----------------------------------------------------

  /** GET /servers/{id}/os-instance-actions (200). */
  listInstanceActions(id: string): Promise<Reply<{ instanceActions: InstanceAction[] }>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/os-instance-actions`, status: 200, schema: v21('list-instance-actions') });
  }

  /** GET /servers/{id}/os-instance-actions/{request_id} (200). */
  showInstanceAction(id: string, requestId: string): Promise<Reply<{ instanceAction: InstanceAction }>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/os-instance-actions/${seg(requestId)}`, status: 200, schema: v21('show-instance-action') });
  }

  // --- volume attachments --------------------------------------------------

  /** POST /servers/{id}/os-volume_attachments (200). */
  attachVolume(id: string, volumeId: string, extra: Record<string, unknown> = {}): Promise<Reply<{ volumeAttachment: VolumeAttachment }>> {
    return this.op({ method: 'POST', path: `servers/${seg(id)}/os-volume_attachments`, body: { volumeAttachment: { volumeId, ...extra } }, status: 200, schema: v21('attach-volume') });
  }

  /** GET /servers/{id}/os-volume_attachments (200). */
  listVolumeAttachments(id: string): Promise<Reply<{ volumeAttachments: VolumeAttachment[] }>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/os-volume_attachments`, status: 200, schema: v21('list-volume-attachments') });
  }

  /** GET /servers/{id}/os-volume_attachments/{attachment_id} (200). */
  showVolumeAttachment(id: string, attachmentId: string): Promise<Reply<{ volumeAttachment: VolumeAttachment }>> {
    return this.op({ method: 'GET', path: `servers/${seg(id)}/os-volume_attachments/${seg(attachmentId)}`, status: 200, schema: v21('show-volume-attachment') });
  }

  /** DELETE /servers/{id}/os-volume_attachments/{volume_id} (202). */
  detachVolume(id: string, volumeId: string): Answer {
    return this.op({ method: 'DELETE', path: `servers/${seg(id)}/os-volume_attachments/${seg(volumeId)}`, status: 202 });
  }

  // --- images (Nova's proxy to Glance) -------------------------------------

  /** GET /images/{id} (200). */
  showImage(id: string): Promise<Reply<{ image: ComputeImage }>> {
    return this.op({ method: 'GET', path: `images/${seg(id)}`, status: 200, schema: v21('get-image') });
  }

  /**
   * GET /images[/detail] (200): Nova's image proxy, removed at microversion 2.36;
   * a client without a microversion (2.1) still has it.
   */
  listImages(detail = false, query?: ComputeQuery): Promise<Reply<{ images: ComputeImage[]; images_links?: Link[] }>> {
    return this.op({ method: 'GET', path: `images${detail ? '/detail' : ''}${encodeComputeQuery(query)}`, status: 200, schema: v21(detail ? 'list-images-details' : 'list-images') });
  }

  /** DELETE /images/{id} (204). */
  deleteImage(id: string): Answer {
    return this.op({ method: 'DELETE', path: `images/${seg(id)}`, status: 204 });
  }

  // --- volumes (Nova's proxy to Cinder, os-volumes; gone at 2.36 like /images) ---
  // No schema is declared: the checks of the proxy judge the bodies themselves.

  /** POST /os-volumes (200, `volume` in Nova's camelCase view). */
  createProxyVolume(volume: Record<string, unknown>): Promise<Reply<{ volume: ProxyVolume }>> {
    return this.op({ method: 'POST', path: 'os-volumes', body: { volume }, status: 200 });
  }

  /** GET /os-volumes/{id} (200). */
  showProxyVolume(id: string): Promise<Reply<{ volume: ProxyVolume }>> {
    return this.op({ method: 'GET', path: `os-volumes/${seg(id)}`, status: 200 });
  }

  /** GET /os-volumes[/detail] (200). */
  listProxyVolumes(detail = false): Promise<Reply<{ volumes: ProxyVolume[] }>> {
    return this.op({ method: 'GET', path: `os-volumes${detail ? '/detail' : ''}`, status: 200 });
  }

  /** DELETE /os-volumes/{id} (202). */
  deleteProxyVolume(id: string): Answer {
    return this.op({ method: 'DELETE', path: `os-volumes/${seg(id)}`, status: 202 });
  }

  // --- keypairs ------------------------------------------------------------

  /**
   * POST /os-keypairs (200 in 2.1, 201 from 2.2, each with its schema). `status`
   * widens what a caller accepts (the validation fixture takes either).
   */
  createKeypair(keypair: Record<string, unknown>, status?: number | readonly number[]): Promise<Reply<{ keypair: Keypair }>> {
    const v22 = atLeast(this.microversion, '2.2');
    return this.op({ method: 'POST', path: 'os-keypairs', body: { keypair }, status: status ?? (v22 ? 201 : 200), schema: this.keypairSchema('create-keypair') });
  }

  /** GET /os-keypairs/{name} (200). */
  showKeypair(name: string): Promise<Reply<{ keypair: Keypair }>> {
    return this.op({ method: 'GET', path: `os-keypairs/${seg(name)}`, status: 200, schema: this.keypairSchema('get-keypair') });
  }

  /** GET /os-keypairs (200). */
  listKeypairs(query?: ComputeQuery): Promise<Reply<{ keypairs: { keypair: Keypair }[] }>> {
    return this.op({ method: 'GET', path: `os-keypairs${encodeComputeQuery(query)}`, status: 200, schema: this.keypairSchema('list-keypairs') });
  }

  /** DELETE /os-keypairs/{name} (202 in 2.1, 204 from 2.2). */
  deleteKeypair(name: string): Answer {
    return this.op({ method: 'DELETE', path: `os-keypairs/${seg(name)}`, status: atLeast(this.microversion, '2.2') ? 204 : 202 });
  }

  // --- quotas, limits and availability zones -------------------------------

  /** GET /os-quota-sets/{project}[?user_id=] (200). */
  showQuotaSet(projectId: string, userId?: string): Promise<Reply<{ quota_set: Record<string, unknown> }>> {
    return this.op({ method: 'GET', path: `os-quota-sets/${seg(projectId)}${encodeComputeQuery({ user_id: userId })}`, status: 200, schema: v21('get-quota-set') });
  }

  /** GET /os-quota-sets/{project}/defaults (200). */
  showDefaultQuotaSet(projectId: string): Promise<Reply<{ quota_set: Record<string, unknown> }>> {
    return this.op({ method: 'GET', path: `os-quota-sets/${seg(projectId)}/defaults`, status: 200, schema: v21('get-quota-set') });
  }

  /** GET /limits (200): the account's absolute limits and what it uses of them (no schema: only the preflight reads it). */
  showLimits(): Promise<Reply<{ limits: { absolute: Record<string, number> } }>> {
    return this.op({ method: 'GET', path: 'limits', status: 200 });
  }

  /** GET /os-availability-zone (200). */
  listAvailabilityZones(): Promise<Reply<{ availabilityZoneInfo: unknown[] }>> {
    return this.op({ method: 'GET', path: 'os-availability-zone', status: 200, schema: v21('list-availability-zone-list') });
  }

  // --- internals -----------------------------------------------------------

  /** The keypair schemas of the client's microversion (2.2 adds `type`). */
  private keypairSchema(name: string): string {
    return atLeast(this.microversion, '2.2') ? `compute/v2.2/${name}` : v21(name);
  }

  private versionHeaders(): Record<string, string> {
    if (!this.microversion) return {};
    return { 'X-OpenStack-Nova-API-Version': this.microversion, 'OpenStack-API-Version': `compute ${this.microversion}` };
  }

  /** POST /servers/{id}/action with one action object. */
  private action<T = unknown>(id: string, body: Record<string, unknown>, status: number, schema?: string): Promise<Reply<T>> {
    return this.op({ method: 'POST', path: `servers/${seg(id)}/action`, body, status, ...(schema ? { schema } : {}) });
  }

  /** Sends `op` with the microversion headers; `path` is relative to the API base and may carry an encoded query. */
  private op<T>(op: Operation): Promise<Reply<T>> {
    return this.send<T>({ ...op, headers: { ...this.versionHeaders(), ...op.headers } });
  }
}
