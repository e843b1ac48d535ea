/**
 * The run's compute references: what the user set (by name or id) resolved against
 * what the primary account sees, and the rest discovered so that the cloud will
 * actually boot it: an active, public-first image of a bootable format, a flavor
 * with enough disk and RAM for it (never a zero-disk flavor, which Nova's default
 * policy refuses to non-admins for image-backed servers), a distinct alt flavor
 * (resize needs two), and a network the account may attach ports to.
 *
 * `readInventory` reads the cloud (flavors, images, networks; boots nothing);
 * `chooseReferences` is pure and decides, saying why for each choice.
 */
import type { ComputeReferences } from '../common/compute-references.js';
import { COMPUTE_SETTING_FLAGS, type ComputeSettingName, type ComputeSettings } from '../cloud/compute-settings.js';
import { CloudError, type CloudClient } from '../cloud/types.js';
import { ComputeClient, type Flavor } from './compute.js';
import { ImageClient, type Image } from './image.js';
import { anyReply } from './protocol.js';
import { NetworkClient, type Network } from './network.js';

/** Disk formats a hypervisor boots as a server's root disk. */
const BOOTABLE_DISK_FORMATS = new Set(['qcow2', 'raw', 'vmdk', 'vdi', 'vhd', 'vhdx', 'ploop']);
/** Container formats that wrap such a disk (null: Glance left it unset). */
const BOOTABLE_CONTAINERS = new Set(['bare', 'ovf', 'ova']);
const GIB = 1024 ** 3;
/** Bounds of the listings read (pages of 200). */
const MAX_PAGES = 20;

/** What the primary account sees of the cloud. */
export interface ComputeInventory {
  flavors: Flavor[];
  images: Image[];
  /** Absent when the cloud has no network service. */
  networks?: Network[];
  projectId: string;
}

/** One reference, how it was decided, and why. */
export interface ReferenceChoice {
  setting: ComputeSettingName;
  /** Empty when nothing was chosen (e.g. no network needed). */
  id: string;
  name: string;
  source: 'setting' | 'discovered';
  why: string;
}

export interface ResolvedReferences {
  refs: ComputeReferences;
  choices: ReferenceChoice[];
  /** Settings that are legal but probably not meant (e.g. a zero-disk flavor). */
  warnings: string[];
  /** The flavors chosen, for the preflight's quota arithmetic. */
  flavors: { flavor: Flavor; alt: Flavor };
}

/** A cloud-supplied string as it may appear in one line of output: no controls, bounded. */
export function shown(s: unknown): string {
  const t = String(s ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

function refused(message: string): never {
  throw new CloudError(message, 'config');
}

function settingLabel(name: ComputeSettingName, settings: ComputeSettings): string {
  const s = settings[name];
  return `${name} "${shown(s?.value)}" (${s?.origin ?? COMPUTE_SETTING_FLAGS[name]})`;
}

/** The one item an id or name names; unknown and ambiguous names are errors naming the setting. */
function lookup<T extends { id: string; name?: string | null }>(items: T[], name: ComputeSettingName, settings: ComputeSettings, kind: string): T {
  const value = settings[name]!.value;
  const byId = items.find((i) => i.id === value);
  if (byId) return byId;
  const byName = items.filter((i) => i.name === value);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    refused(`${settingLabel(name, settings)} names ${byName.length} ${kind}s (${byName.slice(0, 5).map((i) => i.id).join(', ')}): give the id`);
  }
  return refused(`${settingLabel(name, settings)} names no ${kind} the primary account can see`);
}

/** Why an image cannot be a server's root disk, or undefined when it can. */
export function unbootable(image: Image): string | undefined {
  if (image.status !== 'active') return `status ${shown(image.status)}`;
  const disk = image.disk_format ?? '';
  if (!BOOTABLE_DISK_FORMATS.has(disk)) return disk ? `disk format ${shown(disk)}` : 'no disk format';
  const container = image.container_format;
  if (container && !BOOTABLE_CONTAINERS.has(container)) return `container format ${shown(container)}`;
  return undefined;
}

/** GB of root disk an image needs: min_disk, and its size and virtual size rounded up (Nova compares both). */
export function diskNeeded(image: Image): number {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return Math.max(num(image['min_disk']), Math.ceil(num(image.size) / GIB), Math.ceil(num(image['virtual_size']) / GIB));
}

export function ramNeeded(image: Image): number {
  const v = image['min_ram'];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

/** Why a flavor cannot boot these images as an image-backed server, or undefined when it can. */
export function unfit(flavor: Flavor, images: Image[]): string | undefined {
  if (flavor['OS-FLV-DISABLED:disabled'] === true) return 'disabled';
  const disk = flavor.disk ?? 0;
  if (disk <= 0) return "zero disk (Nova's default policy lets only admins boot image-backed servers on it)";
  const needDisk = Math.max(0, ...images.map(diskNeeded));
  if (disk < needDisk) return `disk ${disk} GB < ${needDisk} GB the image needs`;
  const needRam = Math.max(0, ...images.map(ramNeeded));
  if ((flavor.ram ?? 0) < needRam) return `RAM ${flavor.ram ?? 0} MB < min_ram ${needRam} MB`;
  return undefined;
}

function byFootprint(a: Flavor, b: Flavor): number {
  return (a.ram ?? 0) - (b.ram ?? 0) || (a.vcpus ?? 0) - (b.vcpus ?? 0) || (a.disk ?? 0) - (b.disk ?? 0) || a.id.localeCompare(b.id);
}

/** Public images first, then a name that says it is small (cirros, tiny), then the smallest. */
function imageRank(a: Image, b: Image): number {
  const pub = (i: Image) => (i.visibility === 'public' ? 0 : 1);
  const small = (i: Image) => (/cirros|tiny/i.test(i.name ?? '') ? 0 : 1);
  return (
    pub(a) - pub(b) ||
    small(a) - small(b) ||
    diskNeeded(a) - diskNeeded(b) ||
    ramNeeded(a) - ramNeeded(b) ||
    (a.size ?? 0) - (b.size ?? 0) ||
    (a.name ?? '').localeCompare(b.name ?? '') ||
    a.id.localeCompare(b.id)
  );
}

function passedOver(list: Array<{ name: string; why: string }>): string {
  if (list.length === 0) return '';
  const shownList = list.slice(0, 4).map((x) => `${x.name} (${x.why})`).join(', ');
  return `; passed over ${list.length}: ${shownList}${list.length > 4 ? ', ...' : ''}`;
}

const label = (x: { id: string; name?: string | null }) => shown(x.name || x.id);

/** The network for test servers: a shared internal one, else one of the project's, else a shared external one. */
function discoverNetwork(list: Network[], projectId: string): { network?: Network; why: string } {
  const usable = list
    .filter((n) => n.status === 'ACTIVE' && n.subnets.length > 0 && !n.name.startsWith('defcore-'))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const external = (n: Network) => n['router:external'] === true;
  const own = (n: Network) => (n.project_id ?? n.tenant_id) === projectId;
  const shared = usable.find((n) => n.shared && !external(n));
  if (shared) return { network: shared, why: 'discovered: an active shared internal network with a subnet' };
  const mine = usable.find((n) => own(n) && !external(n));
  if (mine) return { network: mine, why: "discovered: an active network of the account's project with a subnet" };
  const sharedExt = usable.find((n) => n.shared || own(n));
  if (sharedExt) {
    const others = usable.filter((n) => external(n) && n.id !== sharedExt.id && !n.shared && !own(n));
    return { network: sharedExt, why: `discovered: an active external network the account may attach ports to (shared)${passedOver(others.map((n) => ({ name: label(n), why: 'external, not shared' })))}` };
  }
  return { why: 'none chosen: no active network with a subnet that the account may attach ports to; Nova decides' };
}

/**
 * Decides the references from the settings and what the account sees. Throws a
 * CloudError (one line, exit 2) when a setting names nothing, several things or
 * an unusable image, or when discovery finds nothing the cloud would boot.
 */
export function chooseReferences(inv: ComputeInventory, settings: ComputeSettings = {}): ResolvedReferences {
  const choices: ReferenceChoice[] = [];
  const warnings: string[] = [];
  const set = (name: ComputeSettingName) => settings[name] !== undefined;
  const fromSetting = (name: ComputeSettingName) => `set by ${settings[name]!.origin}`;

  // Flavors the user set constrain which images discovery may choose.
  const setFlavors = (['flavor_ref', 'flavor_ref_alt'] as const).filter(set).map((n) => lookup(inv.flavors, n, settings, 'flavor'));

  // --- images
  const resolveSetImage = (name: 'image_ref' | 'image_ref_alt'): Image => {
    const image = lookup(inv.images, name, settings, 'image');
    if (image.status !== 'active') refused(`${settingLabel(name, settings)} is not active (status ${shown(image.status)})`);
    return image;
  };
  const skippedImages: Array<{ name: string; why: string }> = [];
  const candidates: Image[] = [];
  for (const image of inv.images) {
    if ((image.name ?? '').startsWith('defcore-')) continue; // a run's own images, never references
    const why = unbootable(image);
    if (why) skippedImages.push({ name: label(image), why });
    else candidates.push(image);
  }
  // Images the set flavors can boot first; the user's flavor may still be meant for the others.
  const misfits = (i: Image) => setFlavors.filter((f) => unfit(f, [i])).length;
  candidates.sort((a, b) => misfits(a) - misfits(b) || imageRank(a, b));

  let image: Image;
  if (set('image_ref')) {
    image = resolveSetImage('image_ref');
    choices.push({ setting: 'image_ref', id: image.id, name: shown(image.name), source: 'setting', why: fromSetting('image_ref') });
  } else {
    const first = candidates[0];
    if (!first) refused(`no image to boot servers with: the primary account sees no active image of a bootable format${passedOver(skippedImages)}; set image_ref`);
    image = first;
    choices.push({
      setting: 'image_ref',
      id: image.id,
      name: shown(image.name),
      source: 'discovered',
      why: `discovered: active ${image.visibility === 'public' ? 'public' : shown(image.visibility)} ${shown(image.disk_format)} image needing ${diskNeeded(image)} GB disk and ${ramNeeded(image)} MB RAM${passedOver(skippedImages)}`,
    });
  }

  // --- flavors (for the image and, below, the alt image)
  const flavors = inv.flavors.slice().sort(byFootprint);
  const usableFor = (images: Image[]) => flavors.filter((f) => !unfit(f, images));

  let imageAlt: Image | undefined;
  if (set('image_ref_alt')) {
    imageAlt = resolveSetImage('image_ref_alt');
    choices.push({ setting: 'image_ref_alt', id: imageAlt.id, name: shown(imageAlt.name), source: 'setting', why: fromSetting('image_ref_alt') });
  } else {
    // Another bootable image, same disk format first, that a flavor can boot together with image_ref.
    const others = candidates.filter((c) => c.id !== image.id).sort((a, b) => Number(a.disk_format !== image.disk_format) - Number(b.disk_format !== image.disk_format));
    imageAlt = others.find((c) => (setFlavors.length ? true : usableFor([image, c]).length >= 2));
    if (imageAlt) {
      choices.push({ setting: 'image_ref_alt', id: imageAlt.id, name: shown(imageAlt.name), source: 'discovered', why: `discovered: another active bootable ${shown(imageAlt.disk_format)} image, distinct from image_ref` });
    } else {
      choices.push({ setting: 'image_ref_alt', id: '', name: '', source: 'discovered', why: 'none distinct: the account sees one usable bootable image; the run registers a private copy of it' });
    }
  }

  const bootImages = imageAlt ? [image, imageAlt] : [image];
  const skippedFlavors = flavors.filter((f) => unfit(f, bootImages)).map((f) => ({ name: label(f), why: unfit(f, bootImages)! }));
  const usable = usableFor(bootImages);
  const needs = `disk >= ${Math.max(1, ...bootImages.map(diskNeeded))} GB and RAM >= ${Math.max(0, ...bootImages.map(ramNeeded))} MB`;

  let flavor: Flavor;
  if (set('flavor_ref')) {
    flavor = setFlavors[0]!;
    choices.push({ setting: 'flavor_ref', id: flavor.id, name: shown(flavor.name), source: 'setting', why: fromSetting('flavor_ref') });
  } else {
    const first = usable[0];
    if (!first) refused(`no flavor to boot image ${label(image)} with: none has ${needs}${passedOver(skippedFlavors)}; set flavor_ref`);
    flavor = first;
    choices.push({ setting: 'flavor_ref', id: flavor.id, name: shown(flavor.name), source: 'discovered', why: `discovered: the smallest flavor with ${needs}${passedOver(skippedFlavors)}` });
  }

  let alt: Flavor;
  if (set('flavor_ref_alt')) {
    alt = setFlavors[setFlavors.length - 1]!;
    choices.push({ setting: 'flavor_ref_alt', id: alt.id, name: shown(alt.name), source: 'setting', why: fromSetting('flavor_ref_alt') });
  } else {
    const next = usable.find((f) => f.id !== flavor.id);
    if (!next) refused(`only one flavor (${label(flavor)}) can boot image ${label(image)} (${needs}); resizing needs a second: set flavor_ref_alt`);
    alt = next;
    choices.push({ setting: 'flavor_ref_alt', id: alt.id, name: shown(alt.name), source: 'discovered', why: `discovered: the next smallest flavor with ${needs}, distinct from flavor_ref (resize needs two)` });
  }
  for (const [name, f] of [['flavor_ref', flavor], ['flavor_ref_alt', alt]] as const) {
    const why = set(name) ? unfit(f, bootImages) : undefined;
    if (why) warnings.push(`${settingLabel(name, settings)}: ${why}; servers booted from image ${label(image)} may be refused`);
  }
  if (flavor.id === alt.id) warnings.push('flavor_ref and flavor_ref_alt are the same flavor: the resize tests will fail');

  // --- network
  let network: ComputeReferences['network'];
  if (set('fixed_network_name')) {
    if (!inv.networks) refused(`${settingLabel('fixed_network_name', settings)} is set but the cloud has no network service`);
    const n = lookup(inv.networks, 'fixed_network_name', settings, 'network');
    network = { id: n.id, name: n.name };
    choices.push({ setting: 'fixed_network_name', id: n.id, name: shown(n.name), source: 'setting', why: fromSetting('fixed_network_name') });
  } else if (inv.networks) {
    const d = discoverNetwork(inv.networks, inv.projectId);
    if (d.network) network = { id: d.network.id, name: d.network.name };
    choices.push({ setting: 'fixed_network_name', id: d.network?.id ?? '', name: d.network ? shown(d.network.name) : '', source: 'discovered', why: d.why });
  }

  const refs: ComputeReferences = { imageRef: image.id, flavorRef: flavor.id, flavorRefAlt: alt.id };
  if (imageAlt) refs.imageRefAlt = imageAlt.id;
  if (network) refs.network = network;
  return { refs, choices, warnings, flavors: { flavor, alt } };
}

function unexpected(what: string, status: number): never {
  throw new CloudError(`reading the compute references: ${what} answered HTTP ${status}`, 'http', { status });
}

/** Follows `next` (Glance) or `*_links` (Nova) with a marker, at most MAX_PAGES pages. */
async function allPages<T extends { id: string }>(page: (marker?: string) => Promise<{ items: T[]; more: boolean }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, more } = await page(marker);
    out.push(...items);
    if (!more || items.length === 0) break;
    marker = items[items.length - 1]!.id;
  }
  return out;
}

/**
 * Reads the flavors, images and networks the primary account sees (nothing is
 * created). A set image or flavor id that is not listed (a community image, a
 * private flavor shared with the project) is looked up by id.
 */
export async function readInventory(client: CloudClient, settings: ComputeSettings = {}): Promise<ComputeInventory> {
  const compute = new ComputeClient(client);
  const flavors = await allPages<Flavor>(async (marker) => {
    const r = await anyReply(() => compute.listFlavors(true, { limit: 200, ...(marker ? { marker } : {}) }));
    if (r.status !== 200 || !Array.isArray(r.body?.flavors)) unexpected('GET /flavors/detail', r.status);
    return { items: r.body.flavors, more: Array.isArray(r.body['flavors_links' as keyof typeof r.body]) };
  });
  const glance = new ImageClient(client);
  const images = await allPages<Image>(async (marker) => {
    // Discovery judges the answer itself (status and shape), not against the schema.
    const r = await anyReply(() => glance.listImages({ limit: 200, ...(marker ? { marker } : {}) }));
    if (r.status !== 200 || !Array.isArray(r.body?.images)) unexpected('GET /v2/images', r.status);
    return { items: r.body.images, more: typeof r.body.next === 'string' };
  });
  for (const name of ['image_ref', 'image_ref_alt'] as const) {
    const v = settings[name]?.value;
    if (v && !images.some((i) => i.id === v || i.name === v)) {
      const r = await anyReply(() => glance.showImage(v));
      if (r.status === 200 && r.body?.id === v) images.push(r.body);
    }
  }
  for (const name of ['flavor_ref', 'flavor_ref_alt'] as const) {
    const v = settings[name]?.value;
    if (v && !flavors.some((f) => f.id === v || f.name === v)) {
      const r = await anyReply(() => compute.showFlavor(v));
      if (r.status === 200 && r.body?.flavor?.id === v) flavors.push(r.body.flavor);
    }
  }
  const { projectId } = await client.identity();
  const hasNetwork = await client.endpoint('network').then(() => true, () => false);
  const inv: ComputeInventory = { flavors, images, projectId };
  if (hasNetwork) {
    // Discovery judges the answer itself: a network breaking the schema is still a network.
    const r = await anyReply(() => new NetworkClient(client).listNetworks());
    const networks = (r.body as { networks?: unknown } | null | undefined)?.networks;
    if (r.status !== 200 || !Array.isArray(networks)) unexpected('GET /v2.0/networks', r.status);
    inv.networks = networks as Network[];
  }
  return inv;
}

/** Reads the cloud and decides the references (see chooseReferences). */
export async function resolveComputeReferences(client: CloudClient, settings: ComputeSettings = {}): Promise<ResolvedReferences> {
  return chooseReferences(await readInventory(client, settings), settings);
}
