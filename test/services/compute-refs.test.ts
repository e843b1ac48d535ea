/**
 * The compute references: settings resolved by name or id (unknown and ambiguous
 * ones refused naming the setting), and discovery choosing what the cloud will
 * boot (no zero-disk flavor, no unbootable image, min_disk/min_ram honoured, two
 * distinct flavors), with the reason recorded.
 */
import assert from 'node:assert/strict';
import { chooseReferences, type ComputeInventory } from '../../src/services/compute-refs.js';
import { readComputeSettings, settingsFromRunConfig, type ComputeSettings } from '../../src/cloud/compute-settings.js';
import type { Flavor } from '../../src/services/compute.js';
import type { Image } from '../../src/services/image.js';
import type { Network } from '../../src/services/network.js';

const GB = 1024 ** 3;

function flavor(id: string, name: string, ram: number, disk: number, vcpus = 1, extra: Record<string, unknown> = {}): Flavor {
  return { id, name, ram, disk, vcpus, links: [], ...extra };
}

function image(id: string, name: string, extra: Partial<Image> & Record<string, unknown> = {}): Image {
  return { id, name, status: 'active', visibility: 'public', size: 16 * 1024 * 1024, container_format: 'bare', disk_format: 'qcow2', owner: 'o', tags: [], min_disk: 0, min_ram: 0, ...extra };
}

function network(id: string, name: string, extra: Partial<Network> = {}): Network {
  return { id, name, status: 'ACTIVE', admin_state_up: true, shared: false, subnets: ['s'], project_id: 'other', ...extra };
}

const M1 = [flavor('1', 'm1.tiny', 512, 1), flavor('2', 'm1.small', 2048, 20), flavor('3', 'm1.medium', 4096, 40, 2)];

function inventory(over: Partial<ComputeInventory> = {}): ComputeInventory {
  return { flavors: M1, images: [image('img-1', 'cirros')], networks: [network('net-1', 'private', { shared: true })], projectId: 'proj', ...over };
}

function settings(values: Partial<Record<keyof ComputeSettings, string>>): ComputeSettings {
  const out: ComputeSettings = {};
  for (const [k, v] of Object.entries(values)) out[k as keyof ComputeSettings] = { value: v!, origin: `--${k}` };
  return out;
}

const choice = (r: ReturnType<typeof chooseReferences>, setting: string) => r.choices.find((c) => c.setting === setting)!;

describe('compute references: discovery', () => {
  it('never chooses a zero-disk flavor for an image-backed server, even when it is listed first and smallest', () => {
    const inv = inventory({ flavors: [flavor('0a', 'v1.zero', 64, 0), flavor('0b', 'v1.zero-large', 256, 0, 2), ...M1] });
    const r = chooseReferences(inv);
    assert.equal(r.refs.flavorRef, '1');
    assert.equal(r.refs.flavorRefAlt, '2');
    assert.match(choice(r, 'flavor_ref').why, /passed over 2: v1\.zero \(zero disk/);
    assert.equal(choice(r, 'flavor_ref').source, 'discovered');
  });

  it('refuses when only zero-disk flavors exist, naming the setting to give', () => {
    assert.throws(() => chooseReferences(inventory({ flavors: [flavor('0a', 'v1.zero', 64, 0), flavor('0b', 'v1.zero2', 128, 0)] })), (e: Error) => e.name === 'CloudError' && /no flavor to boot image cirros.*zero disk.*set flavor_ref/.test(e.message));
  });

  it('skips images that are not bootable (kernel, ramdisk, ISO, queued, ami) and says so', () => {
    const images = [
      image('k', 'cirros-kernel', { disk_format: 'aki', container_format: 'aki' }),
      image('r', 'cirros-ramdisk', { disk_format: 'ari', container_format: 'ari' }),
      image('iso', 'cirros.iso', { disk_format: 'iso' }),
      image('q', 'cirros-queued', { status: 'queued' }),
      image('ami', 'cirros-ami', { disk_format: 'ami', container_format: 'ami' }),
      image('ok', 'ubuntu', { disk_format: 'raw' }),
    ];
    const r = chooseReferences(inventory({ images }));
    assert.equal(r.refs.imageRef, 'ok');
    assert.equal(r.refs.imageRefAlt, undefined, 'one bootable image: no alt (the run copies it)');
    const why = choice(r, 'image_ref').why;
    for (const x of ['disk format aki', 'disk format ari', 'disk format iso', 'status queued']) assert.ok(why.includes(x), `${x} in ${why}`);
    assert.match(choice(r, 'image_ref_alt').why, /none distinct/);
  });

  it('refuses when no image is bootable', () => {
    assert.throws(() => chooseReferences(inventory({ images: [image('iso', 'x.iso', { disk_format: 'iso' })] })), /no image to boot servers with.*disk format iso.*set image_ref/);
  });

  it('prefers a public image over a private one, and a small (cirros) one', () => {
    const images = [image('p', 'mine', { visibility: 'private' }), image('u', 'ubuntu-22.04', { size: 600 * 1024 * 1024 }), image('c', 'cirros-0.6')];
    const r = chooseReferences(inventory({ images }));
    assert.equal(r.refs.imageRef, 'c');
    assert.equal(r.refs.imageRefAlt, 'u', 'alt: another public bootable image of the same format before a private one');
  });

  it('honours min_disk: a flavor with less disk than the image needs is passed over', () => {
    const r = chooseReferences(inventory({ images: [image('big', 'cirros', { min_disk: 10 })] }));
    assert.equal(r.refs.flavorRef, '2');
    assert.equal(r.refs.flavorRefAlt, '3');
    assert.match(choice(r, 'flavor_ref').why, /disk >= 10 GB.*m1\.tiny \(disk 1 GB < 10 GB/);
  });

  it('counts the image size against the flavor disk (Nova refuses an image bigger than the root disk)', () => {
    const r = chooseReferences(inventory({ images: [image('big', 'cirros', { size: 3 * GB })] }));
    assert.equal(r.refs.flavorRef, '2');
  });

  it('honours min_ram: a flavor with less RAM than min_ram is passed over', () => {
    const r = chooseReferences(inventory({ images: [image('i', 'cirros', { min_ram: 1024 })] }));
    assert.equal(r.refs.flavorRef, '2');
    assert.match(choice(r, 'flavor_ref').why, /RAM 512 MB < min_ram 1024 MB/);
  });

  it('the flavors fit the alt image too (rebuild and the alt-image server use flavor_ref)', () => {
    const images = [image('a', 'cirros-a', { disk_format: 'raw' }), image('b', 'cirros-b', { disk_format: 'raw', min_ram: 1024 })];
    const r = chooseReferences(inventory({ images }));
    assert.equal(r.refs.imageRef, 'a');
    assert.equal(r.refs.imageRefAlt, 'b');
    assert.equal(r.refs.flavorRef, '2');
  });

  it('skips disabled flavors', () => {
    const r = chooseReferences(inventory({ flavors: [flavor('d', 'm1.off', 256, 1, 1, { 'OS-FLV-DISABLED:disabled': true }), ...M1] }));
    assert.equal(r.refs.flavorRef, '1');
  });

  it('refuses a cloud with a single usable flavor: resize needs a distinct flavor_ref_alt', () => {
    assert.throws(() => chooseReferences(inventory({ flavors: [flavor('0', 'zero', 64, 0), flavor('1', 'm1.tiny', 512, 1)] })), /only one flavor \(m1\.tiny\).*set flavor_ref_alt/);
  });

  it('network: a shared internal network, else a shared external one; never an external network the project may not use', () => {
    const nets = [network('e2', 'a-public-2', { 'router:external': true }), network('e1', 'public', { 'router:external': true, shared: true })];
    const r = chooseReferences(inventory({ networks: nets }));
    assert.deepEqual(r.refs.network, { id: 'e1', name: 'public' });
    assert.match(choice(r, 'fixed_network_name').why, /passed over 1: a-public-2 \(external, not shared\)/);
    const none = chooseReferences(inventory({ networks: [network('e2', 'public-2', { 'router:external': true })] }));
    assert.equal(none.refs.network, undefined);
    assert.match(choice(none, 'fixed_network_name').why, /none chosen/);
  });

  it('cloud-supplied names are printed without control characters', () => {
    const r = chooseReferences(inventory({ images: [image('i', 'cirros\u001b[31mred\n')] }));
    assert.doesNotMatch(choice(r, 'image_ref').name, /[\u0000-\u001f]/);
  });
});

describe('compute references: settings', () => {
  it('resolves names and ids of every setting, recording where each was set', () => {
    const images = [image('img-1', 'cirros'), image('img-2', 'other')];
    const r = chooseReferences(inventory({ images }), settings({ image_ref: 'cirros', image_ref_alt: 'img-2', flavor_ref: 'm1.small', flavor_ref_alt: '3', fixed_network_name: 'private' }));
    assert.deepEqual(r.refs, { imageRef: 'img-1', imageRefAlt: 'img-2', flavorRef: '2', flavorRefAlt: '3', network: { id: 'net-1', name: 'private' } });
    assert.ok(r.choices.every((c) => c.source === 'setting' && /^set by --/.test(c.why)));
  });

  it('an unknown image name is one line naming the setting and where it was set', () => {
    assert.throws(() => chooseReferences(inventory(), settings({ image_ref: 'nope' })), (e: Error) => e.name === 'CloudError' && /^image_ref "nope" \(--image_ref\) names no image the primary account can see$/.test(e.message));
  });

  it('an unknown flavor id is refused', () => {
    assert.throws(() => chooseReferences(inventory(), settings({ flavor_ref_alt: '999' })), /flavor_ref_alt "999" .* names no flavor/);
  });

  it('an unknown network is refused', () => {
    assert.throws(() => chooseReferences(inventory(), settings({ fixed_network_name: 'nonet' })), /fixed_network_name "nonet" .* names no network/);
  });

  it('an ambiguous name is refused, listing the ids to choose from', () => {
    const images = [image('img-1', 'cirros'), image('img-2', 'cirros')];
    assert.throws(() => chooseReferences(inventory({ images }), settings({ image_ref: 'cirros' })), /image_ref "cirros" .* names 2 images \(img-1, img-2\): give the id/);
    const flavors = [...M1, flavor('4', 'm1.small', 2048, 20)];
    assert.throws(() => chooseReferences(inventory({ flavors }), settings({ flavor_ref: 'm1.small' })), /names 2 flavors \(2, 4\)/);
  });

  it('a set image that is not active is refused', () => {
    const images = [image('img-1', 'cirros'), image('q', 'queued', { status: 'queued' })];
    assert.throws(() => chooseReferences(inventory({ images }), settings({ image_ref: 'q' })), /image_ref "q" .* is not active \(status queued\)/);
  });

  it('a set zero-disk flavor is used as given, with a warning', () => {
    const flavors = [flavor('0', 'v1.zero', 64, 0), ...M1];
    const r = chooseReferences(inventory({ flavors }), settings({ flavor_ref: 'v1.zero' }));
    assert.equal(r.refs.flavorRef, '0');
    assert.equal(r.refs.flavorRefAlt, '1');
    assert.match(r.warnings.join('\n'), /flavor_ref "v1.zero" .*zero disk/);
  });

  it('a set flavor steers image discovery to images it can boot', () => {
    const images = [image('big', 'cirros-big', { min_disk: 10 }), image('small', 'ubuntu')];
    const r = chooseReferences(inventory({ images }), settings({ flavor_ref: 'm1.tiny' }));
    assert.equal(r.refs.imageRef, 'small');
  });
});

describe('compute settings: defcore.yaml compute: and run flags', () => {
  it('reads the compute section; flags override it; numeric flavor ids are strings', () => {
    const doc = { compute: { image_ref: 'cirros', flavor_ref: 42, fixed_network_name: 'private' } };
    const s = readComputeSettings({ runConfig: doc, flags: { imageRef: 'ubuntu', flavorRefAlt: 'm1.small' } });
    assert.deepEqual(s.image_ref, { value: 'ubuntu', origin: '--image-ref' });
    assert.deepEqual(s.flavor_ref, { value: '42', origin: 'compute.flavor_ref of run config' });
    assert.equal(s.flavor_ref_alt?.value, 'm1.small');
    assert.equal(s.fixed_network_name?.value, 'private');
  });

  it('an unknown key, a non-string value or a non-mapping section is one clear error', () => {
    assert.throws(() => settingsFromRunConfig({ compute: { image: 'x' } }, 'defcore.yaml'), /defcore.yaml: unknown setting compute.image \(known: image_ref/);
    assert.throws(() => settingsFromRunConfig({ compute: { image_ref: ['a'] } }, 'defcore.yaml'), /compute.image_ref must be a name or an id/);
    assert.throws(() => settingsFromRunConfig({ compute: 'cirros' }, 'defcore.yaml'), /compute must be a mapping/);
    assert.throws(() => readComputeSettings({ flags: { imageRef: 'a\nb' } }), /--image-ref is not a plausible name or id/);
  });
});
