/**
 * The layer order of src/ (docs/architecture.md shows the same table): each top-level
 * folder of src/ is a layer, and a module may import only its own layer and the layers
 * of the tiers below it. Layers in the same tier may not import each other (runner and
 * report meet only in the CLI). Static imports, `export … from` and `import('…')` with
 * a literal path all count, type-only ones too; dynamic imports of computed paths
 * (capabilities/ loaded by file name) are not seen.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

/** Bottom first. */
export const LAYER_TIERS: readonly (readonly string[])[] = [
  ['util'], // no defcore imports: paths, terminal, input files, version
  ['common'], // types several layers share: account roles, HTTP exchange/evidence, CheckFailure/CheckSkip, compute references
  ['guideline'], // interop guideline model, loading, selection, diff
  ['results'], // test results and their files (results.json, subunit)
  ['evaluate'], // guideline + results -> verdict per capability
  ['cloud'], // config, auth, catalog, HTTP with evidence/redaction/deadlines
  ['services'], // service clients (the protocol) and each service's prefix sweep
  ['cleanup', 'validation'], // the sweeper table; guest validation (SSH)
  ['check'], // the check contract, expectations, tempestClass(), check loading
  ['runner', 'report'], // running checks and emitting events; reports from results
  ['serve'], // the certification web service
  ['cli'], // composes everything (including the runner's report reporter)
];

export interface LayerViolation {
  file: string;
  specifier: string;
  problem: string;
}

/** The source with comments blanked out, strings kept (a `//` inside a URL is not a comment). */
function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Every module specifier a TypeScript source imports or re-exports, in order. */
export function importSpecifiers(src: string): string[] {
  const code = stripComments(src);
  const found: { at: number; spec: string }[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])([^'"]+)\1/g, // import … from, export … from
    /\bimport\s*(['"])([^'"]+)\1/g, // import 'x' (side effects only)
    /\bimport\s*\(\s*(['"])([^'"]+)\1\s*[,)]/g, // import('x'), also in type positions
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push({ at: m.index, spec: m[2]! });
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

/**
 * The imports of `files` (path relative to the repository -> source) that break the
 * order of `tiers`: a layer importing a higher tier or another layer of its own tier,
 * a file in a folder the table does not name, or a relative import leaving src/.
 */
export function layerViolations(files: ReadonlyMap<string, string>, tiers: readonly (readonly string[])[] = LAYER_TIERS): LayerViolation[] {
  const tierOf = new Map<string, number>();
  tiers.forEach((layers, t) => layers.forEach((l) => tierOf.set(l, t)));
  const layerOf = (file: string): string | undefined => {
    const parts = path.posix.normalize(file).split('/');
    return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
  };
  const out: LayerViolation[] = [];
  for (const [file, src] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const from = layerOf(file);
    if (from === undefined || !tierOf.has(from)) {
      out.push({ file, specifier: '', problem: `${file} is in no layer of the table (add its folder to LAYER_TIERS)` });
      continue;
    }
    for (const specifier of importSpecifiers(src)) {
      if (!specifier.startsWith('.')) continue; // node: and packages
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const to = layerOf(target);
      if (to === undefined || !tierOf.has(to)) {
        out.push({ file, specifier, problem: `${file} imports '${specifier}', outside the layers of src/` });
      } else if (to !== from && tierOf.get(to)! >= tierOf.get(from)!) {
        const how = tierOf.get(to) === tierOf.get(from) ? 'beside it' : 'above it';
        out.push({ file, specifier, problem: `${file} (${from}) imports '${specifier}' (${to}, ${how})` });
      }
    }
  }
  return out;
}

function srcFiles(root: string, dir = 'src'): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return srcFiles(root, rel);
    return e.isFile() && rel.endsWith('.ts') ? [rel] : [];
  });
}

describe('layers of src/', () => {
  it('every import follows the layer order', () => {
    const root = repoRoot();
    const files = new Map(srcFiles(root).map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));
    assert.ok(files.size > 100, `found only ${files.size} files under src/`);
    const problems = layerViolations(files).map((v) => v.problem);
    assert.deepEqual(problems, [], `backwards imports:\n  ${problems.join('\n  ')}`);
  });

  it('every folder of src/ is in the table, once', () => {
    const folders = readdirSync(path.join(repoRoot(), 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const declared = LAYER_TIERS.flat();
    assert.equal(new Set(declared).size, declared.length, 'a layer is declared twice');
    assert.deepEqual([...declared].sort(), folders);
  });

  it('finds static, re-exported, side-effect and dynamic imports, not ones in comments', () => {
    const src = [
      "import path from 'node:path';",
      "import {\n  a,\n  type B,\n} from '../cloud/types.js';",
      "import type { C } from './c.js';",
      "export { d } from '../common/d.js';",
      "export * from './e.js';",
      "import './side-effect.js';",
      "const f = await import('../check/api.js');",
      "let g: import('../validation/resolve.js').ResolvedValidation;",
      "// import { no } from '../cli/main.js';",
      "/* export { no } from '../serve/app.js'; */",
      "const url = 'https://example.org/x'; import { h } from './h.js';",
    ].join('\n');
    assert.deepEqual(importSpecifiers(src), [
      'node:path',
      '../cloud/types.js',
      './c.js',
      '../common/d.js',
      './e.js',
      './side-effect.js',
      '../check/api.js',
      '../validation/resolve.js',
      './h.js',
    ]);
  });

  it('reports a backwards import, naming the file and the import (the check can fail)', () => {
    const fake = new Map([
      ['src/check/api.ts', "import type { CloudClient } from '../cloud/types.js';\nimport { CheckFailure } from '../common/failures.js';"],
      ['src/cloud/accounts.ts', "import type { AccountRole } from '../check/api.js';\nimport { x } from './config.js';"],
      ['src/services/wait.ts', "const { registeredChecks } = await import('../check/api.js');"],
      ['src/runner/reporters/report.ts', "export { createReportReporter } from '../../report/run-reporter.js';"],
      ['src/common/failures.ts', "export class CheckFailure extends Error {}"],
      ['src/nowhere/x.ts', ''],
      ['src/util/y.ts', "import z from '../../capabilities/z.js';"],
    ]);
    assert.deepEqual(layerViolations(fake), [
      { file: 'src/cloud/accounts.ts', specifier: '../check/api.js', problem: "src/cloud/accounts.ts (cloud) imports '../check/api.js' (check, above it)" },
      { file: 'src/nowhere/x.ts', specifier: '', problem: 'src/nowhere/x.ts is in no layer of the table (add its folder to LAYER_TIERS)' },
      { file: 'src/runner/reporters/report.ts', specifier: '../../report/run-reporter.js', problem: "src/runner/reporters/report.ts (runner) imports '../../report/run-reporter.js' (report, beside it)" },
      { file: 'src/services/wait.ts', specifier: '../check/api.js', problem: "src/services/wait.ts (services) imports '../check/api.js' (check, above it)" },
      { file: 'src/util/y.ts', specifier: '../../capabilities/z.js', problem: "src/util/y.ts imports '../../capabilities/z.js', outside the layers of src/" },
    ]);
  });
});
