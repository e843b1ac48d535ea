/**
 * The report input of a finished run, so the report reporter is one call. It maps the
 * runner's summary to the report layer's input, so it lives where both are composed.
 */
import type { RunSummary } from '../../runner/events.js';
import type { ReportInput } from '../../report/build.js';
import { ReportError } from '../../report/model.js';
import { CAPABILITY_STATUSES } from '../../guideline/model.js';

/**
 * Maps a run summary (pass the run's `--statuses` when it had them) to `buildReport`'s input. The run's own evaluation is passed
 * along, so `buildReport` refuses to write a report whose verdict it cannot reproduce.
 */
export function reportInputFromRun(summary: RunSummary, toolVersion: string, statuses?: ReportInput['statuses'], extra?: ReportInput['also']): ReportInput {
  const { info } = summary;
  if (!info.identity?.authUrl) throw new ReportError('cannot write a report: the run has no authenticated identity (Keystone URL unknown)');
  // the report keeps one string per service: the endpoint, and the version discovery found
  const services = Object.fromEntries(Object.entries(info.services).map(([type, url]) => [type, info.versions?.[type] ? `${url} (${info.versions[type]})` : url]));
  const cloud: ReportInput['cloud'] = { name: info.cloudName, authUrl: info.identity.authUrl, services };
  if (info.identity.region) cloud.region = info.identity.region;
  const input: ReportInput = {
    guideline: { guideline: info.guideline, file: info.guidelineFile, sha256: info.guidelineSha256 },
    program: info.program,
    cloud,
    startedAt: info.startedAt,
    finishedAt: summary.finishedAt,
    interrupted: summary.interrupted,
    results: summary.results,
    evaluation: summary.evaluation,
    toolVersion,
  };
  if (info.references) input.references = info.references;
  if (extra?.length) input.also = extra;
  // The run evaluated some statuses (--statuses); without them given, the ones its
  // evaluation holds reproduce it exactly (a status with no capabilities changes nothing).
  const present = CAPABILITY_STATUSES.filter((s) => summary.evaluation.capabilities.some((c) => c.status === s));
  input.statuses = statuses ?? (present.length ? present : [...CAPABILITY_STATUSES]);
  return input;
}
