/**
 * Upstream interop JSON (schemas 1.2, 1.5, 1.6, 2.0, add-ons) -> the guideline model.
 * Every upstream key is consumed explicitly; an unexpected key is an error, so a
 * successful import never drops data silently.
 */
import type {
  Capability,
  Component,
  Criterion,
  DesignatedSections,
  Guideline,
  GuidelineTest,
  Program,
  StatusLists,
  TestFlag,
  TestRepository,
} from './model.js';
import { CAPABILITY_STATUSES } from './model.js';
import { GuidelineError } from './errors.js';

type Json = unknown;
type Obj = Record<string, Json>;

/** Reads an object key by key and complains about keys nobody took. */
class Reader {
  private readonly seen = new Set<string>();
  constructor(
    readonly obj: Obj,
    readonly path: string,
    readonly file: string,
  ) {}

  static of(value: Json, path: string, file: string): Reader {
    if (!isObj(value)) throw new GuidelineError(`${file}: ${path || '/'}: expected an object`);
    return new Reader(value, path, file);
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.obj, key);
  }

  /** The first of several spellings present; records which one was used. */
  spelling(...keys: string[]): string | undefined {
    return keys.find((k) => this.has(k));
  }

  opt(key: string): Json | undefined {
    if (!this.has(key)) return undefined;
    this.seen.add(key);
    return this.obj[key];
  }

  req(key: string): Json {
    if (!this.has(key)) throw new GuidelineError(`${this.file}: ${this.path}/${key}: missing`);
    return this.opt(key);
  }

  str(key: string): string {
    return asStr(this.req(key), `${this.path}/${key}`, this.file);
  }

  optStr(key: string): string | undefined {
    const v = this.opt(key);
    return v === undefined ? undefined : asStr(v, `${this.path}/${key}`, this.file);
  }

  strList(key: string): string[] {
    return asStrList(this.req(key), `${this.path}/${key}`, this.file);
  }

  child(key: string): Reader {
    return Reader.of(this.req(key), `${this.path}/${key}`, this.file);
  }

  done(): void {
    const left = Object.keys(this.obj).filter((k) => !this.seen.has(k));
    if (left.length) {
      throw new GuidelineError(`${this.file}: ${this.path || '/'}: unexpected key(s) ${left.map((k) => JSON.stringify(k)).join(', ')}`);
    }
  }
}

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asStr(v: Json, path: string, file: string): string {
  if (typeof v !== 'string') throw new GuidelineError(`${file}: ${path}: expected a string`);
  return v;
}

function asStrList(v: Json, path: string, file: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new GuidelineError(`${file}: ${path}: expected a list of strings`);
  }
  return v as string[];
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function statusLists(r: Reader): StatusLists {
  const out: StatusLists = {};
  for (const s of CAPABILITY_STATUSES) {
    if (r.has(s)) out[s] = r.strList(s);
  }
  r.done();
  return out;
}

function readFlag(v: Json, path: string, file: string): TestFlag {
  const r = Reader.of(v, path, file);
  const flag: TestFlag = {};
  for (const k of ['reason', 'action', 'date'] as const) {
    const s = r.optStr(k);
    if (s !== undefined) flag[k] = s;
  }
  r.done();
  return flag;
}

function readTests(v: Json, path: string, file: string): GuidelineTest[] {
  const tests = Reader.of(v, path, file);
  const out: GuidelineTest[] = [];
  for (const name of Object.keys(tests.obj)) {
    const r = tests.child(name);
    const t: GuidelineTest = { name };
    const id = r.optStr('idempotent_id');
    if (id !== undefined) t.idempotent_id = id;
    if (r.has('aliases')) t.aliases = r.strList('aliases');
    if (r.has('flagged')) t.flagged = readFlag(r.req('flagged'), `${r.path}/flagged`, file);
    r.done();
    out.push(t);
  }
  tests.done();
  return out;
}

/** Known misspellings and variants upstream used, canonical name first. */
const CAPABILITY_KEY_VARIANTS: Record<string, string[]> = {
  achievements: ['achievements', 'acheivements'],
  description: ['description', 'descriptin'],
  required_since: ['required_since', 'required-since'],
};

function readCapability(g: Guideline, id: string, r: Reader, schema: string): Capability {
  const canonicalSince = schema === '2.0' ? 'required_since' : 'required-since';
  const key = (field: string): string | undefined => {
    const used = r.spelling(...CAPABILITY_KEY_VARIANTS[field]!);
    const canonical = field === 'required_since' ? canonicalSince : field;
    if (used && used !== canonical) {
      g.upstream.spelling ??= {};
      g.upstream.spelling[`/capabilities/${escapePointer(id)}/${field}`] = used;
    }
    return used;
  };
  const achKey = key('achievements');
  const descKey = key('description');
  const sinceKey = key('required_since');
  const cap: Capability = {
    description: r.str(descKey ?? 'description'),
    project: r.str('project'),
    admin: r.req('admin') === true,
    achievements: r.strList(achKey ?? 'achievements'),
    tests: [],
  };
  if (typeof r.obj['admin'] !== 'boolean') throw new GuidelineError(`${r.file}: ${r.path}/admin: expected true or false`);
  if (sinceKey) cap.required_since = r.str(sinceKey);

  if (schema === '1.2') {
    cap.status = r.str('status');
    cap.guidelines = r.strList('guidelines');
    cap.name = r.str('name');
    const names = r.strList('tests');
    const flagged = r.strList('flagged');
    cap.tests = names.map((name) => (flagged.includes(name) ? { name, flagged: {} } : { name }));
    const unknown = flagged.filter((f) => !names.includes(f));
    if (unknown.length) throw new GuidelineError(`${r.file}: ${r.path}/flagged: not among the tests: ${unknown.join(', ')}`);
    const inTestOrder = names.filter((n) => flagged.includes(n));
    if (inTestOrder.join('\n') !== flagged.join('\n')) {
      g.upstream.flagged_order ??= {};
      g.upstream.flagged_order[id] = flagged;
    }
  } else {
    cap.tests = readTests(r.req('tests'), `${r.path}/tests`, r.file);
  }
  r.done();
  return cap;
}

function readCriteria(r: Reader, descriptionKey: string): Record<string, Criterion> {
  const out: Record<string, Criterion> = {};
  for (const k of Object.keys(r.obj)) {
    const c = r.child(k);
    const weight = c.req('weight');
    if (typeof weight !== 'number') throw new GuidelineError(`${r.file}: ${c.path}/weight: expected a number`);
    out[k] = { name: c.str('name'), weight, description: c.str(descriptionKey) };
    c.done();
  }
  r.done();
  return out;
}

function readCapabilities(g: Guideline, r: Reader, schema: string): void {
  for (const id of Object.keys(r.obj)) {
    g.capabilities[id] = readCapability(g, id, r.child(id), schema);
  }
  r.done();
}

function plain(v: Json, path: string, file: string): DesignatedSections {
  if (!isObj(v)) throw new GuidelineError(`${file}: ${path}: expected an object`);
  return structuredClone(v) as DesignatedSections;
}

function emptyGuideline(id: string, kind: Guideline['kind'], schema: string): Guideline {
  return { format: 1, id, kind, upstream: { schema }, scoring: { criteria: {} }, programs: {}, components: {}, capabilities: {}, designated_sections: {} };
}

function readProvenance(r: Reader, g: Guideline): void {
  const ref = r.optStr('reference');
  if (ref !== undefined) g.upstream.reference = ref;
  const source = r.optStr('source');
  if (source !== undefined) g.upstream.source = source;
}

/** Test repositories; `keys` maps upstream field names (1.x: url, git-sha) to the model's. */
function readRepositories(repos: Reader, keys: Record<string, keyof TestRepository>): Record<string, TestRepository> {
  const out: Record<string, TestRepository> = {};
  for (const name of Object.keys(repos.obj)) {
    const r = repos.child(name);
    const repo: TestRepository = {};
    for (const [upstreamKey, field] of Object.entries(keys)) {
      const v = r.optStr(upstreamKey);
      if (v !== undefined) repo[field] = v;
    }
    r.done();
    out[name] = repo;
  }
  repos.done();
  return out;
}

function importV1(doc: Reader, schema: string): Guideline {
  const file = doc.file;
  const g = emptyGuideline(doc.str('id'), 'guideline', doc.str('schema'));
  readProvenance(doc, g);
  g.status = doc.str('status');
  const replaces = doc.optStr('replaces');
  if (replaces !== undefined) g.replaces = replaces;
  const target = doc.optStr('target_approval');
  if (target !== undefined) g.target_approval = target;
  g.releases = doc.strList('releases');
  const cutoff = doc.opt('cutoff_score');
  if (cutoff !== undefined) {
    const n = typeof cutoff === 'string' ? Number(cutoff) : cutoff;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new GuidelineError(`${file}: /cutoff_score: expected a number`);
    g.scoring.cutoff_score = n;
    if (typeof cutoff === 'string') g.upstream.cutoff_score_as_string = true;
  }
  g.scoring.criteria = readCriteria(doc.child('criteria'), 'Description');
  g.platform = statusLists(doc.child('platform'));
  const comps = doc.child('components');
  for (const name of Object.keys(comps.obj)) {
    g.components[name] = { capabilities: statusLists(comps.child(name)) };
  }
  comps.done();
  if (doc.has('test-repositories')) {
    g.test_repositories = readRepositories(doc.child('test-repositories'), { url: 'repository', 'git-sha': 'reference' });
  }
  readCapabilities(g, doc.child('capabilities'), schema);
  g.designated_sections = plain(doc.req('designated-sections'), '/designated-sections', file);
  doc.done();
  return g;
}

function importV2(doc: Reader): Guideline {
  const file = doc.file;
  const md = doc.child('metadata');
  const isAddon = doc.has('add-ons');
  const g = emptyGuideline(md.str('id'), isAddon ? 'add-on' : 'guideline', md.str('schema'));
  readProvenance(md, g);
  const scoring = md.child('scoring');
  const cutoff = scoring.opt('cutoff_score');
  if (cutoff !== undefined) {
    if (typeof cutoff !== 'number') throw new GuidelineError(`${file}: /metadata/scoring/cutoff_score: expected a number`);
    g.scoring.cutoff_score = cutoff;
  }
  g.scoring.criteria = readCriteria(scoring.child('criteria'), 'description');
  scoring.done();
  const ota = md.child('os_trademark_approval');
  const target = ota.optStr('target_approval');
  if (target !== undefined) g.target_approval = target;
  const replaces = ota.optStr('replaces');
  if (replaces !== undefined) g.replaces = replaces;
  g.releases = ota.strList('releases');
  g.status = ota.str('status');
  ota.done();
  md.done();

  const progs = doc.child(isAddon ? 'add-ons' : 'platforms');
  for (const name of Object.keys(progs.obj)) {
    const p = progs.child(name);
    const prog: Program = { components: [] };
    const desc = p.optStr('description');
    if (desc !== undefined) prog.description = desc;
    const comps = p.req('components');
    if (!Array.isArray(comps)) throw new GuidelineError(`${file}: ${p.path}/components: expected a list`);
    prog.components = comps.map((c, i) => {
      const cr = Reader.of(c, `${p.path}/components/${i}`, file);
      const n = cr.str('name');
      cr.done();
      return n;
    });
    if (p.has('required_platform_components')) {
      const req = p.req('required_platform_components');
      if (!Array.isArray(req)) throw new GuidelineError(`${file}: ${p.path}/required_platform_components: expected a list`);
      prog.required_platform_components = req.map((c, i) => {
        const cr = Reader.of(c, `${p.path}/required_platform_components/${i}`, file);
        const out = { name: cr.str('name'), source: cr.str('source') };
        cr.done();
        return out;
      });
    }
    p.done();
    g.programs[name] = prog;
  }
  progs.done();

  const comps = doc.child('components');
  for (const name of Object.keys(comps.obj)) {
    const c = comps.child(name);
    const comp: Component = { capabilities: statusLists(c.child('capabilities')) };
    if (c.has('designated_sections')) comp.designated_sections = statusLists(c.child('designated_sections'));
    c.done();
    g.components[name] = comp;
  }
  comps.done();
  readCapabilities(g, doc.child('capabilities'), '2.0');
  g.designated_sections = plain(doc.req('designated_sections'), '/designated_sections', file);
  if (doc.has('test_repositories')) {
    g.test_repositories = readRepositories(doc.child('test_repositories'), { repository: 'repository', reference: 'reference', description: 'description' });
  }
  doc.done();
  return g;
}

/** Converts one parsed upstream guideline document; `file` is used in error messages. */
export function importUpstream(doc: Json, file: string): Guideline {
  const r = Reader.of(doc, '', file);
  if (r.has('metadata')) {
    const schema = Reader.of(r.obj['metadata'], '/metadata', file).obj['schema'];
    if (schema !== '2.0') throw new GuidelineError(`${file}: /metadata/schema: unsupported schema ${JSON.stringify(schema)}`);
    return importV2(r);
  }
  const schema = r.obj['schema'];
  if (schema === '1.2' || schema === '1.3' || schema === '1.4' || schema === '1.5' || schema === '1.6') {
    return importV1(r, schema);
  }
  throw new GuidelineError(`${file}: /schema: unsupported schema ${JSON.stringify(schema)}`);
}
