/**
 * The order in which a run starts its tests. Tests that mostly wait on the cloud
 * (CheckDefinition.startFirst) go first, so that none of them is started last and
 * runs alone while the other slots sit idle; the rest keep the guideline's order.
 * Results are still reported in the guideline's order.
 */
import { findCheckForTest } from '../check/api.js';
import type { SelectedTest } from '../guideline/select.js';

export function startOrder<T extends SelectedTest>(tests: readonly T[]): T[] {
  const first: T[] = [];
  const rest: T[] = [];
  for (const t of tests) (findCheckForTest(t)?.startFirst ? first : rest).push(t);
  return [...first, ...rest];
}
