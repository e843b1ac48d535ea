/**
 * An in-memory Heat v1 behind nock for the functional checks of hooks, preview,
 * outputs, events and unicode templates: stacks of OS::Heat::TestResource,
 * OS::Heat::RandomString, OS::Heat::ResourceGroup and nested template files,
 * created and updated at once unless a hook in the environment pauses them (a
 * signal with unset_hook resumes), with events, outputs (output_error for a
 * parameter not provided), preview and validate. `faults` bend one response at
 * a time, as in fake-heat.ts.
 */
import { parse as parseYaml } from 'yaml';
import { mountFake, type Json, type FakeRequest, type FakeReply, type Fault } from './fake-service.js';
import { PROJECT } from './fake-heat.js';

export { PROJECT };
export type { Json, FakeRequest, FakeReply, Fault };

interface Res {
  name: string;
  type: string;
  def: Json;
  status: string;
  physId: string;
  nested?: string;
  props: Json;
}

interface Event {
  id: string;
  resource_name: string;
  logical_resource_id: string;
  physical_resource_id: string;
  resource_status: string;
  resource_status_reason: string;
  resource_type: string;
  event_time: string;
}

interface Stack {
  id: string;
  name: string;
  template: Json;
  files: Record<string, string>;
  env: Json;
  params: Json;
  status: string;
  parent: string | null;
  resources: Map<string, Res>;
  events: Event[];
  /** Resources still to create or update, in order; a paused one heads the queue. */
  queue: string[];
  action: 'CREATE' | 'UPDATE';
  paused?: string;
  /** When the stack paused: a pause left longer than PAUSE_LIMIT_MS times the action out, as Heat's timeout_mins would. */
  pausedAt?: number;
  parentRes?: { stack: string; res: string };
}

export interface FakeHeatFlow {
  stacks: Map<string, Stack>;
  log: string[];
  faults: Fault[];
}

const error = (status: number, title: string, message: string): FakeReply => ({ status, body: { code: status, title, explanation: message, error: { message, type: title } } });
const asTemplate = (t: unknown): Json => ((typeof t === 'string' ? parseYaml(t) : t) ?? {}) as Json;

let counter = 0;
const nextId = () => {
  counter += 1;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
};

class MissingParam extends Error {}

/** A hook not cleared within this time fails the stack's action (Heat: the stack's timeout). */
export const PAUSE_LIMIT_MS = 3000;

class Heat {
  constructor(
    private readonly state: FakeHeatFlow,
    private readonly base: string,
  ) {}

  private url(s: Stack): string {
    return `${this.base}/stacks/${encodeURIComponent(s.name)}/${s.id}`;
  }

  private param(s: Stack, name: string): unknown {
    const spec = ((s.template.parameters ?? {}) as Record<string, Json>)[name];
    const v = s.params[name] ?? ((s.env.parameters ?? {}) as Json)[name] ?? spec?.default;
    if (v === undefined) throw new MissingParam(`The Parameter (${name}) was not provided.`);
    return v;
  }

  private resolve(s: Stack, v: unknown): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.resolve(s, x));
    const o = v as Json;
    if ('get_param' in o) return this.param(s, String(o.get_param));
    if ('get_resource' in o) return s.resources.get(String(o.get_resource))?.physId ?? null;
    if ('get_attr' in o) {
      const [rname, attr] = o.get_attr as [string, string];
      const r = s.resources.get(rname);
      if (!r) return null;
      if (r.nested) {
        const out = this.outputs(this.state.stacks.get(r.nested)!).find((x) => x.output_key === attr);
        if (out?.output_error) throw new Error(`Error in ${rname} output ${attr}: ${String(out.output_error)}`);
        return out?.output_value ?? null;
      }
      if (attr === 'output') return r.props.value;
      if (attr === 'value') return `rnd-${r.physId.slice(-6)}`;
      return null;
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, this.resolve(s, x)]));
  }

  outputs(s: Stack): Json[] {
    return Object.entries((s.template.outputs ?? {}) as Record<string, Json>).map(([key, def]) => {
      const out: Json = { output_key: key, description: def.description ?? 'No description given' };
      try {
        out.output_value = this.resolve(s, def.value);
      } catch (err) {
        out.output_value = null;
        out.output_error = (err as Error).message;
      }
      return out;
    });
  }

  private event(s: Stack, r: { name: string; type: string; physId: string }, status: string, reason: string): void {
    s.events.push({ id: nextId(), resource_name: r.name, logical_resource_id: r.name, physical_resource_id: r.physId, resource_status: status, resource_status_reason: reason, resource_type: r.type, event_time: '2026-01-01T00:00:00Z' });
  }

  private hooked(s: Stack, rname: string, hook: string): boolean {
    const reg = ((s.env.resource_registry ?? {}) as Json).resources as Record<string, Json> | undefined;
    for (const [pattern, spec] of Object.entries(reg ?? {})) {
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      const hooks = spec.hooks;
      if (re.test(rname) && (hooks === hook || (Array.isArray(hooks) && hooks.includes(hook)))) return true;
    }
    return false;
  }

  /** Works through the stack's queue until done or paused at a hook. */
  private advance(s: Stack, cleared = false): void {
    while (s.queue.length > 0) {
      const name = s.queue[0]!;
      const def = ((s.template.resources ?? {}) as Record<string, Json>)[name]!;
      const type = String(def.type);
      const existing = s.resources.get(name);
      const hook = s.action === 'CREATE' ? 'pre-create' : 'pre-update';
      if (!cleared && this.hooked(s, name, hook)) {
        const r = existing ?? { name, type, def, status: 'INIT_COMPLETE', physId: '', props: {} };
        s.resources.set(name, r);
        this.event(s, r, r.status, `${s.action} paused until Hook ${hook} is cleared`);
        s.paused = name;
        s.pausedAt = Date.now();
        return;
      }
      cleared = false;
      s.queue.shift();
      let props: Json;
      try {
        props = this.resolve(s, def.properties ?? {}) as Json;
      } catch (err) {
        s.status = `${s.action}_FAILED`;
        return;
      }
      if (type === 'OS::Heat::TestResource') props = { value: null, fail: false, wait_secs: 0, update_replace: false, ...props };
      if (existing && existing.status !== 'INIT_COMPLETE') {
        if (type === 'OS::Heat::RandomString' && JSON.stringify(existing.props) !== JSON.stringify(props)) {
          Object.assign(existing, { physId: nextId(), props, def, status: 'CREATE_COMPLETE' });
          this.event(s, existing, 'CREATE_COMPLETE', 'state changed');
        } else if (JSON.stringify(existing.props) !== JSON.stringify(props)) {
          Object.assign(existing, { props, def, status: 'UPDATE_COMPLETE' });
          this.event(s, existing, 'UPDATE_COMPLETE', 'state changed');
        }
        continue;
      }
      const r: Res = existing ?? { name, type, def, status: 'INIT_COMPLETE', physId: '', props };
      r.props = props;
      s.resources.set(name, r);
      this.event(s, r, 'CREATE_IN_PROGRESS', 'state changed');
      const file = s.files[type];
      if (file !== undefined) {
        const childReg = (((s.env.resource_registry ?? {}) as Json).resources as Json | undefined)?.[name] as Json | undefined;
        const child = this.create({
          name: `${s.name}-${name}-abcdefgh`,
          template: asTemplate(file),
          files: s.files,
          env: childReg ? { resource_registry: { resources: childReg } } : {},
          params: props,
          parent: s.id,
        });
        child.parentRes = { stack: s.id, res: name };
        r.physId = child.id;
        r.nested = child.id;
        r.status = 'CREATE_IN_PROGRESS';
        if (child.status !== 'CREATE_COMPLETE') {
          s.paused = undefined;
          return;
        }
      } else {
        r.physId = nextId();
      }
      r.status = 'CREATE_COMPLETE';
      this.event(s, r, 'CREATE_COMPLETE', 'state changed');
    }
    if (!s.status.endsWith('_FAILED')) {
      s.status = `${s.action}_COMPLETE`;
      this.event(s, { name: s.name, type: 'OS::Heat::Stack', physId: s.id }, s.status, `Stack ${s.action} completed successfully`);
      if (s.parentRes) {
        const parent = this.state.stacks.get(s.parentRes.stack)!;
        const r = parent.resources.get(s.parentRes.res)!;
        r.status = 'CREATE_COMPLETE';
        this.event(parent, r, 'CREATE_COMPLETE', 'state changed');
        this.advance(parent, false);
      }
    }
  }

  create(o: { name: string; template: Json; files: Record<string, string>; env: Json; params: Json; parent: string | null }): Stack {
    const s: Stack = { id: nextId(), name: o.name, template: o.template, files: o.files, env: o.env, params: o.params, status: 'CREATE_IN_PROGRESS', parent: o.parent, resources: new Map(), events: [], queue: Object.keys((o.template.resources ?? {}) as Json), action: 'CREATE' };
    this.state.stacks.set(s.id, s);
    this.event(s, { name: s.name, type: 'OS::Heat::Stack', physId: s.id }, 'CREATE_IN_PROGRESS', 'Stack CREATE started');
    this.advance(s);
    return s;
  }

  /** A stack paused too long (or whose nested stack was) fails its action. */
  private expire(s: Stack): void {
    if (!s.paused || Date.now() - (s.pausedAt ?? 0) < PAUSE_LIMIT_MS) return;
    s.paused = undefined;
    for (let t: Stack | undefined = s; t; t = t.parentRes ? this.state.stacks.get(t.parentRes.stack) : undefined) t.status = `${t.action}_FAILED`;
  }

  private find(name: string, id?: string): Stack | undefined {
    for (const s of this.state.stacks.values()) this.expire(s);
    return [...this.state.stacks.values()].find((s) => (s.name === name || s.id === name) && (id === undefined || s.id === id));
  }

  private stackView(s: Stack): Json {
    const params: Json = { 'OS::stack_id': s.id, 'OS::stack_name': s.name, 'OS::project_id': PROJECT };
    for (const [k, spec] of Object.entries((s.template.parameters ?? {}) as Record<string, Json>)) params[k] = String(s.params[k] ?? ((s.env.parameters ?? {}) as Json)[k] ?? spec.default ?? '');
    return { id: s.id, stack_name: s.name, stack_status: s.status, stack_status_reason: '', disable_rollback: true, parent: s.parent, template_description: s.template.description ?? 'No description', parameters: params, outputs: this.outputs(s), links: [{ href: this.url(s), rel: 'self' }] };
  }

  private resourceView(s: Stack, r: Res): Json {
    const links = [{ href: `${this.url(s)}/resources/${encodeURIComponent(r.name)}`, rel: 'self' }, { href: this.url(s), rel: 'stack' }];
    if (r.nested) {
      const n = this.state.stacks.get(r.nested)!;
      links.push({ href: this.url(n), rel: 'nested' });
    }
    const deps = Object.entries((s.template.resources ?? {}) as Record<string, Json>).filter(([, d]) => [d.depends_on ?? []].flat().includes(r.name)).map(([n]) => n);
    return { resource_name: r.name, logical_resource_id: r.name, resource_type: r.type, resource_status: r.status, resource_status_reason: 'state changed', physical_resource_id: r.physId, required_by: deps, links, attributes: {} };
  }

  private eventView(s: Stack, e: Event, detail: boolean): Json {
    const { resource_type, ...rest } = e;
    return { ...rest, links: [{ href: `${this.url(s)}/resources/${encodeURIComponent(e.resource_name)}/events/${e.id}`, rel: 'self' }], ...(detail ? { resource_type } : {}) };
  }

  /** POST /stacks/preview. */
  private preview(name: string, template: Json, files: Record<string, string>, env: Json, params: Json): Json[] {
    const s: Stack = { id: 'None', name, template, files, env, params, status: 'INIT', parent: null, resources: new Map(), events: [], queue: [], action: 'CREATE' };
    const out: Json[] = [];
    for (const [rname, def] of Object.entries((template.resources ?? {}) as Record<string, Json>)) {
      let props: Json;
      try {
        props = this.resolve(s, def.properties ?? {}) as Json;
      } catch (err) {
        throw new MissingParam(`Property error: : resources.${rname}.properties.value: : ${(err as Error).message}`);
      }
      const type = String(def.type);
      const file = files[type];
      if (file !== undefined) {
        out.push(this.preview(`${name}-${rname}`, asTemplate(file), files, {}, props).map((x) => ({ ...x, parent_resource: rname })) as unknown as Json);
        continue;
      }
      if (type === 'OS::Heat::ResourceGroup') {
        const rd = (def.properties as Json).resource_def as Json;
        const member = files[String(rd.type)];
        const given = Object.fromEntries(Object.keys((rd.properties ?? {}) as Json).map((k) => [k, 'None']));
        out.push([this.preview(`${name}-${rname}-x`, asTemplate(member ?? '{}'), files, {}, given)] as unknown as Json);
        continue;
      }
      if (type === 'OS::Heat::TestResource') props = { value: null, fail: false, wait_secs: 0, update_replace: false, ...props };
      const deps = Object.entries((template.resources ?? {}) as Record<string, Json>).filter(([, d]) => [d.depends_on ?? []].flat().includes(rname)).map(([n]) => n);
      out.push({
        resource_name: rname, resource_type: type, stack_name: name, resource_action: 'INIT', resource_status: 'COMPLETE', resource_status_reason: '', physical_resource_id: '', description: '', creation_time: null, updated_time: null,
        attributes: { output: null }, properties: props, required_by: deps,
        resource_identity: { stack_name: name, stack_id: 'None', tenant: PROJECT, path: `/resources/${rname}` },
        stack_identity: { stack_name: name, stack_id: 'None', tenant: PROJECT, path: '' },
      });
    }
    return out;
  }

  private validate(body: Json): FakeReply {
    const template = asTemplate(body.template);
    const env = (body.environment ?? {}) as Json;
    const envParams = (env.parameters ?? {}) as Json;
    const parameters: Json = {};
    for (const [name, spec] of Object.entries((template.parameters ?? {}) as Record<string, Json>)) {
      const v: Json = {};
      if (spec.default !== undefined) v.Default = spec.default;
      if (envParams[name] !== undefined) v.Value = envParams[name];
      Object.assign(v, { Description: spec.description ?? '', Label: spec.label ?? name, NoEcho: 'false', Type: String(spec.type).replace(/^./, (c) => c.toUpperCase()) });
      parameters[name] = v;
    }
    return { status: 200, body: { Description: template.description ?? 'No description', Parameters: parameters, Environment: { event_sinks: [], parameter_defaults: {}, parameters: envParams, resource_registry: { resources: {} } } } };
  }

  handle(req: FakeRequest): FakeReply {
    const prefix = `/v1/${PROJECT}`;
    if (!req.path.startsWith(prefix)) return error(404, 'Not Found', 'no such path');
    const p = req.path.slice(prefix.length).replace(/\/$/, '');
    const body = (req.body ?? {}) as Json;
    let m: RegExpMatchArray | null;
    if (p === '/validate' && req.method === 'POST') return this.validate(body);
    if (p === '/stacks' && req.method === 'GET') return { status: 200, body: { stacks: [...this.state.stacks.values()].filter((s) => !s.parent).map((s) => ({ id: s.id, stack_name: s.name, stack_status: s.status })) } };
    if (p === '/stacks/preview' && req.method === 'POST') {
      const name = String(body.stack_name);
      const template = asTemplate(body.template);
      try {
        const resources = this.preview(name, template, (body.files ?? {}) as Record<string, string>, asTemplate(body.environment ?? {}), (body.parameters ?? {}) as Json);
        const env = asTemplate(body.environment ?? {});
        const params: Json = { 'OS::stack_id': 'None', 'OS::stack_name': name, 'OS::project_id': PROJECT };
        for (const [k, spec] of Object.entries((template.parameters ?? {}) as Record<string, Json>)) params[k] = String(((env.parameters ?? {}) as Json)[k] ?? spec.default ?? '');
        return { status: 200, body: { stack: { id: 'None', stack_name: name, disable_rollback: Boolean(body.disable_rollback), parent: null, template_description: template.description ?? 'No description', parameters: params, resources } } };
      } catch (err) {
        if (err instanceof MissingParam) return error(400, 'Bad Request', err.message);
        throw err;
      }
    }
    if (p === '/stacks' && req.method === 'POST') {
      const name = String(body.stack_name);
      if (this.find(name)) return error(409, 'Conflict', 'stack exists');
      const s = this.create({ name, template: asTemplate(body.template), files: (body.files ?? {}) as Record<string, string>, env: asTemplate(body.environment ?? {}), params: (body.parameters ?? {}) as Json, parent: null });
      return { status: 201, body: { stack: { id: s.id, links: [{ href: this.url(s), rel: 'self' }] } }, headers: { location: this.url(s) } };
    }
    if ((m = p.match(/^\/stacks\/([^/]+)$/))) {
      const s = this.find(decodeURIComponent(m[1]!));
      if (!s) return error(404, 'Not Found', 'stack not found');
      return { status: 302, headers: { location: this.url(s) } };
    }
    if (!(m = p.match(/^\/stacks\/([^/]+)\/([0-9a-f-]{36})(\/.*)?$/))) return error(404, 'Not Found', `no route for ${req.method} ${req.path}`);
    const s = this.find(decodeURIComponent(m[1]!), m[2]);
    if (!s) return error(404, 'Not Found', 'stack not found');
    const rest = m[3] ?? '';
    if (rest === '') {
      if (req.method === 'GET') return { status: 200, body: { stack: this.stackView(s) } };
      if (req.method === 'PUT') {
        Object.assign(s, { template: asTemplate(body.template), files: body.files ?? {}, env: asTemplate(body.environment ?? {}), params: body.parameters ?? {}, action: 'UPDATE', status: 'UPDATE_IN_PROGRESS', queue: Object.keys((asTemplate(body.template).resources ?? {}) as Json) });
        this.advance(s);
        return { status: 202 };
      }
      if (req.method === 'DELETE') {
        for (const r of s.resources.values()) if (r.nested) this.state.stacks.delete(r.nested);
        this.state.stacks.delete(s.id);
        return { status: 204 };
      }
    }
    if (rest === '/outputs') return { status: 200, body: { outputs: this.outputs(s).map((o) => ({ output_key: o.output_key, description: o.description })) } };
    if ((m = rest.match(/^\/outputs\/([^/]+)$/))) {
      const o = this.outputs(s).find((x) => x.output_key === decodeURIComponent(m![1]!));
      return o ? { status: 200, body: { output: o } } : error(404, 'Not Found', 'output not found');
    }
    if (rest === '/resources') return { status: 200, body: { resources: [...s.resources.values()].map((r) => this.resourceView(s, r)) } };
    if (rest === '/events') return { status: 200, body: { events: s.events.map((e) => this.eventView(s, e, false)) } };
    if ((m = rest.match(/^\/resources\/([^/]+)(\/.*)?$/))) {
      const rname = decodeURIComponent(m[1]!);
      const r = s.resources.get(rname);
      const sub = m[2] ?? '';
      if (sub === '/events') {
        const evs = s.events.filter((e) => e.resource_name === rname);
        return evs.length || r ? { status: 200, body: { events: evs.map((e) => this.eventView(s, e, false)) } } : error(404, 'Not Found', 'resource not found');
      }
      if ((m = sub.match(/^\/events\/([^/]+)$/))) {
        const e = s.events.find((x) => x.resource_name === rname && x.id === m![1]);
        return e ? { status: 200, body: { event: this.eventView(s, e, true) } } : error(404, 'Not Found', 'event not found');
      }
      if (!r) return error(404, 'Not Found', `resource ${rname} not found`);
      if (sub === '' && req.method === 'GET') return { status: 200, body: { resource: this.resourceView(s, r) } };
      if (sub === '/signal' && req.method === 'POST') {
        const hook = (body as Json).unset_hook;
        if (s.paused !== rname || typeof hook !== 'string') return error(400, 'Bad Request', 'no hook to clear');
        s.paused = undefined;
        this.event(s, r, r.status, `Hook ${hook} is cleared`);
        this.advance(s, true);
        return { status: 200 };
      }
    }
    return error(404, 'Not Found', `no route for ${req.method} ${req.path}`);
  }
}

/** Mounts the fake on `origin`; the catalog endpoint is `${origin}/v1/${PROJECT}`. */
export function fakeHeatFlow(origin: string, faults: Fault[] = []): FakeHeatFlow {
  const state: FakeHeatFlow = { stacks: new Map(), log: [], faults: [...faults] };
  const heat = new Heat(state, `${origin}/v1/${PROJECT}`);
  mountFake({ origin, handle: (req) => heat.handle(req), faults: () => state.faults, log: state.log });
  return state;
}
