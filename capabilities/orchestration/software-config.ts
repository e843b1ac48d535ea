/**
 * heat-tempest-plugin (2020), functional/test_software_config.ParallelDeploymentsTest:
 * many software deployments of one server, made at once from several stacks, all
 * reach the server's metadata; each is released by a POST to its pre-signed signal
 * URL (the `deploy_signal_id` input; CFN_SIGNAL, Heat's default transport), as a
 * server's agent would; and deployments that nobody signals fail when their stack
 * times out. The server boots on the run's image, flavor and network.
 */
import { CheckSkip, type CheckContext } from '../../src/check/api.js';
import { expectThat, fail } from '../../src/check/expect.js';
import { tempestClass } from '../../src/check/tempest-class.js';
import type { OrchestrationClient, SoftwareDeployment } from '../../src/services/orchestration.js';
import { waitFor } from '../../src/services/wait.js';
import { createStackThen, FLOW_WAIT } from './flow.js';
import { CHECK_TIMEOUT_MS, heatClient, stackComputeRefs, waitForStackStatus, type CreatedStack } from './steps.js';

/** A server whose configuration comes from software deployments (user_data_format SOFTWARE_CONFIG). */
const SERVER_TEMPLATE = {
  heat_template_version: '2013-05-23',
  parameters: { flavor: { type: 'string' }, image: { type: 'string' }, network: { type: 'string' } },
  resources: {
    server: {
      type: 'OS::Nova::Server',
      properties: {
        image: { get_param: 'image' },
        flavor: { get_param: 'flavor' },
        user_data_format: 'SOFTWARE_CONFIG',
        networks: [{ network: { get_param: 'network' } }],
      },
    },
  },
  outputs: { server: { value: { get_resource: 'server' } } },
};

/**
 * A stack of one software config (10 000 bytes of script) deployed `count` times to
 * `server`, each deployment a group of one (OS::Heat::SoftwareDeployments).
 */
export function configStackTemplate(count: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    config: { type: 'OS::Heat::SoftwareConfig', properties: { config: 'x'.repeat(10_000) } },
  };
  for (let i = 0; i < count; i++) {
    resources[`dep_${i}`] = {
      type: 'OS::Heat::SoftwareDeployments',
      properties: { config: { get_resource: 'config' }, servers: { '0': { get_param: 'server' } } },
    };
  }
  return { heat_template_version: '2013-05-23', parameters: { server: { type: 'string' } }, resources };
}

/**
 * The server stack on the run's references, created and awaited; answers the stack
 * and the server's id (its only output).
 */
async function serverStack(ctx: CheckContext, heat: OrchestrationClient): Promise<{ stack: CreatedStack; server: string }> {
  const refs = await stackComputeRefs(ctx);
  // The plugin hands the template its fixed_network_name; a run that found none cannot boot this server.
  if (!refs.network) throw new CheckSkip('no network for the server: the run chose no fixed network (set --fixed-network)');
  const parameters = { flavor: refs.flavorRef, image: refs.imageRef, network: refs.network.id };
  ctx.note(`server on image ${refs.imageRef}, flavor ${refs.flavorRef}, network ${refs.network.name} (${refs.network.id})`);
  const stack = await createStackThen(ctx, heat, { template: SERVER_TEMPLATE, parameters });
  const shown = (await heat.showStack(stack.path)).body.stack;
  const server = shown.outputs?.[0]?.output_value;
  if (typeof server !== 'string' || server === '') fail(`GET ${stack.path}: outputs[0].output_value is ${JSON.stringify(server)}, expected the server's id`);
  return { stack, server };
}

/** A stack deploying the config `count` times to `server`; not awaited (the plugin waits later). */
function deployConfig(ctx: CheckContext, heat: OrchestrationClient, server: string, count: number, timeoutMins?: number): Promise<CreatedStack> {
  return createStackThen(ctx, heat, { template: configStackTemplate(count), parameters: { server }, ...(timeoutMins ? { timeoutMins } : {}) }, null);
}

/** The deployments listed in the server resource's metadata; the list must be there. */
async function metadataDeployments(heat: OrchestrationClient, stack: CreatedStack): Promise<unknown[]> {
  const { body } = await heat.resourceMetadata(stack.path, 'server');
  const deployments = body.metadata['deployments'];
  if (!Array.isArray(deployments)) fail(`GET ${stack.path}/resources/server/metadata: $.metadata.deployments is ${JSON.stringify(deployments) ?? 'missing'}, expected a list`);
  return deployments;
}

/** wait_for_deploy_metadata_set: polls the server's metadata until it lists exactly `count` deployments. */
async function waitForDeployments(ctx: CheckContext, heat: OrchestrationClient, stack: CreatedStack, count: number): Promise<void> {
  await waitFor({
    what: `the metadata of server in ${stack.path} to list ${count} deployments`,
    poll: () => metadataDeployments(heat, stack),
    done: (list) => list.length === count,
    describe: (list) => `${list.length} deployments`,
    timeoutMs: FLOW_WAIT.timeoutMs,
    maxDelayMs: 2000,
    signal: ctx.signal,
  });
}

/**
 * signal_deployments: for every deployment in the server's metadata, POST `{}` to
 * its deploy_signal_id. Like the plugin, the answer is not judged here; the
 * deployments' stacks completing is.
 */
async function signalDeployments(ctx: CheckContext, heat: OrchestrationClient, stack: CreatedStack): Promise<void> {
  const deployments = await metadataDeployments(heat, stack);
  const statuses = new Map<number, number>();
  for (const [i, dep] of deployments.entries()) {
    const inputs = (dep as { inputs?: unknown } | null)?.inputs;
    const found = Array.isArray(inputs) ? (inputs as Array<{ name?: unknown; value?: unknown } | null>).find((x) => x?.name === 'deploy_signal_id') : undefined;
    const url = found?.value;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
      fail(`GET ${stack.path}/resources/server/metadata: deployment ${i} has ${url === undefined ? 'no deploy_signal_id input' : `deploy_signal_id ${JSON.stringify(typeof url === 'string' ? url.split('?')[0] : url)}, not an http(s) URL`}`);
    }
    const { status } = await heat.signalPresigned(url);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  ctx.note(`signalled ${deployments.length} deployments: ${[...statuses].map(([s, n]) => `${n}× HTTP ${s}`).join(', ')}`);
}

/** The plugin's call_until_true(20, …) after the stack failed; unit tests may shorten it. */
export const DEPLOYMENTS_FAILED_MS = { value: 20_000 };

const parallel = tempestClass('heat_tempest_plugin.tests.functional.test_software_config.ParallelDeploymentsTest', { timeoutMs: CHECK_TIMEOUT_MS, needsCompute: true });

parallel.test('test_deployments_metadata', '8ee231ff-f80a-4a17-a860-5cda87e18ad0', async (ctx) => {
  const heat = heatClient(ctx);
  const { stack, server } = await serverStack(ctx, heat);
  const configStacks: CreatedStack[] = [];
  // Two stacks of five deployments, then three of three: 10, then 19 in the metadata.
  let expected = 0;
  for (const [stacks, each] of [[2, 5], [3, 3]] as const) {
    for (let i = 0; i < stacks; i++) configStacks.push(await deployConfig(ctx, heat, server, each));
    expected += stacks * each;
    await waitForDeployments(ctx, heat, stack, expected);
  }
  await signalDeployments(ctx, heat, stack);
  for (const s of configStacks) await waitForStackStatus(ctx, heat, s.path, 'CREATE_COMPLETE');
});

parallel.test('test_deployments_timeout_failed', 'bd539232-b999-4bec-b47d-ff4822fc8b82', async (ctx) => {
  const heat = heatClient(ctx);
  const { server } = await serverStack(ctx, heat);
  // Three deployments nobody signals, in a stack given one minute.
  const configStack = await deployConfig(ctx, heat, server, 3, 1);
  await waitForStackStatus(ctx, heat, configStack.path, 'CREATE_FAILED');
  // The plugin gives the deployments 20 s after the stack failed to be FAILED too.
  let last: SoftwareDeployment[] = [];
  const allFailed = (list: SoftwareDeployment[]) => list.every((d) => d.status === 'FAILED');
  try {
    await waitFor({
      what: `the software deployments of server ${server} to be FAILED`,
      poll: async () => (last = (await heat.listSoftwareDeployments({ server_id: server })).body.software_deployments),
      done: allFailed,
      describe: (list) => list.map((d) => d.status).join(', '),
      timeoutMs: DEPLOYMENTS_FAILED_MS.value,
      maxDelayMs: 1000,
      signal: ctx.signal,
    });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    fail(`GET /software_deployments?server_id=${server}: within ${DEPLOYMENTS_FAILED_MS.value / 1000} s of their stack's CREATE_FAILED, deployments are ${last.map((d) => `${d.id} ${d.status}`).join(', ') || 'none'}; expected all FAILED`);
  }
  expectThat(allFailed(last), `GET /software_deployments?server_id=${server}: not every deployment is FAILED`);
});
