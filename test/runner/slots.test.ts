import assert from 'node:assert/strict';
import { DEFAULT_CONCURRENCY, lingeringFor, runWithSlots } from '../../src/runner/slots.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs three items that each hand over after 10 ms and finish 40 ms later; logs the
 * order, the most running at once (before their verdict) and the most alive at once
 * (started, not done: running or finishing their cleanups).
 */
async function trace(concurrency: number, lingering: number, handOver = true): Promise<{ log: string[]; mostRunning: number; mostAlive: number }> {
  const log: string[] = [];
  let running = 0;
  let alive = 0;
  let mostRunning = 0;
  let mostAlive = 0;
  await runWithSlots(['a', 'b', 'c'], concurrency, lingering, async (item, hand) => {
    log.push(`start ${item}`);
    running++;
    alive++;
    mostRunning = Math.max(mostRunning, running);
    mostAlive = Math.max(mostAlive, alive);
    await tick(10);
    running--;
    if (handOver) hand();
    await tick(40);
    alive--;
    log.push(`done ${item}`);
  });
  return { log, mostRunning, mostAlive };
}

describe('runner: slots (concurrency, and tests that hand their slot over while they clean up)', () => {
  it('without lingering a test keeps its slot until it is done', async () => {
    const { log } = await trace(1, 0);
    assert.deepEqual(log, ['start a', 'done a', 'start b', 'done b', 'start c', 'done c']);
  });

  it('a test that hands over lets the next start while it finishes', async () => {
    const { log, mostRunning } = await trace(1, 3);
    assert.deepEqual(log.slice(0, 2), ['start a', 'start b']);
    assert.equal(mostRunning, 1, 'still one running test at a time');
  });

  it('no more than `lingering` tests finish beside the running ones; the rest keep their slot', async () => {
    const bounded = await trace(1, 1);
    assert.equal(bounded.mostAlive, 2, 'one running and one finishing');
    // b hands over while a still finishes: b keeps its slot until a is done
    assert.ok(bounded.log.indexOf('start c') > bounded.log.indexOf('done a'), bounded.log.join(', '));
    const roomy = await trace(1, 3);
    assert.equal(roomy.mostAlive, 3, 'with room for all, all three overlap');
  });

  it('a test that never hands over is unaffected, and every run is awaited', async () => {
    const { log } = await trace(2, 2, false);
    assert.equal(log.filter((l) => l.startsWith('done')).length, 3);
    assert.deepEqual(log.slice(0, 2), ['start a', 'start b']);
  });

  it('a failing test rejects the whole, after its slot is freed for the others', async () => {
    const seen: string[] = [];
    await assert.rejects(runWithSlots([1, 2], 1, 1, async (n) => {
      seen.push(`start ${n}`);
      if (n === 1) throw new Error('bug');
    }), /bug/);
    await tick(5);
    assert.deepEqual(seen, ['start 1', 'start 2']);
  });
});

describe('runner: how many finished tests may linger', () => {
  const storage = [{ name: 'tempest.api.object_storage.test_x.T.test_a' }, { name: 'tempest.api.identity.v3.test_tokens.T.test_b' }];
  const mixed = [...storage, { name: 'tempest.api.volume.test_v.T.test_c' }];
  it('Storage tests alone (no count quotas): as many as run', () => {
    assert.equal(lingeringFor(storage, 2), 2);
    assert.equal(lingeringFor(storage, 8), 8);
  });
  it('elsewhere running and lingering tests never outnumber a run at the default concurrency', () => {
    assert.equal(lingeringFor(mixed, 1), 1);
    assert.equal(lingeringFor(mixed, 2), 2);
    assert.equal(lingeringFor(mixed, 3), 1);
    assert.equal(lingeringFor(mixed, DEFAULT_CONCURRENCY), 0);
    assert.equal(lingeringFor(mixed, 8), 0);
  });
  it('the server quota bounds it further', () => {
    assert.equal(lingeringFor(mixed, 2, 1), 1);
    assert.equal(lingeringFor(mixed, 2, 0), 0);
  });
});
