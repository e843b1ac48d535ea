/**
 * Run-scoped fixtures: something several checks of one run share, as Tempest's
 * test classes share a server among their tests (ListServerFiltersTestJSON's
 * three servers, ServerMetadataTestJSON's server…). A fixture is created once
 * per run prefix and account (the first check to ask creates it, the others
 * await the same promise) and torn down by `teardownRunFixtures(prefix)`, which
 * the compute sweeper calls at the run's final sweep before sweeping by prefix.
 * Fixture resources carry the run prefix, so the sweep removes them even when
 * a teardown could not run (interrupted run).
 */
import type { CloudClient } from '../cloud/types.js';

/** What a fixture leaves for teardown: how to remove it with any client of the account. */
export interface FixtureHandle<T> {
  value: T;
  /** Removes what the fixture created; gets the sweeping client (the creating check has ended). */
  teardown?: (client: CloudClient) => Promise<void>;
}

interface Entry {
  prefix: string;
  promise: Promise<FixtureHandle<unknown>>;
  /** When its creation finished, in order: what a fixture uses finishes before it. */
  finished?: number;
}

const fixtures = new Map<string, Entry>();
let finishedCount = 0;

/**
 * The fixture `name` for this run prefix and account, created by `create` on first
 * use. A failed creation is remembered: every check sharing it fails the same way,
 * as a failed class setup fails every test of the class.
 */
export async function runFixture<T>(
  prefix: string,
  client: CloudClient,
  name: string,
  create: () => Promise<FixtureHandle<T>>,
): Promise<T> {
  const key = `${prefix}\u0000${client.cloudName}\u0000${name}`;
  let entry = fixtures.get(key);
  if (!entry) {
    const created: Entry = { prefix, promise: create() };
    created.promise.then(() => (created.finished = ++finishedCount), () => undefined);
    entry = created;
    fixtures.set(key, entry);
  }
  const handle = (await entry.promise) as FixtureHandle<T>;
  return handle.value;
}

/**
 * Tears down every fixture of `prefix` (latest created first) with `client`
 * and forgets them; returns descriptions of teardown failures.
 */
export async function teardownRunFixtures(prefix: string, client: CloudClient): Promise<string[]> {
  const failures: string[] = [];
  // Newest *finished* first, not newest asked for: the class server asks for the
  // validation keypair and security group inside its own creation, so it is asked for
  // first but finishes last, and must go before the group its port still uses.
  const mine = [...fixtures.entries()]
    .filter(([, e]) => e.prefix === prefix)
    .sort(([, a], [, b]) => (b.finished ?? Infinity) - (a.finished ?? Infinity));
  for (const [key, entry] of mine) {
    fixtures.delete(key);
    let handle: FixtureHandle<unknown>;
    try {
      handle = await entry.promise;
    } catch {
      continue; // never created; whatever it left carries the prefix and is swept
    }
    if (!handle.teardown) continue;
    try {
      await handle.teardown(client);
    } catch (err) {
      failures.push(`fixture ${key.split('\u0000')[2]}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failures;
}
