import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore guidelines …`: the offline guideline toolkit. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  const g = program.command('guidelines').description('import, validate, list, show, diff and score interop guidelines (no cloud needed)');

  g.command('import')
    .description('convert upstream interop JSON (every schema version, add-ons included) into guidelines/*.yaml')
    .argument('<dir>', 'directory with upstream YYYY.MM.json, next.json and add-ons/*.json')
    .option('-o, --out <dir>', 'where to write the YAML (default: the guidelines/ directory)')
    .action(async (dir: string, opts: { out?: string }) => {
      const { importDirectory } = await import('../../guideline/import-dir.js');
      const written = await importDirectory(dir, opts.out);
      for (const w of written) io.out(`${w.id}\t${w.file}\n`);
      io.err(`imported ${written.length} guideline(s)\n`);
    });

  g.command('export')
    .description('write a guideline back as upstream interop JSON')
    .argument('<id>', 'guideline id (2020.06, next, dns.2020.06) or YAML path')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (id: string, opts: { output?: string }) => {
      const { loadGuideline } = await import('../../guideline/load.js');
      const { exportUpstream } = await import('../../guideline/upstream-export.js');
      const { checkOutputFile, writeOutputFile } = await import('../output.js');
      const path = await import('node:path');
      const output = opts.output ? path.resolve(io.cwd, opts.output) : undefined;
      if (output) await checkOutputFile(output);
      const { guideline } = await loadGuideline(id);
      const text = JSON.stringify(exportUpstream(guideline), null, 2) + '\n';
      if (output) await writeOutputFile(output, text);
      else io.out(text);
    });

  g.command('validate')
    .description('check guideline YAML files (default: every committed guideline); one line per problem')
    .argument('[files...]', 'YAML files to check')
    .option('--quiet-warnings', 'print errors only')
    .action(async (files: string[], opts: { quietWarnings?: boolean }) => {
      const { validateFile } = await import('../../guideline/validate.js');
      const { listGuidelineFiles } = await import('../../guideline/load.js');
      const { formatProblem } = await import('../../guideline/yaml.js');
      const path = await import('node:path');
      const targets = files.length ? files : await listGuidelineFiles();
      if (!targets.length) throw new UsageError('no guideline files to validate');
      let errors = 0;
      let warnings = 0;
      for (const f of targets) {
        const problems = await validateFile(path.relative(io.cwd, path.resolve(io.cwd, f)) || f, { locate: opts.quietWarnings ? 'errors' : 'all' });
        for (const p of problems) {
          if (p.severity === 'error') errors++;
          else warnings++;
          if (p.severity === 'error' || !opts.quietWarnings) io.out(formatProblem(p) + '\n');
        }
      }
      io.err(`${targets.length} file(s): ${errors} error(s), ${warnings} warning(s)\n`);
      exit.code = errors ? 1 : 0;
    });

  g.command('list')
    .description('every guideline with status, schema, releases, programs and counts')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { summarizeAll, renderSummaries } = await import('../../guideline/summary.js');
      const rows = await summarizeAll();
      io.out(opts.json ? JSON.stringify(rows, null, 2) + '\n' : renderSummaries(rows));
    });

  g.command('show')
    .description('programs, components and capabilities by status, with descriptions')
    .argument('<id>', 'guideline id or YAML path')
    .option('--program <P>', 'only this program (platform, compute, object, dns, orchestration)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { program?: string; json?: boolean }) => {
      const { loadGuideline } = await import('../../guideline/load.js');
      const { describeGuideline, renderDescription } = await import('../../guideline/show.js');
      const { guideline } = await loadGuideline(id);
      const d = describeGuideline(guideline, opts.program);
      io.out(opts.json ? JSON.stringify(d, null, 2) + '\n' : renderDescription(d));
    });

  g.command('tests')
    .description("the program's test list in RefStack's format: one name[idempotent_id] per line, sorted")
    .argument('<id>', 'guideline id (2020.06, next, dns.2020.06) or YAML path')
    .requiredOption('--program <P>', 'platform, compute, object, dns or orchestration')
    .option('--status <S>', 'capability statuses, comma separated, or all', 'required')
    .option('--no-flagged', 'leave out flagged tests')
    .option('--no-aliases', 'leave out test aliases')
    .action(async (id: string, opts: { program: string; status: string; flagged: boolean; aliases: boolean }) => {
      const { loadGuideline } = await import('../../guideline/load.js');
      const { testList, parseStatuses } = await import('../../guideline/select.js');
      const { guideline } = await loadGuideline(id);
      const statuses = parseStatuses(opts.status);
      const list = testList(guideline, opts.program, { statuses, flagged: opts.flagged, aliases: opts.aliases });
      io.out(list.length ? list.join('\n') + '\n' : '');
    });

  g.command('diff')
    .description('what changed between two guidelines: capabilities, tests, flags, sections, criteria')
    .argument('<old>', 'older guideline id or path')
    .argument('<new>', 'newer guideline id or path')
    .option('--program <P>', 'only capabilities of this program')
    .option('--format <F>', 'text, markdown or json', 'text')
    .action(async (oldId: string, newId: string, opts: { program?: string; format: string }) => {
      if (!['text', 'markdown', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (text, markdown or json)`);
      const { loadGuideline } = await import('../../guideline/load.js');
      const { diffGuidelines } = await import('../../guideline/diff.js');
      const { renderDiff } = await import('../../guideline/diff-render.js');
      const [a, b] = await Promise.all([loadGuideline(oldId), loadGuideline(newId)]);
      const d = diffGuidelines(a.guideline, b.guideline, opts.program);
      io.out(renderDiff(d, opts.format as 'text' | 'markdown' | 'json'));
    });

  g.command('score')
    .description("each capability's score from its achievements and the criteria weights, against the cutoff")
    .argument('<id>', 'guideline id or path')
    .option('--format <F>', 'text, csv or json', 'text')
    .action(async (id: string, opts: { format: string }) => {
      if (!['text', 'csv', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (text, csv or json)`);
      const { loadGuideline } = await import('../../guideline/load.js');
      const { scoreGuideline, renderScores } = await import('../../guideline/score.js');
      const { guideline } = await loadGuideline(id);
      io.out(renderScores(scoreGuideline(guideline), opts.format as 'text' | 'csv' | 'json'));
    });
}
