/** The report's JSON Schema (report.schema.json) and validation against it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from '../util/paths.js';
import { ReportError, type Report } from './model.js';

/** Where the published schema lives (read at run time, so src/ and dist/ share it). */
export function reportSchemaPath(): string {
  return path.join(repoRoot(), 'src', 'report', 'report.schema.json');
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(reportSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    // ajv-formats is CommonJS; its default export arrives wrapped under some loaders
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${at}: unexpected property "${String(e.params['additionalProperty'])}"`;
  if (e.keyword === 'required') return `${at}: missing property "${String(e.params['missingProperty'])}"`;
  if (e.keyword === 'const' || e.keyword === 'enum') {
    const allowed = (e.params['allowedValues'] ?? [e.params['allowedValue']]) as unknown[];
    return `${at}: must be ${allowed.map((v) => JSON.stringify(v)).join(' or ')}`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}

/** Located schema problems of a document (empty when it is a valid report). */
export function reportSchemaProblems(doc: unknown): string[] {
  const validate = validator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(describe);
}

/** Throws a ReportError naming the first problems unless `doc` is a valid report. */
export function assertReport(doc: unknown, source: string): asserts doc is Report {
  const problems = reportSchemaProblems(doc);
  if (problems.length) {
    const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
    throw new ReportError(`${source}: not a valid defcore report: ${problems.slice(0, 3).join('; ')}${more}`);
  }
}
