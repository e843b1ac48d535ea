/**
 * Native checks for tempest.api.compute.volumes.test_volumes_list.VolumesTestJSON
 * and test_volumes_negative.VolumesNegativeTest, which the guidelines 2015.03 …
 * 2016.01 require: volumes through Nova's os-volumes proxy, which Nova removed
 * at microversion 2.36; these checks send no microversion (2.1), as the Tempest
 * of those guidelines did.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { describeRequest, expectThat, fail } from '../../src/check/expect.js';
import type { CloudClient } from '../../src/cloud/types.js';
import { ComputeClient, type ProxyVolume } from '../../src/services/compute.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import { anyReply } from '../../src/services/protocol.js';
import { waitFor } from '../../src/services/wait.js';
import { settle } from '../volume/steps.js';
import { BUILD_TIMEOUT_MS, nova, polling } from './steps.js';
import { expectRefusal } from '../../src/check/expect-refusal.js';

const volumesTests = tempestClass('tempest.api.compute.volumes.test_volumes_list.VolumesTestJSON', { timeoutMs: BUILD_TIMEOUT_MS * 2 });
const volumesNegative = tempestClass('tempest.api.compute.volumes.test_volumes_negative.VolumesNegativeTest');

/** Tempest's [volume] volume_size default (GiB). */
const VOLUME_SIZE = 1;

async function deleteProxyVolume(compute: ComputeClient, id: string): Promise<void> {
  const del = await anyReply(() => compute.deleteProxyVolume(id));
  if (del.status === 404) return;
  if (del.status !== 202) throw new Error(`DELETE /os-volumes/${id}: status ${del.status}`);
  await waitFor({
    what: `volume ${id} to be deleted`,
    poll: () => anyReply(() => compute.showProxyVolume(id)),
    done: (r) => r.status === 404,
    describe: (r) => `status ${r.status === 200 ? r.body.volume.status : r.status}`,
    timeoutMs: BUILD_TIMEOUT_MS,
    initialDelayMs: polling.initialDelayMs,
  });
}

/** Three available volumes with metadata, created and shown through Nova (the class fixture). */
async function createVolumes(ctx: CheckContext, client: CloudClient): Promise<{ value: ProxyVolume[]; teardown: (c: CloudClient) => Promise<void> }> {
  const compute = new ComputeClient(client);
  const ids: string[] = [];
  const teardown = async (c: CloudClient) => {
    const nv = new ComputeClient(c);
    const problems: string[] = [];
    for (const id of ids) await deleteProxyVolume(nv, id).catch((e: Error) => problems.push(e.message));
    if (problems.length) throw new Error(problems.join('; '));
  };
  try {
    const shown: ProxyVolume[] = [];
    for (let i = 0; i < 3; i++) {
      const { reply: res, failure } = await settle(() => compute.createProxyVolume({ size: VOLUME_SIZE, display_name: `${ctx.prefix}volume-${i + 1}`, metadata: { Type: 'work' } }));
      const id = res.body?.volume?.id;
      if (typeof id === 'string') ids.push(id);
      // The client's verdict on the 200, once the teardown knows the volume.
      if (failure) throw failure;
      if (typeof id !== 'string') fail(`${describeRequest(res)}: no volume.id in the answer`);
      const ready = await waitFor({
        what: `volume ${id} to become available`,
        poll: () => anyReply(() => compute.showProxyVolume(id)),
        done: (r) => r.status === 200 && r.body.volume.status === 'available',
        failed: (r) => (r.status !== 200 ? `GET /os-volumes/${id}: status ${r.status}` : r.body.volume.status === 'error' ? `volume ${id} went to status error` : undefined),
        describe: (r) => `status ${r.status === 200 ? r.body.volume.status : r.status}`,
        timeoutMs: BUILD_TIMEOUT_MS,
        initialDelayMs: polling.initialDelayMs,
      });
      shown.push(ready.body.volume);
    }
    return { value: shown, teardown };
  } catch (err) {
    await teardown(client).catch(() => undefined);
    throw err;
  }
}

for (const [id, name, detail] of [
  ['bc2dd1a0-15af-48e5-9990-f2e75a48325d', 'test_volume_list', false],
  ['bad0567a-5a4f-420b-851e-780b55bb867c', 'test_volume_list_with_details', true],
] as const) {
  volumesTests.test(name, id, async (ctx) => {
    const client = ctx.account('primary');
    const volumes = await runFixture(ctx.prefix, client, 'compute-proxy-volumes', () => createVolumes(ctx, client));
    const res = await nova(ctx).listProxyVolumes(detail);
    const listed = Array.isArray(res.body?.volumes) ? res.body.volumes : fail(`${describeRequest(res)}: no volumes list`);
    // Tempest requires each shown volume to appear in the listing exactly as shown
    const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
    const missing = volumes.filter((v) => !listed.some((l) => same(l, v)));
    expectThat(missing.length === 0, `${describeRequest(res)}: volume(s) ${missing.map((v) => `${v.id} (${String(v.displayName)})`).join(', ')} not listed as shown`);
  });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

volumesNegative.test('test_get_invalid_volume_id', 'f01904f2-e975-4915-98ce-cb5fa27bde4f', async (ctx) => {
  await expectRefusal(404, 'showing a volume with an invalid id', () => nova(ctx).showProxyVolume('#$%%&^&^'));
});

volumesNegative.test('test_get_volume_without_passing_volume_id', '62bab09a-4c03-4617-8cca-8572bc94af9b', async (ctx) => {
  await expectRefusal(404, 'showing a volume with an empty id', () => nova(ctx).showProxyVolume(''));
});
