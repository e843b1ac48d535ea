import assert from 'node:assert/strict';
import { currentVersion } from '../../src/cloud/discover.js';

describe('service version discovery', () => {
  it('reads the version document shapes OpenStack services answer with', () => {
    assert.equal(currentVersion({ version: { id: 'v3.14', status: 'stable' } }), 'v3.14');
    assert.equal(currentVersion({ version: { id: 'v2.1', status: 'CURRENT', version: '2.93', min_version: '2.1' } }), 'v2.1 (microversions up to 2.93)');
    assert.equal(currentVersion({ versions: [{ id: 'v2.0', status: 'SUPPORTED' }, { id: 'v2.16', status: 'CURRENT' }, { id: 'v2.1', status: 'SUPPORTED' }] }), 'v2.16');
    assert.equal(currentVersion({ versions: { values: [{ id: 'v3.0', status: 'stable' }] } }), 'v3.0');
    assert.equal(currentVersion({ swift: { version: '2.30.1' }, tempurl: {} }), 'swift 2.30.1');
    assert.equal(currentVersion('<html>'), undefined);
    assert.equal(currentVersion({ versions: [] }), undefined);
  });
});
