/**
 * Clients for every account role on the local dev cloud (.dev-cloud/clouds.yaml:
 * devcloud, devcloud-alt, devcloud-reseller, devcloud-admin), for @cloud tests of
 * checks. Reports why when the dev cloud is not usable, so the caller can skip
 * (or fail under DEFCORE_REQUIRE_CLOUD=1).
 */
import type { AccountRole } from '../../src/check/api.js';
import type { CloudSession } from '../../src/cloud/session.js';
import { tryDevCloud } from './cloud.js';

export const ROLE_CLOUD: Record<AccountRole, string> = {
  primary: 'devcloud',
  alt: 'devcloud-alt',
  reseller: 'devcloud-reseller',
  admin: 'devcloud-admin',
};

/** Sessions per role, or the reason the dev cloud cannot be used. */
export async function devCloudClients(): Promise<
  { clients: Partial<Record<AccountRole, CloudSession>> } | { unavailable: string }
> {
  const clients: Partial<Record<AccountRole, CloudSession>> = {};
  for (const [role, cloud] of Object.entries(ROLE_CLOUD) as Array<[AccountRole, string]>) {
    const r = await tryDevCloud(cloud);
    if ('reason' in r) {
      for (const c of Object.values(clients)) c.close();
      return { unavailable: `${cloud}: ${r.reason}` };
    }
    clients[role] = r.client;
  }
  return { clients };
}

/**
 * Sessions per role for a @cloud suite, when the dev cloud answers and (if given) offers
 * `service` in its catalog. Otherwise the suite is skipped, or fails under
 * DEFCORE_REQUIRE_CLOUD=1 (CI), with the reason.
 */
export async function devCloudClientsOrSkip(ctx: Mocha.Context, service?: string): Promise<Partial<Record<AccountRole, CloudSession>>> {
  const r = await devCloudClients();
  let unavailable = 'unavailable' in r ? r.unavailable : undefined;
  if ('clients' in r && service) {
    try {
      await r.clients.primary?.endpoint(service);
    } catch (err) {
      unavailable = `no ${service} endpoint: ${err instanceof Error ? err.message : String(err)}`;
      for (const c of Object.values(r.clients)) c.close();
    }
  }
  if (unavailable || !('clients' in r)) {
    if (process.env['DEFCORE_REQUIRE_CLOUD']) throw new Error(`dev cloud required (DEFCORE_REQUIRE_CLOUD): ${unavailable}`);
    ctx.skip();
  }
  return (r as { clients: Partial<Record<AccountRole, CloudSession>> }).clients;
}
