/**
 * Markdown for pull-request comments. Everything that came from the cloud is
 * either escaped inline (entities for HTML, backslashes for Markdown syntax, one
 * line so it cannot leave a table cell) or put in a code fence longer than any
 * backtick run it contains, so it can neither inject HTML nor restructure the comment.
 */
import type { Report } from '../model.js';
import { reportView, type TestView } from './view.js';

/** Escapes text for inline Markdown (GitHub-flavoured), on one line. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
}

/** A fenced code block that its content cannot close. */
export function mdFence(content: string, maxChars = 2000): string {
  const text = content.length > maxChars ? `${content.slice(0, maxChars)}\n… (${content.length - maxChars} more characters)` : content;
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\r/g, '')}\n${fence}`;
}

function failureBlock(t: TestView): string {
  const o = t.outcome;
  const lines = [`- ${o.status === 'missing' ? 'no result' : o.status.toUpperCase()} \`${o.uuid ?? 'no-uuid'}\` ${mdText(o.name)}${o.reason ? `: ${mdText(o.reason)}` : ''}`];
  const ev = t.result?.evidence;
  const last = ev?.exchanges[ev.exchanges.length - 1];
  if (ev && (last || ev.notes?.length)) {
    const parts: string[] = [...(ev.notes ?? [])];
    if (last) parts.push(`${last.method} ${last.url} -> ${last.status ?? last.error ?? 'no response'}`, ...(last.responseBody ? [last.responseBody] : []));
    lines.push(
      '',
      '  <details><summary>evidence</summary>',
      '',
      mdFence(parts.join('\n'))
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
      '',
      '  </details>',
    );
  }
  return lines.join('\n');
}

/** GitHub refuses comments over 65536 characters; leave room for a bot's own text. */
export const DEFAULT_MARKDOWN_LIMIT = 60_000;

/** Results this report did not produce itself, grouped by the run that did. */
export function carriedRuns(report: Report): { run: string; startedAt?: string; count: number }[] {
  const runs = new Map<string, { run: string; startedAt?: string; count: number }>();
  for (const t of report.tests) {
    if (!t.carriedFrom) continue;
    const key = `${t.carriedFrom.run}\u0000${t.carriedFrom.startedAt ?? ''}`;
    const entry = runs.get(key) ?? { run: t.carriedFrom.run, ...(t.carriedFrom.startedAt ? { startedAt: t.carriedFrom.startedAt } : {}), count: 0 };
    entry.count++;
    runs.set(key, entry);
  }
  return [...runs.values()];
}

/** Renders the report as Markdown, failures cut short (with a note) beyond `maxChars`. */
export function renderMarkdown(report: Report, maxChars = DEFAULT_MARKDOWN_LIMIT): string {
  const view = reportView(report);
  const e = report.evaluation;
  const icon = e.verdict === 'pass' ? '✅' : '❌';
  const out: string[] = [];
  out.push(`## ${icon} ${e.verdict.toUpperCase()}: guideline ${mdText(report.guideline.id)}, program ${mdText(report.program)}`);
  out.push('');
  out.push('| | |', '|---|---|');
  out.push(`| Cloud | ${mdText(report.cloud.name)} (id \`${report.cloud.id}\`${report.cloud.region ? `, region ${mdText(report.cloud.region)}` : ''}) |`);
  out.push(`| Keystone | ${mdText(report.cloud.authUrl)} |`);
  out.push(`| Guideline | ${mdText(report.guideline.id)} (sha256 \`${report.guideline.sha256.slice(0, 16)}…\`) |`);
  out.push(`| Evaluated | ${report.statuses.join(', ')} capabilities |`);
  out.push(`| Run | ${report.startedAt} → ${report.finishedAt} (${Math.round(view.durationSeconds)} s)${report.interrupted ? ' **interrupted**' : ''} |`);
  out.push(`| Tests | ${Object.entries(view.testCounts).map(([s, n]) => `${n} ${s}`).join(', ') || 'none'} |`);
  const carried = carriedRuns(report);
  if (carried.length) out.push(`| Carried over | ${carried.map((c) => `${c.count} result(s) from run ${mdText(c.run)}${c.startedAt ? ` (${mdText(c.startedAt)})` : ''}`).join('; ')}: not run again |`);
  const flaky = report.tests.filter((t) => t.flaky);
  if (flaky.length) out.push(`| Flaky | ${flaky.length} test(s) passed only after a transport failure: ${flaky.slice(0, 5).map((t) => mdText(t.name)).join(', ')}${flaky.length > 5 ? ' …' : ''} |`);
  if (report.references) {
    const refs = report.references.compute.map((c) => `${c.setting} ${c.id ? `${mdText(c.name || c.id)} (${c.source})` : '-'}`).join(', ');
    out.push(`| Compute references | ${refs} |`);
  }
  out.push(`| Tool | defcore ${mdText(report.tool.version)}, node ${mdText(report.environment.node)} on ${mdText(report.environment.os.platform)} |`);
  out.push('');
  if (report.matrix) {
    out.push('| Guideline | verdict | required capabilities | required tests |', '|---|---|---:|---:|');
    for (const c of report.matrix) out.push(`| ${mdText(c.guideline.id)} | ${c.verdict.toUpperCase()} | ${c.requiredCapabilities.passed}/${c.requiredCapabilities.total} | ${c.requiredTests.passed}/${c.requiredTests.total} |`);
    out.push('');
  }
  out.push('| Capabilities | passed | failed |', '|---|---:|---:|');
  for (const g of view.groups) out.push(`| ${g.status} | ${g.passed} | ${g.failed} |`);
  let size = out.join('\n').length;
  let omitted = 0;
  const add = (...lines: string[]) => {
    const len = lines.join('\n').length + 1;
    if (omitted || size + len > maxChars - 200) return void omitted++;
    out.push(...lines);
    size += len;
  };
  for (const g of view.groups) {
    const failed = g.capabilities.filter((c) => c.verdict === 'fail');
    if (!failed.length) continue;
    add('', `### Failed ${g.status} capabilities (${failed.length})`, '');
    for (const c of failed) {
      add(`#### ${mdText(c.id)} (${c.passedCount}/${c.tests.length} tests passed)`, '');
      for (const t of c.tests.filter((x) => !x.passed && !x.outcome.flagged)) add(failureBlock(t));
      add('');
    }
  }
  if (omitted) out.push('', `_The comment is cut short here; the full list of failures is in report.html._`);
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
