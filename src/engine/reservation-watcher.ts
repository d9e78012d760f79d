import type { Logger } from 'pino';
import type { WalletApi } from '../gateways/paysera-wallet/wallet-api.js';
import type { Transaction, TransactionStatus } from '../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../platform/clock.js';

/** A transaction the engine waits for the customer to reserve (or reject). */
export interface AwaitedTransaction {
  transactionKey: string;
  /** Server time (Unix s) the transaction was created, when known: bounds the list query. */
  createdAt: number | undefined;
}

export interface ReservationWatcherOptions {
  wallet: Pick<WalletApi, 'listTransactions'>;
  clock: Clock;
  logger: Logger;
  /** Poll interval while anything is awaited; faster than the spot watcher's. */
  intervalMs: number;
  /** What is awaited right now; read at every poll. */
  awaited: () => AwaitedTransaction[];
  /** A watched transaction left `new`/`waiting*`: reserved, or rejected/failed by the customer. */
  onSettled: (transaction: Transaction) => void;
}

/** Statuses one list call asks for: the customer reserved, or the payment will not happen. */
const SETTLED: TransactionStatus[] = ['reserved', 'rejected', 'failed'];

/**
 * While any sale awaits a reservation, polls `GET /transactions?status=reserved,rejected,failed`
 * (one call covers every sale) and reports the watched ones. With nothing awaited it stops, so
 * an idle terminal makes no such calls. `wake()` restarts it when a sale starts waiting.
 */
export class ReservationWatcher {
  private readonly options: ReservationWatcherOptions;
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;
  private active = false;

  constructor(options: ReservationWatcherOptions) {
    this.options = options;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.active = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.inFlight;
  }

  /** Whether it is polling (something is awaited). */
  isActive(): boolean {
    return this.active;
  }

  /** A sale started waiting: begin polling if not already. The first poll follows one interval. */
  wake(): void {
    if (!this.running || this.active) return;
    if (this.options.awaited().length === 0) return;
    this.active = true;
    this.schedule(this.options.intervalMs);
  }

  private schedule(delayMs: number): void {
    this.cancelTimer = this.options.clock.setTimeout(() => {
      const started = this.options.clock.monoMs();
      this.inFlight = this.poll().finally(() => {
        this.inFlight = undefined;
      });
      void this.inFlight.then(() => {
        if (!this.running) return;
        if (this.options.awaited().length === 0) {
          this.active = false;
          return;
        }
        this.schedule(Math.max(0, this.options.intervalMs - (this.options.clock.monoMs() - started)));
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const awaited = this.options.awaited();
    if (awaited.length === 0) return;
    const keys = new Set(awaited.map((a) => a.transactionKey));
    const created = awaited.map((a) => a.createdAt).filter((t): t is number => t !== undefined);
    // Only transactions created since the oldest awaited one can be ours (a minute of slack for clock skew).
    const from = created.length === awaited.length && created.length > 0 ? Math.min(...created) - 60 : undefined;
    let transactions: Transaction[];
    try {
      transactions = await this.options.wallet.listTransactions({ statuses: SETTLED, ...(from === undefined ? {} : { from }) });
    } catch (error) {
      this.options.logger.debug({ err: error }, 'reservation poll failed; next poll at the interval');
      return;
    }
    for (const transaction of transactions) {
      if (keys.has(transaction.key)) this.options.onSettled(transaction);
    }
  }
}
