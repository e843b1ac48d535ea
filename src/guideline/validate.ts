/**
 * Validation of guideline YAML: structure (JSON Schema, ajv) then meaning
 * (references resolve, ids well formed, no duplicates, flags explained).
 * Every problem is located at file:line:column with its JSON path.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Guideline } from './model.js';
import { CAPABILITY_STATUSES } from './model.js';
import { pointer, readYamlFile, type ParsedYaml, type Problem } from './yaml.js';
import { repoRoot } from '../util/paths.js';
import { parseIdempotentId } from './ids.js';

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(path.join(repoRoot(), 'schemas', 'guideline.schema.json'), 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

function segmentsOf(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeAjvError(e: ErrorObject): { segments: (string | number)[]; message: string } {
  const segments: (string | number)[] = segmentsOf(e.instancePath).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      return { segments: [...segments, key], message: `unknown key "${key}"` };
    }
    case 'required':
      return { segments, message: `missing required key "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'enum':
      return { segments, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { segments, message: e.message ?? e.keyword };
  }
}

type Emit = (segments: (string | number)[], message: string, severity?: 'error' | 'warning') => void;

/** Meaning-level checks on a structurally valid guideline. */
export function semanticChecks(g: Guideline, emit: Emit): void {
  const capIds = new Set(Object.keys(g.capabilities));
  const referenced = new Set<string>();
  const criteria = new Set(Object.keys(g.scoring.criteria));
  const needsIds = g.upstream.schema !== '1.2';

  for (const [compName, comp] of Object.entries(g.components)) {
    const seenIn = new Map<string, string>();
    for (const status of CAPABILITY_STATUSES) {
      (comp.capabilities[status] ?? []).forEach((cap, i) => {
        const where = ['components', compName, 'capabilities', status, i];
        referenced.add(cap);
        // upstream drops the definitions of removed capabilities; anything still in force must be defined
        if (!capIds.has(cap)) emit(where, `capability "${cap}" is not defined under capabilities`, status === 'removed' ? 'warning' : 'error');
        const prev = seenIn.get(cap);
        if (prev) emit(where, `capability "${cap}" is listed twice in component "${compName}" (${prev} and ${status})`);
        seenIn.set(cap, status);
        const own = g.capabilities[cap]?.status;
        if (own && own !== status) emit(where, `capability "${cap}" says status "${own}" but is listed as ${status}`, 'warning');
      });
    }
  }
  for (const [progName, prog] of Object.entries(g.programs)) {
    prog.components.forEach((c, i) => {
      if (!g.components[c]) emit(['programs', progName, 'components', i], `component "${c}" of program "${progName}" is not defined under components`);
    });
    (prog.required_platform_components ?? []).forEach((c, i) => {
      if (!/^os_powered_[a-z_]+$/.test(c.name)) {
        emit(['programs', progName, 'required_platform_components', i, 'name'], `"${c.name}" is not a platform component name`);
      }
      if (!/\/([0-9]{4}\.[0-9]{2}|next)\.json$/.test(c.source)) {
        emit(['programs', progName, 'required_platform_components', i, 'source'], `source "${c.source}" does not name a platform guideline file`);
      }
    });
  }
  if (g.kind === 'add-on' && Object.values(g.programs).some((p) => !p.required_platform_components?.length)) {
    emit(['programs'], 'an add-on program must name its required platform components');
  }
  for (const status of CAPABILITY_STATUSES) {
    (g.platform?.[status] ?? []).forEach((c, i) => {
      if (!g.components[c]) emit(['platform', status, i], `platform component "${c}" is not defined under components`);
    });
  }
  for (const [capId, cap] of Object.entries(g.capabilities)) {
    if (!referenced.has(capId)) emit(['capabilities', capId], `capability "${capId}" is not listed in any component`, 'warning');
    cap.achievements.forEach((a, i) => {
      if (!criteria.has(a)) emit(['capabilities', capId, 'achievements', i], `achievement "${a}" is not a scoring criterion (it adds nothing to the score)`, 'warning');
    });
    const names = new Map<string, { index: number; uuid: string | undefined }>();
    const uuids = new Map<string, number>();
    cap.tests.forEach((t, i) => {
      const where = ['capabilities', capId, 'tests', i];
      const parsed = t.idempotent_id ? parseIdempotentId(t.idempotent_id) : undefined;
      for (const n of [t.name, ...(t.aliases ?? [])]) {
        const prev = names.get(n);
        if (!prev) names.set(n, { index: i, uuid: parsed?.uuid });
        else if (prev.uuid === parsed?.uuid) {
          emit([...where, 'name'], `test "${n}" is listed twice in capability "${capId}" (also at tests/${prev.index}), with the same id`, 'warning');
        } else {
          // one name, two ids: a result for that name could not be attributed
          emit([...where, 'name'], `test "${n}" is listed twice in capability "${capId}" (also at tests/${prev.index}) with different idempotent ids`);
        }
      }
      if (!needsIds) return;
      if (t.idempotent_id === undefined) {
        emit([...where], `test "${t.name}" has no idempotent_id`);
      } else if (t.idempotent_id.trim() === '') {
        emit([...where, 'idempotent_id'], `empty idempotent id: test "${t.name}" can only be matched by name`, 'warning');
      } else if (!parsed) {
        emit([...where, 'idempotent_id'], `malformed idempotent id "${t.idempotent_id}" (expected id-<uuid>)`);
      } else {
        if (parsed.warning) emit([...where, 'idempotent_id'], parsed.warning, 'warning');
        const prev = uuids.get(parsed.uuid);
        if (prev !== undefined) {
          emit([...where, 'idempotent_id'], `idempotent id ${parsed.uuid} is shared with tests/${prev} in capability "${capId}"; a result for either satisfies both (make one an alias)`, 'warning');
        } else uuids.set(parsed.uuid, i);
      }
      if (t.flagged && !t.flagged.reason?.trim()) emit([...where, 'flagged'], `flagged test "${t.name}" gives no reason`);
    });
    if (cap.tests.length === 0) emit(['capabilities', capId, 'tests'], `capability "${capId}" has no tests`, 'warning');
  }
}

export interface ValidateOptions {
  /** Which problems get a line and column (locating needs the slower exact parse). */
  locate?: 'all' | 'errors';
}

/** Validates parsed YAML; returns problems (errors and warnings), located as asked. */
export function validateParsed(parsed: ParsedYaml, opts: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [...parsed.problems];
  if (problems.length) return problems;
  const locateAll = (opts.locate ?? 'all') === 'all';
  const emit: Emit = (segments, message, severity = 'error') => {
    const pos = locateAll || severity === 'error' ? parsed.locate(segments) : undefined;
    problems.push({ file: parsed.file, ...(pos ?? {}), path: pointer(segments), message, severity });
  };
  const validate = schemaValidator();
  if (!validate(parsed.data)) {
    for (const e of validate.errors ?? []) {
      const { segments, message } = describeAjvError(e);
      emit(segments, message);
    }
    return problems;
  }
  semanticChecks(parsed.data as Guideline, emit);
  return problems;
}

/** Reads and validates one guideline YAML file. */
export async function validateFile(file: string, opts: ValidateOptions = {}): Promise<Problem[]> {
  return validateParsed(await readYamlFile(file), opts);
}
