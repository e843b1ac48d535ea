import assert from 'node:assert/strict';
import type { CloudClient } from '../../src/cloud/types.js';
import { runFixture, teardownRunFixtures } from '../../src/services/compute-fixtures.js';

const client = { cloudName: 'unit-fixtures' } as unknown as CloudClient;

describe('run fixtures: teardown order', () => {
  it('a fixture that uses another inside its creation is torn down before it (the server before its security group)', async () => {
    const order: string[] = [];
    const prefix = 'defcore-fx0001-';
    const group = () => runFixture(prefix, client, 'validation-resources', async () => ({ value: 'sg', teardown: async () => void order.push('security group') }));
    await runFixture(prefix, client, 'create-server', async () => {
      await new Promise((r) => setTimeout(r, 5));
      await group(); // asked for after the server fixture was, finished before it
      return { value: 'server', teardown: async () => void order.push('server') };
    });
    assert.deepEqual(await teardownRunFixtures(prefix, client), []);
    assert.deepEqual(order, ['server', 'security group']);
  });

  it('independent fixtures go newest first; a failed creation has nothing to tear down', async () => {
    const order: string[] = [];
    const prefix = 'defcore-fx0002-';
    await runFixture(prefix, client, 'a', async () => ({ value: 1, teardown: async () => void order.push('a') }));
    await runFixture(prefix, client, 'b', async () => ({ value: 2, teardown: async () => void order.push('b') }));
    await assert.rejects(runFixture(prefix, client, 'broken', async () => { throw new Error('no'); }));
    assert.deepEqual(await teardownRunFixtures(prefix, client), []);
    assert.deepEqual(order, ['b', 'a']);
  });
});
