import type { Logger } from 'pino';
import type { WalletApi } from '../gateways/paysera-wallet/wallet-api.js';
import type { Transaction } from '../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../platform/clock.js';
import { PollLoop } from './poll-loop.js';

export interface ReservationWatcherOptions {
  wallet: Pick<WalletApi, 'listTransactions' | 'getTransaction'>;
  clock: Clock;
  logger: Logger;
  /** Poll interval while anything is awaited; faster than the spot watcher's. */
  intervalMs: number;
  /** Every this many polls, each awaited transaction is also read on its own (declines). */
  readEachEvery?: number;
  /** Transaction keys awaited right now; read at every poll. */
  awaited: () => string[];
  /** A watched transaction left `new`/`waiting*`: reserved, or rejected/failed/revoked. */
  onSettled: (transaction: Transaction) => void;
}

const STILL_WAITING = new Set(['new', 'waiting', 'waiting_funds', 'waiting_registration', 'waiting_password']);

/**
 * While any sale awaits the customer, polls `GET /transactions?status=reserved` (one call covers
 * every sale; reserved transactions do not pile up, we confirm them) and, every few polls, reads
 * each awaited transaction to notice a customer who declined. No time filter is used: a Pi's
 * wall clock may be wrong, and a filter in the wrong place would hide a payment.
 *
 * With nothing awaited it stops, so an idle terminal makes no such calls. `wake()` restarts it.
 */
export class ReservationWatcher {
  private readonly options: ReservationWatcherOptions;
  private readonly loop: PollLoop;
  private polls = 0;

  constructor(options: ReservationWatcherOptions) {
    this.options = options;
    this.loop = new PollLoop({
      clock: options.clock,
      intervalMs: options.intervalMs,
      hasWork: () => options.awaited().length > 0,
      poll: () => this.poll(),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Whether it is polling (something is awaited). */
  isActive(): boolean {
    return this.loop.isActive();
  }

  /** A sale started waiting: begin polling if not already. The first poll follows one interval. */
  wake(): void {
    this.loop.wake();
  }

  private async poll(): Promise<void> {
    const awaited = new Set(this.options.awaited());
    if (awaited.size === 0) return;
    this.polls += 1;
    try {
      for (const transaction of await this.options.wallet.listTransactions({ statuses: ['reserved'] })) {
        if (awaited.delete(transaction.key)) this.options.onSettled(transaction);
      }
      if (this.polls % (this.options.readEachEvery ?? 8) !== 0) return;
      for (const key of awaited) {
        const transaction = await this.options.wallet.getTransaction(key);
        if (!STILL_WAITING.has(transaction.status)) this.options.onSettled(transaction);
      }
    } catch (error) {
      this.options.logger.debug({ err: error }, 'reservation poll failed; next poll at the interval');
    }
  }
}
