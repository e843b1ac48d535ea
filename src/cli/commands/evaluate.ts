import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `all` or a comma-separated list; one id alone is an ordinary single evaluation. */
function guidelineIds(spec: string): string[] | undefined {
  if (spec === 'all') return [];
  if (!spec.includes(',')) return undefined;
  const ids = spec.split(',').map((s) => s.trim());
  if (ids.some((s) => !s)) throw new UsageError(`--guideline "${spec}": empty guideline id in the list`);
  return [...new Set(ids)];
}

/** `defcore evaluate`: judge existing results (Tempest subunit, RefStack JSON, a list) against a guideline. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('evaluate')
    .description('evaluate test results (subunit v2, RefStack JSON, defcore results.json or a list of passed tests) against a guideline program, or against many (a matrix guideline × program)')
    .argument('<results>', 'results file; the format is detected from its content')
    .requiredOption('--guideline <id>', 'guideline id (2020.06, next, dns.2020.06) or YAML path; "all" or a comma-separated list for a matrix')
    .option('--program <P>', 'platform, compute, object, dns or orchestration (without it: a matrix of every program of the guideline)')
    .option('--format <F>', 'text or json', 'text')
    .action(async (file: string, opts: { guideline: string; program?: string; format: string }) => {
      if (!['text', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (text or json)`);
      const { loadGuideline, listGuidelineFiles } = await import('../../guideline/load.js');
      const { readResults } = await import('../../results/read.js');
      const { evaluate } = await import('../../evaluate/evaluate.js');
      const { renderEvaluationText } = await import('../../evaluate/render.js');
      const { PROGRAM_NAMES } = await import('../../guideline/model.js');
      if (opts.program && !(PROGRAM_NAMES as readonly string[]).includes(opts.program)) {
        throw new UsageError(`unknown program "${opts.program}" (one of ${PROGRAM_NAMES.join(', ')})`);
      }
      const many = guidelineIds(opts.guideline);
      if (!many && opts.program) {
        const { guideline } = await loadGuideline(opts.guideline);
        const results = await readResults(file);
        const evaluation = evaluate(guideline, opts.program, results.results);
        io.out(opts.format === 'json' ? JSON.stringify(evaluation, null, 2) + '\n' : renderEvaluationText(evaluation));
        exit.code = evaluation.verdict === 'pass' ? 0 : 1;
        return;
      }
      const { evaluateMatrix, renderMatrixText } = await import('../../evaluate/matrix.js');
      const path = await import('node:path');
      const ids = many === undefined ? [opts.guideline] : many.length ? many : (await listGuidelineFiles()).map((f) => path.basename(f, '.yaml'));
      const guidelines = [];
      for (const id of ids) guidelines.push((await loadGuideline(id)).guideline);
      const results = await readResults(file);
      const matrix = evaluateMatrix(guidelines, results.results, opts.program ? [opts.program] : undefined);
      if (!matrix.cells.length) throw new UsageError(`none of the guidelines ${ids.join(', ')} has the program "${opts.program}"`);
      io.out(opts.format === 'json' ? JSON.stringify(matrix, null, 2) + '\n' : renderMatrixText(matrix));
      exit.code = matrix.verdict === 'pass' ? 0 : 1;
    });
}
