/**
 * Native checks for tempest.api.compute.servers.test_create_server.ServersTestJSON
 * (also listed as ServersTestManualDisk, same ids): one server booted with
 * metadata, access addresses, disk config and an admin password, shared by the
 * class's read-only checks like Tempest's class fixture. With guest validation
 * configured the server is validatable as Tempest's is (validation image, flavor and
 * network, keypair, security group, floating IP when connecting by one) and the
 * guest-side checks log in to it over SSH; without, they skip as Tempest's do.
 */
import type { CheckContext } from '../../src/check/api.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { expectEqual, expectThat } from '../../src/check/expect.js';
import type { Server } from '../../src/services/compute.js';
import { deleteServerAndWait, computeRefs, createServerUnmanaged, expectFlavor, imageIdOf, listServers, nova, SERVER_CHECK_TIMEOUT_MS } from './steps.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import { ComputeClient } from '../../src/services/compute.js';
import { statusOnly } from '../../src/services/protocol.js';
import { attachFloatingIp, deleteFloatingIp, expectGuestHostname, expectGuestVcpus, fixedAddress, GUEST_CHECK_TIMEOUT_MS, loginToGuest, requireValidation, validatableAttrs, validationResources } from './steps-validation.js';

const serversTests = tempestClass('tempest.api.compute.servers.test_create_server.ServersTestJSON');
const META = { hello: 'world' };
const ACCESS_IPV4 = '1.1.1.1';
const ACCESS_IPV6 = '0000:0000:0000:0000:0000:babe:220.12.22.2';
/** RFC 5952 form of ACCESS_IPV6, as Nova stores it. */
const ACCESS_IPV6_CANONICAL = '::babe:dc0c:1602';

interface Fixture {
  server: Server;
  name: string;
  /** The image and flavor it was booted with. */
  imageRef: string;
  flavorRef: string;
  /** Where SSH reaches it (validation only). */
  address?: string;
}

/** The class's server, ACTIVE, shown after boot (created once per run); validatable when validation is on. */
function classServer(ctx: CheckContext): Promise<Fixture> {
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, 'create-server', async () => {
    const v = ctx.validation;
    const refs = await computeRefs(ctx);
    const name = ctx.name('server');
    const guest = v ? validatableAttrs(v, await validationResources(ctx)) : {};
    const { id, server } = await createServerUnmanaged(ctx, new ComputeClient(client), refs, {
      attrs: { name, metadata: META, accessIPv4: ACCESS_IPV4, accessIPv6: ACCESS_IPV6, 'OS-DCF:diskConfig': 'AUTO', adminPass: `Pw-${ctx.prefix}`, ...guest },
      waitUntil: 'ACTIVE',
    });
    const value: Fixture = { server: server!, name, imageRef: v ? v.image.id : refs.imageRef, flavorRef: v ? v.flavor.id : refs.flavorRef };
    let fipId: string | undefined;
    try {
      if (v?.connectMethod === 'floating') {
        const fip = await attachFloatingIp(ctx, client, v, server!);
        fipId = fip.id;
        value.address = fip.address;
      } else if (v) value.address = fixedAddress(v, server!);
    } catch (err) {
      if (fipId) await deleteFloatingIp(client, fipId).catch(() => undefined);
      await deleteServerAndWait(new ComputeClient(client), id).catch(() => undefined);
      throw err;
    }
    return {
      value,
      teardown: async (c) => {
        if (fipId) await deleteFloatingIp(c, fipId);
        await deleteServerAndWait(new ComputeClient(c), id);
      },
    };
  });
}

serversTests.test('test_verify_server_details', '5de47127-9977-400a-936f-abcfbec1218f', async (ctx) => {
  const { server, name, imageRef, flavorRef } = await classServer(ctx);
  const what = `GET /servers/${server.id}`;
  expectEqual(server.accessIPv4, ACCESS_IPV4, `${what}: accessIPv4`);
  expectEqual(server.accessIPv6, ACCESS_IPV6_CANONICAL, `${what}: accessIPv6 (canonical form)`);
  expectEqual(server.name, name, `${what}: name`);
  expectEqual(imageIdOf(server), imageRef, `${what}: image.id`);
  expectFlavor(server, flavorRef, what);
  expectEqual(server.metadata, META, `${what}: metadata`);
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversTests.test('test_list_servers', '9a438d88-10c6-4bcd-8b5b-5b6e25e1346f', async (ctx) => {
  const { server } = await classServer(ctx);
  const list = await listServers(nova(ctx), false);
  expectThat(list.some((s) => s.id === server.id), `GET /servers: server ${server.id} is not listed`);
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversTests.test('test_list_servers_with_detail', '585e934c-448e-43c4-acbf-d06a9b899997', async (ctx) => {
  const { server } = await classServer(ctx);
  const list = await listServers(nova(ctx), true);
  expectThat(list.some((s) => s.id === server.id), `GET /servers/detail: server ${server.id} is not listed`);
}, { timeoutMs: SERVER_CHECK_TIMEOUT_MS });

serversTests.test('test_verify_created_server_vcpus', 'cbc0f52f-05aa-492b-bdc1-84b575ca294b', async (ctx) => {
  requireValidation(ctx);
  const { server, flavorRef, address } = await classServer(ctx);
  // What the flavor API says, asked now (Tempest shows flavor_ref in the test).
  // The client asserts the 200; the schema was never judged here.
  const shown = await statusOnly(() => nova(ctx).showFlavor(flavorRef));
  const vcpus = shown.body.flavor.vcpus;
  const session = await loginToGuest(ctx, server, address!, (await validationResources(ctx)).privateKey);
  await expectGuestVcpus(ctx, session, server.id, flavorRef, vcpus);
}, { timeoutMs: GUEST_CHECK_TIMEOUT_MS });

serversTests.test('test_host_name_is_same_as_server_name', 'ac1ad47f-984b-4441-9274-c9079b7a0666', async (ctx) => {
  requireValidation(ctx);
  const { server, name, address } = await classServer(ctx);
  const session = await loginToGuest(ctx, server, address!, (await validationResources(ctx)).privateKey);
  await expectGuestHostname(ctx, session, server.id, name);
}, { timeoutMs: GUEST_CHECK_TIMEOUT_MS });
