/**
 * Every compute check against the real dev cloud (scripts/dev-cloud with Nova's
 * fake driver, Placement and Cinder): each must pass, or be skipped for needing
 * a data plane, and no server, keypair or image named with the run prefix may
 * remain once the run's fixtures are torn down. The checks run four at a time
 * (as `defcore run --concurrency 4` would), each reported by its own test.
 */
import assert from 'node:assert/strict';
import pLimit from 'p-limit';
import '../../../capabilities/compute/attach-volume.js';
import '../../../capabilities/compute/basics.js';
import '../../../capabilities/compute/create-server.js';
import '../../../capabilities/compute/images-oneserver.js';
import '../../../capabilities/compute/lifecycle.js';
import '../../../capabilities/compute/list-server-filters.js';
import '../../../capabilities/compute/list-servers-negative.js';
import '../../../capabilities/compute/server-actions.js';
import '../../../capabilities/compute/server-metadata.js';
import '../../../capabilities/compute/servers-negative.js';
import '../../../capabilities/compute/servers.js';
import { OLDER_COMPUTE_IDS } from './older-ids.js';
import { registeredChecks, type AccountRole } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { sweepCompute } from '../../../src/cleanup/sweepers/compute.js';
import { ComputeClient } from '../../../src/services/compute.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { ImageClient } from '../../../src/services/image.js';
import { newPrefix, runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { devCloudClientsOrSkip } from '../../helpers/dev-cloud-clients.js';

/** The two checks Tempest skips with validation disabled (they log in to the guest). */
const DATA_PLANE = new Set(['cbc0f52f-05aa-492b-bdc1-84b575ca294b', 'ac1ad47f-984b-4441-9274-c9079b7a0666']);

/** Servers, keypairs and images the account sees whose names start with `prefix`. */
async function computeResourcesWithPrefix(client: CloudSession, prefix: string): Promise<string[]> {
  const nova = new ComputeClient(client);
  const found: string[] = [];
  const servers = await nova.listServers(true);
  assert.equal(servers.status, 200, `${servers.url}: ${servers.status}`);
  for (const s of servers.body.servers) if (s.name.startsWith(prefix)) found.push(`server ${s.name} (${s.id}, ${s.status})`);
  const keypairs = await nova.listKeypairs();
  assert.equal(keypairs.status, 200, `${keypairs.url}: ${keypairs.status}`);
  for (const { keypair } of keypairs.body.keypairs) if (keypair.name.startsWith(prefix)) found.push(`keypair ${keypair.name}`);
  const images = await new ImageClient(client).listImages({ limit: 1000 });
  assert.equal(images.status, 200, `${images.url}: ${images.status}`);
  for (const i of images.body.images) if ((i.name ?? '').startsWith(prefix)) found.push(`image ${i.name} (${i.id}, ${i.status})`);
  return found;
}

describe('@cloud compute checks', function () {
  this.timeout(1_800_000);
  let clients: Partial<Record<AccountRole, CloudSession>> = {};
  const prefix = newPrefix();
  const results = new Map<string, HarnessResult>();
  let teardownFailures: string[] = [];
  const checks = registeredChecks()
    // the older guidelines' checks are not part of this suite's count (older-*-checks.test.ts)
    .filter((c) => c.test.startsWith('tempest.api.compute.') && !OLDER_COMPUTE_IDS.has(c.id))
    .sort((a, b) => a.test.localeCompare(b.test));

  before(async function () {
    clients = await devCloudClientsOrSkip(this, 'compute');
    const limit = pLimit(4);
    await Promise.all(checks.map((def) => limit(async () => {
      results.set(def.id, await runCheck(def, { accounts: clients, prefix, timeoutMs: def.timeoutMs ?? 300_000 }));
    })));
    teardownFailures = await teardownRunFixtures(prefix, clients.primary!);
  });

  after(async () => {
    // Whatever a failed test left behind goes, so later runs start clean.
    if (clients.primary) await sweepCompute(clients.primary, prefix).catch(() => undefined);
    for (const c of Object.values(clients)) c.close();
  });

  it('has all 81 compute checks registered', () => {
    assert.equal(checks.length, 81);
  });

  for (const def of checks) {
    const expected = DATA_PLANE.has(def.id) ? 'skip' : 'pass';
    it(`${def.test.split('.').slice(-2).join('.')} (${def.id}) ${expected}es`, () => {
      const result = results.get(def.id);
      assert.ok(result, 'not run');
      assert.equal(result.status, expected, result.message);
      if (expected === 'skip') assert.match(result.message, /^needs a data plane: /);
      assert.deepEqual(result.cleanupErrors, []);
    });
  }

  it('tears down the shared fixtures and leaves no server, keypair or image named with the run prefix', async () => {
    assert.deepEqual(teardownFailures, []);
    assert.deepEqual(await computeResourcesWithPrefix(clients.primary!, prefix), []);
  });
});
