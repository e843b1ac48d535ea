import assert from 'node:assert/strict';
import { tempestClass } from '../../src/check/tempest-class.js';
import type { SelectedTest } from '../../src/guideline/select.js';
import { startOrder } from '../../src/runner/schedule.js';

const sel = (name: string, uuid?: string): SelectedTest => ({ name, ...(uuid ? { uuid } : {}), aliases: [], admin: false, capabilities: [] });

describe('start order of a run', () => {
  const body = async () => {};
  tempestClass('tempest.api.unit.test_sched.QuickTest')
    .test('test_a', 'bbbbbbbb-0000-4000-8000-000000000001', body)
    .test('test_b', 'bbbbbbbb-0000-4000-8000-000000000002', body);
  tempestClass('tempest.api.unit.test_sched.WaitingTest', { startFirst: true })
    .test('test_c', 'bbbbbbbb-0000-4000-8000-000000000003', body)
    .test('test_d', 'bbbbbbbb-0000-4000-8000-000000000004', body, { startFirst: false });

  it('starts the tests that mostly wait before the others, the rest in guideline order', () => {
    const tests = [
      sel('tempest.api.unit.test_sched.QuickTest.test_a', 'bbbbbbbb-0000-4000-8000-000000000001'),
      sel('tempest.api.unit.test_sched.WaitingTest.test_d', 'bbbbbbbb-0000-4000-8000-000000000004'),
      sel('tempest.api.unit.test_sched.QuickTest.test_b', 'bbbbbbbb-0000-4000-8000-000000000002'),
      sel('tempest.api.unit.test_sched.WaitingTest.test_c', 'bbbbbbbb-0000-4000-8000-000000000003'),
      sel('tempest.api.unit.test_sched.NoCheck.test_e'),
    ];
    assert.deepEqual(startOrder(tests).map((t) => t.name.split('.').pop()), ['test_c', 'test_a', 'test_d', 'test_b', 'test_e']);
    assert.equal(tests[0]!.name.endsWith('test_a'), true, 'the selection itself is left as it was');
  });
});
