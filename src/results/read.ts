/**
 * Reads test results in any supported form, detected from the content:
 * subunit v2 (Tempest/stestr), RefStack results JSON, defcore results.json,
 * or a plain list of passed test names.
 */
import type { ResultSet, TestResult } from './model.js';
import { TEST_STATUSES } from './model.js';
import { parseSubunit } from './subunit.js';
import { splitTestId } from '../guideline/ids.js';
import { INPUT_LIMITS, readFailure, readInputFile } from '../util/input-file.js';

export class ResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsError';
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromJson(doc: unknown, file: string): TestResult[] {
  if (!isObj(doc) || !Array.isArray(doc['results'])) {
    throw new ResultsError(`${file}: JSON results must be an object with a "results" list`);
  }
  return doc['results'].map((r, i): TestResult => {
    if (!isObj(r) || typeof r['name'] !== 'string' || !r['name']) {
      throw new ResultsError(`${file}: results[${i}]: expected an object with a "name"`);
    }
    const { name, uuid: fromName } = splitTestId(r['name']);
    const status = r['status'];
    if (status !== undefined && (typeof status !== 'string' || !(TEST_STATUSES as readonly string[]).includes(status))) {
      throw new ResultsError(`${file}: results[${i}].status: unknown status ${JSON.stringify(status)}`);
    }
    // RefStack's upload format lists passed tests only and has no status field.
    const out: TestResult = { name, status: (status as TestResult['status'] | undefined) ?? 'pass' };
    const uuid = typeof r['uuid'] === 'string' && r['uuid'] ? r['uuid'].replace(/^id-/, '').toLowerCase() : fromName;
    if (uuid) out.uuid = uuid;
    if (typeof r['reason'] === 'string') out.reason = r['reason'];
    if (typeof r['durationMs'] === 'number') out.durationMs = r['durationMs'];
    return out;
  });
}

/** A Python test id, optionally with Tempest's `[id-…,tags]` suffix. */
const TEST_NAME = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+(\[[^\]\s]*\])?$/;

/** Subunit v1 is line-oriented text (`test: x`, `success: x`); it is not a list of passed tests. */
const SUBUNIT_V1 = /^(test|testing|success|successful|failure|error|skip|xfail|uxsuccess|tags|time|progress):?\s/;

function fromList(text: string, file: string): TestResult[] {
  const out: TestResult[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const first = line.split(/\s+/)[0]!;
    // Anything but test ids means this is not a list of passed tests: refuse it rather
    // than count garbage as "passed" or nothing as "0 tests passed".
    if (SUBUNIT_V1.test(line)) throw new ResultsError(`${file}:${i + 1}: subunit v1 text is not supported (convert it with subunit-1to2)`);
    if (!TEST_NAME.test(first)) {
      throw new ResultsError(`${file}:${i + 1}: not a subunit v2 stream, JSON results or a list of test names (${JSON.stringify(first.slice(0, 40))} is not a test name)`);
    }
    const { name, uuid } = splitTestId(first);
    out.push(uuid ? { name, uuid, status: 'pass' } : { name, status: 'pass' });
  }
  return out;
}

/** Parses results from bytes; `file` names the source in errors. */
export function parseResults(buf: Buffer, file: string): ResultSet {
  if (buf.length === 0) throw new ResultsError(`${file}: empty results file`);
  if (buf[0] === 0xb3) {
    try {
      return { source: file, results: parseSubunit(buf, file) };
    } catch (e) {
      if ((e as Error).name === 'SubunitError') throw new ResultsError((e as Error).message);
      throw e;
    }
  }
  const text = buf.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) throw new ResultsError(`${file}: not a subunit v2 stream, JSON or a test list (binary content)`);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new ResultsError(`${file}: invalid JSON: ${(e as Error).message}`);
    }
    return { source: file, results: fromJson(doc, file) };
  }
  if (trimmed.startsWith('[')) throw new ResultsError(`${file}: a JSON array is not a results document (expected an object with a "results" list)`);
  const results = fromList(text, file);
  if (results.length === 0) throw new ResultsError(`${file}: no test names in the list`);
  return { source: file, results };
}

export async function readResults(file: string): Promise<ResultSet> {
  let buf: Buffer;
  try {
    buf = await readInputFile(file, INPUT_LIMITS.results);
  } catch (e) {
    throw new ResultsError(`${file}: cannot read (${readFailure(e)})`);
  }
  return parseResults(buf, file);
}
