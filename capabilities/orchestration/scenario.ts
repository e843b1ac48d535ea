/**
 * heat-tempest-plugin (2020), scenario/test_base_resources.BasicResourcesTest: one
 * stack of the core projects' basic resources — a network with a subnet and a port,
 * a key pair, a server on that port, a volume attached to it — is created; the
 * server Heat reports is the one Nova knows, and the stack's output of the server's
 * networks names the stack's network. The server boots on the run's image and flavor.
 *
 * The key pair gets a public key, as the plugin's template has since 2022: Nova
 * refuses to generate one from microversion 2.92, which Heat uses on Zed and later.
 */
import type { CheckContext } from '../../src/check/api.js';
import { expectEqual, expectStatus, expectThat, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import { ComputeClient } from '../../src/services/compute.js';
import { generateKeyPair } from '../../src/validation/ssh.js';
import { createStackThen } from './flow.js';
import { CHECK_TIMEOUT_MS, heatClient, stackComputeRefs, waitForStackStatus } from './steps.js';

/**
 * The basic resources: a private network (its name a parameter) with a
 * 192.168.101.0/24 subnet and a port, a Nova key pair, a server on the port using
 * the key pair and a small user-data script, a volume of `vol_size` GB attached to
 * the server; the output lists the server's networks.
 */
const PUBLIC_KEY_FILE = 'id_rsa.pub';
export const BASE_RESOURCES_TEMPLATE = {
  heat_template_version: '2014-10-16',
  description: 'A server with a port on its own network, a key pair and an attached volume.',
  parameters: {
    key_name: { type: 'string' },
    flavor: { type: 'string', constraints: [{ custom_constraint: 'nova.flavor' }] },
    image: { type: 'string', constraints: [{ custom_constraint: 'glance.image' }] },
    vol_size: { type: 'number', default: 1 },
    private_net_name: { type: 'string' },
    private_net_cidr: { type: 'string', default: '192.168.101.0/24' },
    private_net_gateway: { type: 'string', default: '192.168.101.1' },
    private_net_pool_start: { type: 'string', default: '192.168.101.2' },
    private_net_pool_end: { type: 'string', default: '192.168.101.127' },
    echo_foo: { type: 'string', default: 'fooooo' },
  },
  resources: {
    private_net: { type: 'OS::Neutron::Net', properties: { name: { get_param: 'private_net_name' } } },
    private_subnet: {
      type: 'OS::Neutron::Subnet',
      properties: {
        network_id: { get_resource: 'private_net' },
        cidr: { get_param: 'private_net_cidr' },
        gateway_ip: { get_param: 'private_net_gateway' },
        allocation_pools: [{ start: { get_param: 'private_net_pool_start' }, end: { get_param: 'private_net_pool_end' } }],
      },
    },
    server_port: {
      type: 'OS::Neutron::Port',
      properties: { network_id: { get_resource: 'private_net' }, fixed_ips: [{ subnet_id: { get_resource: 'private_subnet' } }] },
    },
    key: { type: 'OS::Nova::KeyPair', properties: { name: { get_param: 'key_name' }, public_key: { get_file: PUBLIC_KEY_FILE } } },
    server: {
      type: 'OS::Nova::Server',
      properties: {
        key_name: { get_resource: 'key' },
        image: { get_param: 'image' },
        flavor: { get_param: 'flavor' },
        networks: [{ port: { get_resource: 'server_port' } }],
        user_data: { str_replace: { template: '#!/bin/bash\necho echo_foo\n', params: { echo_foo: { get_param: 'echo_foo' } } } },
      },
    },
    vol: { type: 'OS::Cinder::Volume', properties: { size: { get_param: 'vol_size' } } },
    vol_att: {
      type: 'OS::Cinder::VolumeAttachment',
      properties: { instance_uuid: { get_resource: 'server' }, volume_id: { get_resource: 'vol' }, mountpoint: '/dev/vdb' },
    },
  },
  outputs: { server_networks: { description: "The server's networks", value: { get_attr: ['server', 'networks'] } } },
};

/** The plugin's default boot_config_env: Heat::InstallConfigAgent installs nothing (the image has what it needs). */
const BOOT_CONFIG_NONE_ENV = { resource_registry: { 'Heat::InstallConfigAgent': 'OS::Heat::SoftwareConfig' } };

/**
 * The scenario's setUp: a key pair of the account (assign_keypair), whose deletion
 * the plugin registers as a test cleanup (so a failed deletion fails the test).
 */
async function assignKeypair(ctx: CheckContext, nova: ComputeClient): Promise<void> {
  const name = ctx.name('keypair');
  const created = await nova.createKeypair({ name });
  expectStatus(created, [200, 201]);
  expectEqual(created.body.keypair.name, name, 'POST /os-keypairs: keypair.name');
  ctx.defer(`delete keypair ${name}`, async () => expectStatus(await nova.deleteKeypair(name), [202, 204]), { asserted: true });
}

tempestClass('heat_tempest_plugin.tests.scenario.test_base_resources.BasicResourcesTest', { timeoutMs: CHECK_TIMEOUT_MS, needsCompute: true })
  .test('test_base_resources_integration', 'bd151ea4-2dcd-4440-9bf0-eff63a98e5d4', async (ctx) => {
    const heat = heatClient(ctx);
    const nova = new ComputeClient(ctx.account('primary'));
    const refs = await stackComputeRefs(ctx);
    await assignKeypair(ctx, nova);
    const netName = ctx.name('heat-net');
    const parameters = { key_name: ctx.name('heat-key'), flavor: refs.flavorRef, image: refs.imageRef, vol_size: 1, private_net_name: netName };
    ctx.note(`server on image ${refs.imageRef}, flavor ${refs.flavorRef}; network ${netName} made by the stack`);
    // A fresh key each time; its private half is dropped at once (nothing logs in).
    const files = { [PUBLIC_KEY_FILE]: `${(await generateKeyPair()).publicKey.trim()}\n` };
    const stack = await createStackThen(ctx, heat, { template: BASE_RESOURCES_TEMPLATE, files, parameters, environment: BOOT_CONFIG_NONE_ENV }, null);

    // check_stack: the stack completes; Heat's server is Nova's; the output names the network.
    await waitForStackStatus(ctx, heat, stack.path, 'CREATE_COMPLETE');
    const serverId = (await heat.showResource(stack.path, 'server')).body.resource.physical_resource_id;
    if (!serverId) fail(`GET ${stack.path}/resources/server: no physical_resource_id`);
    const server = await nova.showServer(serverId);
    expectStatus(server, 200);
    expectEqual(server.body.server.id, serverId, `GET /servers/${serverId}: server.id`);

    const outputs = (await heat.showStack(stack.path)).body.stack.outputs ?? [];
    for (const o of outputs) {
      if ('output_error' in o) fail(`GET ${stack.path}: output ${o.output_key} has output_error ${JSON.stringify(o['output_error'])}`);
    }
    const networks = outputs.find((o) => o.output_key === 'server_networks')?.output_value;
    expectThat(
      typeof networks === 'object' && networks !== null && netName in networks,
      `GET ${stack.path}: output server_networks ${JSON.stringify(networks) ?? 'missing'} does not name the stack's network ${netName}`,
    );
  });
