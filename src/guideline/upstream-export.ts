/**
 * The guideline model -> upstream interop JSON of the schema it came from.
 * The inverse of upstream-import: export(import(x)) deep-equals x for every upstream file.
 */
import type { Capability, Guideline, GuidelineTest, StatusLists, TestFlag } from './model.js';
import { CAPABILITY_STATUSES } from './model.js';

type Obj = Record<string, unknown>;

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function statusLists(l: StatusLists): Obj {
  const out: Obj = {};
  for (const s of CAPABILITY_STATUSES) if (l[s]) out[s] = [...l[s]!];
  return out;
}

function flag(f: TestFlag): Obj {
  const out: Obj = {};
  if (f.reason !== undefined) out['reason'] = f.reason;
  if (f.action !== undefined) out['action'] = f.action;
  if (f.date !== undefined) out['date'] = f.date;
  return out;
}

function testsV2(tests: GuidelineTest[]): Obj {
  const out: Obj = {};
  for (const t of tests) {
    const o: Obj = {};
    if (t.idempotent_id !== undefined) o['idempotent_id'] = t.idempotent_id;
    if (t.aliases) o['aliases'] = [...t.aliases];
    if (t.flagged) o['flagged'] = flag(t.flagged);
    out[t.name] = o;
  }
  return out;
}

function capability(g: Guideline, id: string, c: Capability): Obj {
  const schema = g.upstream.schema;
  const spelled = (field: string, fallback: string): string =>
    g.upstream.spelling?.[`/capabilities/${escapePointer(id)}/${field}`] ?? fallback;
  const out: Obj = {};
  out[spelled('achievements', 'achievements')] = [...c.achievements];
  out['admin'] = c.admin;
  out[spelled('description', 'description')] = c.description;
  out['project'] = c.project;
  if (c.required_since !== undefined) {
    out[spelled('required_since', schema === '2.0' ? 'required_since' : 'required-since')] = c.required_since;
  }
  if (schema === '1.2') {
    if (c.status !== undefined) out['status'] = c.status;
    if (c.guidelines !== undefined) out['guidelines'] = [...c.guidelines];
    if (c.name !== undefined) out['name'] = c.name;
    out['tests'] = c.tests.map((t) => t.name);
    out['flagged'] = g.upstream.flagged_order?.[id] ?? c.tests.filter((t) => t.flagged).map((t) => t.name);
  } else {
    out['tests'] = testsV2(c.tests);
  }
  return out;
}

function capabilities(g: Guideline): Obj {
  const out: Obj = {};
  for (const [id, c] of Object.entries(g.capabilities)) out[id] = capability(g, id, c);
  return out;
}

function criteria(g: Guideline, descriptionKey: string): Obj {
  const out: Obj = {};
  for (const [k, c] of Object.entries(g.scoring.criteria)) {
    out[k] = { name: c.name, weight: c.weight, [descriptionKey]: c.description };
  }
  return out;
}

function exportV1(g: Guideline): Obj {
  const out: Obj = { id: g.upstream.id ?? g.id, schema: g.upstream.schema };
  if (g.upstream.reference !== undefined) out['reference'] = g.upstream.reference;
  if (g.upstream.source !== undefined) out['source'] = g.upstream.source;
  if (g.status !== undefined) out['status'] = g.status;
  if (g.replaces !== undefined) out['replaces'] = g.replaces;
  if (g.target_approval !== undefined) out['target_approval'] = g.target_approval;
  if (g.scoring.cutoff_score !== undefined) {
    out['cutoff_score'] = g.upstream.cutoff_score_as_string ? String(g.scoring.cutoff_score) : g.scoring.cutoff_score;
  }
  if (g.releases !== undefined) out['releases'] = [...g.releases];
  out['platform'] = statusLists(g.platform ?? {});
  const comps: Obj = {};
  for (const [k, c] of Object.entries(g.components)) comps[k] = statusLists(c.capabilities);
  out['components'] = comps;
  if (g.test_repositories) {
    const repos: Obj = {};
    for (const [k, r] of Object.entries(g.test_repositories)) {
      const o: Obj = {};
      if (r.repository !== undefined) o['url'] = r.repository;
      if (r.reference !== undefined) o['git-sha'] = r.reference;
      repos[k] = o;
    }
    out['test-repositories'] = repos;
  }
  out['capabilities'] = capabilities(g);
  out['designated-sections'] = structuredClone(g.designated_sections);
  out['criteria'] = criteria(g, 'Description');
  return out;
}

function exportV2(g: Guideline): Obj {
  const scoring: Obj = {};
  if (g.scoring.cutoff_score !== undefined) scoring['cutoff_score'] = g.scoring.cutoff_score;
  scoring['criteria'] = criteria(g, 'description');
  const ota: Obj = {};
  if (g.target_approval !== undefined) ota['target_approval'] = g.target_approval;
  if (g.replaces !== undefined) ota['replaces'] = g.replaces;
  if (g.releases !== undefined) ota['releases'] = [...g.releases];
  if (g.status !== undefined) ota['status'] = g.status;
  const metadata: Obj = { id: g.upstream.id ?? g.id, schema: g.upstream.schema };
  if (g.upstream.reference !== undefined) metadata['reference'] = g.upstream.reference;
  if (g.upstream.source !== undefined) metadata['source'] = g.upstream.source;
  metadata['scoring'] = scoring;
  metadata['os_trademark_approval'] = ota;

  const programs: Obj = {};
  for (const [name, p] of Object.entries(g.programs)) {
    const o: Obj = {};
    if (p.description !== undefined) o['description'] = p.description;
    o['components'] = p.components.map((c) => ({ name: c }));
    if (p.required_platform_components) {
      o['required_platform_components'] = p.required_platform_components.map((c) => ({ ...c }));
    }
    programs[name] = o;
  }
  const comps: Obj = {};
  for (const [k, c] of Object.entries(g.components)) {
    const o: Obj = { capabilities: statusLists(c.capabilities) };
    if (c.designated_sections) o['designated_sections'] = statusLists(c.designated_sections);
    comps[k] = o;
  }
  const out: Obj = { metadata, [g.kind === 'add-on' ? 'add-ons' : 'platforms']: programs, components: comps };
  out['capabilities'] = capabilities(g);
  out['designated_sections'] = structuredClone(g.designated_sections);
  if (g.test_repositories) out['test_repositories'] = structuredClone(g.test_repositories);
  return out;
}

/** Upstream JSON object for a guideline, in the schema version it was imported from. */
export function exportUpstream(g: Guideline): Obj {
  return g.upstream.schema === '2.0' ? exportV2(g) : exportV1(g);
}
