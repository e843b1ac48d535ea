import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore keys generate`: a signing key pair for reports. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  const keys = program.command('keys').description('signing keys for reports');
  keys
    .command('generate')
    .description('generate a key pair: PATH (private, PEM, mode 0600, never overwritten) and PATH.pub (OpenSSH)')
    .option('--type <T>', 'ed25519 or rsa (RSA 4096, PKCS#1 v1.5 SHA-256 signatures, for RefStack)', 'ed25519')
    .option('-o, --output <path>', 'private key path (default ./defcore_<type>)')
    .action(async (opts: { type: string; output?: string }) => {
      if (opts.type !== 'ed25519' && opts.type !== 'rsa') throw new UsageError(`unknown key type "${opts.type}" (ed25519 or rsa)`);
      const file = path.resolve(io.cwd, opts.output ?? `defcore_${opts.type}`);
      const { generateKeyFiles } = await import('../../report/keys.js');
      const k = await generateKeyFiles(file, opts.type);
      const rel = (f: string) => path.relative(io.cwd, f) || f;
      io.out(`private key: ${rel(k.privateKeyFile)} (keep it secret)\npublic key:  ${rel(k.publicKeyFile)}\nfingerprint: ${k.fingerprint}\n`);
      exit.code = 0;
    });
}
