/**
 * Resolves validation settings against the cloud before a run creates anything:
 * image, flavor and networks by name or id, the SSH user from the image's
 * `os_admin_user`/`ssh_user` property when not set, the external network for
 * floating IPs when there is exactly one. Anything missing or ambiguous is one
 * CloudError('config') naming the setting; every choice is described for the log.
 */
import type { CloudClient } from '../cloud/types.js';
import { CloudError } from '../cloud/types.js';
import { ComputeClient, type Flavor } from '../services/compute.js';
import { ImageClient, type Image } from '../services/image.js';
import { anyReply } from '../services/protocol.js';
import { NetworkClient, type Network } from '../services/network.js';
import type { ValidationSettings } from './settings.js';

/** Validation settings with every reference resolved: what the guest checks use. */
export interface ResolvedValidation extends ValidationSettings {
  image: { id: string; name: string };
  flavor: { id: string; name: string; vcpus: number };
  sshUser: string;
  /** The network servers boot on; for `fixed`, the one whose address is dialled. */
  network: { id: string; name: string };
  /** For `floating`: where floating IPs come from. */
  floatingNetwork?: { id: string; name: string };
  /** One line per choice, for the run's log. */
  choices: string[];
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function bad(setting: string, message: string): never {
  throw new CloudError(`validation.${setting}: ${message}`, 'config');
}

function unexpected(setting: string, what: string, status: number): never {
  throw new CloudError(`validation.${setting}: ${what} answered HTTP ${status}`, 'config');
}

async function resolveImage(client: CloudClient, ref: string): Promise<Image> {
  const glance = new ImageClient(client);
  if (UUID.test(ref)) {
    // Settings resolution judges the status itself (404: look the name up instead).
    const res = await anyReply(() => glance.showImage(ref));
    if (res.status === 200) {
      if (res.body.status !== 'active') bad('image_ref', `image ${ref} is ${res.body.status}, not active`);
      return res.body;
    }
    if (res.status !== 404) unexpected('image_ref', `GET image ${ref}`, res.status);
  }
  const found: Image[] = [];
  // Community images are bootable by anyone yet absent from default listings.
  for (const visibility of [undefined, 'community']) {
    const res = await anyReply(() => glance.listImages({ name: ref, ...(visibility ? { visibility } : {}) }));
    if (res.status !== 200) unexpected('image_ref', `GET images?name=${ref}`, res.status);
    for (const i of res.body.images ?? []) if (i.status === 'active' && !found.some((f) => f.id === i.id)) found.push(i);
  }
  if (found.length === 0) bad('image_ref', `no active image with id or name "${ref}"`);
  if (found.length > 1) bad('image_ref', `${found.length} active images are named "${ref}" (${found.map((i) => i.id).join(', ')}): give the id`);
  return found[0]!;
}

async function resolveFlavor(client: CloudClient, ref: string): Promise<Flavor> {
  const nova = new ComputeClient(client);
  const res = await anyReply(() => nova.showFlavor(ref));
  if (res.status === 200) return res.body.flavor;
  if (res.status !== 404) unexpected('flavor_ref', `GET flavor ${ref}`, res.status);
  const list = await anyReply(() => nova.listFlavors(true));
  if (list.status !== 200) unexpected('flavor_ref', 'GET flavors/detail', list.status);
  const named = list.body.flavors.filter((f) => f.name === ref);
  if (named.length === 0) bad('flavor_ref', `no flavor with id or name "${ref}"`);
  if (named.length > 1) bad('flavor_ref', `${named.length} flavors are named "${ref}": give the id`);
  return named[0]!;
}

async function listNetworks(client: CloudClient, setting: string): Promise<Network[]> {
  // The settings are resolved from the answer whatever its schema, as before the client validated it.
  const res = await anyReply(() => new NetworkClient(client).listNetworks());
  if (res.status !== 200) unexpected(setting, 'GET networks', res.status);
  return (res.body as { networks?: Network[] } | null | undefined)?.networks ?? [];
}

function byRef(list: Network[], ref: string, setting: string): Network {
  const byId = list.find((n) => n.id === ref);
  if (byId) return byId;
  const named = list.filter((n) => n.name === ref);
  if (named.length === 0) bad(setting, `no network with id or name "${ref}" is visible to the primary account`);
  if (named.length > 1) bad(setting, `${named.length} networks are named "${ref}": give the id`);
  return named[0]!;
}

/** Settings + the cloud -> everything the guest checks need, or one config error. */
export async function resolveValidation(client: CloudClient, s: ValidationSettings): Promise<ResolvedValidation> {
  if (!s.imageRef) bad('image_ref', 'is required when run_validation is true (the image to boot and log in to)');
  if (!s.flavorRef) bad('flavor_ref', 'is required when run_validation is true (the flavor to boot)');
  const choices: string[] = [];
  const image = await resolveImage(client, s.imageRef);
  const flavor = await resolveFlavor(client, s.flavorRef);
  if (typeof flavor.vcpus !== 'number') bad('flavor_ref', `flavor ${flavor.id} shows no vcpus`);
  choices.push(`image ${image.name ?? ''} (${image.id}), flavor ${flavor.name} (${flavor.id}, ${flavor.vcpus} vCPUs)`);

  let sshUser = s.imageSshUser;
  if (sshUser) choices.push(`SSH user ${sshUser} (image_ssh_user)`);
  else {
    for (const prop of ['os_admin_user', 'ssh_user']) {
      const v = image[prop];
      if (typeof v === 'string' && v.trim()) {
        sshUser = v.trim();
        choices.push(`SSH user ${sshUser} (the image's ${prop} property)`);
        break;
      }
    }
  }
  if (!sshUser) bad('image_ssh_user', `is not set and image ${image.id} has no os_admin_user or ssh_user property`);

  const networks = await listNetworks(client, 'network_for_ssh');
  let network: Network;
  if (s.networkForSsh) {
    network = byRef(networks, s.networkForSsh, 'network_for_ssh');
    choices.push(`network ${network.name} (${network.id}, network_for_ssh)`);
  } else {
    const candidates = networks.filter((n) => n['router:external'] !== true && n.subnets.length > 0 && n.status === 'ACTIVE' && !n.name.startsWith('defcore-'));
    if (candidates.length !== 1) {
      bad('network_for_ssh', `is not set and ${candidates.length} internal networks are visible (${candidates.slice(0, 5).map((n) => n.name).join(', ')}): name the one to boot on`);
    }
    network = candidates[0]!;
    choices.push(`network ${network.name} (${network.id}, the only internal network)`);
  }

  const out: ResolvedValidation = { ...s, image: { id: image.id, name: image.name ?? image.id }, flavor: { id: flavor.id, name: flavor.name, vcpus: flavor.vcpus }, sshUser, network: { id: network.id, name: network.name }, choices };
  if (s.connectMethod === 'floating') {
    let ext: Network;
    if (s.floatingNetworkName) ext = byRef(networks, s.floatingNetworkName, 'floating_network_name');
    else {
      const externals = networks.filter((n) => n['router:external'] === true);
      if (externals.length !== 1) bad('floating_network_name', `is not set and ${externals.length} external networks are visible: name the one for floating IPs`);
      ext = externals[0]!;
    }
    if (ext['router:external'] !== true) bad('floating_network_name', `network ${ext.name} is not external`);
    out.floatingNetwork = { id: ext.id, name: ext.name };
    choices.push(`connect by floating IP from ${ext.name} (${ext.id}), IPv${s.ipVersionForSsh}`);
  } else {
    choices.push(`connect to the fixed IPv${s.ipVersionForSsh} address on ${network.name}`);
  }
  return out;
}
