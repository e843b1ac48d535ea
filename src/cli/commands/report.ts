import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

const FORMATS = ['html', 'markdown', 'junit', 'json', 'refstack'];

/** `defcore report render|sign`: renderings of a report.json and detached signatures. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  const report = program.command('report').description('render and sign defcore reports (report.json)');

  report
    .command('render')
    .description('render a report as HTML, Markdown (pull-request comments), JUnit XML, JSON or RefStack upload JSON')
    .argument('<report>', 'report.json written by defcore run')
    .requiredOption('--format <F>', `one of ${FORMATS.join(', ')}`)
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (file: string, opts: { format: string; output?: string }) => {
      if (!FORMATS.includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (${FORMATS.join(', ')})`);
      const { readReport } = await import('../../report/read.js');
      const { renderReport } = await import('../../report/render/index.js');
      const { checkOutputFile, writeOutputFile } = await import('../output.js');
      const output = opts.output ? path.resolve(io.cwd, opts.output) : undefined;
      if (output) await checkOutputFile(output);
      const { report: r } = await readReport(path.resolve(io.cwd, file));
      const text = await renderReport(r, opts.format as 'html');
      if (output) await writeOutputFile(output, text);
      else io.out(text);
      exit.code = 0;
    });

  report
    .command('attest')
    .description('export a report as an in-toto Statement (test-result v0.1) in a signed DSSE envelope, for generic supply-chain tools; defcore verify checks it')
    .argument('<report>', 'report.json written by defcore run')
    .requiredOption('--key <file>', 'private key (PEM) from defcore keys generate')
    .option('-o, --output <file>', 'where to write the envelope (default <report>.intoto.json)')
    .action(async (file: string, opts: { key: string; output?: string }) => {
      const reportFile = path.resolve(io.cwd, file);
      const { readReport } = await import('../../report/read.js');
      const { readPrivateKey } = await import('../../report/keys.js');
      const { reportStatement, signEnvelope } = await import('../../report/attest.js');
      const { writeFile } = await import('node:fs/promises');
      const { report: r, bytes } = await readReport(reportFile);
      const envelope = signEnvelope(reportStatement(r, bytes, path.basename(reportFile)), await readPrivateKey(path.resolve(io.cwd, opts.key)));
      const out = opts.output ? path.resolve(io.cwd, opts.output) : reportFile.replace(/\.json$/, '') + '.intoto.json';
      await writeFile(out, JSON.stringify(envelope, null, 2) + '\n');
      io.out(`in-toto test-result statement of ${file} signed by ${envelope.signatures[0]!.keyid}: ${path.relative(io.cwd, out) || out}\n`);
      exit.code = 0;
    });

  report
    .command('sign')
    .description('sign a report: writes <report>.sig (detached signature over its canonical bytes, with the public key)')
    .argument('<report>', 'report.json written by defcore run')
    .requiredOption('--key <file>', 'private key (PEM) from defcore keys generate')
    .option('--refstack', "also write RefStack's upload body (<report>.refstack.json) and signed headers (<report>.refstack.headers, X-Signature/X-Public-Key; RSA keys only)")
    .action(async (file: string, opts: { key: string; refstack?: boolean }) => {
      const reportFile = path.resolve(io.cwd, file);
      const keyFile = path.resolve(io.cwd, opts.key);
      const { signReportFile } = await import('../../report/write.js');
      if (opts.refstack) {
        // checked first so that an ed25519 key fails before anything is written
        const { readPrivateKey } = await import('../../report/keys.js');
        const key = await readPrivateKey(keyFile);
        if (key.asymmetricKeyType !== 'rsa') throw new UsageError(`--refstack needs an RSA key: RefStack's server verifies RSA PKCS#1 v1.5 SHA-256 signatures only (defcore keys generate --type rsa)`);
      }
      const { sigFile, fingerprint } = await signReportFile(reportFile, keyFile);
      io.out(`signed ${file} with ${fingerprint}: ${path.relative(io.cwd, sigFile) || sigFile}\n`);
      if (opts.refstack) {
        const { readReport } = await import('../../report/read.js');
        const { readPrivateKey } = await import('../../report/keys.js');
        const { refstackBody, refstackHeaders } = await import('../../report/refstack.js');
        const { writeFile } = await import('node:fs/promises');
        const { report: r } = await readReport(reportFile);
        const body = refstackBody(r);
        if (!r.tests.some((t) => t.status === 'pass')) throw new UsageError('RefStack refuses uploads without a passing test; no RefStack files written');
        const headers = refstackHeaders(body, await readPrivateKey(keyFile));
        const base = reportFile.replace(/\.json$/, '');
        await writeFile(`${base}.refstack.json`, body);
        await writeFile(`${base}.refstack.headers`, `Content-Type: application/json\nX-Signature: ${headers['X-Signature']}\nX-Public-Key: ${headers['X-Public-Key']}\n`);
        const rel = (f: string) => path.relative(io.cwd, f) || f;
        io.out(`RefStack upload: ${rel(`${base}.refstack.json`)} with headers ${rel(`${base}.refstack.headers`)}\n`);
        io.out(`  curl -X POST -H @${rel(`${base}.refstack.headers`)} --data-binary @${rel(`${base}.refstack.json`)} https://<refstack-server>/v1/results/\n`);
      }
      exit.code = 0;
    });
}
