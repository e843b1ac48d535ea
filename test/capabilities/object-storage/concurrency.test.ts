import assert from 'node:assert/strict';
import { fixture } from './setup.js';

// Checks that set account metadata (Temp-URL key, quota) share the primary account
// with the check asserting it has none: run together, all must pass and the
// account must end as it began.
const TOGETHER = [
  'f91c96d4-1230-4bba-8eb9-84476d18d991',
  '9b08dade-3571-4152-8a4f-a4f2a873a735',
  'a22ef352-a342-4587-8f47-3bbdb5b039c4',
  'd1dc5076-555e-4e6d-9697-28f1fe976324',
  'b904c2e3-24c2-4dba-ad7d-04e90a761be5',
];

describe('object-storage checks run concurrently on one account (unit, fake Swift)', () => {
  it('the no-metadata check waits while a temp-URL check holds the account key', async function () {
    this.timeout(30_000);
    const fx = fixture();
    try {
      // Keep the temp-URL check inside its GET while the other check starts.
      fx.sim.delay({ method: 'GET', query: /temp_url_sig/ }, 800);
      const tempUrl = fx.run('f91c96d4-1230-4bba-8eb9-84476d18d991');
      const meta = () => fx.sim.accounts.get('p-primary')?.meta.has('x-account-meta-temp-url-key') ?? false;
      for (let i = 0; i < 100 && !meta(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(meta(), 'the temp-URL check set the key');
      const noMetadata = await fx.run('b904c2e3-24c2-4dba-ad7d-04e90a761be5');
      assert.equal(noMetadata.status, 'pass', noMetadata.message);
      assert.equal((await tempUrl).status, 'pass');
      assert.equal(meta(), false);
    } finally {
      fx.done();
    }
  });

  it('metadata setters and the no-metadata check do not disturb each other', async function () {
    this.timeout(30_000);
    const fx = fixture();
    try {
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([...TOGETHER, ...TOGETHER.slice().reverse()].map((id) => fx.run(id)));
        for (const r of results) assert.equal(r.status, 'pass', r.message);
        const meta = [...(fx.sim.accounts.get('p-primary')?.meta.keys() ?? [])];
        assert.deepEqual(meta, []);
      }
    } finally {
      fx.done();
    }
  });

  it('restores a Temp-URL key the account already had', async () => {
    const fx = fixture();
    try {
      const account = { meta: new Map([['x-account-meta-temp-url-key', 'users-own-key']]), containers: new Map(), timestamp: Date.now() };
      fx.sim.accounts.set('p-primary', account);
      const results = await Promise.all(TOGETHER.slice(0, 2).map((id) => fx.run(id)));
      for (const r of results) assert.equal(r.status, 'pass', r.message);
      assert.equal(account.meta.get('x-account-meta-temp-url-key'), 'users-own-key');
    } finally {
      fx.done();
    }
  });
});
