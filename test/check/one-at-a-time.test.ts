import assert from 'node:assert/strict';
import { oneAtATime } from '../../src/check/one-at-a-time.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ctx(prefix = 'defcore-lock-') {
  return { prefix, signal: new AbortController().signal };
}

describe('oneAtATime (tests of a class sharing a resource they change)', () => {
  it('runs the holders of one name one after another, in the order they asked', async () => {
    const log: string[] = [];
    const holder = (n: number) => oneAtATime(ctx(), 'server', async () => {
      log.push(`start ${n}`);
      await tick(20);
      log.push(`end ${n}`);
    });
    await Promise.all([holder(1), holder(2), holder(3)]);
    assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('lets other names and other runs go side by side', async () => {
    let inside = 0;
    let most = 0;
    const holder = (prefix: string, name: string) => oneAtATime(ctx(prefix), name, async () => {
      most = Math.max(most, ++inside);
      await tick(20);
      inside--;
    });
    await Promise.all([holder('run-a-', 'x'), holder('run-a-', 'y'), holder('run-b-', 'x')]);
    assert.equal(most, 3);
  });

  it('a failing holder passes the turn on', async () => {
    await assert.rejects(oneAtATime(ctx(), 'failing', async () => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(await oneAtATime(ctx(), 'failing', async () => 'next'), 'next');
  });

  it('a holder whose deadline passes while waiting gives up, and the next still waits for the one inside', async () => {
    const log: string[] = [];
    let open!: () => void;
    const first = oneAtATime(ctx(), 'slow', () => new Promise<void>((r) => (open = () => { log.push('first done'); r(); })));
    const deadline = new AbortController();
    const second = oneAtATime({ prefix: 'defcore-lock-', signal: deadline.signal }, 'slow', async () => {
      log.push('second ran');
    });
    const third = oneAtATime(ctx(), 'slow', async () => {
      log.push('third ran');
    });
    await tick(10);
    deadline.abort(new Error('deadline'));
    await assert.rejects(second, /deadline/);
    await tick(10);
    assert.deepEqual(log, []);
    open();
    await Promise.all([first, third]);
    assert.deepEqual(log, ['first done', 'third ran']);
  });
});
