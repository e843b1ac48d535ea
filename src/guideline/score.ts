/**
 * Capability scores as the Interop Working Group tabulated them: the sum of the
 * weights of the criteria a capability achieves, marked when it reaches the cutoff.
 */
import type { CapabilityStatus, Guideline } from './model.js';
import { CAPABILITY_STATUSES } from './model.js';

/** The worksheet's column order (scoring.txt / tabulated_scores.csv). */
export const WORKSHEET_ORDER = ['deployed', 'tools', 'clients', 'future', 'complete', 'stable', 'discover', 'doc', 'sticky', 'foundation', 'atomic', 'proximity'];

export interface CapabilityScore {
  id: string;
  status?: CapabilityStatus;
  achieved: Record<string, boolean>;
  nonAdmin: boolean;
  total: number;
  meetsCutoff: boolean;
  /** Achievements that are not criteria of this guideline (ignored in the total). */
  unknown: string[];
}

export interface ScoreSheet {
  guideline: string;
  cutoff?: number;
  criteria: { id: string; name: string; weight: number }[];
  capabilities: CapabilityScore[];
}

/** The sum of the weights of the achieved criteria. */
export function scoreAchievements(achievements: readonly string[], weights: Record<string, number>): number {
  return [...new Set(achievements)].reduce((sum, a) => sum + (weights[a] ?? 0), 0);
}

export function scoreGuideline(g: Guideline): ScoreSheet {
  const ids = Object.keys(g.scoring.criteria);
  const ordered = [...WORKSHEET_ORDER.filter((c) => ids.includes(c)), ...ids.filter((c) => !WORKSHEET_ORDER.includes(c)).sort()];
  const criteria = ordered.map((id) => ({ id, name: g.scoring.criteria[id]!.name, weight: g.scoring.criteria[id]!.weight }));
  const weights = Object.fromEntries(criteria.map((c) => [c.id, c.weight]));
  const statusOf = new Map<string, CapabilityStatus>();
  for (const comp of Object.values(g.components)) {
    for (const s of CAPABILITY_STATUSES) for (const id of comp.capabilities[s] ?? []) if (!statusOf.has(id)) statusOf.set(id, s);
  }
  const capabilities = Object.entries(g.capabilities).map(([id, cap]): CapabilityScore => {
    const total = scoreAchievements(cap.achievements, weights);
    const s: CapabilityScore = {
      id,
      achieved: Object.fromEntries(ordered.map((c) => [c, cap.achievements.includes(c)])),
      nonAdmin: !cap.admin,
      total,
      meetsCutoff: g.scoring.cutoff_score !== undefined && total >= g.scoring.cutoff_score,
      unknown: cap.achievements.filter((a) => !(a in weights)),
    };
    const status = statusOf.get(id);
    if (status) s.status = status;
    return s;
  });
  const sheet: ScoreSheet = { guideline: g.id, criteria, capabilities };
  if (g.scoring.cutoff_score !== undefined) sheet.cutoff = g.scoring.cutoff_score;
  return sheet;
}

const bit = (b: boolean) => (b ? '1' : '0');

export function renderScores(sheet: ScoreSheet, format: 'text' | 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(sheet, null, 2) + '\n';
  const mark = (c: CapabilityScore) => (c.meetsCutoff ? '*' : '');
  if (format === 'csv') {
    const head = ['Capability', ...sheet.criteria.map((c) => c.name), 'Non-Admin', 'Total'];
    const rows = sheet.capabilities.map((c) => [c.id, ...sheet.criteria.map((k) => bit(c.achieved[k.id]!)), bit(c.nonAdmin), `${c.total}${mark(c)}`]);
    return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  }
  const width = Math.max(...sheet.capabilities.map((c) => c.id.length)) + 2;
  const lines = [
    `Scores for guideline ${sheet.guideline} (cutoff ${sheet.cutoff ?? 'none'}; * = at or above the cutoff)`,
    `Criteria in column order: ${sheet.criteria.map((c) => `${c.id}=${c.weight}`).join(' ')}`,
    '',
  ];
  for (const c of sheet.capabilities) {
    const groups: string[] = [];
    const bits = sheet.criteria.map((k) => bit(c.achieved[k.id]!));
    for (let i = 0; i < bits.length; i += 3) groups.push(`[${bits.slice(i, i + 3).join(',')}]`);
    lines.push(`${(c.id + ':').padEnd(width)}${groups.join(' ')} [${bit(c.nonAdmin)}] [${c.total}]${mark(c)}${c.status ? `  ${c.status}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
