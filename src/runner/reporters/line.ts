/** One line per finished test, for logs and CI (stdout is not a terminal). */
import type { TestResult } from '../../results/model.js';
import { registerReporter } from './registry.js';
import { printableLine } from '../../util/terminal.js';

const LABEL: Record<TestResult['status'], string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP', 'not-implemented': 'N/I' };

registerReporter({
  name: 'line',
  default: true,
  terminal: 'plain',
  create: (opts) => {
    let done = 0;
    let total = 0;
    return {
      name: 'line',
      onBegin(info) {
        total = info.tests.length;
        opts.err(`defcore: ${total} tests of ${info.guidelineIds ? `${info.guidelineIds.length} guidelines (${info.guidelineIds.join(', ')})` : info.guideline.id}/${info.program} against cloud ${info.cloudName}, concurrency ${info.concurrency}, prefix ${info.prefix}\n`);
      },
      onTestEnd(test, r) {
        done++;
        const secs = r.durationMs !== undefined ? ` ${(r.durationMs / 1000).toFixed(1)}s` : '';
        const why = r.status === 'pass' || !r.reason ? '' : ` — ${printableLine(r.reason.split('\n')[0]!.slice(0, 160))}`;
        const tries = r.attempts?.length ? ` (${r.flaky ? 'flaky: ' : ''}attempt ${r.attempts.length + 1}, after ${r.attempts.length} transport failure(s))` : '';
        opts.err(`[${String(done).padStart(String(total).length)}/${total}] ${LABEL[r.status].padEnd(5)}${secs} ${test.name}${tries}${why}\n`);
      },
    };
  },
});
