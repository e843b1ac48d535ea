/** Reading report files: parsed, schema-validated, with the exact bytes kept for verification. */
import { readFailure, readInputFile } from '../util/input-file.js';
import { ReportError, type Report } from './model.js';
import { assertReport } from './schema.js';

/** Reports hold evidence, not logs; anything beyond this is not a report. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** A report as read from a file. */
export interface LoadedReport {
  report: Report;
  file: string;
  /** The file's bytes exactly as read. */
  bytes: Buffer;
}

/** Parses report bytes and validates them against the schema; `source` names the file in errors. */
export function parseReport(bytes: Buffer, source: string): Report {
  if (bytes.length > MAX_REPORT_BYTES) throw new ReportError(`${source}: larger than ${MAX_REPORT_BYTES} bytes; not a defcore report`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ReportError(`${source}: invalid JSON: ${(e as Error).message}`);
  }
  assertReport(doc, source);
  return doc;
}

/** Reads and validates a report file. */
export async function readReport(file: string): Promise<LoadedReport> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, MAX_REPORT_BYTES);
  } catch (e) {
    throw new ReportError(`cannot read report ${file}: ${readFailure(e)}`);
  }
  return { report: parseReport(bytes, file), file, bytes };
}
