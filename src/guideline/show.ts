/** Programs -> components -> capabilities by status: what `guidelines show` prints. */
import type { CapabilityStatus, Guideline } from './model.js';
import { CAPABILITY_STATUSES } from './model.js';
import { programComponents } from './select.js';
import { programsOf } from './summary.js';

export interface CapabilityLine {
  id: string;
  description: string;
  admin: boolean;
  tests: number;
  flagged: number;
}

export interface ComponentDescription {
  name: string;
  capabilities: Partial<Record<CapabilityStatus, CapabilityLine[]>>;
}

export interface GuidelineDescription {
  id: string;
  status: string;
  schema: string;
  releases: string[];
  programs: { name: string; components: ComponentDescription[] }[];
}

export function describeGuideline(g: Guideline, program?: string): GuidelineDescription {
  const names = program ? [program] : programsOf(g);
  const programs = names.map((name) => ({
    name,
    components: programComponents(g, name).map((comp): ComponentDescription => {
      const caps: ComponentDescription['capabilities'] = {};
      for (const s of CAPABILITY_STATUSES) {
        const list = g.components[comp]?.capabilities[s] ?? [];
        if (!list.length) continue;
        caps[s] = list.map((id) => {
          const c = g.capabilities[id];
          return {
            id,
            description: c?.description ?? '(not defined)',
            admin: c?.admin ?? false,
            tests: c?.tests.length ?? 0,
            flagged: c?.tests.filter((t) => t.flagged).length ?? 0,
          };
        });
      }
      return { name: comp, capabilities: caps };
    }),
  }));
  return { id: g.id, status: g.status ?? 'unknown', schema: g.upstream.schema, releases: g.releases ?? [], programs };
}

export function renderDescription(d: GuidelineDescription): string {
  const out: string[] = [`Guideline ${d.id} (${d.status}, schema ${d.schema}; releases: ${d.releases.join(', ') || '-'})`];
  for (const p of d.programs) {
    out.push('', `Program ${p.name}`);
    for (const c of p.components) {
      out.push(`  Component ${c.name}`);
      for (const s of CAPABILITY_STATUSES) {
        const caps = c.capabilities[s];
        if (!caps) continue;
        out.push(`    ${s} (${caps.length})`);
        for (const cap of caps) {
          const extra = [`${cap.tests} test${cap.tests === 1 ? '' : 's'}`];
          if (cap.flagged) extra.push(`${cap.flagged} flagged`);
          if (cap.admin) extra.push('admin');
          out.push(`      ${cap.id} — ${cap.description} [${extra.join(', ')}]`);
        }
      }
    }
  }
  return out.join('\n') + '\n';
}
