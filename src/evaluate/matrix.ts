/**
 * One set of results judged against many guidelines: a matrix guideline ×
 * program → PASS/FAIL with counts. Answers "which guidelines does this cloud
 * meet" and "how would it fare under the next one". Each cell is exactly the
 * evaluation `evaluate` gives for that guideline and program alone.
 */
import type { Guideline } from '../guideline/model.js';
import type { TestResult } from '../results/model.js';
import { programsOf } from '../guideline/summary.js';
import { evaluate } from './evaluate.js';
import type { Evaluation, Verdict } from './model.js';

export interface MatrixCell {
  guideline: string;
  program: string;
  verdict: Verdict;
  /** Required capabilities passed / in the program. */
  requiredCapabilities: { passed: number; total: number };
  /** Distinct required, non-flagged tests passed / in the program. */
  requiredTests: { passed: number; total: number };
}

export interface Matrix {
  cells: MatrixCell[];
  /** pass when every cell passes. */
  verdict: Verdict;
}

function requiredTests(e: Evaluation): { passed: number; total: number } {
  const status = new Map<string, boolean>();
  for (const c of e.capabilities) {
    if (c.status !== 'required') continue;
    for (const t of c.tests) {
      if (t.flagged) continue;
      status.set(t.uuid ?? t.name, t.status === 'pass');
    }
  }
  return { passed: [...status.values()].filter(Boolean).length, total: status.size };
}

export function cellOf(e: Evaluation): MatrixCell {
  const req = e.counts.required;
  return {
    guideline: e.guideline,
    program: e.program,
    verdict: e.verdict,
    requiredCapabilities: { passed: req.passed, total: req.passed + req.failed },
    requiredTests: requiredTests(e),
  };
}

/** Every program of every guideline (or only `programs` where a guideline has them). */
export function evaluateMatrix(guidelines: readonly Guideline[], results: readonly TestResult[], programs?: readonly string[]): Matrix {
  const cells: MatrixCell[] = [];
  for (const g of guidelines) {
    for (const p of programsOf(g)) {
      if (programs && !programs.includes(p)) continue;
      cells.push(cellOf(evaluate(g, p, results)));
    }
  }
  return { cells, verdict: cells.every((c) => c.verdict === 'pass') ? 'pass' : 'fail' };
}

export function renderMatrixText(m: Matrix): string {
  const header = ['GUIDELINE', 'PROGRAM', 'VERDICT', 'REQUIRED CAPS', 'REQUIRED TESTS'];
  const rows = m.cells.map((c) => [
    c.guideline,
    c.program,
    c.verdict.toUpperCase(),
    `${c.requiredCapabilities.passed}/${c.requiredCapabilities.total}`,
    `${c.requiredTests.passed}/${c.requiredTests.total}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const passed = m.cells.filter((c) => c.verdict === 'pass').length;
  return [line(header), ...rows.map(line), '', `${passed} of ${m.cells.length} guideline programs passed`].join('\n') + '\n';
}
