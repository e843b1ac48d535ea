import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';

/**
 * A DSSE envelope (in-toto test-result statement or SLSA verification summary) or a
 * committee certification statement (with its detached .sig) instead of a report;
 * undefined when the file is neither (then it is verified as a report).
 */
async function verifyOtherForms(file: string, sigFile: string | undefined, trustedKeys: import('node:crypto').KeyObject[]): Promise<{ accepted: boolean; signer?: string; checks: { check: string; ok: boolean; detail: string }[]; summary: string } | undefined> {
  const { readInputFile, INPUT_LIMITS } = await import('../../util/input-file.js');
  let bytes: Buffer;
  try {
    // Bounded and regular files only: /dev/zero or a FIFO must not eat the memory or hang.
    bytes = await readInputFile(file, INPUT_LIMITS.report);
  } catch {
    return undefined; // the report path reports the unreadable file
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const { looksLikeEnvelope, verifyEnvelope } = await import('../../report/attest.js');
  if (looksLikeEnvelope(doc)) {
    const r = verifyEnvelope(doc, trustedKeys);
    const subj = r.statement?.subject[0];
    return { accepted: r.accepted, ...(r.signer ? { signer: r.signer } : {}), checks: r.checks, summary: `${r.statement?.predicateType ?? 'envelope'} about ${subj?.name ?? '?'} (sha256 ${subj?.digest['sha256']?.slice(0, 16) ?? '?'}…)` };
  }
  const { looksLikeCertification, verifyCertificationBytes } = await import('../../report/certification.js');
  if (!looksLikeCertification(doc)) return undefined;
  const sigText = await readInputFile(sigFile ?? `${file}.sig`, INPUT_LIMITS.key).then((b) => b.toString('utf8')).catch(() => undefined);
  const r = verifyCertificationBytes(bytes, sigText, trustedKeys);
  const st = r.statement;
  return { accepted: r.accepted, ...(r.signer ? { signer: r.signer } : {}), checks: r.checks, summary: st ? `certification ${st.id}: ${st.vendor} ${st.product.name}, program ${st.program}, guideline ${st.guideline.id}, valid until ${st.validUntil}` : '' };
}

/** `defcore verify`: accept or reject a signed report, with the reason. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('verify')
    .description('verify a signed report: signature by a trusted key, schema, guideline hash, and its verdict re-derived from its own results (exit 0 only when acceptable)')
    .argument('<report>', 'report.json (its signature is <report>.sig)')
    .option('--pubkey <file>', 'the public key the report must be signed with (OpenSSH .pub or PEM)')
    .option('--trusted-keys <dir>', 'directory of trusted public keys (*.pub, *.pem)')
    .option('--sig <file>', 'signature file (default <report>.sig)')
    .option('--guidelines-dir <dir>', 'where the guideline files are (default: the guidelines shipped with defcore)')
    .option('--require-pass', 'also reject an authentic report whose program verdict is FAIL')
    .option('--format <F>', 'text or json', 'text')
    .action(async (file: string, opts: { pubkey?: string; trustedKeys?: string; sig?: string; guidelinesDir?: string; requirePass?: boolean; format: string }) => {
      if (!['text', 'json'].includes(opts.format)) throw new UsageError(`unknown format "${opts.format}" (text or json)`);
      const { readPublicKey } = await import('../../report/keys.js');
      const { readTrustedKeys, verifyReportFile } = await import('../../report/verify.js');
      const trustedKeys = [
        ...(opts.pubkey ? [await readPublicKey(path.resolve(io.cwd, opts.pubkey))] : []),
        ...(opts.trustedKeys ? await readTrustedKeys(path.resolve(io.cwd, opts.trustedKeys)) : []),
      ];
      const dir = opts.guidelinesDir ? path.resolve(io.cwd, opts.guidelinesDir) : undefined;
      const other = await verifyOtherForms(path.resolve(io.cwd, file), opts.sig ? path.resolve(io.cwd, opts.sig) : undefined, trustedKeys);
      if (other) {
        if (opts.format === 'json') io.out(JSON.stringify({ accepted: other.accepted, signer: other.signer, checks: other.checks }, null, 2) + '\n');
        else {
          for (const c of other.checks) io.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`);
          io.out(other.accepted ? `ACCEPTED: ${file}: ${other.summary}\n` : `REJECTED: ${file}: ${other.checks.find((c) => !c.ok)?.detail ?? 'not acceptable'}\n`);
        }
        exit.code = other.accepted ? 0 : 1;
        return;
      }
      const result = await verifyReportFile(path.resolve(io.cwd, file), {
        trustedKeys,
        ...(opts.sig ? { sigFile: path.resolve(io.cwd, opts.sig) } : {}),
        ...(dir
          ? {
              loadGuideline: async (id: string) => {
                const { loadGuideline } = await import('../../guideline/load.js');
                return loadGuideline(id, { dir });
              },
            }
          : {}),
      });
      if (opts.requirePass && result.report) {
        const v = result.report.evaluation.verdict;
        result.checks.push({ check: 'verdict', ok: v === 'pass', detail: v === 'pass' ? 'program verdict is PASS (--require-pass)' : 'the program verdict is FAIL (--require-pass)' });
        result.accepted = result.accepted && v === 'pass';
      }
      if (opts.format === 'json') {
        io.out(JSON.stringify({ accepted: result.accepted, signer: result.signer, checks: result.checks }, null, 2) + '\n');
      } else {
        // details quote the report (a file anyone may hand us): never raw to the terminal
        const { printableLine } = await import('../../util/terminal.js');
        for (const c of result.checks) io.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${printableLine(c.detail)}\n`);
        const r = result.report;
        io.out(printableLine(
          result.accepted
            ? `ACCEPTED: ${file}: guideline ${r!.guideline.id}, program ${r!.program}, cloud ${r!.cloud.name} (${r!.cloud.id}): ${r!.evaluation.verdict.toUpperCase()}`
            : `REJECTED: ${file}: ${result.checks.find((c) => !c.ok)?.detail ?? 'not acceptable'}`,
        ) + '\n');
      }
      exit.code = result.accepted ? 0 : 1;
    });
}
