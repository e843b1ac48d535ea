import assert from 'node:assert/strict';
import { normaliseInterface, parseCatalog, selectEndpoint } from '../../src/cloud/catalog.js';
import { CloudError } from '../../src/cloud/types.js';

const catalog = parseCatalog([
  {
    type: 'object-store',
    name: 'swift',
    endpoints: [
      { interface: 'public', region_id: 'R1', region: 'R1', url: 'http://127.0.0.1:8080/v1/AUTH_p' },
      { interface: 'internal', region_id: 'R1', region: 'R1', url: 'http://127.0.0.1:8081/v1/AUTH_p' },
      { interface: 'public', region_id: 'R2', region: 'R2', url: 'http://127.0.0.1:9080/v1/AUTH_p' },
    ],
  },
  { type: 'identity', endpoints: [{ interface: 'public', region_id: 'R1', url: 'http://127.0.0.1:5000/v3/' }] },
  { type: 'volumev3', endpoints: [{ interface: 'public', region_id: 'R1', url: 'http://127.0.0.1:8776/v3/p' }] },
  { type: 'broken' },
  'garbage',
]);

function catalogErr(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof CloudError && e.code === 'catalog' && re.test(e.message));
}

describe('cloud/catalog', () => {
  it('selects by region and interface, URL as given (version kept)', () => {
    assert.equal(selectEndpoint(catalog, 'object-store', { region: 'R1' }), 'http://127.0.0.1:8080/v1/AUTH_p');
    assert.equal(selectEndpoint(catalog, 'object-store', { region: 'R1', interface: 'internal' }), 'http://127.0.0.1:8081/v1/AUTH_p');
    assert.equal(selectEndpoint(catalog, 'object-store', { region: 'R2' }), 'http://127.0.0.1:9080/v1/AUTH_p');
    assert.equal(selectEndpoint(catalog, 'identity'), 'http://127.0.0.1:5000/v3/');
  });

  it('refuses to guess between regions when none is configured', () => {
    catalogErr(() => selectEndpoint(catalog, 'object-store', { cloud: 'c' }), /^cloud c: service 'object-store' has public endpoints in regions R1, R2; set region_name/);
  });

  it('names the service type and what the catalog has when nothing matches', () => {
    catalogErr(() => selectEndpoint(catalog, 'compute', { region: 'R1' }), /no service of type 'compute'.*the catalog has object-store \(public@R1, internal@R1, public@R2\); identity/);
    catalogErr(() => selectEndpoint(catalog, 'object-store', { region: 'R3' }), /no public endpoint for service 'object-store' in region R3/);
    catalogErr(() => selectEndpoint(catalog, 'identity', { interface: 'admin' }), /no admin endpoint for service 'identity'/);
    catalogErr(() => selectEndpoint([], 'identity'), /the catalog is empty/);
  });

  it('finds block-storage under its older volumev3 name', () => {
    assert.equal(selectEndpoint(catalog, 'block-storage', { region: 'R1' }), 'http://127.0.0.1:8776/v3/p');
  });

  it('normalises interface names', () => {
    assert.equal(normaliseInterface('publicURL'), 'public');
    assert.equal(normaliseInterface('Internal'), 'internal');
    assert.equal(normaliseInterface('bogus'), undefined);
  });
});
