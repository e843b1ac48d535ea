/** What changed between two guidelines, as a reviewer needs it. */
import type { CapabilityStatus, Guideline, GuidelineTest } from './model.js';
import { CAPABILITY_STATUSES } from './model.js';
import { programComponents } from './select.js';
import { testUuid } from './ids.js';

export interface CapabilityPlace {
  id: string;
  component: string;
  status: CapabilityStatus;
}

export interface TestRef {
  capability: string;
  name: string;
  uuid?: string;
}

export interface GuidelineDiff {
  old: string;
  new: string;
  program?: string;
  capabilities: {
    added: CapabilityPlace[];
    removed: CapabilityPlace[];
    statusChanged: { id: string; component: string; from: CapabilityStatus; to: CapabilityStatus }[];
    /** Moved to another component (e.g. schema 1.x `compute` -> 2.0 `os_powered_compute`). */
    moved: { id: string; from: string; to: string }[];
  };
  tests: {
    added: TestRef[];
    removed: TestRef[];
    renamed: (TestRef & { from: string })[];
    aliasesChanged: (TestRef & { added: string[]; removed: string[] })[];
    flagged: (TestRef & { reason?: string })[];
    unflagged: (TestRef & { reason?: string })[];
  };
  designatedSections: { project: string; status: string; change: 'added' | 'removed' | 'changed'; details: string[] }[];
  criteria: {
    cutoff?: { from?: number; to?: number };
    added: string[];
    removed: string[];
    changed: { id: string; field: 'name' | 'weight' | 'description'; from: string | number; to: string | number }[];
  };
}

function places(g: Guideline, program?: string): Map<string, CapabilityPlace> {
  let comps: string[];
  try {
    comps = program ? programComponents(g, program) : Object.keys(g.components);
  } catch {
    comps = [];
  }
  const out = new Map<string, CapabilityPlace>();
  for (const component of comps) {
    for (const status of CAPABILITY_STATUSES) {
      for (const id of g.components[component]?.capabilities[status] ?? []) {
        if (!out.has(id)) out.set(id, { id, component, status });
      }
    }
  }
  return out;
}

const testKey = (t: GuidelineTest): string => testUuid(t.idempotent_id) ?? `name:${t.name}`;

function diffTests(capability: string, before: GuidelineTest[], after: GuidelineTest[], d: GuidelineDiff['tests']): void {
  const old = new Map(before.map((t) => [testKey(t), t]));
  const neu = new Map(after.map((t) => [testKey(t), t]));
  const ref = (t: GuidelineTest): TestRef => {
    const uuid = testUuid(t.idempotent_id);
    return uuid ? { capability, name: t.name, uuid } : { capability, name: t.name };
  };
  for (const [k, t] of neu) {
    const o = old.get(k);
    if (!o) {
      d.added.push(ref(t));
      continue;
    }
    if (o.name !== t.name) d.renamed.push({ ...ref(t), from: o.name });
    const oa = new Set(o.aliases ?? []);
    const na = new Set(t.aliases ?? []);
    const added = [...na].filter((a) => !oa.has(a));
    const removed = [...oa].filter((a) => !na.has(a));
    if (added.length || removed.length) d.aliasesChanged.push({ ...ref(t), added, removed });
    if (t.flagged && !o.flagged) d.flagged.push({ ...ref(t), ...(t.flagged.reason ? { reason: t.flagged.reason } : {}) });
    if (!t.flagged && o.flagged) d.unflagged.push({ ...ref(t), ...(o.flagged.reason ? { reason: o.flagged.reason } : {}) });
  }
  for (const [k, t] of old) if (!neu.has(k)) d.removed.push(ref(t));
}

type Sections = Record<string, unknown>;

function diffSections(a: Guideline, b: Guideline, out: GuidelineDiff['designatedSections']): void {
  const projects = new Set([...Object.keys(a.designated_sections), ...Object.keys(b.designated_sections)]);
  for (const project of [...projects].sort()) {
    const pa = a.designated_sections[project] ?? {};
    const pb = b.designated_sections[project] ?? {};
    for (const status of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
      const sa = pa[status] as Sections | undefined;
      const sb = pb[status] as Sections | undefined;
      if (!sa) out.push({ project, status, change: 'added', details: [] });
      else if (!sb) out.push({ project, status, change: 'removed', details: [] });
      else {
        const details: string[] = [];
        for (const field of ['guidance', 'comment']) {
          if (JSON.stringify(sa[field]) !== JSON.stringify(sb[field])) details.push(`${field} changed`);
        }
        const secA = (sa['sections'] ?? {}) as Record<string, { designated?: boolean }>;
        const secB = (sb['sections'] ?? {}) as Record<string, { designated?: boolean }>;
        for (const s of new Set([...Object.keys(secA), ...Object.keys(secB)])) {
          if (!secA[s]) details.push(`section "${s}" added (${secB[s]?.designated ? 'designated' : 'not designated'})`);
          else if (!secB[s]) details.push(`section "${s}" removed`);
          else if (secA[s]!.designated !== secB[s]!.designated) {
            details.push(`section "${s}" ${secB[s]!.designated ? 'now designated' : 'no longer designated'}`);
          } else if (JSON.stringify(secA[s]) !== JSON.stringify(secB[s])) details.push(`section "${s}" description changed`);
        }
        if (details.length) out.push({ project, status, change: 'changed', details });
      }
    }
  }
}

export function diffGuidelines(a: Guideline, b: Guideline, program?: string): GuidelineDiff {
  const d: GuidelineDiff = {
    old: a.id,
    new: b.id,
    capabilities: { added: [], removed: [], statusChanged: [], moved: [] },
    tests: { added: [], removed: [], renamed: [], aliasesChanged: [], flagged: [], unflagged: [] },
    designatedSections: [],
    criteria: { added: [], removed: [], changed: [] },
  };
  if (program) d.program = program;
  const pa = places(a, program);
  const pb = places(b, program);
  for (const [id, p] of pb) {
    const o = pa.get(id);
    if (!o) {
      d.capabilities.added.push(p);
      continue;
    }
    if (o.status !== p.status) d.capabilities.statusChanged.push({ id, component: p.component, from: o.status, to: p.status });
    if (o.component !== p.component) d.capabilities.moved.push({ id, from: o.component, to: p.component });
    diffTests(id, a.capabilities[id]?.tests ?? [], b.capabilities[id]?.tests ?? [], d.tests);
  }
  for (const [id, p] of pa) if (!pb.has(id)) d.capabilities.removed.push(p);
  diffSections(a, b, d.designatedSections);

  if (a.scoring.cutoff_score !== b.scoring.cutoff_score) {
    d.criteria.cutoff = {};
    if (a.scoring.cutoff_score !== undefined) d.criteria.cutoff.from = a.scoring.cutoff_score;
    if (b.scoring.cutoff_score !== undefined) d.criteria.cutoff.to = b.scoring.cutoff_score;
  }
  const ca = a.scoring.criteria;
  const cb = b.scoring.criteria;
  for (const id of Object.keys(cb)) {
    const o = ca[id];
    if (!o) {
      d.criteria.added.push(id);
      continue;
    }
    for (const field of ['name', 'weight', 'description'] as const) {
      if (o[field] !== cb[id]![field]) d.criteria.changed.push({ id, field, from: o[field], to: cb[id]![field] });
    }
  }
  for (const id of Object.keys(ca)) if (!cb[id]) d.criteria.removed.push(id);
  return d;
}
