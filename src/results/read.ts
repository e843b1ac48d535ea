/**
 * Reads test results in any supported form, detected from the content:
 * subunit v2 (Tempest/stestr), RefStack results JSON, defcore results.json,
 * or a plain list of passed test names.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ResultSet, TestResult } from './model.js';
import { TEST_STATUSES } from './model.js';
import { parseSubunit } from './subunit.js';
import { splitTestId } from '../guideline/ids.js';

export class ResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsError';
  }
}

/** Far beyond any real run (a full Tempest run with logs is tens of MB). */
const MAX_RESULTS_BYTES = 512 * 1024 * 1024;

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

function fromList(text: string): TestResult[] {
  const out: TestResult[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const { name, uuid } = splitTestId(line.split(/\s+/)[0]!);
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
  if (text.includes('\u0000')) throw new ResultsError(`${file}: not a subunit v2 stream, JSON or a test list (binary content)`);
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
  return { source: file, results: fromList(text) };
}

export async function readResults(file: string): Promise<ResultSet> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    throw new ResultsError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_RESULTS_BYTES) throw new ResultsError(`${file}: ${size} bytes is more than a results file may have`);
  return parseResults(await readFile(file), file);
}
