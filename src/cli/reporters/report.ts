/**
 * The run reporter that writes report.json, report.html, junit.xml (and
 * report.json.sig with `--sign KEY`) into the run's directory at the end of a run.
 * The CLI composes it with the runner's reporters (`registerReportReporter()` before
 * `defaultReporters()`): the runner knows nothing of reports, reports nothing of runs.
 */
import type { Reporter, ReporterOptions, RunSummary } from '../../runner/events.js';
import { registerReporter } from '../../runner/reporters/registry.js';

/** Adds the report reporter to the run's default reporters. */
export function registerReportReporter(): void {
  registerReporter({ name: 'report', default: true, create: createReportReporter });
}

/** Creates the report-files reporter; heavy modules load only when the run ends. */
export function createReportReporter(opts: ReporterOptions): Reporter {
  return {
    name: 'report',
    async onEnd(summary: RunSummary) {
      const { toolVersion } = await import('../../util/version.js');
      const { reportInputFromRun } = await import('./report-input.js');
      const { buildReport } = await import('../../report/build.js');
      const { writeRunReports } = await import('../../report/write.js');
      const report = buildReport(reportInputFromRun(summary, toolVersion(), undefined, summary.guidelines?.slice(1).map((g) => g.loaded)));
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
  const { readPrivateKey, fingerprint } = await import('../../report/keys.js');
  const { createPublicKey } = await import('node:crypto');
  return fingerprint(createPublicKey(await readPrivateKey(file)));
}
