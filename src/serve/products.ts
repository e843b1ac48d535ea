/** Products: what a vendor certifies (a distribution, a public cloud, a hosted private cloud). */
import type { Actor } from './actor.js';
import { isCommittee, requireVendor } from './actor.js';
import { checkName } from './accounts.js';
import { audit } from './audit.js';
import type { Database, Queryable } from './db.js';
import { badRequest, conflict, notFound } from './errors.js';

export const PRODUCT_TYPES = ['distribution', 'public-cloud', 'hosted-private-cloud'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export interface Product {
  id: number;
  vendorId: number;
  vendor: string;
  name: string;
  type: ProductType;
  version: string;
  url: string;
  public: boolean;
  /** Holds an unrevoked certification (then it is public whatever the vendor chose). */
  certified: boolean;
  createdAt: string;
}

interface ProductRow {
  id: number;
  vendor_id: number;
  vendor: string;
  name: string;
  type: ProductType;
  version: string;
  url: string;
  public: boolean;
  certified: boolean;
  created_at: Date;
}

const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  vendorId: r.vendor_id,
  vendor: r.vendor,
  name: r.name,
  type: r.type,
  version: r.version,
  url: r.url,
  public: r.public,
  certified: r.certified,
  createdAt: new Date(r.created_at).toISOString(),
});

const SELECT = 'select p.id, p.vendor_id, v.name as vendor, p.name, p.type, p.version, p.url, p.public, exists (select 1 from certifications c where c.product_id = p.id and c.revoked_at is null) as certified, p.created_at from products p join vendors v on v.id = p.vendor_id';

function checkUrl(u: unknown): string {
  if (u === undefined || u === '') return '';
  if (typeof u !== 'string' || u.length > 500) throw badRequest('url: at most 500 characters');
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw badRequest('url: not a URL');
  }
  // only web links: a javascript: or data: URL would run when a visitor clicks it
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('url: http or https only');
  return parsed.href;
}

export async function createProduct(
  db: Database,
  actor: Actor | undefined,
  input: { name: unknown; type: unknown; version?: unknown; url?: unknown; public?: unknown },
): Promise<Product> {
  const vendorId = requireVendor(actor);
  const name = checkName('name', input.name);
  if (!PRODUCT_TYPES.includes(input.type as ProductType)) throw badRequest(`type: one of ${PRODUCT_TYPES.join(', ')}`);
  const version = input.version === undefined ? '' : checkName('version', input.version, 100);
  const url = checkUrl(input.url);
  const isPublic = input.public === undefined ? true : input.public === true || input.public === 'true' || input.public === 'on';
  return db.transaction(async (q) => {
    const r = await q.query<{ id: number }>(
      'insert into products (vendor_id, name, type, version, url, public) values ($1, $2, $3, $4, $5, $6) on conflict (vendor_id, name) do nothing returning id',
      [vendorId, name, input.type, version, url, isPublic],
    );
    if (!r[0]) throw conflict(`you already have a product named "${name}"`);
    await audit(q, actor, 'product.create', `product:${r[0].id}`, { name, type: input.type });
    return (await getProductRow(q, r[0].id))!;
  });
}

async function getProductRow(q: Queryable, id: number): Promise<Product | undefined> {
  const r = await q.query<ProductRow>(`${SELECT} where p.id = $1`, [id]);
  return r[0] ? toProduct(r[0]) : undefined;
}

/** Whether the actor may see a product: public ones to all, private ones to their vendor and the committee. */
export function canSeeProduct(actor: Actor | undefined, p: Product): boolean {
  return p.public || p.certified || isCommittee(actor) || (actor?.vendorId !== null && actor?.vendorId === p.vendorId);
}

export async function getProduct(q: Queryable, actor: Actor | undefined, id: number): Promise<Product> {
  const p = await getProductRow(q, id);
  if (!p || !canSeeProduct(actor, p)) throw notFound(`product ${id}`);
  return p;
}

/** Products the actor may see, by vendor then name. */
export async function listProducts(q: Queryable, actor: Actor | undefined, limit = 500): Promise<Product[]> {
  const lim = Math.min(Math.max(1, limit), 5000);
  if (isCommittee(actor)) return (await q.query<ProductRow>(`${SELECT} order by v.name, p.name limit $1`, [lim])).map(toProduct);
  return (await q.query<ProductRow>(`${SELECT} where p.public or p.vendor_id = $1 or exists (select 1 from certifications c where c.product_id = p.id and c.revoked_at is null) order by v.name, p.name limit $2`, [actor?.vendorId ?? -1, lim])).map(toProduct);
}
