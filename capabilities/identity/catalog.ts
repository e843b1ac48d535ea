/**
 * Native check for tempest.api.identity.v3.test_catalog.IdentityCatalogTest
 * (identity-v3-catalog): the catalog uses the standard service types of the
 * service-types authority for identity, compute, image and object storage.
 */
import { registerCheck } from '../../src/check/api.js';
import { expectSchema, expectStatus, fail } from '../../src/check/expect.js';
import { IdentityClient } from '../../src/services/identity.js';

/** Project name → standard service type (service-types-authority). */
const STANDARD = [
  { name: 'keystone', type: 'identity' },
  { name: 'nova', type: 'compute' },
  { name: 'glance', type: 'image' },
  { name: 'swift', type: 'object-store' },
] as const;

registerCheck({
  id: '56b57ced-22b8-4127-9b8a-565dfb0207e2',
  test: 'tempest.api.identity.v3.test_catalog.IdentityCatalogTest.test_catalog_standardization',
  async run(ctx) {
    const res = await new IdentityClient(ctx.account('primary')).showCatalog();
    expectStatus(res, 200);
    expectSchema('identity', 'show-catalog', res.body, res);
    const catalog = res.body.catalog;
    const types = new Set(catalog.map((s) => s.type));
    ctx.note(`catalog types: ${[...types].sort().join(', ')}`);
    const where = `${res.method} ${res.url}`;
    // Tempest asserts the standard type of every service its configuration marks
    // available, identity always. Availability is not configured here: a service
    // is taken as deployed when the catalog lists it under its project name.
    if (!types.has('identity')) fail(`${where}: no service of the standard type identity`);
    for (const { name, type } of STANDARD) {
      const named = catalog.filter((s) => s.name?.toLowerCase() === name);
      if (named.length > 0 && !types.has(type)) {
        const got = named.map((s) => JSON.stringify(s.type)).join(', ');
        fail(`${where}: service ${name} is listed with type ${got}, but no service has the standard type ${type}`);
      }
    }
  },
});
