/**
 * Native checks for tempest.api.compute.servers.test_server_metadata.ServerMetadataTestJSON.
 * As in Tempest, the class's tests share one server booted with empty metadata, and
 * each resets its metadata to {key1, key2} first (the class's setUp). They change
 * that metadata, so they take the server one at a time.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual } from '../../src/check/expect.js';
import { oneAtATime } from '../../src/check/one-at-a-time.js';
import type { ComputeClient } from '../../src/services/compute.js';
import { classServer, expectNoBody, nova, SERVER_CHECK_TIMEOUT_MS } from './steps.js';

const serverMetadata = tempestClass('tempest.api.compute.servers.test_server_metadata.ServerMetadataTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });
const START = { key1: 'value1', key2: 'value2' };

/** Runs `body` on the class's server, its metadata set to {key1, key2} first (the class's setUp). */
async function withServer(ctx: CheckContext, body: (compute: ComputeClient, id: string) => Promise<void>): Promise<void> {
  const server = await classServer(ctx, serverMetadata.name, { metadata: {} });
  await oneAtATime(ctx, serverMetadata.name, async () => {
    const compute = nova(ctx);
    await compute.setServerMetadata(server.id, START);
    await body(compute, server.id);
  });
}

async function expectMetadata(compute: ComputeClient, id: string, expected: Record<string, string>): Promise<void> {
  const res = await compute.listServerMetadata(id);
  expectEqual(res.body.metadata, expected, `${res.method} ${res.url}: metadata`);
}

/** Key order does not matter in metadata; compare sorted. */
function sorted(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}

async function expectMetadataSorted(compute: ComputeClient, id: string, expected: Record<string, string>): Promise<void> {
  const res = await compute.listServerMetadata(id);
  expectEqual(sorted(res.body.metadata), sorted(expected), `${res.method} ${res.url}: metadata`);
}

serverMetadata.test('test_list_server_metadata', '479da087-92b3-4dcf-aeb3-fd293b2d14ce', async (ctx) => {
  await withServer(ctx, async (compute, id) => {
    await expectMetadataSorted(compute, id, START);
  });
});

serverMetadata.test('test_set_server_metadata', '211021f6-21de-4657-a68f-908878cfe251', async (ctx) => {
  await withServer(ctx, async (compute, id) => {
    const meta = { meta2: 'data2', meta3: 'data3' };
    await compute.setServerMetadata(id, meta);
    await expectMetadataSorted(compute, id, meta);
  });
});

serverMetadata.test('test_update_server_metadata', '344d981e-0c33-4997-8a5d-6c1d803e4134', async (ctx) => {
  await withServer(ctx, async (compute, id) => {
    await compute.updateServerMetadata(id, { key1: 'alt1', key3: 'value3' });
    await expectMetadataSorted(compute, id, { key1: 'alt1', key2: 'value2', key3: 'value3' });
  });
});

serverMetadata.test('test_get_server_metadata_item', '3043c57d-7e0e-49a6-9a96-ad569c265e6a', async (ctx) => {
  await withServer(ctx, async (compute, id) => {
    const res = await compute.showServerMetadataItem(id, 'key2');
    expectEqual(res.body.meta['key2'], 'value2', `${res.method} ${res.url}: meta.key2`);
  });
});

serverMetadata.test('test_set_server_metadata_item', '58c02d4f-5c67-40be-8744-d3fa5982eb1c', async (ctx) => {
  await withServer(ctx, async (compute, id) => {
    await compute.setServerMetadataItem(id, 'nova', { nova: 'alt' });
    await expectMetadataSorted(compute, id, { ...START, nova: 'alt' });
  });
});

serverMetadata.test('test_delete_server_metadata_item', '127642d6-4c7b-4486-b7cd-07265a378658', async (ctx) => {
  await withServer(ctx, async (compute, id) => {
    expectNoBody(await compute.deleteServerMetadataItem(id, 'key1'));
    await expectMetadata(compute, id, { key2: 'value2' });
  });
});
