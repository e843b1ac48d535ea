import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore compare`: regressions and improvements between two reports. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('compare')
    .description('capabilities and tests that regressed or improved between two reports')
    .argument('<old-report>', 'the earlier report.json')
    .argument('<new-report>', 'the later report.json')
    .option('--fail-on-regression', 'exit 1 when a required capability regressed')
    .option('--format <F>', 'text or json', 'text')
    .action(async (oldFile: string, newFile: string, opts: { failOnRegression?: boolean; format: string }) => {
      if (!['text', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (text or json)`);
      const { readReport } = await import('../../report/read.js');
      const { compareReports, renderComparisonText } = await import('../../report/compare.js');
      const [a, b] = await Promise.all([readReport(path.resolve(io.cwd, oldFile)), readReport(path.resolve(io.cwd, newFile))]);
      const c = compareReports(a.report, b.report);
      io.out(opts.format === 'json' ? JSON.stringify(c, null, 2) + '\n' : renderComparisonText(c));
      exit.code = opts.failOnRegression && c.requiredRegressions.length ? 1 : 0;
    });
}
