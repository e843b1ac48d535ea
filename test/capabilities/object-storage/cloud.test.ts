import assert from 'node:assert/strict';
import pLimit from 'p-limit';
import './checks.js';
import { OLDER_OBJECT_IDS } from './older-ids.js';
import { registeredChecks, type AccountRole, type CheckDefinition } from '../../../src/check/api.js';
import type { CloudSession } from '../../../src/cloud/session.js';
import { ObjectStorageClient, listingNames } from '../../../src/services/object-storage.js';
import { anyReply } from '../../../src/services/protocol.js';
import { sweepObjectStorage } from '../../../src/services/object-storage-sweep.js';
import { teardownRunFixtures } from '../../../src/services/compute-fixtures.js';
import { runCheck, newPrefix, type HarnessResult } from '../../helpers/check-harness.js';
import { devCloudClientsOrSkip } from '../../helpers/dev-cloud-clients.js';

const STORAGE = /^tempest\.api\.(object_storage\.|identity\.v3\.test_tokens\.TokensV3Test\.test_(create_token|token_auth_creation_existence_deletion)$)/;

describe('@cloud object storage checks against the dev cloud', function () {
  this.timeout(300_000);
  let clients: Partial<Record<AccountRole, CloudSession>> = {};
  const prefix = newPrefix();
  const results = new Map<string, HarnessResult>();
  let fixtureTeardown: string[] = [];
  // the older guidelines' checks are not part of this suite's count (older.test.ts)
  const checks: CheckDefinition[] = registeredChecks().filter((c) => STORAGE.test(c.test) && !OLDER_OBJECT_IDS.has(c.id));

  before(async function () {
    clients = await devCloudClientsOrSkip(this);
    try {
      const swift = new ObjectStorageClient(clients.primary!);
      await anyReply(() => swift.showInfo());
    } catch (err) {
      // Keystone answers but Swift does not: the object store is not reachable.
      const reason = `dev cloud object store not reachable: ${err instanceof Error ? err.message : String(err)}`;
      if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error(`dev cloud required (DEFCORE_REQUIRE_CLOUD): ${reason}`);
      this.skip();
    }
    // Concurrent, as the runner runs them: the checks must not disturb each other.
    const limit = pLimit(10);
    await Promise.all(checks.map((c) => limit(async () => results.set(c.id, await runCheck(c, { accounts: clients, prefix })))));
    // The classes' shared containers go where the runner removes them: at the end.
    fixtureTeardown = await teardownRunFixtures(prefix, clients.primary!);
  });

  after(() => {
    for (const c of Object.values(clients)) c.close();
  });

  it('covers all 58 tests of the Storage program', () => {
    assert.equal(checks.length, 58);
  });

  it('every check passes, with clean cleanups', () => {
    const bad = checks
      .map((c) => ({ c, r: results.get(c.id)! }))
      .filter(({ r }) => r.status !== 'pass' || r.cleanupErrors.length > 0)
      .map(({ c, r }) => `${c.test}: ${r.status} ${r.message} ${r.cleanupErrors.join('; ')}`);
    assert.deepEqual(bad, []);
  });

  it('leaves no container with the run prefix and no account metadata behind', async () => {
    assert.deepEqual(fixtureTeardown, [], 'shared fixtures torn down');
    for (const role of ['primary', 'alt', 'reseller'] as const) {
      const swift = new ObjectStorageClient(clients[role]!);
      const listed = await anyReply(() => swift.listContainers({ prefix }));
      assert.ok([200, 204].includes(listed.status), `listing ${role}: ${listed.status}`);
      assert.deepEqual(listingNames(listed), [], `containers left in the ${role} account`);
      const head = await anyReply(() => swift.showAccountMetadata());
      const meta = Object.keys(head.headers).filter((h) => h.startsWith('x-account-meta-'));
      assert.deepEqual(meta, [], `account metadata left in the ${role} account`);
    }
  });

  it('sweepObjectStorage removes prefixed leftovers (versioned, with objects) and only those', async () => {
    const swift = new ObjectStorageClient(clients.primary!);
    const sweepPrefix = newPrefix();
    assert.equal((await swift.createContainer(`${sweepPrefix}versions`)).status, 201);
    assert.equal((await swift.createContainer(`${sweepPrefix}base`, { 'X-Versions-Location': `${sweepPrefix}versions` })).status, 201);
    for (const body of ['v1', 'v2', 'v3']) assert.equal((await swift.createObject(`${sweepPrefix}base`, 'o', body)).status, 201);
    const removed = await sweepObjectStorage(clients.primary!, sweepPrefix);
    assert.deepEqual(removed.sort(), [`container ${sweepPrefix}base`, `container ${sweepPrefix}versions`]);
    assert.deepEqual(listingNames(await swift.listContainers({ prefix: sweepPrefix })), []);
  });
});
