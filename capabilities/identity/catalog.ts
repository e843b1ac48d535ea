/**
 * Native check for tempest.api.identity.v3.test_catalog.IdentityCatalogTest
 * (identity-v3-catalog): the catalog uses the standard service types of the
 * service-types authority for identity, compute, image and object storage.
 */
import { fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { IdentityClient } from '../../src/services/identity.js';

const identityCatalog = tempestClass('tempest.api.identity.v3.test_catalog.IdentityCatalogTest');

/** Project name → standard service type (service-types-authority), with other spellings clouds register it under. */
const STANDARD = [
  { name: 'keystone', type: 'identity', spellings: [] },
  { name: 'nova', type: 'compute', spellings: ['os-compute', 'computev21', 'compute_legacy'] },
  { name: 'glance', type: 'image', spellings: ['images', 'imagev2'] },
  // not `s3`: an S3 gateway is not Swift, and Tempest would not count it as swift
  { name: 'swift', type: 'object-store', spellings: ['object-storage', 'object_store'] },
] as const;

/** Lower case, no separators, no version or `legacy` suffix: `Image_V2` → `image`. */
function stem(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/(v\d+)+$/, '').replace(/legacy$/, '');
}

/** The standard service a catalog type stands for, standard or not; undefined when none. */
function serviceOfType(type: string): (typeof STANDARD)[number] | undefined {
  const s = stem(type);
  return STANDARD.find((std) => [std.type, std.name, ...std.spellings].some((t) => stem(t) === s));
}

identityCatalog.test('test_catalog_standardization', '56b57ced-22b8-4127-9b8a-565dfb0207e2', async (ctx) => {
  const res = await new IdentityClient(ctx.account('primary')).showCatalog();
  const catalog = res.body.catalog;
  const types = new Set(catalog.map((s) => s.type));
  ctx.note(`catalog types: ${[...types].sort().join(', ')}`);
  const where = `${res.method} ${res.url}`;
  // Tempest asserts the standard type of every service its configuration marks
  // available (identity always); that configuration finds each service by the
  // catalog type it is registered under. So a service counts as deployed when
  // some catalog type stands for it — the standard one or another spelling of
  // it (`imagev2`, `object_store`, `compute_legacy`) — or, failing that, when
  // an entry carries the project's name: a renamed type then fails.
  if (!types.has('identity')) fail(`${where}: no service of the standard type identity`);
  for (const std of STANDARD) {
    if (types.has(std.type)) continue;
    const deployed = catalog.filter((s) => serviceOfType(s.type) === std || s.name?.toLowerCase() === std.name);
    if (deployed.length > 0) {
      const got = deployed.map((s) => `${JSON.stringify(s.type)}${s.name ? ` (${s.name})` : ''}`).join(', ');
      fail(`${where}: the ${std.name} service is listed with type ${got}, but no service has the standard type ${std.type}`);
    }
  }
});
