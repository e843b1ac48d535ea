/**
 * Ctrl-C during a run. The first one stops new tests and gives the running ones a bounded
 * teardown, counting down on the terminal; the second one quits at once and says what may
 * be left on the cloud and the `defcore cleanup` command that removes it.
 */
import type { Reporter } from '../runner/events.js';
import type { CliIO } from './io.js';

export interface InterruptOptions {
  io: CliIO;
  teardownMs: number;
  prefix: string;
  /** The clouds.yaml names of the run's accounts (none: OS_* variables), for the cleanup command. */
  clouds: string[];
  /** How to quit at once (tests replace it). */
  quit?: (code: number) => void;
}

export class Interruption {
  readonly controller = new AbortController();
  private readonly running = new Set<string>();
  /** Tests cut short by the interrupt or whose cleanups failed: their resources may remain. */
  private readonly unfinished = new Set<string>();
  private countdown: NodeJS.Timeout | undefined;
  private presses = 0;

  constructor(private readonly opts: InterruptOptions) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get prefix(): string {
    return this.opts.prefix;
  }

  /** Keeps track of the tests in progress (whose resources may be left on a second Ctrl-C). */
  reporter(): Reporter {
    return {
      name: 'interrupt-tracker',
      onTestBegin: (t) => void this.running.add(t.name),
      onTestEnd: (t, r) => {
        this.running.delete(t.name);
        if (this.signal.aborted || r.evidence?.notes?.some((n) => n.startsWith('cleanup '))) this.unfinished.add(t.name);
      },
    };
  }

  install(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  uninstall(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    this.stopCountdown();
  }

  /** What may be left and how to remove it (several lines, each starting `defcore: `). */
  leftovers(tests: readonly string[] = [...new Set([...this.unfinished, ...this.running])]): string {
    const { prefix, clouds } = this.opts;
    const which = tests.length ? ` of ${tests.length} unfinished test(s): ${tests.slice(0, 5).join(', ')}${tests.length > 5 ? ', …' : ''}` : '';
    const commands = (clouds.length ? clouds : [undefined]).map((c) => `defcore cleanup${c ? ` --os-cloud ${c}` : ''} --prefix ${prefix}`);
    return `defcore: may be left on the cloud: resources named ${prefix}…${which}\n` + `defcore: remove them with: ${commands.join(' ; ')}\n`;
  }

  private readonly onSignal = (): void => {
    this.presses++;
    const { io, teardownMs } = this.opts;
    if (this.presses > 1) {
      this.stopCountdown();
      io.err('\ndefcore: interrupted again: quitting now, without finishing the teardown\n');
      io.err(this.leftovers());
      (this.opts.quit ?? ((code) => process.exit(code)))(130);
      return;
    }
    let left = Math.round(teardownMs / 1000);
    io.err(`\ndefcore: interrupted: starting no more tests; tearing down what exists (at most ${left} s; Ctrl-C again to quit at once)\n`);
    this.countdown = setInterval(() => {
      left = Math.max(0, left - 1);
      const line = `defcore: tearing down: giving up in ${left} s (Ctrl-C again to quit now)`;
      if (io.isTTY) io.err(`\r\x1b[2K${line}`);
      else if (left % 10 === 0) io.err(`${line}\n`);
      if (left === 0) this.stopCountdown();
    }, 1000);
    this.countdown.unref();
    this.controller.abort(new Error('interrupted by the user'));
  };

  private stopCountdown(): void {
    if (this.countdown === undefined) return;
    clearInterval(this.countdown);
    this.countdown = undefined;
    if (this.opts.io.isTTY) this.opts.io.err('\r\x1b[2K');
  }
}
