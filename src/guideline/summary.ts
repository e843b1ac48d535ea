/** One line per guideline: what `guidelines list` shows. */
import path from 'node:path';
import type { Guideline } from './model.js';
import { CAPABILITY_STATUSES } from './model.js';
import { listGuidelineFiles, loadGuideline } from './load.js';
import { programCapabilities } from './select.js';

export interface GuidelineSummary {
  id: string;
  kind: Guideline['kind'];
  status: string;
  schema: string;
  releases: string[];
  programs: string[];
  capabilities: Record<string, number>;
  tests: number;
  file: string;
}

/** Short program names a guideline offers, as `--program` takes them. */
export function programsOf(g: Guideline): string[] {
  const out: string[] = [];
  for (const p of ['platform', 'compute', 'object', 'dns', 'orchestration']) {
    try {
      programCapabilities(g, p);
      out.push(p);
    } catch {
      /* not a program of this guideline */
    }
  }
  return out;
}

export function summarize(g: Guideline, file: string): GuidelineSummary {
  const capabilities: Record<string, number> = {};
  for (const s of CAPABILITY_STATUSES) {
    const ids = new Set(Object.values(g.components).flatMap((c) => c.capabilities[s] ?? []));
    capabilities[s] = ids.size;
  }
  const tests = new Set(Object.values(g.capabilities).flatMap((c) => c.tests.map((t) => t.idempotent_id ?? t.name))).size;
  return {
    id: g.id,
    kind: g.kind,
    status: g.status ?? 'unknown',
    schema: g.upstream.schema,
    releases: g.releases ?? [],
    programs: programsOf(g),
    capabilities,
    tests,
    file,
  };
}

export async function summarizeAll(dir?: string): Promise<GuidelineSummary[]> {
  const files = await listGuidelineFiles(dir);
  const out: GuidelineSummary[] = [];
  for (const f of files) {
    const { guideline } = await loadGuideline(f);
    out.push(summarize(guideline, path.relative(process.cwd(), f)));
  }
  return out;
}

export function renderSummaries(rows: GuidelineSummary[]): string {
  const header = ['ID', 'STATUS', 'SCHEMA', 'RELEASES', 'PROGRAMS', 'CAPS req/adv/dep/rem', 'TESTS'];
  const table = rows.map((r) => [
    r.id,
    r.status,
    r.schema,
    r.releases.join(',') || '-',
    r.programs.join(',') || '-',
    CAPABILITY_STATUSES.map((s) => r.capabilities[s] ?? 0).join('/'),
    String(r.tests),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  return line(header) + table.map(line).join('');
}
