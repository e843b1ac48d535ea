/** Guideline diffs as plain text, Markdown (for a board member) or JSON. */
import type { GuidelineDiff, TestRef } from './diff.js';

type Format = 'text' | 'markdown' | 'json';

/** Markdown-safe inline text: names come from guideline files that anyone may edit. */
function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+|!~]/g, (c) => `\\${c}`);
}

function code(s: string, f: Format): string {
  return f === 'markdown' ? '`' + s.replace(/`/g, "'") + '`' : s;
}

function test(t: TestRef, f: Format): string {
  return `${code(t.name, f)}${t.uuid ? ` (${t.uuid})` : ''} in ${code(t.capability, f)}`;
}

export function renderDiff(d: GuidelineDiff, f: Format): string {
  if (f === 'json') return JSON.stringify(d, null, 2) + '\n';
  const out: string[] = [];
  const title = `Guideline ${d.old} → ${d.new}${d.program ? ` (program ${d.program})` : ''}`;
  const h = (s: string) => out.push('', f === 'markdown' ? `## ${s}` : `${s}\n${'-'.repeat(s.length)}`);
  const item = (s: string) => out.push(`- ${s}`);
  const text = (s: string) => (f === 'markdown' ? md(s) : s);
  out.push(f === 'markdown' ? `# ${title}` : title);

  const c = d.capabilities;
  h('Capabilities');
  if (!c.added.length && !c.removed.length && !c.statusChanged.length && !c.moved.length) item('no changes');
  for (const x of c.added) item(`added: ${code(x.id, f)} as ${x.status} in ${code(x.component, f)}`);
  for (const x of c.removed) item(`removed: ${code(x.id, f)} (was ${x.status} in ${code(x.component, f)})`);
  for (const x of c.statusChanged) item(`status: ${code(x.id, f)} ${x.from} → ${x.to} in ${code(x.component, f)}`);
  for (const x of c.moved) item(`moved: ${code(x.id, f)} from ${code(x.from, f)} to ${code(x.to, f)}`);

  const t = d.tests;
  h('Tests');
  const none = !t.added.length && !t.removed.length && !t.renamed.length && !t.aliasesChanged.length && !t.flagged.length && !t.unflagged.length;
  if (none) item('no changes');
  for (const x of t.added) item(`added: ${test(x, f)}`);
  for (const x of t.removed) item(`removed: ${test(x, f)}`);
  for (const x of t.renamed) item(`renamed: ${code(x.from, f)} → ${test(x, f)}`);
  for (const x of t.aliasesChanged) {
    const parts = [...x.added.map((a) => `+${code(a, f)}`), ...x.removed.map((a) => `-${code(a, f)}`)];
    item(`aliases: ${test(x, f)}: ${parts.join(', ')}`);
  }
  for (const x of t.flagged) item(`flagged: ${test(x, f)}${x.reason ? ` — ${text(x.reason)}` : ''}`);
  for (const x of t.unflagged) item(`unflagged: ${test(x, f)}`);

  h('Designated sections');
  if (!d.designatedSections.length) item('no changes');
  for (const s of d.designatedSections) {
    item(`${code(s.project, f)} (${s.status}): ${s.change}${s.details.length ? `: ${s.details.map(text).join('; ')}` : ''}`);
  }

  const cr = d.criteria;
  h('Scoring');
  if (!cr.cutoff && !cr.added.length && !cr.removed.length && !cr.changed.length) item('no changes');
  if (cr.cutoff) item(`cutoff score: ${cr.cutoff.from ?? 'none'} → ${cr.cutoff.to ?? 'none'}`);
  for (const x of cr.added) item(`criterion added: ${code(x, f)}`);
  for (const x of cr.removed) item(`criterion removed: ${code(x, f)}`);
  for (const x of cr.changed) {
    item(x.field === 'description' ? `criterion ${code(x.id, f)}: description changed` : `criterion ${code(x.id, f)}: ${x.field} ${text(String(x.from))} → ${text(String(x.to))}`);
  }
  return out.join('\n') + '\n';
}
