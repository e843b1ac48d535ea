/**
 * The run reporter that writes report.json, report.html, junit.xml (and
 * report.json.sig with `--sign KEY`) into the run's directory at the end of a run.
 * The runner registers it: `registerReporter({ name: 'report', default: true, create: createReportReporter })`.
 */
import type { Reporter, ReporterOptions, RunSummary } from '../runner/events.js';

/** Creates the report-files reporter; heavy modules load only when the run ends. */
export function createReportReporter(opts: ReporterOptions): Reporter {
  return {
    name: 'report',
    async onEnd(summary: RunSummary) {
      const { toolVersion } = await import('../util/version.js');
      const { reportInputFromRun } = await import('./from-run.js');
      const { buildReport } = await import('./build.js');
      const { writeRunReports } = await import('./write.js');
      const report = buildReport(reportInputFromRun(summary, toolVersion()));
      const files = await writeRunReports(summary.info.outputDir, report, opts.signKey ? { signKey: opts.signKey } : {});
      if (files.signature) opts.err(`defcore: signed report: ${files.signature}\n`);
    },
  };
}

/**
 * Checks before a run that a signing key can be used, so a bad `--sign` path fails
 * at once rather than after an hour of tests. Returns the key's fingerprint.
 */
export async function checkSigningKey(file: string): Promise<string> {
  const { readPrivateKey, fingerprint } = await import('./keys.js');
  const { createPublicKey } = await import('node:crypto');
  return fingerprint(createPublicKey(await readPrivateKey(file)));
}
