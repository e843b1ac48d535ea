/**
 * Native checks for tempest.api.compute.volumes.test_attach_volume.AttachVolumeTestJSON:
 * attaching Cinder volumes through Nova (os-volume_attachments), listing and
 * showing attachments, stop/start with a volume attached, detaching. Counting
 * disks inside the guest needs a data plane; Tempest skips that part with
 * validation disabled, and so do these checks.
 */
import { CheckSkip, registerCheck, type CheckContext } from '../../src/check/api.js';
import { expectEqual, expectStatus, expectThat } from '../../src/check/expect.js';
import type { CloudClient, HttpResponse } from '../../src/cloud/types.js';
import type { ComputeClient, VolumeAttachment } from '../../src/services/compute.js';
import { waitFor } from '../../src/services/wait.js';
import {
  BUILD_TIMEOUT_MS, computeRefs, polling, createServer, expectBody, expectNoBody, nova, SERVER_CHECK_TIMEOUT_MS, waitForServerStatus,
} from './_steps.js';

const CLASS = 'tempest.api.compute.volumes.test_attach_volume.AttachVolumeTestJSON';

interface Volume {
  id: string;
  status: string;
  multiattach?: boolean;
  attachments?: { server_id: string }[];
}

/** The few Block Storage v3 calls these checks need (volume create/show/delete). */
class Cinder {
  private base?: Promise<string>;
  constructor(private readonly cloud: CloudClient) {}

  private async url(path: string): Promise<string> {
    this.base ??= (async () => {
      let endpoint: string | undefined;
      for (const type of ['block-storage', 'volumev3']) {
        endpoint = await this.cloud.endpoint(type).catch(() => undefined);
        if (endpoint) break;
      }
      if (!endpoint) throw new CheckSkip('the cloud has no Block Storage (volumev3) endpoint');
      const { projectId } = await this.cloud.identity();
      const u = new URL(endpoint);
      const parts = u.pathname.split('/').filter((p) => p !== '');
      const at = parts.findIndex((p) => /^v3(\.\d+)?$/.test(p));
      const head = at >= 0 ? parts.slice(0, at + 1) : [...parts, 'v3'];
      const withProject = at >= 0 && parts.length > at + 1 ? parts : [...head, projectId];
      return `${u.origin}/${withProject.join('/')}`;
    })();
    return `${await this.base}/${path}`;
  }

  async create(name: string): Promise<HttpResponse<{ volume: Volume }>> {
    return this.cloud.request({ method: 'POST', url: await this.url('volumes'), body: { volume: { name, size: 1 } } });
  }

  async show(id: string): Promise<HttpResponse<{ volume: Volume }>> {
    return this.cloud.request({ method: 'GET', url: await this.url(`volumes/${encodeURIComponent(id)}`) });
  }

  async delete(id: string): Promise<HttpResponse> {
    return this.cloud.request({ method: 'DELETE', url: await this.url(`volumes/${encodeURIComponent(id)}`) });
  }
}

async function waitForVolume(ctx: CheckContext | undefined, cinder: Cinder, id: string, status: string): Promise<Volume> {
  const res = await waitFor({
    what: `volume ${id} to become ${status}`,
    poll: async () => {
      const r = await cinder.show(id);
      expectStatus(r, 200);
      return r;
    },
    failed: (r) => (/^error/.test(r.body.volume.status) && !status.startsWith('error') ? `volume status ${r.body.volume.status}` : undefined),
    done: (r) => r.body.volume.status === status,
    describe: (r) => `status ${r.body.volume.status}`,
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
    ...(ctx ? { signal: ctx.signal } : {}),
  });
  return res.body.volume;
}

/** A 1 GiB volume, available, deleted (after it is detached) when the check ends. */
async function createVolume(ctx: CheckContext, cinder: Cinder): Promise<Volume> {
  const res = await cinder.create(ctx.name('volume'));
  expectStatus(res, 202);
  const id = res.body.volume.id;
  ctx.defer(`delete volume ${id}`, async () => {
    const shown = await cinder.show(id);
    if (shown.status === 404) return;
    if (shown.body.volume.status !== 'available' && !shown.body.volume.status.startsWith('error')) await waitForVolume(undefined, cinder, id, 'available').catch(() => undefined);
    const del = await cinder.delete(id);
    if (del.status !== 202 && del.status !== 404) throw new Error(`DELETE volume ${id}: status ${del.status}`);
    await waitFor({ what: `volume ${id} to be deleted`, poll: () => cinder.show(id), done: (r) => r.status === 404, timeoutMs: 120_000 });
  });
  return waitForVolume(ctx, cinder, id, 'available');
}

/** Attaches (200 + schema), waits for in-use, and defers detach + wait available. */
async function attach(ctx: CheckContext, compute: ComputeClient, cinder: Cinder, serverId: string, volume: Volume): Promise<VolumeAttachment> {
  const res = await compute.attachVolume(serverId, volume.id);
  if (res.status >= 200 && res.status < 300) {
    ctx.defer(`detach volume ${volume.id} from server ${serverId}`, async () => {
      const del = await compute.detachVolume(serverId, volume.id);
      if (del.status !== 202 && del.status !== 404) throw new Error(`DELETE attachment of volume ${volume.id}: status ${del.status}`);
      await waitForVolume(undefined, cinder, volume.id, 'available');
    });
  }
  const attachment = expectBody(res, 200, 'attach-volume').volumeAttachment;
  await waitForVolume(ctx, cinder, volume.id, 'in-use');
  return attachment;
}

async function detach(ctx: CheckContext, compute: ComputeClient, cinder: Cinder, serverId: string, volumeId: string): Promise<void> {
  expectNoBody(await compute.detachVolume(serverId, volumeId), 202);
  await waitForVolume(ctx, cinder, volumeId, 'available');
}

async function stopStart(ctx: CheckContext, compute: ComputeClient, id: string): Promise<void> {
  expectNoBody(await compute.stopServer(id), 202);
  await waitForServerStatus(ctx.signal, compute, id, 'SHUTOFF');
  expectNoBody(await compute.startServer(id), 202);
  await waitForServerStatus(ctx.signal, compute, id, 'ACTIVE');
}

async function setUp(ctx: CheckContext): Promise<{ compute: ComputeClient; cinder: Cinder; serverId: string }> {
  const cinder = new Cinder(ctx.account('primary'));
  const compute = nova(ctx);
  const { created } = await createServer(ctx, compute, await computeRefs(ctx), { waitUntil: 'ACTIVE', attrs: { adminPass: `Pw-${ctx.prefix}` } });
  expectBody(await compute.listAddresses(created.id), 200, 'list-addresses');
  return { compute, cinder, serverId: created.id };
}

registerCheck({
  id: '52e9045a-e90d-4c0d-9087-79d657faffff',
  test: `${CLASS}.test_attach_detach_volume`,
  timeoutMs: SERVER_CHECK_TIMEOUT_MS,
  async run(ctx) {
    const { compute, cinder, serverId } = await setUp(ctx);
    const volume = await createVolume(ctx, cinder);
    const attachment = await attach(ctx, compute, cinder, serverId, volume);
    await stopStart(ctx, compute, serverId);
    await detach(ctx, compute, cinder, serverId, attachment.volumeId);
    await stopStart(ctx, compute, serverId);
  },
});

registerCheck({
  id: '7fa563fe-f0f7-43eb-9e22-a1ece036b513',
  test: `${CLASS}.test_list_get_volume_attachments`,
  timeoutMs: SERVER_CHECK_TIMEOUT_MS,
  async run(ctx) {
    const { compute, cinder, serverId } = await setUp(ctx);
    const list = async () => {
      const res = await compute.listVolumeAttachments(serverId);
      return { res, items: expectBody(res, 200, 'list-volume-attachments').volumeAttachments };
    };
    const show = async (a: VolumeAttachment, volumeId: string) => {
      const res = await compute.showVolumeAttachment(serverId, a.id);
      const body = expectBody(res, 200, 'show-volume-attachment').volumeAttachment;
      expectEqual(body.serverId, serverId, `${res.method} ${res.url}: serverId`);
      expectEqual(body.volumeId, volumeId, `${res.method} ${res.url}: volumeId`);
      expectEqual(body.id, a.id, `${res.method} ${res.url}: id`);
    };
    const v1 = await createVolume(ctx, cinder);
    const a1 = await attach(ctx, compute, cinder, serverId, v1);
    const first = await list();
    expectEqual(first.items.length, 1, `${first.res.method} ${first.res.url}: number of attachments`);
    const same = JSON.stringify(Object.entries(a1).sort());
    expectThat(first.items.some((i) => JSON.stringify(Object.entries(i).sort()) === same), `${first.res.method} ${first.res.url}: the attachment as POST returned it is not listed`);
    await show(a1, v1.id);
    const v2 = await createVolume(ctx, cinder);
    const a2 = await attach(ctx, compute, cinder, serverId, v2);
    const second = await list();
    expectEqual(second.items.length, 2, `${second.res.method} ${second.res.url}: number of attachments`);
    for (const a of [a1, a2]) {
      await show(a, a.volumeId);
      await detach(ctx, compute, cinder, serverId, a.volumeId);
    }
  },
});
