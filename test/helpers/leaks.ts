/** What a Storage run may leave behind in the dev cloud's accounts, counted after it. */
import assert from 'node:assert/strict';
import type { AccountRole } from '../../src/check/api.js';
import type { CloudSession } from '../../src/cloud/session.js';

export type Clients = Partial<Record<AccountRole, CloudSession>>;

/** Containers of every account whose names start with `prefix` (what a Storage run creates). */
export async function containerLeaks(clients: Clients, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const [role, c] of Object.entries(clients)) {
    const r = await c!.request<{ name: string }[]>({ method: 'GET', service: 'object-store', query: { format: 'json', prefix } });
    assert.ok(r.status === 200 || r.status === 204, `${role}: account listing answered ${r.status}`);
    for (const x of Array.isArray(r.body) ? r.body : []) out.push(`${role}:${x.name}`);
  }
  return out;
}

/**
 * Every account's metadata and quota headers (X-Account-Meta-*), to compare before and
 * after a run: a check that sets a quota or a temp-URL key must put it back.
 */
export async function accountMetadata(clients: Clients): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [role, c] of Object.entries(clients)) {
    const r = await c!.request({ method: 'HEAD', service: 'object-store' });
    assert.ok(r.status === 204 || r.status === 200, `${role}: account HEAD answered ${r.status}`);
    for (const [k, v] of Object.entries(r.headers)) if (/^x-account-meta-/i.test(k)) out[`${role}:${k.toLowerCase()}`] = String(v);
  }
  return out;
}
