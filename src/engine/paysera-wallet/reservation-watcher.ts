import type { Logger } from 'pino';
import type { WalletApi } from '../../gateways/paysera-wallet/wallet-api.js';
import type { Transaction } from '../../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../../platform/clock.js';
import { PollLoop, type PollPacer } from '../poll-loop.js';

export interface ReservationWatcherOptions {
  wallet: Pick<WalletApi, 'listTransactions' | 'getTransaction'>;
  clock: Clock;
  logger: Logger;
  /** Poll interval while anything is awaited; faster than the spot watcher's. */
  intervalMs: number;
  /**
   * A transaction awaited this long is also read on its own (a customer who declined never shows
   * up in the reserved list), and again every this long; one such read per poll at most, the
   * longest unread first. Default 8000 ms.
   */
  readEachAfterMs?: number;
  /** Transaction keys awaited right now; read at every poll. */
  awaited: () => string[];
  /** A watched transaction left `new`/`waiting*`: reserved, or rejected/failed/revoked. */
  onSettled: (transaction: Transaction) => void;
  /**
   * How long a watched transaction may read in a status no document lists (from the first such
   * read, on the monotonic clock) before onUndecided is called. It stays awaited meanwhile.
   */
  unknownStatusDeadlineMs: number;
  /** A watched transaction has read in an undocumented status for the whole deadline: a person decides. */
  onUndecided: (transaction: Transaction) => void;
  /** Stretches the interval when the request budget has less room than `intervalMs` needs. */
  pacer?: PollPacer | undefined;
}


const STILL_WAITING = new Set(['new', 'waiting', 'waiting_funds', 'waiting_registration', 'waiting_password']);

/**
 * While any sale awaits the customer, polls `GET /transactions?status=reserved` (one call covers
 * every sale; reserved transactions do not pile up, we confirm them), and reads on its own a
 * transaction that has been awaited for a while, to notice a customer who declined. No time
 * filter is used: a Pi's wall clock may be wrong, and a filter in the wrong place would hide a
 * payment.
 *
 * Why the single reads wait: most customers pay within seconds, and every request counts against
 * the budget the reserved-list poll needs to run often (its interval is what a payment waits to
 * be noticed). Reading each awaited transaction every few polls cost about as many requests as
 * the list itself at a busy counter; a decline is noticed within `readEachAfterMs` plus a poll.
 *
 * A transaction in a status no document lists decides nothing: it stays awaited, and if it still
 * reads so after `unknownStatusDeadlineMs`, onUndecided hands it to a person.
 *
 * With nothing awaited it stops, so an idle terminal makes no such calls. `wake()` restarts it.
 */
export class ReservationWatcher {
  private readonly options: ReservationWatcherOptions;
  private readonly loop: PollLoop;
  /** Monotonic time of the first read in an undocumented status, per transaction key. */
  private readonly unknownSince = new Map<string, number>();
  /** When each awaited key was first seen, then last read on its own (monotonic ms). */
  private readonly lastLook = new Map<string, number>();

  constructor(options: ReservationWatcherOptions) {
    this.options = options;
    this.loop = new PollLoop({
      clock: options.clock,
      intervalMs: options.intervalMs,
      hasWork: () => options.awaited().length > 0,
      poll: () => this.poll(),
      pacer: options.pacer,
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
    if (this.options.awaited().length === 0) {
      // Nothing awaited: whatever was tracked belongs to sales that are gone.
      this.unknownSince.clear();
      this.lastLook.clear();
      return;
    }
    try {
      this.loop.countCall();
      const reserved = await this.options.wallet.listTransactions({ statuses: ['reserved'] }, { urgent: true });
      // Read after the answer: an order created while the list was on its way (or waiting for
      // the request budget) is matched now, not a poll later.
      const awaited = new Set(this.options.awaited());
      const now = this.options.clock.monoMs();
      for (const key of this.unknownSince.keys()) if (!awaited.has(key)) this.unknownSince.delete(key);
      for (const key of this.lastLook.keys()) if (!awaited.has(key)) this.lastLook.delete(key);
      for (const key of awaited) if (!this.lastLook.has(key)) this.lastLook.set(key, now);
      for (const transaction of reserved) {
        // Only what the filter asked for counts; anything else in the answer is not a reservation.
        if (transaction.status !== 'reserved') continue;
        if (awaited.delete(transaction.key)) this.settled(transaction);
      }
      const due = [...awaited].filter((key) => (this.lastLook.get(key) ?? now) + (this.options.readEachAfterMs ?? 8000) <= now);
      const key = due.sort((a, b) => (this.lastLook.get(a) ?? 0) - (this.lastLook.get(b) ?? 0))[0];
      if (key === undefined) return;
      this.lastLook.set(key, now);
      this.loop.countCall();
      const transaction = await this.options.wallet.getTransaction(key);
      if (transaction.status === 'unknown') this.undecided(transaction);
      else if (STILL_WAITING.has(transaction.status)) this.unknownSince.delete(key);
      else this.settled(transaction);
    } catch (error) {
      this.options.logger.debug({ err: error }, 'reservation poll failed; next poll at the interval');
    }
  }

  private settled(transaction: Transaction): void {
    this.unknownSince.delete(transaction.key);
    this.options.onSettled(transaction);
  }

  private undecided(transaction: Transaction): void {
    const now = this.options.clock.monoMs();
    const since = this.unknownSince.get(transaction.key);
    if (since === undefined) {
      this.unknownSince.set(transaction.key, now);
      this.options.logger.warn({ transactionKey: transaction.key, status: transaction.rawStatus }, 'transaction in a status no document lists; still waiting');
      return;
    }
    if (now - since >= this.options.unknownStatusDeadlineMs) {
      this.unknownSince.delete(transaction.key);
      this.options.onUndecided(transaction);
    }
  }
}
