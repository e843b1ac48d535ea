/**
 * Native checks for tempest.api.compute.servers.test_list_server_filters.ListServerFiltersTestJSON.
 * Like Tempest's class, three servers shared by every check of the run (they
 * only list): s1 (image, flavor), s2 (alternative image), s3 (alternative
 * flavor), all ACTIVE. Names follow Tempest's shape `<…>-instance-<n>` so the
 * name filters are exercised the same way.
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import { ComputeClient, type Server } from '../../src/services/compute.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import {
  computeRefs, createServerUnmanaged, deleteServerAndWait, listServers, nova, SERVER_CHECK_TIMEOUT_MS, showServer,
  waitForServerStatus, type ComputeRefs,
} from './steps.js';

const listServerFilters = tempestClass('tempest.api.compute.servers.test_list_server_filters.ListServerFiltersTestJSON', { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

interface Trio {
  refs: ComputeRefs;
  s1: Server;
  s2: Server;
  s3: Server;
}

function trio(ctx: CheckContext): Promise<Trio> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, 'list-server-filters', async () => {
    const refs = await computeRefs(ctx);
    const compute = new ComputeClient(client);
    // Tempest's names end in a random number; fixed ones whose every digit differs
    // keep the wildcard check (s1's name minus its last character) from ever
    // matching s2 or s3 by chance. The run prefix already makes them unique.
    const num = (n: number) => String(n).repeat(9);
    const specs = [
      { name: `${ctx.prefix}ListServerFilters-instance-${num(1)}`, attrs: {} },
      { name: `${ctx.prefix}ListServerFilters-instance-${num(2)}`, attrs: { imageRef: refs.imageRefAlt } },
      { name: `${ctx.prefix}ListServerFilters-instance-${num(3)}`, attrs: { flavorRef: refs.flavorRefAlt } },
    ];
    const made = await Promise.allSettled(specs.map((s) => createServerUnmanaged(ctx, compute, refs, { attrs: { name: s.name, ...s.attrs } })));
    const ids = made.flatMap((m) => (m.status === 'fulfilled' ? [m.value.id] : []));
    const teardown = async (c: import('../../src/cloud/types.js').CloudClient) => {
      const cc = new ComputeClient(c);
      await Promise.all(ids.map((id) => deleteServerAndWait(cc, id)));
    };
    try {
      for (const m of made) if (m.status === 'rejected') throw m.reason;
      const servers = await Promise.all(ids.map((id) => waitForServerStatus(undefined, compute, id, 'ACTIVE')));
      return { value: { refs, s1: servers[0]!, s2: servers[1]!, s3: servers[2]! }, teardown };
    } catch (err) {
      await teardown(client).catch(() => undefined);
      throw err;
    }
  });
}

const ids = (list: Server[]) => new Set(list.map((s) => s.id));
const names = (list: Server[]) => new Set(list.map((s) => s.name));

function expectIds(list: Server[], present: Server[], absent: Server[], what: string): void {
  const got = ids(list);
  for (const s of present) expectThat(got.has(s.id), `${what}: server ${s.name} (${s.id}) should be listed`);
  for (const s of absent) expectThat(!got.has(s.id), `${what}: server ${s.name} (${s.id}) should not be listed`);
}

function expectNames(list: Server[], present: Server[], absent: Server[], what: string): void {
  const got = names(list);
  for (const s of present) expectThat(got.has(s.name), `${what}: name ${s.name} should be listed`);
  for (const s of absent) expectThat(!got.has(s.name), `${what}: name ${s.name} should not be listed`);
}

function distinctImages(t: Trio): void {
  if (t.refs.imageRef === t.refs.imageRefAlt) throw new CheckSkip('needs two distinct images (image_ref and image_ref_alt)');
}

function distinctFlavors(t: Trio): void {
  if (t.refs.flavorRef === t.refs.flavorRefAlt) throw new CheckSkip('needs two distinct flavors (flavor_ref and flavor_ref_alt)');
}

for (const detail of [false, true]) {
  const kind = detail ? 'detailed list' : 'list';
  const path = detail ? 'GET /servers/detail' : 'GET /servers';
  listServerFilters.test(`test_list_servers_${detail ? 'detailed_' : ''}filter_by_image`, detail ? 'b3304c3b-97df-46d2-8cd3-e2b6659724e7' : '05e8a8e7-9659-459a-989d-92c2f501f4ba', async (ctx) => {
    const t = await trio(ctx);
    distinctImages(t);
    const list = await listServers(nova(ctx), detail, { image: t.refs.imageRef });
    expectIds(list, [t.s1, t.s3], [t.s2], `${path}?image=${t.refs.imageRef} (${kind})`);
  });
  listServerFilters.test(`test_list_servers_${detail ? 'detailed_' : ''}filter_by_flavor`, detail ? '80c574cc-0925-44ba-8602-299028357dd9' : '573637f5-7325-47bb-9144-3476d0416908', async (ctx) => {
    const t = await trio(ctx);
    distinctFlavors(t);
    const list = await listServers(nova(ctx), detail, { flavor: t.refs.flavorRefAlt });
    expectIds(list, [t.s3], [t.s1, t.s2], `${path}?flavor=${t.refs.flavorRefAlt}`);
  });
  listServerFilters.test(`test_list_servers_${detail ? 'detailed_' : ''}filter_by_server_name`, detail ? 'f9eb2b70-735f-416c-b260-9914ac6181e4' : '9b067a7b-7fee-4f6a-b29c-be43fe18fc5a', async (ctx) => {
    const t = await trio(ctx);
    const list = await listServers(nova(ctx), detail, { name: t.s1.name });
    expectNames(list, [t.s1], [t.s2, t.s3], `${path}?name=${t.s1.name}`);
  });
  // Tempest 4 (guidelines 2015.03–2015.05) named the plain listing test_list_servers_filter_by_server_status
  listServerFilters.test(`test_list_servers_${detail ? 'detailed_filter_by_server_status' : 'filter_by_active_status'}`, detail ? 'de2612ab-b7dd-4044-b0b1-d2539601911f' : 'ca78e20e-fddb-4ce6-b7f7-bcbf8605e66e', async (ctx) => {
    const t = await trio(ctx);
    const list = await listServers(nova(ctx), detail, { status: 'active' });
    expectIds(list, [t.s1, t.s2, t.s3], [], `${path}?status=active`);
    if (detail) {
      const mine = new Set([t.s1.id, t.s2.id, t.s3.id]);
      expectEqual(list.filter((s) => mine.has(s.id)).map((s) => s.status), ['ACTIVE', 'ACTIVE', 'ACTIVE'], `${path}?status=active: statuses of the three servers`);
    }
  }, { aliases: detail ? [] : [`${listServerFilters.name}.test_list_servers_filter_by_server_status`] });
  listServerFilters.test(`test_list_servers_${detail ? 'detailed_limit_results' : 'filter_by_limit'}`, detail ? '67aec2d0-35fe-4503-9f92-f13272b867ed' : '614cdfc1-d557-4bac-915b-3e67b48eee76', async (ctx) => {
    await trio(ctx);
    const list = await listServers(nova(ctx), detail, { limit: 1 });
    expectEqual(list.filter((s) => 'id' in s).length, 1, `${path}?limit=1: number of servers`);
  });
}

listServerFilters.test('test_list_servers_filtered_by_name_wildcard', 'e9f624ee-92af-4562-8bec-437945a18dcb', async (ctx) => {
  const t = await trio(ctx);
  const compute = nova(ctx);
  const all = await listServers(compute, false, { name: '-instance' });
  expectNames(all, [t.s1, t.s2, t.s3], [], 'GET /servers?name=-instance');
  const part = t.s1.name.slice(6, -1);
  const some = await listServers(compute, false, { name: part });
  expectNames(some, [t.s1], [t.s2, t.s3], `GET /servers?name=${part}`);
});

/** First address of a server on the fixture's network (the one Tempest calls fixed_network_name). */
async function addressOn(ctx: CheckContext, t: Trio, s: Server): Promise<{ addr: string; version: number }> {
  const network = t.refs.network?.name;
  if (!network) throw new CheckSkip('no network was chosen for the test servers (fixed_network_name)');
  const shown = await showServer(nova(ctx), s.id);
  const first = shown.addresses[network]?.[0];
  expectThat(first, `GET /servers/${s.id}: no address on network ${network}`);
  return first;
}

listServerFilters.test('test_list_servers_filtered_by_ip', '43a1242e-7b31-48d1-88f2-3f72aa9f2077', async (ctx) => {
  const t = await trio(ctx);
  const byIp = new Map<string, string>();
  for (const s of [t.s1, t.s2, t.s3]) byIp.set((await addressOn(ctx, t, s)).addr, s.id);
  // The ip filter is a regex match: the longest address matches only itself.
  const longest = [...byIp.keys()].sort((a, b) => b.length - a.length || b.localeCompare(a))[0]!;
  const list = await listServers(nova(ctx), false, { ip: longest });
  const got = ids(list);
  expectThat(got.has(byIp.get(longest)!), `GET /servers?ip=${longest}: server ${byIp.get(longest)} should be listed`);
  for (const [ip, id] of byIp) if (ip !== longest) expectThat(!got.has(id), `GET /servers?ip=${longest}: server ${id} (${ip}) should not be listed`);
});

listServerFilters.test('test_list_servers_filtered_by_ip_regex', 'a905e287-c35e-42f2-b132-d02b09f3654a', async (ctx) => {
  const t = await trio(ctx);
  const addrs = [];
  for (const s of [t.s1, t.s2, t.s3]) addrs.push(await addressOn(ctx, t, s));
  let prefix = '';
  const shortest = Math.min(...addrs.map((a) => a.addr.length));
  for (let i = 0; i < shortest; i++) {
    const c: string | undefined = addrs[0]!.addr[i];
    if (!addrs.every((a) => a.addr[i] === c)) break;
    prefix += c;
  }
  const key = addrs[2]!.version === 4 ? 'ip' : 'ip6';
  const list = await listServers(nova(ctx), false, { [key]: prefix });
  expectNames(list, [t.s1, t.s2, t.s3], [], `GET /servers?${key}=${prefix}`);
});
