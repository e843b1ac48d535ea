/**
 * Native check for tempest.api.network.test_subnetpools_extensions.SubnetPoolsTestJSON
 * (guideline capability networks-subnet-pools-CRUD): a project creates, shows,
 * renames and deletes a subnet pool, after which it is gone (404).
 */
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual } from '../../src/check/expect.js';
import { expectErrorStatus } from '../../src/services/protocol.js';
import { ASSERTED, createSubnetPool, primaryWith } from './steps.js';

const subnetPools = tempestClass('tempest.api.network.test_subnetpools_extensions.SubnetPoolsTestJSON');

/** Prefixes of the pool: private space away from the project subnets' 10.100.0.0/16. */
const POOL_PREFIXES = ['10.224.0.0/16', '10.225.0.0/16'];

subnetPools.test('test_create_list_show_update_delete_subnetpools', '62595970-ab1c-4b7f-8fcc-fddfe55e9811', async (ctx) => {
  const client = await primaryWith(ctx, 'subnet_allocation');
  const name = ctx.name('subnetpool');
  // Tempest removes the pool in a test-level cleanup (call_and_ignore_notfound_exc).
  const pool = await createSubnetPool(ctx, client, { name, prefixes: POOL_PREFIXES }, ASSERTED);
  expectEqual(pool.name, name, 'POST /v2.0/subnetpools: name');
  const shown = (await client.showSubnetPool(pool.id)).body.subnetpool;
  expectEqual(shown.name, name, `GET /v2.0/subnetpools/${pool.id}: name`);
  const newName = ctx.name('subnetpool-renamed');
  const updated = (await client.updateSubnetPool(pool.id, { name: newName })).body.subnetpool;
  expectEqual(updated.name, newName, `PUT /v2.0/subnetpools/${pool.id}: name`);
  await client.deleteSubnetPool(pool.id);
  await expectErrorStatus(404, () => client.showSubnetPool(pool.id));
});
