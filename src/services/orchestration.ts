/**
 * Heat (Orchestration) v1 client, one method per operation of the Orchestration
 * API reference (https://docs.openstack.org/api-ref/orchestration/v1/). Each
 * method declares the status heat-tempest-plugin's gabbi tests expect and the
 * answer's schema (src/services/schemas/orchestration/v1/), validates the answer
 * and returns it typed, or throws a ProtocolFailure (see protocol.ts).
 *
 * The catalog endpoint carries the project (…/v1/<project_id>); stacks are
 * addressed as `stacks/<name>/<id>`, and a name alone is redirected there by
 * Heat, which the methods taking a name follow (gabbi's `redirects: True`).
 */
import type { CloudClient } from '../cloud/types.js';
import { ProtocolClient, type Reply } from './protocol.js';

export const ORCHESTRATION_SERVICE = 'orchestration';

export interface StackRef {
  id: string;
  links: Array<{ href: string; rel: string }>;
}

export interface Stack {
  id: string;
  stack_name: string;
  stack_status: string;
  stack_status_reason?: string | null;
  outputs?: Array<{ output_key: string; output_value?: unknown; description?: string }>;
  parameters?: Record<string, unknown>;
  tags?: string[] | null;
  [field: string]: unknown;
}

export interface Resource {
  logical_resource_id: string;
  resource_name: string;
  resource_type: string;
  resource_status: string;
  resource_status_reason?: string | null;
  physical_resource_id?: string;
  attributes?: Record<string, unknown>;
  required_by?: string[];
  [field: string]: unknown;
}

/** A stack's create/update body (the API's fields; templates as objects). */
export type StackBody = Record<string, unknown>;

const enc = encodeURIComponent;

export class OrchestrationClient extends ProtocolClient {
  constructor(cloud: CloudClient, signal?: AbortSignal) {
    super(cloud, signal);
  }

  protected async resolveBase(): Promise<string> {
    return (await this.cloud.endpoint(ORCHESTRATION_SERVICE)).replace(/\/+$/, '');
  }

  /** `stacks/<name>/<id>`: a stack's canonical path. */
  static stackPath(name: string, id: string): string {
    return `stacks/${enc(name)}/${enc(id)}`;
  }

  /** GET /stacks: 200. */
  listStacks(query?: Record<string, string | number | boolean | undefined>): Promise<Reply<{ stacks: Stack[] }>> {
    return this.send({ method: 'GET', path: 'stacks', ...(query ? { query } : {}), status: 200, schema: 'orchestration/v1/stacks' });
  }

  /** POST /stacks: 201 with a Location header and the new stack's id and links. */
  createStack(body: StackBody): Promise<Reply<{ stack: StackRef }>> {
    return this.send({ method: 'POST', path: 'stacks', body, status: 201, schema: 'orchestration/v1/stack-created' });
  }

  /** GET /stacks/{name}[/{id}] (a name alone is followed through its redirect): 200. */
  showStack(path: string): Promise<Reply<{ stack: Stack }>> {
    return this.send({ method: 'GET', path, status: 200, schema: 'orchestration/v1/stack', followRedirects: true });
  }

  /** PUT /stacks/{name}/{id}: 202. */
  updateStack(path: string, body: StackBody): Promise<Reply<unknown>> {
    return this.send({ method: 'PUT', path, body, status: 202, followRedirects: true });
  }

  /** PATCH /stacks/{name}/{id}: 202 (an update keeping what is not given). */
  patchStack(path: string, body: StackBody): Promise<Reply<unknown>> {
    return this.send({ method: 'PATCH', path, body, status: 202, followRedirects: true });
  }

  /** DELETE /stacks/{name}[/{id}]: 204. */
  deleteStack(path: string): Promise<Reply<unknown>> {
    return this.send({ method: 'DELETE', path, status: 204, followRedirects: true });
  }

  /** GET /stacks/{name}/{id}/outputs: 200. */
  listOutputs(path: string): Promise<Reply<{ outputs: Array<{ output_key: string; description?: string }> }>> {
    return this.send({ method: 'GET', path: `${path}/outputs`, status: 200, schema: 'orchestration/v1/outputs', followRedirects: true });
  }

  /** GET /stacks/{name}/{id}/outputs/{key}: 200. */
  showOutput(path: string, key: string): Promise<Reply<{ output: { output_key: string; output_value?: unknown; [f: string]: unknown } }>> {
    return this.send({ method: 'GET', path: `${path}/outputs/${enc(key)}`, status: 200, schema: 'orchestration/v1/output', followRedirects: true });
  }

  /** GET /stacks/{name}/{id}/resources: 200. */
  listResources(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<Reply<{ resources: Resource[] }>> {
    return this.send({ method: 'GET', path: `${path}/resources`, ...(query ? { query } : {}), status: 200, schema: 'orchestration/v1/resources' });
  }

  /** GET /stacks/{name}/{id}/resources/{resource}: 200. */
  showResource(path: string, resource: string): Promise<Reply<{ resource: Resource }>> {
    return this.send({ method: 'GET', path: `${path}/resources/${enc(resource)}`, status: 200, schema: 'orchestration/v1/resource' });
  }

  /** PATCH /stacks/{name}/{id}/resources/{resource}: 200 (mark (un)healthy). */
  markResource(path: string, resource: string, body: { mark_unhealthy: boolean; resource_status_reason?: string }): Promise<Reply<unknown>> {
    return this.send({ method: 'PATCH', path: `${path}/resources/${enc(resource)}`, body, status: 200 });
  }

  /** POST /stacks/{name}/{id}/resources/{resource}/signal: 200 when the resource takes signals. */
  signalResource(path: string, resource: string, body?: unknown): Promise<Reply<unknown>> {
    return this.send({ method: 'POST', path: `${path}/resources/${enc(resource)}/signal`, ...(body === undefined ? {} : { body }), status: 200 });
  }

  /** GET /stacks/{name}/{id}/template: 200, the stack's template. */
  getTemplate(path: string): Promise<Reply<Record<string, unknown>>> {
    return this.send({ method: 'GET', path: `${path}/template`, status: 200, followRedirects: true });
  }

  /** GET /resource_types: 200. */
  listResourceTypes(): Promise<Reply<{ resource_types: unknown[] }>> {
    return this.send({ method: 'GET', path: 'resource_types', status: 200, schema: 'orchestration/v1/resource-types' });
  }

  /** GET /resource_types/{type}: 200, the type's schema. */
  showResourceType(type: string): Promise<Reply<Record<string, unknown>>> {
    return this.send({ method: 'GET', path: `resource_types/${enc(type)}`, status: 200, schema: 'orchestration/v1/resource-type' });
  }

  /** GET /resource_types/{type}/template: 200, a template using the type. */
  resourceTypeTemplate(type: string, templateType?: 'hot' | 'cfn'): Promise<Reply<Record<string, unknown>>> {
    return this.send({ method: 'GET', path: `resource_types/${enc(type)}/template`, ...(templateType ? { query: { template_type: templateType } } : {}), status: 200 });
  }

  /** GET /template_versions: 200. */
  listTemplateVersions(): Promise<Reply<{ template_versions: Array<{ version: string; type: string; aliases?: string[] }> }>> {
    return this.send({ method: 'GET', path: 'template_versions', status: 200, schema: 'orchestration/v1/template-versions' });
  }

  /** GET /template_versions/{version}/functions: 200. */
  listTemplateFunctions(version: string): Promise<Reply<{ template_functions: Array<{ functions: string; description: string }> }>> {
    return this.send({ method: 'GET', path: `template_versions/${enc(version)}/functions`, status: 200, schema: 'orchestration/v1/template-functions' });
  }

  /** POST /validate: 200 with the template's parameters and description. */
  validateTemplate(body: StackBody, query?: { show_nested?: 'True' | 'False' }): Promise<Reply<Record<string, unknown>>> {
    return this.send({ method: 'POST', path: 'validate', body, ...(query ? { query } : {}), status: 200, schema: 'orchestration/v1/validate' });
  }

  // --- added for the functional checks of hooks, preview, events and outputs ---

  /** POST /stacks/preview: 200 with the stack as it would be created (no schema: a preview's resources may nest lists). */
  previewStack(body: StackBody): Promise<Reply<{ stack: Record<string, unknown> }>> {
    return this.send({ method: 'POST', path: 'stacks/preview', body, status: 200 });
  }

  /** GET /stacks/{name}/{id}/events: 200. */
  listEvents(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<Reply<{ events: StackEvent[] }>> {
    return this.send({ method: 'GET', path: `${path}/events`, ...(query ? { query } : {}), status: 200, followRedirects: true });
  }

  /** GET /stacks/{name}/{id}/resources/{resource}/events: 200. */
  listResourceEvents(path: string, resource: string, query?: Record<string, string | number | boolean | undefined>): Promise<Reply<{ events: StackEvent[] }>> {
    return this.send({ method: 'GET', path: `${path}/resources/${enc(resource)}/events`, ...(query ? { query } : {}), status: 200, followRedirects: true });
  }

  /** GET /stacks/{name}/{id}/resources/{resource}/events/{event}: 200. */
  showEvent(path: string, resource: string, event: string): Promise<Reply<{ event: StackEvent }>> {
    return this.send({ method: 'GET', path: `${path}/resources/${enc(resource)}/events/${enc(event)}`, status: 200, followRedirects: true });
  }

  /** GET /stacks/{name}/{id}/resources/{resource}/metadata: 200, the metadata an object. */
  resourceMetadata(path: string, resource: string): Promise<Reply<{ metadata: Record<string, unknown> }>> {
    return this.send({ method: 'GET', path: `${path}/resources/${enc(resource)}/metadata`, status: 200, schema: 'orchestration/v1/resource-metadata' });
  }

  // --- software deployments (ParallelDeploymentsTest) ---

  /** GET /software_deployments[?server_id=]: 200. */
  listSoftwareDeployments(query?: { server_id?: string }): Promise<Reply<{ software_deployments: SoftwareDeployment[] }>> {
    return this.send({ method: 'GET', path: 'software_deployments', ...(query ? { query } : {}), status: 200, schema: 'orchestration/v1/software-deployments' });
  }

  /**
   * POST to a deployment's pre-signed signal URL (its `deploy_signal_id` input: a
   * heat-api-cfn URL under the default CFN_SIGNAL transport), as a server's agent
   * reports a finished deployment. The URL carries its own credentials (an EC2
   * signature in the query), so no token is sent. Any status is answered back:
   * what a signal must achieve is judged by the deployment's resource completing.
   * The signature is redacted from evidence and messages (cloud/redact.ts).
   */
  async signalPresigned(url: string, details: Record<string, unknown> = {}): Promise<{ status: number; text: string }> {
    const res = await this.cloud.request({
      method: 'POST',
      url,
      auth: false,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(details),
      responseType: 'text',
      timeoutMs: SIGNAL_TIMEOUT_MS,
      maxResponseBytes: SIGNAL_MAX_BYTES,
      ...(this.signal ? { signal: this.signal } : {}),
    });
    return { status: res.status, text: res.text };
  }
}

/** A signal is a small POST handled at once; heat-api-cfn answers it in well under a second. */
const SIGNAL_TIMEOUT_MS = 60_000;
/** heat-api-cfn answers a signal with a short JSON document (or nothing). */
const SIGNAL_MAX_BYTES = 64 * 1024;

/** One software deployment (api-ref: List deployments, Show deployment details). */
export interface SoftwareDeployment {
  id: string;
  server_id: string;
  config_id: string;
  action?: string | null;
  status: string;
  status_reason?: string | null;
  input_values?: Record<string, unknown> | null;
  output_values?: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** One event of a stack (api-ref: List stack events, Show event details). */
export interface StackEvent {
  id: string;
  resource_name: string;
  logical_resource_id?: string;
  physical_resource_id?: string;
  resource_status?: string;
  resource_status_reason?: string | null;
  resource_type?: string;
  event_time?: string;
  links?: Array<{ href: string; rel: string }>;
  [field: string]: unknown;
}
