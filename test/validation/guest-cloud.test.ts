// Not yet run by `npm test` (not *.test.ts): it has not passed once. See the closing note of session 8;
// rename to .test.ts when it passes on the dev cloud.
/**
 * Guest validation against the dev cloud's data plane (scripts/dev-cloud.d/dataplane.sh):
 * the two guest-login checks pass on a real namespace guest whose hostname and
 * processors come from what Nova handed it, and test_verify_created_server_vcpus fails
 * on a guest that shows another vCPU count than its flavor (a flavor whose
 * `devcloud:guest_vcpus` extra spec makes the data plane lie). Nothing of the runs
 * (server, keypair, security group, flavor) remains.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import '../../capabilities/compute/create-server.js';
import { findCheck, type AccountRole } from '../../src/check/api.js';
import { sweepAll } from '../../src/cleanup/registry.js';
import type { CloudSession } from '../../src/cloud/session.js';
import { ComputeClient } from '../../src/services/compute.js';
import { teardownRunFixtures } from '../../src/services/compute-fixtures.js';
import { NetworkClient } from '../../src/services/network.js';
import { repoRoot } from '../../src/util/paths.js';
import { resolveValidation, type ResolvedValidation } from '../../src/validation/resolve.js';
import { runValidationFrom } from '../../src/validation/run-config.js';
import { newPrefix, runCheck } from '../helpers/check-harness.js';
import { devCloudClientsOrSkip } from '../helpers/dev-cloud-clients.js';

const VCPUS = 'cbc0f52f-05aa-492b-bdc1-84b575ca294b';
const HOSTNAME = 'ac1ad47f-984b-4441-9274-c9079b7a0666';

async function leftovers(client: CloudSession, prefix: string): Promise<string[]> {
  const nova = new ComputeClient(client);
  const found: string[] = [];
  const servers = await nova.listServers(true);
  for (const s of servers.body.servers) if (s.name.startsWith(prefix)) found.push(`server ${s.name} (${s.status})`);
  const kps = await nova.listKeypairs();
  for (const { keypair } of kps.body.keypairs) if (keypair.name.startsWith(prefix)) found.push(`keypair ${keypair.name}`);
  const sgs = await new NetworkClient(client).listSecurityGroups();
  for (const g of sgs.body.security_groups) if (g.name.startsWith(prefix)) found.push(`security group ${g.name}`);
  return found;
}

describe('@cloud guest validation on the dev cloud data plane', function () {
  this.timeout(1_800_000);
  let clients: Partial<Record<AccountRole, CloudSession>> = {};
  let validation: ResolvedValidation;

  before(async function () {
    clients = await devCloudClientsOrSkip(this, 'compute');
    const found = runValidationFrom({ sources: { primary: 'dev-cloud' } }, {}, path.join(repoRoot(), '.dev-cloud', 'defcore.yaml'));
    if (!found) {
      if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error('dev cloud has no data plane settings in .dev-cloud/defcore.yaml (scripts/dev-cloud start writes them)');
      this.skip();
    }
    validation = await resolveValidation(clients.primary!, found.settings);
  });
  after(() => {
    for (const c of Object.values(clients)) c.close();
  });

  it('a conforming guest passes test_host_name_is_same_as_server_name and test_verify_created_server_vcpus; nothing remains', async () => {
    const prefix = newPrefix();
    const primary = clients.primary!;
    try {
      for (const id of [HOSTNAME, VCPUS]) {
        const r = await runCheck(findCheck(id)!, { accounts: { primary }, prefix, timeoutMs: 900_000, validation });
        assert.equal(r.status, 'pass', `${id}: ${r.message}\n${r.notes.join('\n')}`);
        assert.ok(r.notes.some((n) => /host key \S+ SHA256:/.test(n)), 'host key fingerprint in the evidence');
        assert.deepEqual(r.cleanupErrors, []);
      }
    } finally {
      const failures = await teardownRunFixtures(prefix, primary);
      // As the runner's final sweep: a server whose POST timed out client-side still carries the prefix.
      await sweepAll(primary, prefix);
      assert.deepEqual(failures, []);
    }
    assert.deepEqual(await leftovers(primary, prefix), []);
  });

  it('a guest showing more processors than its flavor has vCPUs fails test_verify_created_server_vcpus', async () => {
    const prefix = newPrefix();
    const primary = clients.primary!;
    const admin = clients.admin!;
    const flavorId = `${prefix}liar`;
    const made = await admin.request({ method: 'POST', service: 'compute', path: '/flavors', body: { flavor: { id: flavorId, name: flavorId, vcpus: 1, ram: 512, disk: 1 } } });
    assert.equal(made.status, 200, made.text);
    try {
      const specs = await admin.request({ method: 'POST', service: 'compute', path: `/flavors/${flavorId}/os-extra_specs`, body: { extra_specs: {
        'resources:CUSTOM_DEVCLOUD_GUEST': '1', 'resources:VCPU': '0', 'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0',
        // The data plane's test knob: its guest shows 3 processors whatever the flavor says.
        'devcloud:guest_vcpus': '3',
      } } });
      assert.equal(specs.status, 200, specs.text);
      const liar: ResolvedValidation = { ...validation, flavorRef: flavorId, flavor: { id: flavorId, name: flavorId, vcpus: 1 } };
      try {
        const r = await runCheck(findCheck(VCPUS)!, { accounts: { primary }, prefix, timeoutMs: 900_000, validation: liar });
        assert.equal(r.status, 'fail', `${r.message}\n${r.notes.join('\n')}`);
        assert.match(r.message, /the guest has 3 processor\(s\) in \/proc\/cpuinfo, but flavor \S+liar says vcpus 1/);
        assert.ok(r.notes.some((n) => n.includes('$ grep -c ^processor /proc/cpuinfo -> exit 0; stdout "3\\n"')), r.notes.join('\n'));
      } finally {
        const failures = await teardownRunFixtures(prefix, primary);
        await sweepAll(primary, prefix);
        assert.deepEqual(failures, []);
      }
    } finally {
      await admin.request({ method: 'DELETE', service: 'compute', path: `/flavors/${flavorId}` });
    }
    assert.deepEqual(await leftovers(primary, prefix), []);
  });
});
