/**
 * The HTML report: one self-contained file (inline CSS and script, no external
 * resources), rendered with Handlebars. Everything from the cloud goes through
 * Handlebars' escaping ({{…}}); only our own CSS and script are inserted raw, and
 * a Content-Security-Policy allows exactly those two (by hash) and nothing from the
 * network, so a hostile string that got past escaping still could not run or fetch.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { repoRoot } from '../../util/paths.js';
import type { Report } from '../model.js';
import { reportView } from './view.js';

function templateFile(name: string): string {
  return readFileSync(path.join(repoRoot(), 'src', 'report', 'templates', name), 'utf8');
}

let compiled: HandlebarsTemplateDelegate | undefined;
let assets: { css: string; js: string } | undefined;

function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(2)} s`;
}

function duration(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function headerList(h: Record<string, string> | undefined): { name: string; value: string }[] {
  return Object.entries(h ?? {}).map(([name, value]) => ({ name, value }));
}

/** Renders the report as a standalone HTML page. */
export function renderHtml(report: Report): string {
  // a private environment: no helper or partial registered elsewhere can change escaping
  compiled ??= Handlebars.create().compile(templateFile('report.html.hbs'), { strict: false, noEscape: false });
  assets ??= { css: templateFile('report.css'), js: templateFile('report.js') };
  const view = reportView(report);
  const verdict = report.evaluation.verdict;
  const required = report.evaluation.counts.required;
  const groups = view.groups.map((g) => ({
    ...g,
    // failures first: they are what a reviewer opens the report for (stable otherwise)
    capabilities: [...g.capabilities.filter((c) => c.verdict === 'fail'), ...g.capabilities.filter((c) => c.verdict === 'pass')].map((c) => ({
      ...c,
      tests: c.tests.map((t) => {
        const ev = t.result?.evidence;
        return {
          ...t,
          reasonText: t.outcome.status === 'missing' ? 'no result for this test' : (t.outcome.reason ?? t.result?.reason ?? ''),
          time: seconds(t.result?.durationMs),
          hasEvidence: Boolean(ev && (ev.exchanges.length || ev.notes?.length)),
          notes: ev?.notes ?? [],
          attemptSummary: t.result?.attempts?.length
            ? `${t.result.flaky ? `flaky: passed on attempt ${t.result.attempts.length + 1} after ` : ''}${t.result.attempts.length} earlier attempt(s) that failed for a transport reason`
            : '',
          attemptList: (t.result?.attempts ?? []).map((a, i) => ({
            n: i + 1,
            status: a.status,
            reason: a.reason ?? '',
            lines: (a.evidence?.exchanges ?? []).map((x) => `${x.method} ${x.url} → ${x.status ?? x.error ?? 'no response'} (${x.durationMs} ms)`),
          })),
          exchanges: (ev?.exchanges ?? []).map((x) => ({ ...x, requestHeaderList: headerList(x.requestHeaders), responseHeaderList: headerList(x.responseHeaders) })),
        };
      }),
    })),
  }));
  return compiled({
    r: report,
    view: { ...view, groups },
    verdictUpper: verdict.toUpperCase(),
    verdictText:
      verdict === 'pass'
        ? `All ${required.passed} required capabilities passed.`
        : `${required.failed} of ${required.passed + required.failed} required capabilities failed.`,
    duration: duration(view.durationSeconds),
    statusesText: report.statuses.join(', '),
    testCounts: Object.entries(view.testCounts).map(([status, count]) => ({ status, count })),
    services: Object.entries(report.cloud.services).map(([type, value]) => ({ type, value })),
    css: assets.css,
    js: assets.js,
    cspStyle: cspHash(assets.css),
    cspScript: cspHash(assets.js),
  });
}
