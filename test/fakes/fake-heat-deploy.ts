/**
 * An in-memory Heat v1, heat-api-cfn and Nova behind nock for the checks whose
 * stacks boot servers: a software-config server stack (its only output the server's
 * id; its metadata lists deployments), config stacks of OS::Heat::SoftwareDeployments
 * (each deployment appears in the server's metadata with a pre-signed
 * deploy_signal_id on the CFN host, completes when that URL is POSTed, and fails
 * when its stack times out), and the basic-resources stack (a server Nova knows, a
 * server_networks output keyed by the stack's network name). Stacks settle on the
 * next read. `faults` bend one response at a time, as in fake-heat.ts.
 */
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';
import { PROJECT } from './fake-heat.js';

export { PROJECT };
export type { Json, FakeRequest, FakeReply, Fault };

/** A secret a conforming fake hands out in signed URLs and metadata; evidence must never show it. */
export const SIGNATURE = 'c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';
export const EC2_SECRET = 'fake-ec2-secret-access-key';

/** How long an unsignalled config stack takes to time out here (Heat: its timeout_mins). */
export const FAKE_TIMEOUT_MS = 1500;

interface Deployment {
  id: string;
  server_id: string;
  config_id: string;
  stack: string;
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
}

interface Stack {
  id: string;
  name: string;
  kind: 'server' | 'config' | 'base';
  params: Json;
  status: string;
  reason: string;
  createdAt: number;
  serverId?: string;
  deployments: string[];
}

export interface FakeHeatDeploy {
  stacks: Map<string, Stack>;
  deployments: Map<string, Deployment>;
  /** Servers Nova knows: id → parameters they were booted with. */
  servers: Map<string, Json>;
  keypairs: Set<string>;
  log: string[];
  faults: Fault[];
}

let counter = 0;
const nextId = (): string => {
  counter += 1;
  return `00000000-0000-4000-9000-${String(counter).padStart(12, '0')}`;
};

const error = (status: number, message: string): FakeReply => ({ status, body: { code: status, title: 'Error', explanation: message, error: { message, type: 'Error' } } });

class Heat {
  constructor(
    private readonly state: FakeHeatDeploy,
    private readonly cfn: string,
  ) {}

  private settle(s: Stack): void {
    if (s.status !== 'CREATE_IN_PROGRESS') return;
    if (s.kind !== 'config') {
      s.status = 'CREATE_COMPLETE';
      return;
    }
    const deps = s.deployments.map((d) => this.state.deployments.get(d)!);
    if (deps.every((d) => d.status === 'COMPLETE')) {
      s.status = 'CREATE_COMPLETE';
    } else if (Date.now() - s.createdAt > FAKE_TIMEOUT_MS) {
      // Heat's stack timeout cancels the deployments still waiting, which then read FAILED.
      s.status = 'CREATE_FAILED';
      s.reason = 'CREATE aborted (Task create from SoftwareDeployments "dep_0" Stack timed out)';
      for (const d of deps) if (d.status === 'IN_PROGRESS') d.status = 'FAILED';
    }
  }

  private view(s: Stack): Json {
    this.settle(s);
    const outputs: Json[] = [];
    if (s.kind === 'server') outputs.push({ output_key: 'server', output_value: s.serverId, description: 'No description given' });
    if (s.kind === 'base') {
      const net = String(s.params['private_net_name']);
      outputs.push({ output_key: 'server_networks', output_value: { [net]: ['192.168.101.3'], [`${s.id}-net`]: ['192.168.101.3'] }, description: "The server's networks" });
    }
    return { stack: { id: s.id, stack_name: s.name, stack_status: s.status, stack_status_reason: s.reason, outputs, parameters: s.params, links: [] } };
  }

  private metadata(server: Stack): Json {
    const deps = [...this.state.deployments.values()].filter((d) => d.server_id === server.serverId);
    return {
      metadata: {
        'os-collect-config': { cfn: { metadata_url: `${this.cfn}/`, access_key_id: 'AKID', secret_access_key: EC2_SECRET, path: 'server.Metadata' } },
        deployments: deps.map((d) => ({
          id: d.id,
          group: 'Heat::Ungrouped',
          config: 'x'.repeat(10_000),
          inputs: [
            { name: 'deploy_server_id', value: d.server_id },
            { name: 'deploy_signal_transport', value: 'CFN_SIGNAL' },
            { name: 'deploy_signal_id', value: `${this.cfn}/signal/arn%3Aopenstack%3Aheat%3A%3A${PROJECT}%3Astacks/${d.stack}/resources/${d.id}?Timestamp=2026-01-01T00%3A00%3A00Z&SignatureMethod=HmacSHA256&AWSAccessKeyId=AKID&SignatureVersion=2&Signature=${SIGNATURE}` },
            { name: 'deploy_signal_verb', value: 'POST' },
          ],
        })),
      },
    };
  }

  private find(path: string): Stack | undefined {
    const m = path.match(/\/stacks\/[^/]+\/([0-9a-f-]{36})/);
    return m ? this.state.stacks.get(m[1]!) : undefined;
  }

  handle(req: FakeRequest, host: 'heat' | 'cfn' | 'nova'): FakeReply {
    if (host === 'nova') return this.nova(req);
    if (host === 'cfn') {
      const m = req.path.match(/\/resources\/([0-9a-f-]{36})$/);
      const d = m ? this.state.deployments.get(m[1]!) : undefined;
      if (req.method !== 'POST' || !d || req.query.get('Signature') !== decodeURIComponent(SIGNATURE)) return { status: 403, body: '<ErrorResponse/>' };
      if (d.status === 'IN_PROGRESS') d.status = 'COMPLETE';
      return { status: 200 };
    }
    const p = req.path.replace(`/v1/${PROJECT}`, '');
    if (req.method === 'POST' && p === '/stacks') return this.create(req.body as Json);
    if (req.method === 'GET' && p === '/software_deployments') {
      const server = req.query.get('server_id');
      const list = [...this.state.deployments.values()].filter((d) => !server || d.server_id === server);
      for (const s of this.state.stacks.values()) this.settle(s);
      return { status: 200, body: { software_deployments: list.map((d) => ({ id: d.id, server_id: d.server_id, config_id: d.config_id, action: 'CREATE', status: d.status, status_reason: d.status === 'FAILED' ? 'Deployment cancelled.' : '', input_values: {}, output_values: null })) } };
    }
    const s = this.find(p);
    if (!s) return error(404, 'The Stack could not be found.');
    if (req.method === 'GET' && /^\/stacks\/[^/]+\/[0-9a-f-]{36}$/.test(p)) return { status: 200, body: this.view(s) };
    if (req.method === 'DELETE') {
      this.state.stacks.delete(s.id);
      for (const d of s.deployments) this.state.deployments.delete(d);
      if (s.serverId) this.state.servers.delete(s.serverId);
      return { status: 204 };
    }
    if (req.method === 'GET' && p.endsWith('/resources/server/metadata')) return { status: 200, body: this.metadata(s) };
    if (req.method === 'GET' && p.endsWith('/resources/server')) {
      return { status: 200, body: { resource: { logical_resource_id: 'server', resource_name: 'server', resource_type: 'OS::Nova::Server', resource_status: 'CREATE_COMPLETE', physical_resource_id: s.serverId ?? '' } } };
    }
    return error(404, `fake Heat has no ${req.method} ${p}`);
  }

  private create(body: Json): FakeReply {
    const template = body['template'] as Json;
    const resources = (template['resources'] ?? {}) as Record<string, Json>;
    const types = Object.values(resources).map((r) => r['type']);
    const params = (body['parameters'] ?? {}) as Json;
    const s: Stack = { id: nextId(), name: String(body['stack_name']), kind: 'config', params, status: 'CREATE_IN_PROGRESS', reason: 'Stack CREATE started', createdAt: Date.now(), deployments: [] };
    if (types.includes('OS::Nova::Server')) {
      s.kind = types.includes('OS::Cinder::VolumeAttachment') ? 'base' : 'server';
      const key = ((resources['key'] ?? {})['properties'] as Json | undefined)?.['public_key'];
      if (s.kind === 'base' && key === undefined) return error(400, 'The public_key property is required by the nova API version currently used.');
      s.serverId = nextId();
      this.state.servers.set(s.serverId, { image: params['image'], flavor: params['flavor'], network: params['network'] });
    } else {
      const server = String(params['server']);
      const count = Object.keys(resources).filter((n) => n.startsWith('dep_')).length;
      for (let i = 0; i < count; i++) {
        const d: Deployment = { id: nextId(), server_id: server, config_id: `config-of-${s.id}`, stack: `${s.name}/${s.id}`, status: 'IN_PROGRESS' };
        this.state.deployments.set(d.id, d);
        s.deployments.push(d.id);
      }
    }
    this.state.stacks.set(s.id, s);
    return { status: 201, body: { stack: { id: s.id, links: [] } } };
  }

  private nova(req: FakeRequest): FakeReply {
    const p = req.path.replace(/^\/v2\.1/, '');
    if (req.method === 'POST' && p === '/os-keypairs') {
      const name = String(((req.body as Json)['keypair'] as Json)['name']);
      this.state.keypairs.add(name);
      return { status: 200, body: { keypair: { name, fingerprint: 'aa:bb', public_key: 'ssh-rsa AAAA', private_key: 'PRIVATE', user_id: 'u' } } };
    }
    const kp = p.match(/^\/os-keypairs\/([^/]+)$/);
    if (req.method === 'DELETE' && kp) {
      const name = decodeURIComponent(kp[1]!);
      if (!this.state.keypairs.delete(name)) return { status: 404, body: { itemNotFound: { code: 404, message: 'not found' } } };
      return { status: 202 };
    }
    const sv = p.match(/^\/servers\/([^/]+)$/);
    if (req.method === 'GET' && sv && this.state.servers.has(sv[1]!)) return { status: 200, body: { server: novaServer(sv[1]!) } };
    return { status: 404, body: { itemNotFound: { code: 404, message: `fake Nova has no ${req.method} ${p}` } } };
  }
}

/** Starts the fakes: Heat at `heat`/v1/<project>, heat-api-cfn at `cfn`/v1, Nova at `nova`/v2.1. */
export function fakeHeatDeploy(origins: { heat: string; cfn: string; nova: string }, faults: Fault[] = []): FakeHeatDeploy {
  const state: FakeHeatDeploy = { stacks: new Map(), deployments: new Map(), servers: new Map(), keypairs: new Set(), log: [], faults: [...faults] };
  const heat = new Heat(state, `${origins.cfn}/v1`);
  for (const [host, origin] of Object.entries(origins) as Array<['heat' | 'cfn' | 'nova', string]>) {
    mountFake({ origin, handle: (req) => heat.handle(req, host), faults: () => state.faults, log: state.log, logPrefix: `${host} `, textType: 'text/xml' });
  }
  return state;
}

/** A server as Nova's GET /servers/{id} shows it: every field the compute client's schema requires. */
function novaServer(id: string): Json {
  const link = (path: string) => [{ href: `http://127.0.0.1:8774/v2.1/${PROJECT}/${path}`, rel: 'bookmark' }];
  return {
    id,
    name: 'server',
    status: 'ACTIVE',
    image: { id: 'image-1', links: link('images/image-1') },
    flavor: { id: 'flavor-1', links: link('flavors/flavor-1') },
    user_id: 'user-1',
    tenant_id: PROJECT,
    created: '2026-12-02T10:00:00Z',
    updated: '2026-12-02T10:00:05Z',
    metadata: {},
    links: link(`servers/${id}`),
    addresses: {},
    hostId: 'host-1',
  };
}
