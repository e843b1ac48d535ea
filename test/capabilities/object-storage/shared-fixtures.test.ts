import assert from 'node:assert/strict';
import { fixture } from './setup.js';

/** Container PUTs (not object PUTs) in the primary account. */
const CONTAINER_PUT = { method: 'PUT', path: /^\/v1\/AUTH_p-primary\/[^/]+$/ };

const CONTAINER_LISTING = ['297ec38b-2b61-4ff4-bcd1-7fa055e97b61', 'c31ddc63-2a58-4f6b-b25c-94d2937e6867', '77e742c7-caf2-4ec9-8aa4-f7d509a3344c'];
const OBJECT_TESTS = ['5b4ce26f-3545-46c9-a2ba-5754358a4c62', '17738d45-03bd-4d45-9e0b-7b2f58f98687', '02610ba7-86b7-4272-9ed8-aa8d417cb3cd'];
const ACCOUNT_LISTING = ['3499406a-ae53-4f8c-b43a-133d4dc6fe3f', '5cfa4ab2-4373-48dd-a41f-a532b12b08b2', 'ac8502c2-d4e4-4f68-85a6-40befea2ef5e'];

describe('object-storage class fixtures shared within a run (unit, fake Swift)', () => {
  for (const [cls, ids, containers] of [['ContainerTest', CONTAINER_LISTING, 1], ['ObjectTest', OBJECT_TESTS, 1], ['AccountTest', ACCOUNT_LISTING, 6]] as const) {
    it(`${cls}'s tests of one run create their ${containers} container(s) once, and the run's end removes them`, async () => {
      const f = fixture();
      try {
        let puts = 0;
        f.sim.fault(CONTAINER_PUT, () => {
          puts++;
        });
        const { results, teardownFailures } = await f.runTogether([...ids]);
        assert.deepEqual(results.map((r) => `${r.status} ${r.message}`), ids.map(() => 'pass '));
        assert.equal(puts, containers, 'container PUTs in the run');
        assert.deepEqual(teardownFailures, []);
        assert.deepEqual([...f.sim.accounts.get('p-primary')!.containers.keys()], [], 'containers left after the run');
      } finally {
        f.done();
      }
    });
  }

  it('a failed shared set-up fails every test of the run that needs it, naming the set-up request', async () => {
    const f = fixture();
    try {
      f.sim.fault(CONTAINER_PUT, (res) => {
        res.status = 507;
      });
      const { results } = await f.runTogether(CONTAINER_LISTING);
      for (const r of results) {
        assert.equal(r.status === 'pass', false, `should not pass: ${r.message}`);
        assert.match(r.message, /PUT .*507/);
      }
    } finally {
      f.done();
    }
  });
});
