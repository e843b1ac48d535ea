import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore serve`: the review service (JSON API and web pages) on one port. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('serve')
    .description('run the review service: vendors submit signed reports, the committee reviews and certifies (embedded database by default, PostgreSQL when DATABASE_URL is set)')
    .option('--port <n>', 'TCP port', '8000')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'directory of the embedded database and the generated committee key', '.defcore-serve')
    .option('--guidelines-dir <dir>', 'guideline files (default: the guidelines shipped with defcore)')
    .option('--committee-key <file>', 'the committee\'s private key (PEM) that signs certifications (default: <data>/committee_ed25519, generated on first start)')
    .option('--lifetime-days <n>', 'how long a certification lasts', '730')
    .option('--grace-days <n>', 'how long it lasts after its guideline is superseded', '180')
    .option('--max-body-mb <n>', 'largest request body', '32')
    .option('--rate-limit <n>', 'requests per minute per client address (log-in gets a tenth)', '600')
    .option('--secure-cookies', 'mark the session cookie Secure (when a TLS-terminating proxy is in front)')
    .option('--quiet', 'no request log')
    .action(async (opts: { port: string; host: string; data: string; guidelinesDir?: string; committeeKey?: string; lifetimeDays: string; graceDays: string; maxBodyMb: string; rateLimit: string; secureCookies?: boolean; quiet?: boolean }) => {
      const num = (v: string, name: string, min: number, max: number) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: an integer from ${min} to ${max}`);
        return n;
      };
      const port = num(opts.port, 'port', 0, 65535);
      const lifetimeDays = num(opts.lifetimeDays, 'lifetime-days', 1, 36500);
      const graceDays = num(opts.graceDays, 'grace-days', 0, 36500);
      const bodyLimit = num(opts.maxBodyMb, 'max-body-mb', 1, 1024) * 1024 * 1024;
      const rateLimit = num(opts.rateLimit, 'rate-limit', 1, 1_000_000);
      const { setupContext } = await import('../../serve/setup.js');
      const { buildApp } = await import('../../serve/app.js');
      const databaseUrl = io.env['DATABASE_URL'];
      const admin = io.env['DEFCORE_ADMIN_EMAIL'] && io.env['DEFCORE_ADMIN_PASSWORD'] ? { email: io.env['DEFCORE_ADMIN_EMAIL'], password: io.env['DEFCORE_ADMIN_PASSWORD'] } : undefined;
      const ctx = await setupContext({
        ...(databaseUrl ? { databaseUrl } : {}),
        dataDir: path.resolve(io.cwd, opts.data),
        ...(opts.guidelinesDir ? { guidelinesDir: path.resolve(io.cwd, opts.guidelinesDir) } : {}),
        ...(opts.committeeKey ? { committeeKeyFile: path.resolve(io.cwd, opts.committeeKey) } : {}),
        validity: { lifetimeDays, graceDays },
        ...(admin ? { admin } : {}),
      }).catch((e: unknown) => {
        const err = e as Error;
        // the URL may hold a password: never echo it
        throw new UsageError(`cannot open the ${databaseUrl ? 'PostgreSQL database (DATABASE_URL)' : 'embedded database'}: ${err.message.replace(/postgres(ql)?:\/\/\S+/g, '<DATABASE_URL>')}`);
      });
      const app = await buildApp({ ctx, bodyLimit, rateLimit, secureCookies: Boolean(opts.secureCookies), ...(opts.quiet ? {} : { log: (l: string) => io.err(`${new Date().toISOString()} ${l}\n`) }) });
      const address = await app.listen({ port, host: opts.host });
      io.out(`defcore serve: ${address} (${ctx.db.kind === 'embedded' ? `embedded database in ${path.resolve(io.cwd, opts.data, 'db')}` : 'PostgreSQL from DATABASE_URL'})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void app.close().then(() => ctx.db.close()).finally(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      exit.code = 0;
    });
}
