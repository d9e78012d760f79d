import type { Logger } from 'pino';
import type { WalletApi } from '../../gateways/paysera-wallet/wallet-api.js';
import { WalletError } from '../../gateways/paysera-wallet/wallet-error.js';
import type { Transaction } from '../../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../../platform/clock.js';
import { PollLoop, type PollPacer } from '../poll-loop.js';
import { PAYABLE_STATUSES, spotClaim } from './shared-spots.js';

/** A table sale whose order waits for the customer. */
export interface WatchedOrder {
  saleId: string;
  spotId: number;
  /** Undefined when the order was found again after an ambiguous create (only its transaction is known). */
  orderId: number | undefined;
  transactionKey: string;
}

/** How an order was closed by someone else: another till, the back office, or the customer leaving. */
export type ClosedElsewhere = 'order_closed' | 'order_deleted' | 'spot_closed';

export interface OrderWatcherOptions {
  wallet: Pick<WalletApi, 'getOrder' | 'getSpot' | 'getTransaction' | 'listTransactions' | 'serverNowSeconds'>;
  clock: Clock;
  logger: Logger;
  locationId: number;
  /** The spot poll's interval: an order closed elsewhere ends its sale within about one. */
  intervalMs: number;
  /**
   * How long after an order first shows up its spot is checked for a rival order (a second till
   * that read the spot `waiting` in the same instant). Long enough for a rival's create, sent
   * before ours was applied, to have been applied too. Default 2000 ms.
   */
  settleMs?: number;
  /** Whether another till may order at these spots (paysera.sharedTables): without, every order is its spot's only one. Default true. */
  checkRivals?: boolean;
  awaited: () => WatchedOrder[];
  onClosedElsewhere: (saleId: string, how: ClosedElsewhere) => void;
  /** The order closed because its transaction ended (declined, failed, revoked): the same path as the reservation watcher's. */
  onTransactionEnded: (transaction: Transaction) => void;
  /** Another till's order came first at this spot: ours must give way before it is paid. */
  onRivalWon: (saleId: string, winner: Transaction) => void;
  /** The spot's check found no rival, or ours first (`losers`: the rivals to revoke): the sale may be confirmed. */
  onCleared: (saleId: string, losers: readonly Transaction[]) => void;
  pacer?: PollPacer | undefined;
}

/** Transaction statuses that end an order for good: the customer's answer, or someone's revoke. */
const ENDED = new Set(['rejected', 'failed', 'revoked', 'deleted']);

/** How far back the rival check lists (generous: a Pi's clock and a slow create both shift times). */
const RIVAL_LIST_WINDOW_S = 15 * 60;

/**
 * Watches this terminal's open table orders for what other terminals (or the back office, or the
 * customer) did to them, through Paysera's state alone (invariant 12):
 * - **A rival order.** Once per new order, `settleMs` after it first shows up (or at once when
 *   the customer pays sooner: the confirm waits for this check), one list of the location's
 *   recent transactions shows every order attached to the same spot (each carries its spot id
 *   in its parameters); the earliest keeps the spot (shared-spots.ts spotClaim) and revokes the
 *   others, the others give way (funds a customer reserved on them are released, never
 *   confirmed). One list call covers every order due.
 * - **Closed elsewhere.** Each poll reads one order (the longest unread): `closed` or gone
 *   (404), or, where only the transaction is known, a spot that is `closed`, ends the sale,
 *   unless its transaction shows the customer declined (then the sale's decline path runs).
 * Stops when nothing is awaited, so an idle terminal makes no such calls.
 */
export class OrderWatcher {
  private readonly options: OrderWatcherOptions;
  private readonly loop: PollLoop;
  /** When each awaited sale was first seen (monotonic ms). */
  private readonly firstSeen = new Map<string, number>();
  /** When each was last read for closed-elsewhere (monotonic ms). */
  private readonly lastRead = new Map<string, number>();
  /** Sales whose spot has been checked for a rival and kept. */
  private readonly cleared = new Set<string>();
  /** Sales whose customer paid before the check: checked at once. */
  private readonly urgent = new Set<string>();
  private checking: Promise<void> | undefined;

  constructor(options: OrderWatcherOptions) {
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

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.checking;
  }

  wake(): void {
    this.loop.wake();
  }

  /** Whether the sale's spot has been checked for a rival order and ours kept it. */
  isCleared(saleId: string): boolean {
    return this.options.checkRivals === false || this.cleared.has(saleId);
  }

  /** The customer paid before the spot was checked: check it now (onCleared or onRivalWon follows). */
  checkNow(saleId: string): void {
    if (this.cleared.has(saleId)) return;
    this.urgent.add(saleId);
    this.checking ??= this.checkRivals(true).finally(() => {
      this.checking = undefined;
    });
  }


  private async poll(): Promise<void> {
    const awaited = this.options.awaited();
    const ids = new Set(awaited.map((o) => o.saleId));
    const now = this.options.clock.monoMs();
    for (const map of [this.firstSeen, this.lastRead]) for (const id of map.keys()) if (!ids.has(id)) map.delete(id);
    for (const set of [this.cleared, this.urgent]) for (const id of set) if (!ids.has(id)) set.delete(id);
    for (const id of ids) if (!this.firstSeen.has(id)) this.firstSeen.set(id, now);
    await (this.checking ?? this.checkRivals(false));
    await this.readOneOrder(awaited);
  }

  /** One list for every order due a rival check (settled, or urgent when `urgentOnly`). */
  private async checkRivals(urgentOnly: boolean): Promise<void> {
    if (this.options.checkRivals === false) return;
    const now = this.options.clock.monoMs();
    const settle = this.options.settleMs ?? 2000;
    const due = this.options.awaited().filter((o) => !this.cleared.has(o.saleId) && (this.urgent.has(o.saleId) || (!urgentOnly && (this.firstSeen.get(o.saleId) ?? now) + settle <= now)));
    if (due.length === 0) return;
    let listed: Transaction[];
    try {
      this.loop.countCall();
      const from = Math.floor(this.options.wallet.serverNowSeconds() - RIVAL_LIST_WINDOW_S);
      listed = await this.options.wallet.listTransactions({ statuses: [...PAYABLE_STATUSES], from, locationId: this.options.locationId }, { urgent: urgentOnly });
    } catch (error) {
      this.options.logger.debug({ err: error }, 'rival-order check failed; next poll tries again');
      return;
    }
    for (const order of due) {
      this.urgent.delete(order.saleId);
      const ours = listed.find((t) => t.key === order.transactionKey);
      // Ours no longer payable: someone revoked it (a till whose order came first) or the
      // customer declined. Never cleared: its transaction's own path ends the sale.
      if (ours === undefined) {
        await this.ended(order);
        continue;
      }
      const claim = spotClaim(ours, order.spotId, listed);
      if (claim !== undefined && claim.winner.key !== order.transactionKey) {
        this.options.logger.warn({ saleId: order.saleId, spotId: order.spotId, winner: claim.winner.key }, 'another till ordered at this table first; giving way');
        this.options.onRivalWon(order.saleId, claim.winner);
      } else {
        if (claim !== undefined) this.options.logger.warn({ saleId: order.saleId, spotId: order.spotId, losers: claim.losers.map((t) => t.key) }, 'another till ordered at this table after us; revoking its order');
        this.cleared.add(order.saleId);
        this.options.onCleared(order.saleId, claim?.losers ?? []);
      }
    }
  }

  /** Reads a transaction the rival check did not list (no longer payable) and hands an ended one on. */
  private async ended(order: WatchedOrder): Promise<void> {
    try {
      const tx = await this.options.wallet.getTransaction(order.transactionKey);
      if (ENDED.has(tx.status)) this.options.onTransactionEnded(tx);
    } catch (error) {
      this.options.logger.debug({ err: error, saleId: order.saleId }, 'transaction read failed; checked again at a later poll');
    }
  }

  /** Reads the longest-unread order: closed or gone means someone else ended it. */
  private async readOneOrder(awaited: readonly WatchedOrder[]): Promise<void> {
    const now = this.options.clock.monoMs();
    const order = [...awaited].sort((a, b) => (this.lastRead.get(a.saleId) ?? 0) - (this.lastRead.get(b.saleId) ?? 0))[0];
    if (order === undefined) return;
    this.lastRead.set(order.saleId, now);
    this.loop.countCall();
    try {
      if (order.orderId !== undefined) {
        const read = await this.options.wallet.getOrder(order.orderId);
        if (read.status === 'closed') await this.closed(order, 'order_closed');
      } else {
        const spot = await this.options.wallet.getSpot(order.spotId);
        if (spot.status === 'closed') await this.closed(order, 'spot_closed');
      }
    } catch (error) {
      // A 404 is an answer: the order was deleted. Anything else is read again next time.
      if (error instanceof WalletError && error.status === 404 && order.orderId !== undefined) this.closedElsewhere(order, 'order_deleted');
      else this.options.logger.debug({ err: error, saleId: order.saleId }, 'order read failed; read again at a later poll');
    }
  }

  /**
   * An order also reads `closed` when its transaction ended (the customer declined, or someone
   * revoked it): the transaction says which, and takes the path the reservation watcher's reads
   * take. A transaction still payable under a closed order was closed by someone else.
   */
  private async closed(order: WatchedOrder, how: ClosedElsewhere): Promise<void> {
    const tx = await this.options.wallet.getTransaction(order.transactionKey);
    if (ENDED.has(tx.status)) this.options.onTransactionEnded(tx);
    else if (tx.status !== 'reserved' && tx.status !== 'confirmed') this.closedElsewhere(order, how);
  }

  private closedElsewhere(order: WatchedOrder, how: ClosedElsewhere): void {
    this.options.logger.warn({ saleId: order.saleId, spotId: order.spotId, orderId: order.orderId, how }, 'order closed elsewhere; ending the sale');
    this.options.onClosedElsewhere(order.saleId, how);
  }
}
