import assert from 'node:assert/strict';
import '../../../capabilities/object-storage/quotas.js';
import { findCheck } from '../../../src/check/api.js';
import { runCheck } from '../../helpers/check-harness.js';
import { nockCloud } from '../../helpers/cloud.js';

describe('object-storage checks of the older guidelines', () => {
  it('AccountQuotasNegativeTest.test_upload_large_object (2017.01, flagged) reports skip with Tempest\'s reason, never pass', async () => {
    const primary = nockCloud({ catalog: { 'object-store': 'http://127.0.0.1:48080/v1/AUTH_p' } });
    try {
      const r = await runCheck(findCheck('cf9e21f5-3aa4-41b1-9462-28ac550d8d3f')!, { accounts: { primary }, timeoutMs: 5000 });
      assert.equal(r.status, 'skip');
      assert.match(r.message, /bug 1310597/);
    } finally {
      primary.close();
    }
  });
});
