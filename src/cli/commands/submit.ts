import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/** `defcore submit`: upload a signed report to a `defcore serve`. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('submit')
    .description('submit a signed report (report.json and report.json.sig) to a defcore review service')
    .argument('<report>', 'report.json (its signature is <report>.sig)')
    .requiredOption('--server <url>', 'the service, e.g. http://127.0.0.1:8000')
    .option('--sig <file>', 'signature file (default <report>.sig)')
    .option('--product <id>', 'link the submission to this product of yours')
    .option('--token-file <file>', 'file holding the API token (default: the DEFCORE_TOKEN environment variable)')
    .option('--timeout <s>', 'give up after this many seconds', '120')
    .action(async (file: string, opts: { server: string; sig?: string; product?: string; tokenFile?: string; timeout: string }) => {
      const { readInputFile, readFailure, INPUT_LIMITS } = await import('../../util/input-file.js');
      const reportFile = path.resolve(io.cwd, file);
      const sigFile = opts.sig ? path.resolve(io.cwd, opts.sig) : `${reportFile}.sig`;
      let url: URL;
      try {
        url = new URL('/api/v1/submissions', opts.server);
      } catch {
        throw new UsageError(`--server: not a URL: ${opts.server}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--server: http or https URL');
      if (url.username || url.password) throw new UsageError('--server: put no credentials in the URL; give the API token with DEFCORE_TOKEN or --token-file');
      let token = io.env['DEFCORE_TOKEN'];
      if (opts.tokenFile) {
        try {
          token = (await readInputFile(path.resolve(io.cwd, opts.tokenFile), INPUT_LIMITS.key)).toString('utf8').trim();
        } catch (e) {
          throw new UsageError(`cannot read --token-file ${opts.tokenFile}: ${readFailure(e)}`);
        }
      }
      if (!token) throw new UsageError('no API token: set DEFCORE_TOKEN or give --token-file (create one on the server: POST /api/v1/tokens)');
      const read = async (f: string, what: string) => {
        try {
          return (await readInputFile(f, what === 'report' ? INPUT_LIMITS.report : INPUT_LIMITS.key)).toString('utf8');
        } catch (e) {
          throw new UsageError(`cannot read ${what} ${f}: ${readFailure(e)}`);
        }
      };
      const report = await read(reportFile, 'report');
      const signature = await read(sigFile, 'signature');
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout: a positive number of seconds');
      const product = opts.product === undefined ? undefined : Number(opts.product);
      if (product !== undefined && !Number.isInteger(product)) throw new UsageError('--product: a product id');
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ report, signature, ...(product !== undefined ? { product } : {}) }),
          signal: AbortSignal.timeout(timeout * 1000),
          redirect: 'error',
        });
      } catch (e) {
        throw new UsageError(`cannot reach ${url.origin}: ${(e as Error).name === 'TimeoutError' ? `no answer within ${timeout} s` : ((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message)}`);
      }
      const text = (await res.text()).slice(0, 1_000_000);
      let doc: { submission?: { id: number; sha256: string; verdict: string; guideline: string; program: string }; duplicate?: boolean; message?: string; checks?: { check: string; ok: boolean; detail: string }[] };
      try {
        doc = JSON.parse(text) as typeof doc;
      } catch {
        throw new UsageError(`${url.origin} answered ${res.status} with something other than JSON`);
      }
      if (!res.ok || !doc.submission) {
        for (const c of doc.checks ?? []) io.err(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`);
        io.err(`defcore: submission refused (${res.status}): ${doc.message ?? 'no reason given'}\n`);
        exit.code = res.status >= 500 ? 3 : 1;
        return;
      }
      const s = doc.submission;
      io.out(`${doc.duplicate ? 'already submitted' : 'submitted'}: #${s.id} sha256 ${s.sha256}: guideline ${s.guideline}, program ${s.program}: ${s.verdict.toUpperCase()}\n`);
      io.out(`  ${new URL(`/submissions/${s.id}`, opts.server).href}\n`);
      exit.code = 0;
    });
}
