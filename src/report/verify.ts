/**
 * Verification of a signed report: everything a reviewer would otherwise have to
 * take on trust. A report is accepted only when every check passes:
 *  - it is JSON valid against the report schema, stored in its canonical form;
 *  - its detached signature verifies over those bytes with a trusted key;
 *  - the guideline file it names has the hash it states;
 *  - its evaluation (per capability and for the program) is exactly what its own
 *    per-test results give against that guideline.
 */
import { readdir } from 'node:fs/promises';
import { INPUT_LIMITS, InputFileError, readFailure, readInputFile } from '../util/input-file.js';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Evaluation } from '../evaluate/model.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { LoadedGuideline } from '../guideline/load.js';
import { canonicalJson } from './canonical.js';
import { fingerprint, parsePublicKey } from './keys.js';
import { ReportError, type Report, type ReportMatrixCell } from './model.js';
import { matrixOf } from './build.js';
import { reportSchemaProblems } from './schema.js';
import { checkSignature, parseSignature } from './signature.js';

/** The checks of `verify`, in the order they run. */
export type CheckName = 'schema' | 'canonical' | 'signature' | 'trust' | 'results' | 'guideline' | 'verdict' | 'matrix' | 'validity' | 'envelope';

/** One check's outcome and why. */
export interface VerifyCheck {
  check: CheckName;
  ok: boolean;
  detail: string;
}

/** Outcome of verifying one report. */
export interface VerifyResult {
  /** True only when every check passed. */
  accepted: boolean;
  checks: VerifyCheck[];
  report?: Report;
  /** Fingerprint of the key that signed, when the signature verified. */
  signer?: string;
}

/** How to verify: which signature file, which keys to trust, where guidelines come from. */
export interface VerifyOptions {
  /** The signature file (default `<report>.sig`). */
  sigFile?: string;
  /** Keys whose signatures are accepted. Empty or absent: no key is trusted. */
  trustedKeys?: readonly KeyObject[];
  /** Finds the guideline a report names (default: loadGuideline by id). */
  loadGuideline?: (id: string) => Promise<LoadedGuideline>;
}

/** Reads every `*.pub` / `*.pem` public key in a directory. */
export async function readTrustedKeys(dir: string): Promise<KeyObject[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /\.(pub|pem)$/.test(f)).sort();
  } catch (e) {
    throw new ReportError(`cannot read trusted keys directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const keys: KeyObject[] = [];
  for (const n of names) {
    const f = path.join(dir, n);
    let text: string;
    try {
      text = (await readInputFile(f, INPUT_LIMITS.key)).toString('utf8');
    } catch (e) {
      throw new ReportError(`cannot read public key ${f}: ${readFailure(e)}`);
    }
    keys.push(parsePublicKey(text, f));
  }
  return keys;
}

/** First path where two JSON values differ, e.g. `/capabilities/3/verdict`. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return at || '/';
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${at}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort()) {
      const d = firstDifference(ao[k], bo[k], `${at}/${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : at || '/';
}

/** Explains how a stated evaluation departs from the one its results give. */
export function explainEvaluationMismatch(stated: Evaluation, derived: Evaluation): string | undefined {
  if (canonicalJson(stated) === canonicalJson(derived)) return undefined;
  if (stated.verdict !== derived.verdict) return `the report states program verdict "${stated.verdict}" but its results give "${derived.verdict}"`;
  const derivedCaps = new Map(derived.capabilities.map((c) => [c.id, c]));
  for (const c of stated.capabilities) {
    const d = derivedCaps.get(c.id);
    if (!d) return `the report lists capability ${c.id}, which the guideline does not select for program ${derived.program}`;
    if (d.verdict !== c.verdict) return `capability ${c.id}: the report states "${c.verdict}" but its results give "${d.verdict}"`;
  }
  for (const d of derived.capabilities) {
    if (!stated.capabilities.some((c) => c.id === d.id)) return `the report omits capability ${d.id} (${d.status})`;
  }
  return `the evaluation differs from what the results give at evaluation${firstDifference(stated, derived)}`;
}

/** The first test (uuid or name) with more than one result, if any. */
function duplicateResult(report: Report): string | undefined {
  const seen = new Set<string>();
  for (const t of report.tests) {
    for (const k of t.uuid ? [`uuid ${t.uuid}`, t.name] : [t.name]) {
      if (seen.has(k)) return k;
      seen.add(k);
    }
  }
  return undefined;
}

async function defaultLoader(id: string): Promise<LoadedGuideline> {
  const { loadGuideline } = await import('../guideline/load.js');
  return loadGuideline(id);
}

/**
 * Verifies a report file. Unreadable files throw ReportError; everything about the
 * content is returned as checks (the first failing check of each kind says why).
 */
export async function verifyReportFile(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, INPUT_LIMITS.report);
  } catch (e) {
    throw new ReportError(`cannot read report ${file}: ${readFailure(e)}`);
  }
  const sigFile = opts.sigFile ?? `${file}.sig`;
  let sigText: string | undefined;
  try {
    sigText = (await readInputFile(sigFile, INPUT_LIMITS.key)).toString('utf8');
  } catch (e) {
    // No signature is a verdict of its own; a signature path that is not a sane file is bad input.
    if (!(e instanceof InputFileError && e.code === 'ENOENT')) throw new ReportError(`cannot read signature ${sigFile}: ${readFailure(e)}`);
    sigText = undefined;
  }
  return verifyReportBytes(bytes, sigText, { ...opts, sigFile });
}

/** Verifies report bytes against signature text (undefined: no signature). */
export async function verifyReportBytes(bytes: Buffer, sigText: string | undefined, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const checks: VerifyCheck[] = [];
  const fail = (check: CheckName, detail: string): VerifyResult => {
    checks.push({ check, ok: false, detail });
    return { accepted: false, checks };
  };
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return fail('schema', `not JSON: ${(e as Error).message}`);
  }
  const problems = reportSchemaProblems(doc);
  if (problems.length) return fail('schema', `not a valid defcore report: ${problems.slice(0, 3).join('; ')}`);
  const report = doc as Report;
  checks.push({ check: 'schema', ok: true, detail: `valid defcore report (format version ${report.formatVersion})` });

  // The file must be exactly its canonical form: then what a reviewer reads is
  // what was signed (no duplicate keys, no invisible edits).
  let canonical: string;
  try {
    canonical = canonicalJson(report);
  } catch (e) {
    return { ...fail('canonical', (e as Error).message), report };
  }
  const expected = Buffer.from(canonical + '\n', 'utf8');
  if (!bytes.equals(expected)) {
    let i = 0;
    while (i < bytes.length && i < expected.length && bytes[i] === expected[i]) i++;
    return { ...fail('canonical', `the file is not in its canonical (RFC 8785) form: first difference at byte ${i}; it was edited after it was written`), report };
  }
  checks.push({ check: 'canonical', ok: true, detail: 'stored in canonical form (RFC 8785)' });

  if (sigText === undefined) return { ...fail('signature', `no signature file${opts.sigFile ? ` ${opts.sigFile}` : ''}`), report };
  let sig;
  try {
    sig = parseSignature(sigText, opts.sigFile ?? 'signature');
  } catch (e) {
    return { ...fail('signature', (e as Error).message), report };
  }
  const sc = checkSignature(report, sig);
  if (!sc.ok) return { ...fail('signature', sc.reason ?? 'invalid signature'), report };
  checks.push({ check: 'signature', ok: true, detail: `${sig.algorithm} signature by ${sc.fingerprint} verifies` });
  const signer = sc.fingerprint!;

  const trusted = (opts.trustedKeys ?? []).map(fingerprint);
  if (!trusted.includes(signer)) {
    checks.push({
      check: 'trust',
      ok: false,
      detail: trusted.length ? `key ${signer} is not among the ${trusted.length} trusted key(s)` : `key ${signer} is not trusted (give --pubkey or --trusted-keys)`,
    });
  } else {
    checks.push({ check: 'trust', ok: true, detail: `key ${signer} is trusted` });
  }

  // The remaining checks run even for an untrusted signer: the reviewer learns everything at once.
  const dup = duplicateResult(report);
  checks.push(
    dup
      ? { check: 'results', ok: false, detail: `test ${dup} has more than one result; a run records exactly one per test, and a second (passing) one would override a failure` }
      : { check: 'results', ok: true, detail: `${report.tests.length} test result(s), one per test` },
  );

  let loaded: LoadedGuideline | undefined;
  try {
    loaded = await (opts.loadGuideline ?? defaultLoader)(report.guideline.id);
  } catch (e) {
    checks.push({ check: 'guideline', ok: false, detail: `cannot load guideline ${report.guideline.id}: ${(e as Error).message}` });
  }
  if (loaded) {
    if (loaded.sha256 !== report.guideline.sha256) {
      checks.push({ check: 'guideline', ok: false, detail: `guideline ${report.guideline.id} (${loaded.file}) has sha256 ${loaded.sha256}, the report names ${report.guideline.sha256}` });
    } else if (loaded.guideline.id !== report.guideline.id) {
      checks.push({ check: 'guideline', ok: false, detail: `guideline file ${loaded.file} has id ${loaded.guideline.id}, the report names ${report.guideline.id}` });
    } else {
      checks.push({ check: 'guideline', ok: true, detail: `guideline ${report.guideline.id} matches sha256 ${report.guideline.sha256.slice(0, 16)}…` });
      let derived: Evaluation | undefined;
      try {
        derived = evaluate(loaded.guideline, report.program, report.tests, { statuses: report.statuses });
      } catch (e) {
        checks.push({ check: 'verdict', ok: false, detail: `cannot evaluate program ${report.program}: ${(e as Error).message}` });
      }
      if (derived && !report.statuses.includes('required')) {
        // "every required capability passes" holds vacuously when none was evaluated
        checks.push({ check: 'verdict', ok: false, detail: `the report evaluated only ${report.statuses.join(', ')} capabilities; without the required ones its verdict certifies nothing` });
      } else if (derived) {
        const why = explainEvaluationMismatch(report.evaluation, derived);
        checks.push(
          why
            ? { check: 'verdict', ok: false, detail: why }
            : { check: 'verdict', ok: true, detail: `re-evaluated ${report.tests.length} test result(s): program ${report.program} ${derived.verdict.toUpperCase()}` },
        );
      }
    }
  }
  if (report.matrix) checks.push(await checkMatrix(report, opts.loadGuideline ?? defaultLoader));
  return { accepted: checks.every((c) => c.ok), checks, report, signer };
}

/**
 * A report judged against several guidelines states each verdict; every cell must be
 * what its guideline (the file with the stated hash) gives the report's own tests,
 * and the first must be the report's own guideline and verdict.
 */
async function checkMatrix(report: Report, load: (id: string) => Promise<LoadedGuideline>): Promise<VerifyCheck> {
  const cells = report.matrix ?? [];
  const first = cells[0];
  if (!first || first.guideline.id !== report.guideline.id || first.guideline.sha256 !== report.guideline.sha256 || first.program !== report.program || first.verdict !== report.evaluation.verdict) {
    return { check: 'matrix', ok: false, detail: `the matrix's first cell must be the report's own guideline ${report.guideline.id}, program ${report.program}, verdict ${report.evaluation.verdict}` };
  }
  const seen = new Set<string>();
  for (const cell of cells) {
    const where = `matrix cell ${cell.guideline.id}/${cell.program}`;
    if (seen.has(cell.guideline.id)) return { check: 'matrix', ok: false, detail: `${where} appears twice` };
    seen.add(cell.guideline.id);
    if (cell.program !== report.program) return { check: 'matrix', ok: false, detail: `${where}: the run judged program ${report.program}` };
    let loaded: LoadedGuideline;
    try {
      loaded = await load(cell.guideline.id);
    } catch (e) {
      return { check: 'matrix', ok: false, detail: `${where}: cannot load guideline ${cell.guideline.id}: ${(e as Error).message}` };
    }
    if (loaded.sha256 !== cell.guideline.sha256) return { check: 'matrix', ok: false, detail: `${where}: guideline ${cell.guideline.id} (${loaded.file}) has sha256 ${loaded.sha256}, the report names ${cell.guideline.sha256}` };
    let derived: ReportMatrixCell;
    try {
      derived = matrixOf([loaded], report.program, report.tests, report.statuses)[0]!;
    } catch (e) {
      return { check: 'matrix', ok: false, detail: `${where}: cannot evaluate: ${(e as Error).message}` };
    }
    if (canonicalJson({ ...derived, guideline: cell.guideline }) !== canonicalJson(cell)) {
      return { check: 'matrix', ok: false, detail: `${where}: the report states ${cell.verdict} (${cell.requiredCapabilities.passed}/${cell.requiredCapabilities.total} required capabilities) but its results give ${derived.verdict} (${derived.requiredCapabilities.passed}/${derived.requiredCapabilities.total})` };
    }
  }
  const summary = cells.map((c) => `${c.guideline.id} ${c.verdict.toUpperCase()}`).join(', ');
  return { check: 'matrix', ok: true, detail: `re-evaluated against ${cells.length} guidelines: ${summary}` };
}
