/**
 * Every volume check against the real dev cloud (scripts/dev-cloud with Cinder
 * on its fake driver), four at a time as a run would: each must pass (or skip
 * because it needs a data plane), and no volume, snapshot or image named with
 * the run prefix may remain once the checks and the run's fixture teardown ended.
 */
import assert from 'node:assert/strict';
import pLimit from 'p-limit';
import '../../../capabilities/volume/service.js';
import '../../../capabilities/volume/volumes-get.js';
import '../../../capabilities/volume/volumes-list.js';
import '../../../capabilities/volume/volumes-negative.js';
import '../../../capabilities/volume/volumes-actions.js';
import '../../../capabilities/volume/volume-metadata.js';
import '../../../capabilities/volume/snapshot-metadata.js';
import '../../../capabilities/volume/snapshots.js';
import { OLDER_VOLUME_IDS } from './older-ids.js';
import { registeredChecks, type AccountRole } from '../../../src/check/api.js';
import { sweepVolumes } from '../../../src/cleanup/sweepers/volume.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { sweepImages } from '../../../src/services/image-sweep.js';
import { ImageClient } from '../../../src/services/image.js';
import { VOLUME_SERVICE, VolumeClient } from '../../../src/services/volume.js';
import { newPrefix, runCheck, type HarnessResult } from '../../helpers/check-harness.js';
import { devCloudClientsOrSkip } from '../../helpers/dev-cloud-clients.js';

/** Volumes, snapshots and images of the project whose name (or unnamed volume's description) carries `prefix`. */
async function leftovers(client: CloudSession, prefix: string): Promise<string[]> {
  const cinder = new VolumeClient(client);
  const found: string[] = [];
  const volumes = await cinder.listVolumes(true, { limit: 1000 });
  assert.equal(volumes.status, 200, `${volumes.url}: ${volumes.status}`);
  for (const v of volumes.body.volumes) {
    if ((v.name ?? '').startsWith(prefix) || (!v.name && (v.description ?? '').startsWith(prefix))) found.push(`volume ${v.name ?? v.description} (${v.id}, ${v.status})`);
  }
  const snapshots = await cinder.listSnapshots(true, { limit: 1000 });
  assert.equal(snapshots.status, 200, `${snapshots.url}: ${snapshots.status}`);
  for (const s of snapshots.body.snapshots) if ((s.name ?? '').startsWith(prefix)) found.push(`snapshot ${s.name} (${s.id}, ${s.status})`);
  const { projectId } = await client.identity();
  const images = await new ImageClient(client).listImages({ owner: projectId, limit: 1000 });
  assert.equal(images.status, 200, `${images.url}: ${images.status}`);
  for (const i of images.body.images) if ((i.name ?? '').startsWith(prefix)) found.push(`image ${i.name} (${i.id}, ${i.status})`);
  return found;
}

describe('@cloud volume checks', function () {
  this.timeout(1_200_000);
  let clients: Partial<Record<AccountRole, CloudSession>> = {};
  const prefix = newPrefix();
  const results = new Map<string, HarnessResult>();
  const checks = registeredChecks()
    // the older guidelines' checks are not part of this suite's count (older-*-checks.test.ts)
    .filter((c) => c.test.startsWith('tempest.api.volume.') && !OLDER_VOLUME_IDS.has(c.id))
    .sort((a, b) => a.test.localeCompare(b.test));

  before(async function () {
    clients = await devCloudClientsOrSkip(this, VOLUME_SERVICE);
    const limit = pLimit(4);
    await Promise.all(
      checks.map((def) => limit(async () => results.set(def.id, await runCheck(def, { accounts: clients, prefix, timeoutMs: def.timeoutMs ?? 120_000 })))),
    );
    // What the runner's final sweep does first: tear down run-scoped fixtures.
    const failures = await teardownRunFixtures(prefix, clients.primary!);
    assert.deepEqual(failures, [], 'fixture teardown failed');
  });

  after(async () => {
    // Whatever a failed test left behind goes, so later runs start clean.
    const primary = clients.primary;
    if (primary) {
      await sweepVolumes(primary, prefix).catch(() => undefined);
      await sweepImages(primary, prefix).catch(() => undefined);
    }
    for (const c of Object.values(clients)) c.close();
  });

  it('has all 55 volume checks registered', () => {
    assert.equal(checks.length, 55);
  });

  for (const def of checks) {
    it(`${def.test.split('.').slice(-2).join('.')} (${def.id}) passes`, () => {
      const result = results.get(def.id);
      assert.ok(result, 'not run');
      if (result.status === 'skip') assert.match(result.message, /^needs a data plane: /);
      else assert.equal(result.status, 'pass', result.message);
      assert.deepEqual(result.cleanupErrors, []);
    });
  }

  it('leaves no volume, snapshot or image named with the run prefix', async () => {
    assert.deepEqual(await leftovers(clients.primary!, prefix), []);
  });
});
