/**
 * Reading and writing guideline YAML safely: size limit, alias-expansion limit,
 * duplicate keys rejected, and every problem located as file:line:column.
 */
import { readFailure, readInputFile } from '../util/input-file.js';
import { Document, isNode, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { load as fastLoad, CORE_SCHEMA } from 'js-yaml';
import type { Guideline } from './model.js';

/** Larger than any real guideline (the biggest is ~250 KB) by a wide margin. */
export const MAX_GUIDELINE_BYTES = 8 * 1024 * 1024;
/** Real guidelines use no aliases at all; a handful is generous, thousands is a bomb. */
const MAX_ALIAS_COUNT = 50;

export interface Problem {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer of the offending value ('' for the document). */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedYaml {
  file: string;
  data: unknown;
  /** Locates a JSON path in the source; undefined when the path has no node. */
  locate(segments: (string | number)[]): { line: number; column: number } | undefined;
  problems: Problem[];
}

export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  const sev = p.severity === 'warning' ? 'warning: ' : '';
  return `${where}: ${sev}${p.path || '/'}: ${p.message}`;
}

export function pointer(segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Anchors or aliases anywhere (guidelines have none): such text takes the guarded path. */
const MAYBE_ALIAS = /(^|[\s[{,:-])[&*][^\s,\]}]/m;

/**
 * Parses YAML text. Clean files take a fast path (js-yaml: about 5x faster than the
 * `yaml` package, which matters when every command loads a 100+ KB guideline);
 * positions come from the exact parser only when a problem has to be located.
 * Anything unusual (aliases, duplicate keys, syntax errors) goes through the exact,
 * alias-limited parser, so the fast path never sees a YAML bomb.
 * Never throws for bad input: problems come back located.
 */
export function parseYamlText(text: string, file: string): ParsedYaml {
  if (!MAYBE_ALIAS.test(text)) {
    let data: unknown;
    try {
      data = fastLoad(text, { schema: CORE_SCHEMA, json: false, filename: file });
    } catch {
      return parseYamlExact(text, file);
    }
    let exact: ParsedYaml | undefined;
    return { file, data, problems: [], locate: (segments) => (exact ??= parseYamlExact(text, file)).locate(segments) };
  }
  return parseYamlExact(text, file);
}

/** The exact parser: every node located, duplicate keys and alias expansion limited. */
export function parseYamlExact(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  let doc: Document.Parsed | undefined;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    problems.push({ file, path: '', message: `not valid YAML: ${(e as Error).message}`, severity: 'error' });
  }
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const err of doc?.errors ?? []) {
    const pos = err.pos ? at(err.pos[0]) : {};
    const msg = err.code === 'DUPLICATE_KEY' ? 'duplicated key' : err.message.split('\n')[0]!;
    problems.push({ file, ...pos, path: '', message: msg.replace(/ at line \d+, column \d+:?$/, ''), severity: 'error' });
  }
  let data: unknown;
  if (doc && problems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const m = (e as Error).message;
      problems.push({
        file,
        path: '',
        message: /alias/i.test(m) ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible YAML bomb` : m,
        severity: 'error',
      });
    }
  }
  return {
    file,
    data,
    problems,
    locate(segments) {
      if (!doc) return undefined;
      for (let n = segments.length; n >= 0; n--) {
        const node = doc.getIn(segments.slice(0, n), true);
        if (isNode(node) && (node as Node).range) return at((node as Node).range![0]);
      }
      return undefined;
    },
  };
}

/** Reads and parses a YAML file, refusing oversized files before reading them. */
export async function readYamlFile(file: string): Promise<ParsedYaml> {
  let text: string;
  try {
    text = (await readInputFile(file, MAX_GUIDELINE_BYTES)).toString('utf8');
  } catch (e) {
    return { file, data: undefined, locate: () => undefined, problems: [{ file, path: '', message: `cannot read: ${readFailure(e)}`, severity: 'error' }] };
  }
  return parseYamlText(text, file);
}

/** Serialises a guideline with a provenance header. */
export function guidelineToYaml(g: Guideline, provenance: string): string {
  const header =
    `# ${g.kind === 'add-on' ? 'Add-on' : 'Guideline'} ${g.id}, generated by \`defcore guidelines import\` from ${provenance}.\n` +
    `# Upstream: OpenStack Interop Working Group (openstack/interop), Apache-2.0.\n`;
  return header + stringify(g, { lineWidth: 0, aliasDuplicateObjects: false });
}
