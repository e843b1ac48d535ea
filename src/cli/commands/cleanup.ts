import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore cleanup`: remove what earlier (interrupted or crashed) runs left behind. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('cleanup')
    .description('remove resources left by earlier runs (names starting with the run prefix) from a cloud')
    .option('--os-cloud <name>', 'the cloud (default: OS_CLOUD, OS_* variables, or the local dev cloud)')
    .option('--prefix <prefix>', 'name prefix of what to remove: defcore- (every run) or one run\'s defcore-xxxxxx-', 'defcore-')
    .action(async (flags: { osCloud?: string; prefix: string }) => {
      if (!/^defcore-/.test(flags.prefix)) throw new UsageError(`--prefix must start with "defcore-" so that nothing but our own leftovers can match (got "${flags.prefix}")`);
      const path = await import('node:path');
      const { resolveAccounts, openAccounts } = await import('../../cloud/accounts.js');
      const { repoRoot } = await import('../../util/paths.js');
      const { sweepAll } = await import('../../cleanup/registry.js');
      const cfg = resolveAccounts({
        cli: flags.osCloud ? { osCloud: flags.osCloud } : {},
        env: io.env,
        cwd: io.cwd,
        fallbackFiles: [path.join(repoRoot(), '.dev-cloud', 'clouds.yaml')],
      });
      const { primary } = await openAccounts(cfg, { authenticate: true });
      try {
        const { removed, failures } = await sweepAll(primary!, flags.prefix);
        const { printableLine } = await import('../../util/terminal.js');
        const { redactText } = await import('../../cloud/redact.js');
        const safe = (t: string) => printableLine(redactText(primary!.redactText ? primary!.redactText(t) : t));
        for (const r of removed) io.out(`removed ${safe(r)}\n`);
        for (const f of failures) io.err(`defcore: cleanup: ${safe(f)}\n`);
        io.err(`defcore: removed ${removed.length} resource(s) with prefix ${flags.prefix} from cloud ${cfg.clouds.primary ?? 'envvars'}\n`);
        exit.code = failures.length ? 1 : 0;
      } finally {
        primary?.close();
      }
    });
}
