/**
 * An in-memory Heat v1 behind nock, enough for the gabbi API checks: stacks of
 * OS::Heat::TestResource (create answers 201 with a Location and settles to
 * CREATE_COMPLETE on the next show; updates to UPDATE_COMPLETE likewise), name
 * lookups redirected with 302 as Heat does, outputs, resources (mark unhealthy,
 * signal refused), resource types, template versions and functions, validate.
 * `faults` bend one response at a time.
 */
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';

export type { Json, FakeRequest, FakeReply, Fault };

export const PROJECT = '3b8e1f0c9d2a4b7e8f6a5c4d3e2f1a0b';

export interface FakeHeat {
  stacks: Map<string, Json>;
  log: string[];
  faults: Fault[];
}

const error = (status: number, title: string, message: string): FakeReply => ({ status, body: { code: status, title, explanation: message, error: { message, type: title } } });

function paramValue(stack: Json): unknown {
  const params = (stack.params ?? {}) as Json;
  const env = ((stack.environment ?? {}) as Json).parameters as Json | undefined;
  const template = stack.template as Json;
  const def = (((template.parameters ?? {}) as Json).test_val as Json | undefined)?.default;
  return params.test_val ?? env?.test_val ?? def;
}

const VERSIONS = ['2013-05-23', '2014-10-16', '2015-04-30', '2015-10-15', '2016-04-08', '2016-10-14', '2017-02-24', '2017-09-01', '2018-03-02', '2018-08-31', 'pike', 'queens', 'rocky'];

function asTemplate(t: unknown): Json {
  return (typeof t === 'string' ? parseYaml(t) : t) as Json;
}

/** Heat's view of a template's parameters; `given` are values passed in (environment or parent properties). */
function parameterView(template: Json, given: Json): Json {
  const out: Json = {};
  for (const [name, spec] of Object.entries((template.parameters ?? {}) as Record<string, Json>)) {
    const v: Json = {};
    if (spec.default !== undefined) v.Default = spec.default;
    if (given[name] !== undefined) v.Value = given[name];
    Object.assign(v, { Description: spec.description ?? '', Label: name, NoEcho: spec.hidden ? 'true' : 'false', Type: String(spec.type).replace(/^./, (c) => c.toUpperCase()) });
    out[name] = v;
  }
  return out;
}

/** Nested stacks' parameters (show_nested): resources whose type is a file. */
function nestedView(template: Json, files: Record<string, string>, values: Json): Json | undefined {
  const out: Json = {};
  for (const [rname, res] of Object.entries((template.resources ?? {}) as Record<string, Json>)) {
    const file = files[String(res.type)];
    if (file === undefined) continue;
    const child = asTemplate(file);
    const given: Json = {};
    for (const [k, v] of Object.entries((res.properties ?? {}) as Json)) {
      const ref = (v as Json | null)?.get_param;
      given[k] = typeof ref === 'string' ? values[ref] : v;
    }
    const entry: Json = { Description: child.description ?? '', Parameters: parameterView(child, given), Type: res.type };
    const childValues: Json = {};
    for (const [k, spec] of Object.entries((child.parameters ?? {}) as Record<string, Json>)) childValues[k] = given[k] ?? spec.default;
    const deeper = nestedView(child, files, childValues);
    if (deeper) entry.NestedParameters = deeper;
    out[rname] = entry;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** POST /validate as Heat answers it (the parts the checks compare). */
function validate(body: Json, showNested: boolean): FakeReply {
  const template = asTemplate(body.template);
  if (!VERSIONS.includes(String(template.heat_template_version))) {
    return error(400, 'Bad Request', `The template version is invalid: {"heat_template_version": "${String(template.heat_template_version)}"}`);
  }
  const env = (body.environment ?? {}) as Json;
  const files = (body.files ?? {}) as Record<string, string>;
  const envParams = (env.parameters ?? {}) as Json;
  const registry: Json = { ...((env.resource_registry ?? {}) as Json) };
  for (const res of Object.values((template.resources ?? {}) as Record<string, Json>)) if (files[String(res.type)] !== undefined) registry[String(res.type)] = res.type;
  const answer: Json = { Description: template.description ?? 'No description', Parameters: parameterView(template, envParams) };
  if (template.parameter_groups) answer.ParameterGroups = template.parameter_groups;
  if (showNested) {
    const values: Json = {};
    for (const [k, spec] of Object.entries((template.parameters ?? {}) as Record<string, Json>)) values[k] = envParams[k] ?? spec.default;
    const nested = nestedView(template, files, values);
    if (nested) answer.NestedParameters = nested;
  }
  answer.Environment = { event_sinks: [], parameter_defaults: {}, parameters: envParams, resource_registry: { ...registry, resources: {} } };
  return { status: 200, body: answer };
}

function tagList(tags: unknown): string[] {
  return typeof tags === 'string' && tags !== '' ? tags.split(',') : Array.isArray(tags) ? (tags as string[]) : [];
}

class Heat {
  constructor(
    private readonly state: FakeHeat,
    private readonly base: string,
  ) {}

  private url(s: Json): string {
    return `${this.base}/stacks/${String(s.stack_name)}/${String(s.id)}`;
  }

  private find(name: string, id?: string): Json | undefined {
    return [...this.state.stacks.values()].find((s) => s.stack_name === name && (id === undefined || s.id === id) && s.stack_status !== 'DELETE_COMPLETE');
  }

  private view(s: Json): Json {
    const template = s.template as Json;
    const hasResource = Boolean(((template.resources ?? {}) as Json).test);
    const outputs = template.outputs ? [{ output_key: 'output_value', output_value: hasResource ? paramValue(s) : null, description: 'No description given' }] : [];
    return { id: s.id, stack_name: s.stack_name, stack_status: s.stack_status, stack_status_reason: 'ok', outputs, parameters: s.params, tags: s.tags, links: [{ href: this.url(s), rel: 'self' }] };
  }

  handle(req: FakeRequest): FakeReply {
    const prefix = `/v1/${PROJECT}`;
    if (!req.path.startsWith(prefix)) return error(404, 'Not Found', 'no such path');
    const p = req.path.slice(prefix.length).replace(/\/$/, '');
    const body = (req.body ?? {}) as Json;
    let m: RegExpMatchArray | null;
    if (p === '/stacks' && req.method === 'GET') {
      const visible = [...this.state.stacks.values()].filter((s) => s.stack_status !== 'DELETE_COMPLETE' && !(s.tags as string[]).includes('data-processing-cluster'));
      return { status: 200, body: { stacks: visible.map((s) => this.view(s)) } };
    }
    if (p === '/stacks' && req.method === 'POST') {
      const name = String(body.stack_name);
      if (this.find(name)) return error(409, 'Conflict', 'stack exists');
      const s: Json = { id: randomUUID(), stack_name: name, template: asTemplate(body.template), tags: tagList(body.tags), params: body.parameters ?? {}, environment: body.environment ?? {}, stack_status: 'CREATE_IN_PROGRESS', resource_status: 'CREATE_COMPLETE', reason: null };
      this.state.stacks.set(String(s.id), s);
      return { status: 201, body: { stack: { id: s.id, links: [{ href: this.url(s), rel: 'self' }] } }, headers: { location: this.url(s) } };
    }
    if ((m = p.match(/^\/stacks\/([^/]+)$/))) {
      const s = this.find(decodeURIComponent(m[1]!));
      if (!s) return error(404, 'Not Found', 'stack not found');
      return { status: 302, headers: { location: this.url(s) } };
    }
    if ((m = p.match(/^\/stacks\/([^/]+)\/([0-9a-f-]{36})(\/.*)?$/))) {
      const s = this.find(decodeURIComponent(m[1]!), m[2]);
      if (!s) return error(404, 'Not Found', 'stack not found');
      const rest = m[3] ?? '';
      if (rest === '') {
        if (req.method === 'GET') {
          const v = this.view(s);
          if (String(s.stack_status).endsWith('_IN_PROGRESS')) s.stack_status = String(s.stack_status).replace('_IN_PROGRESS', '_COMPLETE');
          return { status: 200, body: { stack: v } };
        }
        if (req.method === 'PUT' || req.method === 'PATCH') {
          if (req.method === 'PUT') Object.assign(s, { template: asTemplate(body.template), tags: tagList(body.tags) });
          s.params = { ...(req.method === 'PATCH' ? (s.params as Json) : {}), ...((body.parameters ?? {}) as Json) };
          s.stack_status = 'UPDATE_IN_PROGRESS';
          return { status: 202, body: undefined };
        }
        if (req.method === 'DELETE') {
          this.state.stacks.delete(String(s.id));
          return { status: 204, body: undefined };
        }
      }
      if (rest === '/template') return { status: 200, body: s.template };
      if (rest === '/outputs') return { status: 200, body: { outputs: ((this.view(s).outputs ?? []) as Json[]).map((o) => ({ output_key: o.output_key, description: o.description })) } };
      if ((m = rest.match(/^\/outputs\/([^/]+)$/))) {
        const o = ((this.view(s).outputs ?? []) as Json[]).find((x) => x.output_key === m![1]);
        return o ? { status: 200, body: { output: o } } : error(404, 'Not Found', 'output not found');
      }
      const defs = ((s.template as Json).resources ?? {}) as Record<string, Json>;
      const resource = (name = 'test'): Json => ({
        logical_resource_id: name,
        resource_name: name,
        resource_type: defs[name]?.type ?? 'OS::Heat::TestResource',
        resource_status: s.resource_status,
        resource_status_reason: s.reason,
        physical_resource_id: String(s.id).slice(0, 8),
        required_by: Object.entries(defs).filter(([, d]) => ((d.depends_on ?? []) as string[]).includes(name)).map(([n]) => n),
      });
      if (rest === '/resources') {
        const type = req.query.get('type');
        const name = req.query.get('name');
        const list = Object.keys(defs).map((n) => resource(n)).filter((r) => (!type || r.resource_type === type) && (!name || r.resource_name === name));
        return { status: 200, body: { resources: list } };
      }
      if (rest === '/resources/test') {
        if (req.method === 'GET') return { status: 200, body: { resource: { ...resource(), attributes: { output: paramValue(s) } } } };
        if (req.method === 'PATCH') {
          if (body.mark_unhealthy === true) Object.assign(s, { resource_status: 'CHECK_FAILED', reason: body.resource_status_reason });
          return { status: 200, body: undefined };
        }
      }
      if (rest === '/resources/test/signal') return error(400, 'Bad Request', 'Signal resource during CHECK is not supported.');
    }
    if (p === '/resource_types') return { status: 200, body: { resource_types: ['OS::Heat::TestResource', 'OS::Heat::None'] } };
    if (p === '/resource_types/OS::Heat::TestResource' || p === '/resource_types/OS%3A%3AHeat%3A%3ATestResource') {
      return { status: 200, body: { resource_type: 'OS::Heat::TestResource', support_status: { status: 'SUPPORTED', version: '5.0.0' }, properties: { wait_secs: { default: 0, type: 'number' }, value: { type: 'string' } }, attributes: { output: {} } } };
    }
    if (/^\/resource_types\/OS(::|%3A%3A)Heat(::|%3A%3A)TestResource\/template$/.test(p)) {
      return { status: 200, body: { heat_template_version: '2016-10-14', description: 'Initial template of TestResource', resources: { TestResource: { type: 'OS::Heat::TestResource', properties: {} } }, outputs: {}, parameters: {} } };
    }
    if (p === '/template_versions') return { status: 200, body: { template_versions: [{ version: 'heat_template_version.2016-04-08', type: 'hot', aliases: [] }, { version: 'AWSTemplateFormatVersion.2010-09-09', type: 'cfn', aliases: [] }] } };
    if (p === '/template_versions/heat_template_version.2016-04-08/functions') {
      return { status: 200, body: { template_functions: [{ functions: 'get_file', description: 'A function for including a file inline.' }, { functions: 'get_param', description: 'A function for resolving parameter references.' }] } };
    }
    if (p === '/validate' && req.method === 'POST') return validate(body, req.query.get('show_nested') === 'True');
    return error(404, 'Not Found', `no route for ${req.method} ${req.path}`);
  }
}

/** Mounts the fake on `origin`; the catalog endpoint is `${origin}/v1/${PROJECT}`. */
export function fakeHeat(origin: string, faults: Fault[] = []): FakeHeat {
  const state: FakeHeat = { stacks: new Map(), log: [], faults: [...faults] };
  const heat = new Heat(state, `${origin}/v1/${PROJECT}`);
  mountFake({ origin, handle: (req) => heat.handle(req), faults: () => state.faults, log: state.log });
  return state;
}
