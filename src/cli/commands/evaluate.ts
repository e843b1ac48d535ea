import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore evaluate`: judge existing results (Tempest subunit, RefStack JSON, a list) against a guideline. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('evaluate')
    .description('evaluate test results (subunit v2, RefStack JSON, defcore results.json or a list of passed tests) against a guideline program')
    .argument('<results>', 'results file; the format is detected from its content')
    .requiredOption('--guideline <id>', 'guideline id (2020.06, next, dns.2020.06) or YAML path')
    .requiredOption('--program <P>', 'platform, compute, object, dns or orchestration')
    .option('--format <F>', 'text or json', 'text')
    .action(async (file: string, opts: { guideline: string; program: string; format: string }) => {
      if (!['text', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (text or json)`);
      const { loadGuideline } = await import('../../guideline/load.js');
      const { readResults } = await import('../../results/read.js');
      const { evaluate } = await import('../../evaluate/evaluate.js');
      const { renderEvaluationText } = await import('../../evaluate/render.js');
      const { guideline } = await loadGuideline(opts.guideline);
      const results = await readResults(file);
      const evaluation = evaluate(guideline, opts.program, results.results);
      io.out(opts.format === 'json' ? JSON.stringify(evaluation, null, 2) + '\n' : renderEvaluationText(evaluation));
      exit.code = evaluation.verdict === 'pass' ? 0 : 1;
    });
}
