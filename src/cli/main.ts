import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { processIO, type CliIO } from './io.js';
import { printableLine } from '../util/terminal.js';

/**
 * A command module in cli/commands/ exports `register`. Adding a command is adding
 * a file; main never lists them.
 */
export interface CommandModule {
  register(program: Command, io: CliIO, exit: ExitSink): void;
}

/** Commands report their exit code here (commander's action return values are ignored). */
export interface ExitSink {
  code: number;
}

async function loadCommands(program: Command, io: CliIO, exit: ExitSink): Promise<void> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = (await readdir(dir)).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.map')).sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as Partial<CommandModule>;
    if (typeof mod.register === 'function') mod.register(program, io, exit);
  }
}

/** Errors that describe bad input or an unusable cloud; shown as one line, exit 2 unless they carry an exitCode. */
const USER_ERRORS = new Set(['UsageError', 'GuidelineError', 'CloudError', 'ResultsError', 'SubunitError', 'ReportError', 'InputFileError']);

/** A failed system call on a path the user gave (EACCES, ENOSPC, EISDIR…): their environment, not our bug. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException & { syscall: string } {
  const x = e as NodeJS.ErrnoException | undefined;
  return typeof x?.code === 'string' && /^E[A-Z]+$/.test(x.code) && typeof x.syscall === 'string';
}

/** Runs the CLI; resolves to the process exit code. Never throws. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const exit: ExitSink = { code: 0 };
  const program = new Command('defcore')
    .description('OpenStack interoperability (DefCore/Interop) guidelines, native test runner and signed reports')
    .option('--debug', 'show stack traces for unexpected errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  await loadCommands(program, io, exit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" to commander but successes to the user
      return e.exitCode === 0 ? 0 : 2;
    }
    const err = e as Error & { exitCode?: number };
    // matched by name: module instances may differ under loaders, and any layer's
    // user-facing error class is enough to be shown as one line
    if (err && USER_ERRORS.has(err.name)) {
      // messages may quote a cloud or a file: never let them drive the terminal
      io.err(`defcore: ${printableLine(err.message)}\n`);
      return typeof err.exitCode === 'number' ? err.exitCode : 2;
    }
    if (isSystemError(err)) {
      io.err(`defcore: ${printableLine(`${err.path ? `${err.path}: ` : ''}${err.syscall} failed (${err.code})`)}\n`);
      return 2;
    }
    io.err(`defcore: internal error: ${printableLine(err?.message ?? String(e))}\n`);
    if (argv.includes('--debug') && err?.stack) io.err(err.stack + '\n');
    return 3;
  }
}
