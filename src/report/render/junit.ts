/** JUnit XML for CI systems: one testsuite per capability, one testcase per guideline test. */
import type { Report } from '../model.js';
import { reportView, type TestView } from './view.js';

// XML 1.0 cannot carry most control characters or lone surrogates, even escaped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

function evidenceText(t: TestView): string {
  const lines: string[] = [];
  if (t.result?.reason) lines.push(t.result.reason);
  for (const n of t.result?.evidence?.notes ?? []) lines.push(`note: ${n}`);
  for (const x of t.result?.evidence?.exchanges ?? []) {
    lines.push(`${x.method} ${x.url} -> ${x.status ?? x.error ?? 'no response'} (${x.durationMs} ms)`);
    if (x.responseBody) lines.push(x.responseBody);
  }
  return lines.join('\n');
}

/** Earlier attempts of a retried test (run --retries), or '' when it ran once. */
function attemptsText(t: TestView): string {
  const attempts = t.result?.attempts;
  if (!attempts?.length) return '';
  const head = t.result?.flaky ? `flaky: passed on attempt ${attempts.length + 1}; earlier attempts failed for a transport reason:` : `${attempts.length} earlier attempt(s) also failed:`;
  return [head, ...attempts.map((a, i) => `attempt ${i + 1}: ${a.status}${a.reason ? `: ${a.reason}` : ''}`)].join('\n');
}

function testcase(t: TestView, suite: string): string {
  const o = t.outcome;
  const dot = o.name.lastIndexOf('.');
  const a = {
    classname: dot > 0 ? o.name.slice(0, dot) : suite,
    name: `${dot > 0 ? o.name.slice(dot + 1) : o.name}${o.uuid ? `[id-${o.uuid}]` : ''}`,
    time: ((t.result?.durationMs ?? 0) / 1000).toFixed(3),
  };
  const reason = o.reason ?? t.result?.reason ?? '';
  let inner = '';
  const tries = attemptsText(t);
  if (o.status === 'pass' && tries) inner = `<system-out>${xmlEscape(tries)}</system-out>`;
  else if (o.status === 'pass') inner = t.result?.carriedFrom ? `<system-out>${xmlEscape(`carried over, not run again: result of run ${t.result.carriedFrom.run}${t.result.carriedFrom.startedAt ? ` started ${t.result.carriedFrom.startedAt}` : ''}`)}</system-out>` : '';
  else if (o.flagged) inner = `<skipped${attrs({ message: `flagged (does not count): ${o.status}${reason ? `: ${reason}` : ''}` })}/>`;
  else if (o.status === 'skip') inner = `<skipped${attrs({ message: reason || 'skipped' })}/>`;
  else if (o.status === 'error') inner = `<error${attrs({ message: reason || 'error', type: 'error' })}>${xmlEscape(evidenceText(t))}</error>`;
  else {
    const message = o.status === 'missing' ? 'no result for this test' : o.status === 'not-implemented' ? `no native check: ${reason}` : reason || 'failed';
    inner = `<failure${attrs({ message, type: o.status })}>${xmlEscape([tries, evidenceText(t)].filter(Boolean).join('\n'))}</failure>`;
  }
  return `    <testcase${attrs(a)}${inner ? `>${inner}</testcase>` : '/>'}\n`;
}

/** Renders the report as JUnit XML. */
export function renderJunit(report: Report): string {
  const view = reportView(report);
  let total = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const g of view.groups) {
    for (const c of g.capabilities) {
      const n = { tests: c.tests.length, failures: 0, errors: 0, skipped: 0, time: 0 };
      for (const t of c.tests) {
        n.time += (t.result?.durationMs ?? 0) / 1000;
        const s = t.outcome.status;
        if (s === 'pass') continue;
        if (t.outcome.flagged || s === 'skip') n.skipped++;
        else if (s === 'error') n.errors++;
        else n.failures++;
      }
      total += n.tests;
      failures += n.failures;
      errors += n.errors;
      skipped += n.skipped;
      suites.push(
        `  <testsuite${attrs({ name: c.id, tests: n.tests, failures: n.failures, errors: n.errors, skipped: n.skipped, time: n.time.toFixed(3), timestamp: report.startedAt.replace(/Z$/, '') })}>\n` +
          `    <properties>\n${[
            ['capability.status', c.status],
            ['capability.verdict', c.verdict],
            ['component', c.component],
          ]
            .map(([k, v]) => `      <property${attrs({ name: k!, value: v! })}/>\n`)
            .join('')}    </properties>\n` +
          c.tests.map((t) => testcase(t, c.id)).join('') +
          `  </testsuite>\n`,
      );
    }
  }
  const name = `defcore ${report.guideline.id} ${report.program} on ${report.cloud.name}: ${report.evaluation.verdict.toUpperCase()}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attrs({ name, tests: total, failures, errors, skipped, time: view.durationSeconds.toFixed(3) })}>\n` +
    suites.join('') +
    `</testsuites>\n`
  );
}
