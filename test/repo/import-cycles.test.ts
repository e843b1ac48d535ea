import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cloud.js';

/** Relative value imports of each module of src/ (type-only imports vanish at run time). */
function graph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts')) files.push(f);
    }
  };
  walk(path.join(REPO_ROOT, 'src'));
  const g = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^(import|export)\s+(type\s)?[^;]*?from\s+'(\.[^']+)'/gms)) {
      if (m[2]) continue;
      deps.push(path.normalize(path.join(path.dirname(f), m[3]!.replace(/\.js$/, '.ts'))));
    }
    g.set(f, deps);
  }
  return g;
}

/** Every cycle found by a depth-first walk, as `a -> b -> a` relative to the repository. */
export function cycles(g: Map<string, string[]>): string[] {
  const seen = new Set<string>();
  const onPath: string[] = [];
  const out: string[] = [];
  const visit = (n: string): void => {
    seen.add(n);
    onPath.push(n);
    for (const d of g.get(n) ?? []) {
      const at = onPath.indexOf(d);
      if (at >= 0) out.push([...onPath.slice(at), d].map((f) => path.relative(REPO_ROOT, f)).join(' -> '));
      else if (!seen.has(d)) visit(d);
    }
    onPath.pop();
  };
  for (const n of g.keys()) if (!seen.has(n)) visit(n);
  return out;
}

describe('imports of src/', () => {
  it('form no cycle at run time (e.g. serve routes depend on request.ts, never on the app that registers them)', () => {
    assert.deepEqual(cycles(graph()), []);
  });

  it('the cycle finder finds a cycle', () => {
    const a = path.join(REPO_ROOT, 'src', 'a.ts');
    const b = path.join(REPO_ROOT, 'src', 'b.ts');
    assert.deepEqual(cycles(new Map([[a, [b]], [b, [a]]])), ['src/a.ts -> src/b.ts -> src/a.ts']);
  });
});
