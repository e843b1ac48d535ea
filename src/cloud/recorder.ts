/** Simple ExchangeRecorders. */
import type { HttpExchange } from '../common/exchange.js';
import type { ExchangeRecorder } from './types.js';

/** Keeps exchanges in memory, e.g. to attach them to a test result. */
export class MemoryRecorder implements ExchangeRecorder {
  readonly exchanges: HttpExchange[] = [];

  record(exchange: HttpExchange): void {
    this.exchanges.push(exchange);
  }

  /** Removes and returns what was recorded so far. */
  take(): HttpExchange[] {
    return this.exchanges.splice(0, this.exchanges.length);
  }
}
