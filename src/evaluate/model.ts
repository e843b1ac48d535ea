import type { CapabilityStatus } from '../guideline/model.js';
import type { TestStatus } from '../results/model.js';

export type Verdict = 'pass' | 'fail';

export interface TestOutcome {
  name: string;
  uuid?: string;
  /** Status of the result that matched, or `missing` when no result matched. */
  status: TestStatus | 'missing';
  flagged: boolean;
  flagReason?: string;
  /** Which key matched: the idempotent id, the name, or an alias. */
  matchedBy?: 'uuid' | 'name' | 'alias';
  reason?: string;
}

export interface CapabilityVerdict {
  id: string;
  status: CapabilityStatus;
  component: string;
  verdict: Verdict;
  admin: boolean;
  tests: TestOutcome[];
}

export interface Evaluation {
  guideline: string;
  program: string;
  capabilities: CapabilityVerdict[];
  /** pass when every required capability passes. */
  verdict: Verdict;
  counts: Record<CapabilityStatus, { passed: number; failed: number }>;
}
