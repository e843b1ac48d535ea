/** Writing reports: the canonical report.json, its renderings and signatures. */
import { writeFile } from 'node:fs/promises';
import { makeDirs } from '../util/mkdirs.js';
import path from 'node:path';
import { canonicalJson } from './canonical.js';
import { ReportError, type Report } from './model.js';
import { assertReport } from './schema.js';

/**
 * The bytes of a report file: its RFC 8785 canonical form and one newline. Stored
 * canonically so that the file a reviewer reads is byte for byte what was signed.
 */
export function reportFileBytes(report: Report): Buffer {
  assertReport(report, 'report');
  return Buffer.from(canonicalJson(report) + '\n', 'utf8');
}

/** Writes a report file (schema-validated, canonical). */
export async function writeReportFile(file: string, report: Report): Promise<void> {
  const bytes = reportFileBytes(report);
  try {
    await writeFile(file, bytes);
  } catch (e) {
    throw new ReportError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Signs a report file with a private key file; writes `<report>.sig` (or `sigFile`).
 * The report must be in its canonical form (as defcore writes it), so the signed
 * file is the verified file.
 */
export async function signReportFile(reportFile: string, keyFile: string, sigFile = `${reportFile}.sig`): Promise<{ sigFile: string; fingerprint: string }> {
  const { readReport } = await import('./read.js');
  const { readPrivateKey } = await import('./keys.js');
  const { signReport } = await import('./signature.js');
  const { report, bytes } = await readReport(reportFile);
  if (!bytes.equals(reportFileBytes(report))) {
    throw new ReportError(`${reportFile} is not in canonical form (was it edited or reformatted?); only reports as defcore writes them can be signed`);
  }
  const key = await readPrivateKey(keyFile);
  const sig = signReport(report, key);
  await writeFile(sigFile, JSON.stringify(sig, null, 2) + '\n');
  return { sigFile, fingerprint: sig.fingerprint };
}

/** The files `writeRunReports` wrote. */
export interface RunReportFiles {
  report: string;
  html: string;
  junit: string;
  /** Present when a signing key was given. */
  signature?: string;
}

/** Options of `writeRunReports`. */
export interface WriteRunReportsOptions {
  /** Private key file: also write report.json.sig. */
  signKey?: string;
}

/**
 * Writes a run's report files into its directory: report.json (this format),
 * report.html and junit.xml, and report.json.sig when a key is given.
 */
export async function writeRunReports(dir: string, report: Report, opts: WriteRunReportsOptions = {}): Promise<RunReportFiles> {
  const { renderHtml } = await import('./render/html.js');
  const { renderJunit } = await import('./render/junit.js');
  await makeDirs(dir);
  const files: RunReportFiles = { report: path.join(dir, 'report.json'), html: path.join(dir, 'report.html'), junit: path.join(dir, 'junit.xml') };
  await writeReportFile(files.report, report);
  await writeFile(files.html, renderHtml(report));
  await writeFile(files.junit, renderJunit(report));
  if (opts.signKey) files.signature = (await signReportFile(files.report, opts.signKey)).sigFile;
  return files;
}
