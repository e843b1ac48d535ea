import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from '../main.js';
import type { ComputeSettingFlags } from '../../cloud/compute-settings.js';
import { DEFAULT_CONCURRENCY } from '../../runner/slots.js';


import type { ValidationFlags } from '../../validation/settings.js';

interface RunFlags extends ComputeSettingFlags, ValidationFlags {
  guideline: string;
  program: string;
  osCloud?: string;
  altCloud?: string;
  resellerCloud?: string;
  adminCloud?: string;
  config?: string;
  status: string;
  concurrency: string;
  timeout: string;
  only?: string;
  rerunFailed?: string;
  output?: string;
  sign?: string;
  format: string;
  maxResponseMb: string;
  teardownTimeout: string;
  retries?: string;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1 (got "${value}")`);
  return n;
}

/** A test deadline beyond a day is a typo, and beyond ~24.8 days Node's timers overflow and fire at once. */
const MAX_TIMEOUT_S = 86_400;

/** `defcore run`: run a guideline program's tests natively against a cloud. */
export function register(program: Command, io: CliIO, exit: ExitSink): void {
  program
    .command('run')
    .description('run the native checks of a guideline program against a cloud and judge it')
    .requiredOption('--guideline <id>', 'guideline id (2020.06, next, dns.2020.06) or YAML path; several, comma separated (2019.11,2020.06,next), run their tests once and judge each')
    .requiredOption('--program <P>', 'platform, compute, object, dns or orchestration')
    .option('--os-cloud <name>', 'primary account: a cloud of clouds.yaml (default: OS_CLOUD, OS_* variables, or the local dev cloud)')
    .option('--alt-cloud <name>', 'a second ordinary user in another project (ACL and sharing tests)')
    .option('--reseller-cloud <name>', 'a user with the ResellerAdmin role (quota tests)')
    .option('--admin-cloud <name>', 'an admin user (admin-only capabilities)')
    .option('--config <file>', 'run config naming the clouds (default ./defcore.yaml when present)')
    .option('--image-ref <name|id>', "image servers boot from (Tempest's image_ref; default: discovered)")
    .option('--image-ref-alt <name|id>', 'a second image, for rebuild and filters (image_ref_alt; default: discovered)')
    .option('--flavor-ref <name|id>', 'flavor servers boot with (flavor_ref; default: the smallest that fits the image)')
    .option('--flavor-ref-alt <name|id>', 'a second flavor, to resize to (flavor_ref_alt; default: the next smallest)')
    .option('--fixed-network <name|id>', 'network servers boot on (fixed_network_name; default: discovered)')
    .option('--status <S>', 'capability statuses to run, comma separated, or all', 'required')
    .option('--concurrency <N>', 'tests run at once', String(DEFAULT_CONCURRENCY))
    .option('--timeout <seconds>', 'deadline of one test', '300')
    .option('--only <pattern>', 'only tests whose name matches (regular expression or substring)')
    .option('--rerun-failed <report>', 'rerun the tests that did not pass in an earlier run (its directory or results.json); the rest keep their results')
    .option('--output <dir>', 'where to write results (default reports/<cloud>-<guideline>-<program>-<time>)')
    .option('--sign <key>', 'sign the report with this private key')
    .option('--format <F>', 'verdict on stdout: text or json', 'text')
    // Guest validation, as Tempest's [validation] group (also `validation:` in defcore.yaml).
    .option('--run-validation', 'log in to guests over SSH (needed to certify Compute and Platform)')
    .option('--validation-image <ref>', 'image to boot for guest validation (name or id)')
    .option('--validation-flavor <ref>', 'flavor to boot for guest validation (name or id)')
    .option('--image-ssh-user <user>', "user to log in as (default: the image's os_admin_user or ssh_user property)")
    .option('--connect-method <M>', 'floating (a floating IP per server) or fixed (the address on --network-for-ssh)')
    .option('--network-for-ssh <net>', 'network to boot on and reach the guest through (name or id)')
    .option('--floating-network-name <net>', 'external network for floating IPs (default: the only external network)')
    .option('--ip-version-for-ssh <4|6>', 'address family to connect over (default 4)')
    .option('--ssh-timeout <seconds>', 'until SSH must let us in (default 300)')
    .option('--connect-timeout <seconds>', 'one SSH connection attempt (default 60)')
    .option('--build-timeout <seconds>', 'until a validation server is ACTIVE (default 300)')
    .option('--command-timeout <seconds>', 'one command in the guest (default 60)')
    .option('--teardown-timeout <seconds>', 'after Ctrl-C, how long cleanup may take before the run stops waiting', '30')
    .option('--retries <N>', 'run a test again up to N times when it failed for a transport reason (reset, 502/503/504); a later pass is reported as flaky (default 1 when CI is set, else 0)')
    .option('--max-response-mb <N>', 'refuse response bodies larger than this (MiB)', '64')
    .action(async (flags: RunFlags) => {
      if (!['text', 'json'].includes(flags.format)) throw new UsageError(`unknown format "${flags.format}" (text or json)`);
      const concurrency = positiveInt(flags.concurrency, '--concurrency');
      const timeoutS = positiveInt(flags.timeout, '--timeout');
      if (timeoutS > MAX_TIMEOUT_S) throw new UsageError(`--timeout must be at most ${MAX_TIMEOUT_S} seconds (got "${flags.timeout}")`);
      const timeoutMs = timeoutS * 1000;
      const teardownS = positiveInt(flags.teardownTimeout, '--teardown-timeout');
      if (teardownS > 3600) throw new UsageError(`--teardown-timeout must be at most 3600 seconds (got "${flags.teardownTimeout}")`);
      const teardownMs = teardownS * 1000;
      // CI mode (the CI variable most CI systems set) tolerates one transport fault per test by default.
      const retriesText = flags.retries ?? (io.env['CI'] && io.env['CI'] !== 'false' && io.env['CI'] !== '0' ? '1' : '0');
      const retries = Number(retriesText);
      if (!/^\d+$/.test(retriesText) || retries > 5) throw new UsageError(`--retries must be a whole number from 0 to 5 (got "${retriesText}")`);
      const maxResponseMb = positiveInt(flags.maxResponseMb, '--max-response-mb');
      if (maxResponseMb > 4096) throw new UsageError(`--max-response-mb must be at most 4096 (got "${flags.maxResponseMb}")`);
      const path = await import('node:path');
      const { prepareOutputDir } = await import('../output.js');
      // checked (and created) before anything else: a run must not end with nowhere to write
      if (flags.output) await prepareOutputDir(path.resolve(io.cwd, flags.output));
      const { loadGuideline } = await import('../../guideline/load.js');
      const { parseStatuses, programComponents } = await import('../../guideline/select.js');
      const { resolveAccounts, openAccounts } = await import('../../cloud/accounts.js');
      const { repoRoot } = await import('../../util/paths.js');
      const { runGuideline } = await import('../../runner/run.js');
      const { defaultReporters } = await import('../../runner/reporters/registry.js');
      const { registerReportReporter, checkSigningKey } = await import('../reporters/report.js');
      registerReportReporter();
      const { renderEvaluationText } = await import('../../evaluate/render.js');
      const { previousResults } = await import('../../runner/previous.js');

      if (flags.sign) {
        // a bad key must fail now, not after an hour of tests
        io.err(`defcore: will sign the report with key ${await checkSigningKey(path.resolve(io.cwd, flags.sign))}\n`);
      }
      const { existsSync } = await import('node:fs');
      // a comma separates guidelines, unless the whole value names a file
      const guidelineIds = existsSync(path.resolve(io.cwd, flags.guideline)) ? [flags.guideline] : flags.guideline.split(',').map((g) => g.trim());
      if (guidelineIds.some((g) => !g)) throw new UsageError(`--guideline has an empty entry (got "${flags.guideline}")`);
      const judged: Awaited<ReturnType<typeof loadGuideline>>[] = [];
      for (const id of guidelineIds) {
        const one = await loadGuideline(id);
        if (judged.some((j) => j.guideline.id === one.guideline.id)) throw new UsageError(`--guideline names ${one.guideline.id} twice`);
        programComponents(one.guideline, flags.program); // a bad program is bad input, before touching the cloud
        judged.push(one);
      }
      const loaded = judged[0]!;
      const also = judged.slice(1);
      const statuses = parseStatuses(flags.status);
      const previous = flags.rerunFailed ? await previousResults(flags.rerunFailed) : undefined;
      if (previous) {
        const runs = [...new Set(previous.kept.map((r) => r.carriedFrom?.run ?? '?'))].join(', ');
        io.err(`defcore: --rerun-failed: ${previous.rerun.size ? 'running again what did not pass' : 'nothing to run again'}; ${previous.kept.length} passing result(s) carried over${runs ? ` from ${runs}` : ''} (marked as such in results.json and the report)\n`);
      }

      const accountsCfg = resolveAccounts({
        cli: {
          ...(flags.osCloud ? { osCloud: flags.osCloud } : {}),
          ...(flags.altCloud ? { altCloud: flags.altCloud } : {}),
          ...(flags.resellerCloud ? { resellerCloud: flags.resellerCloud } : {}),
          ...(flags.adminCloud ? { adminCloud: flags.adminCloud } : {}),
        },
        ...(flags.config ? { runConfig: flags.config } : {}),
        env: io.env,
        cwd: io.cwd,
        fallbackFiles: [path.join(repoRoot(), '.dev-cloud', 'clouds.yaml')],
      });
      for (const w of accountsCfg.warnings) io.err(`defcore: warning: ${w}\n`);
      const { readComputeSettings } = await import('../../cloud/compute-settings.js');
      const computeSettings = readComputeSettings({ flags, ...(accountsCfg.runConfigFile ? { runConfigFile: accountsCfg.runConfigFile } : {}) });
      const { runValidationFrom } = await import('../../validation/run-config.js');
      const validationSettings = runValidationFrom(accountsCfg, flags, path.join(repoRoot(), '.dev-cloud', 'defcore.yaml'));
      const accounts = await openAccounts(accountsCfg, { authenticate: true, maxResponseBytes: maxResponseMb * 1024 * 1024 });
      const cloudName = accountsCfg.clouds.primary ?? 'envvars';
      const roles = Object.entries(accountsCfg.clouds).map(([r, c]) => `${r}=${c}`).join(' ');
      io.err(`defcore: accounts: ${roles || 'primary=envvars'}\n`);
      let validation: import('../../validation/resolve.js').ResolvedValidation | undefined;
      if (validationSettings) {
        const { resolveValidation } = await import('../../validation/resolve.js');
        // Bad or ambiguous references fail here, before the run creates anything.
        validation = await resolveValidation(accounts.primary!, validationSettings.settings);
        io.err(`defcore: guest validation (${validationSettings.source}): ${validation.choices.join('; ')}\n`);
      } else {
        io.err('defcore: guest validation is off: tests that log in to a guest will be skipped\n');
      }

      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
      const outputDir = flags.output
        ? path.resolve(io.cwd, flags.output)
        : path.resolve(io.cwd, 'reports', `${safe(cloudName)}-${judged.map((j) => safe(j.guideline.id)).join('+')}-${flags.program}-${stamp}`);
      if (!flags.output) await prepareOutputDir(outputDir);

      const { Interruption } = await import('../interrupt.js');
      const { newRunPrefix } = await import('../../runner/context.js');
      const interruption = new Interruption({ io, teardownMs, prefix: newRunPrefix(), clouds: [...new Set(Object.values(accountsCfg.clouds).filter((c): c is string => Boolean(c)))] });
      interruption.install();
      try {
        const reporters = [
          interruption.reporter(),
          ...(await defaultReporters({ isTTY: io.isTTY, out: io.out, err: io.err, ...(flags.sign ? { signKey: path.resolve(io.cwd, flags.sign) } : {}) })),
        ];
        const summary = await runGuideline({
          loaded,
          ...(also.length ? { also } : {}),
          program: flags.program,
          ...(statuses ? { statuses } : {}),
          accounts,
          cloudName,
          concurrency,
          timeoutMs,
          ...(flags.only ? { only: flags.only } : {}),
          ...(previous ? { subset: previous.rerun, carried: previous.kept } : {}),
          outputDir,
          reporters,
          err: io.err,
          computeSettings,
          ...(validation ? { validation } : {}),
          signal: interruption.signal,
          teardownMs,
          retries,
          prefix: interruption.prefix,
        });
        interruption.uninstall();
        if (summary.teardownIncomplete || summary.sweepIncomplete) io.err(interruption.leftovers());
        const evaluations = summary.guidelines?.map((g) => g.evaluation) ?? [summary.evaluation];
        if (flags.format === 'json') io.out(JSON.stringify(summary.guidelines ? evaluations : summary.evaluation, null, 2) + '\n');
        else {
          io.out(renderEvaluationText(summary.evaluation, { notImplemented: summary.notImplemented }));
          if (summary.guidelines) {
            const { renderMatrixText, cellOf } = await import('../../evaluate/matrix.js');
            const cells = evaluations.map(cellOf);
            io.out(`\nevery guideline judged by this run (program ${flags.program}):\n` + renderMatrixText({ cells, verdict: cells.every((c) => c.verdict === 'pass') ? 'pass' : 'fail' }));
          }
        }
        const { uncertifiedNote } = await import('../../validation/verdict-note.js');
        const note = uncertifiedNote(summary.evaluation, summary.results);
        if (note) (flags.format === 'json' ? io.err : io.out)(note);
        io.err(`defcore: results in ${outputDir}\n`);
        // several guidelines: success only when the cloud meets every one of them
        exit.code = summary.interrupted ? 130 : evaluations.every((e) => e.verdict === 'pass') ? 0 : 1;
      } finally {
        interruption.uninstall();
        for (const c of Object.values(accounts)) c?.close();
      }
    });
}
