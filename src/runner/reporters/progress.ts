/** A live progress bar on a terminal. */
import type { TestStatus } from '../../results/model.js';
import { registerReporter } from './registry.js';
import { printableLine } from '../../util/terminal.js';

registerReporter({
  name: 'progress',
  default: true,
  terminal: 'tty',
  create: (opts) => {
    const counts: Record<TestStatus, number> = { pass: 0, fail: 0, error: 0, skip: 0, 'not-implemented': 0 };
    let total = 0;
    let done = 0;
    const running = new Set<string>();
    const draw = () => {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : 0;
      const current = [...running][0]?.split('.').slice(-2).join('.') ?? '';
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} pass ${counts.pass} fail ${counts.fail} error ${counts.error} skip ${counts.skip} n/i ${counts['not-implemented']} ${current}`;
      opts.err(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
    };
    return {
      name: 'progress',
      onBegin(info) {
        total = info.tests.length;
        draw();
      },
      onTestBegin(t) {
        running.add(t.name);
        draw();
      },
      onTestEnd(t, r) {
        running.delete(t.name);
        done++;
        counts[r.status]++;
        if (r.status === 'fail' || r.status === 'error') opts.err(`\r\x1b[2K${r.status.toUpperCase()} ${t.name}: ${printableLine((r.reason ?? '').split('\n')[0]!.slice(0, 200))}\n`);
        draw();
      },
      onEnd() {
        opts.err('\n');
      },
    };
  },
});
