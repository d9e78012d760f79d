import type { Logger } from 'pino';
import type { TableConfig } from '../../config/load-config.js';
import { paymentsMismatch } from '../../domain/amount-check.js';
import { OP_KINDS } from '../../domain/operation-kind.js';
import { isReservationCode, RESERVATION_CODE_MAX_DIGITS, RESERVATION_CODE_MIN_DIGITS } from '../../domain/reservation-code.js';
import type { Refund } from '../../domain/refund.js';
import type { SaleKind } from '../../domain/sale.js';
import { sameIdentifier } from '../../domain/spot-code.js';
import type { WalletApi } from '../../gateways/paysera-wallet/wallet-api.js';
import type { Spot, Transaction } from '../../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../../platform/clock.js';
import type { Unsubscribe } from '../../platform/listeners.js';
import { StoreError } from '../../store/store-error.js';
import type { NewOp, SaleRecord, StoreEffects } from '../../store/types.js';
import type { EngineJournal } from '../engine-journal.js';
import { EngineError } from '../engine-error.js';
import type { EngineProvider } from '../engine-provider.js';
import type { OpHandlers } from '../outbox/outbox-runner.js';
import { payseraOperationHandlers, UNKNOWN_STATUS } from './paysera-handlers.js';
import { closeSpotOp, createOrderOp, createTransactionOp, PAYSERA_RETRY_POLICIES, reserveOp, revokeOp } from './paysera-ops.js';
import { OrderWatcher } from './order-watcher.js';
import { payseraRefundHandlers } from './paysera-refund-handlers.js';
import { cancelPaymentOp, PAYSERA_REFUND_POLICIES } from './paysera-refund-ops.js';
import type { PollPacer } from '../poll-loop.js';
import { ReservationWatcher } from './reservation-watcher.js';
import { BUSY_ELSEWHERE, CLOSED_ELSEWHERE } from './shared-spots.js';
import { continueCancelEffects, mismatchEffects, reservedEffects } from './paysera-sale-effects.js';
import { SpotWatcher, type WaitingTable } from './spot-watcher.js';

export const DEFAULT_UNKNOWN_STATUS_DEADLINE_MS = 4 * 60_000;

export interface PayseraSalesOptions {
  journal: EngineJournal;
  wallet: WalletApi;
  clock: Clock;
  logger: Logger;
  locationId: number;
  tables: TableConfig[];
  /** Tables other terminals of the location sell (config paysera.otherTables). */
  otherTables?: readonly TableConfig[] | undefined;
  /** This terminal's name (config terminal.name), sent in each transaction's parameters. */
  terminalName?: string | undefined;
  /** See EngineOptions.sharedTables. Default true. */
  sharedTables?: boolean | undefined;
  /** Whether the wall clock can be trusted (refund slips say so when not). */
  clockSynced?: (() => boolean) | undefined;
  pollIntervalMs: number;
  /** See EngineOptions.reservationPollMs. */
  reservationPollMs?: number | undefined;
  /** See EngineOptions.reservationReadEachAfterMs. */
  reservationReadEachAfterMs?: number | undefined;
  pollPacer?: PollPacer | undefined;
  /** See EngineOptions.unknownStatusDeadlineMs. */
  unknownStatusDeadlineMs?: number | undefined;
}

/**
 * Paysera Wallet sales: table sales (an order on the customer's spot, found by the spot watcher)
 * and code sales (a transaction reserved with the code the customer shows). Watches spots (and
 * closes fabricated ones) and the awaited transactions; a reservation is confirmed only when it
 * matches the sale (domain/amount-check.ts).
 */
export class PayseraSales implements EngineProvider {
  readonly saleKinds: readonly SaleKind[] = ['table', 'code'];
  readonly policies = { ...PAYSERA_RETRY_POLICIES, ...PAYSERA_REFUND_POLICIES };
  private readonly options: PayseraSalesOptions;
  private spotWatcher: SpotWatcher | undefined;
  private reservationWatcher: ReservationWatcher | undefined;
  private orderWatcher: OrderWatcher | undefined;
  /** Reservations seen before the sale's spot was checked for a rival order: confirmed once it is. */
  private readonly heldReservations = new Map<string, Transaction>();

  constructor(options: PayseraSalesOptions) {
    this.options = options;
  }

  handlers(): OpHandlers {
    const { wallet, journal, logger } = this.options;
    const { clock, clockSynced, terminalName } = this.options;
    return {
      ...payseraOperationHandlers({ wallet, sales: journal.store.sales, logger, unknownStatusDeadlineMs: this.unknownStatusDeadlineMs(), readSpotFirst: this.options.sharedTables !== false }),
      ...payseraRefundHandlers({ wallet, sales: journal.store.sales, refunds: journal.store.refunds, terminalName, wallMs: () => clock.wallMs(), clockSynced: clockSynced ?? (() => true), refundedOps: (refund, sale) => journal.refundedOps(refund, sale) }),
    };
  }

  /** A refund cancels the sale's confirmed payment, read from its transaction. */
  refundOp(sale: SaleRecord, refund: Refund): NewOp | undefined {
    return sale.transactionKey === undefined ? undefined : cancelPaymentOp(refund, sale.transactionKey);
  }

  start(): void {
    const { wallet, clock, logger, journal } = this.options;
    this.spotWatcher = new SpotWatcher({
      wallet,
      clock,
      logger,
      locationId: this.options.locationId,
      tables: this.options.tables,
      otherTables: this.options.otherTables,
      pollIntervalMs: this.options.pollIntervalMs,
      onFabricatedSpot: (spot) => this.closeFabricated(spot),
    });
    this.orderWatcher = new OrderWatcher({
      wallet,
      clock,
      logger,
      locationId: this.options.locationId,
      intervalMs: this.options.pollIntervalMs,
      checkRivals: this.options.sharedTables !== false,
      pacer: this.options.pollPacer,
      awaited: () => journal.store.sales.listOpen().flatMap((s) => (s.kind === 'table' && s.state === 'order_created' && s.transactionKey !== undefined && s.spotId !== undefined ? [{ saleId: s.id, spotId: s.spotId, orderId: s.orderId, transactionKey: s.transactionKey }] : [])),
      onClosedElsewhere: (saleId) => this.giveUpOrder(saleId, CLOSED_ELSEWHERE),
      onTransactionEnded: (tx) => this.onTransactionSettled(tx),
      onRivalWon: (saleId) => this.giveUpOrder(saleId, BUSY_ELSEWHERE),
      onCleared: (saleId, losers) => {
        this.revokeRivals(losers);
        const held = this.heldReservations.get(saleId);
        this.heldReservations.delete(saleId);
        if (held !== undefined) this.onTransactionSettled(held);
      },
    });
    this.reservationWatcher = new ReservationWatcher({
      wallet,
      clock,
      logger,
      intervalMs: this.options.reservationPollMs ?? 1000,
      ...(this.options.reservationReadEachAfterMs === undefined ? {} : { readEachAfterMs: this.options.reservationReadEachAfterMs }),
      pacer: this.options.pollPacer,
      // Open sales only (their index): this runs at every poll, and history grows all year.
      awaited: () => journal.store.sales.listOpen().flatMap((s) => (s.kind === 'table' && s.state === 'order_created' && s.transactionKey !== undefined ? [s.transactionKey] : [])),
      onSettled: (tx) => this.onTransactionSettled(tx),
      unknownStatusDeadlineMs: this.unknownStatusDeadlineMs(),
      onUndecided: (tx) => this.onTransactionUndecided(tx),
    });
    this.spotWatcher.start();
    this.reservationWatcher.start();
    this.orderWatcher.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.spotWatcher?.stop(), this.reservationWatcher?.stop(), this.orderWatcher?.stop()]);
  }

  // --- what the UI drives, through the engine --------------------------------------------------

  startTableSale(table: string | number, amountMinor: number): SaleRecord {
    const { journal, logger } = this.options;
    const watcher = this.requireStarted();
    const config = this.resolveTable(table, this.options.tables);
    if (config === undefined) {
      const other = this.resolveTable(table, this.options.otherTables ?? []);
      if (other !== undefined) throw new EngineError('table_other_till', `${other.id} is sold at another terminal (paysera.otherTables)`);
      throw new EngineError('table_unknown', `no configured table ${String(table)}`);
    }
    const waiting = watcher.waitingTables().find((w) => w.table.id === config.id);
    if (waiting === undefined) throw new EngineError('table_not_waiting', `no customer is checked in at ${config.name}`);
    const amount = journal.amount(amountMinor);
    const id = journal.newSaleId();
    let sale: SaleRecord;
    try {
      sale = journal.create({ id, kind: 'table', amount, tableId: config.id, spotId: waiting.spotId }, { enqueue: [createOrderOp(id, amount, waiting.spotId, config.name, this.options.terminalName)] });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'sale_conflict') throw new EngineError('table_busy', `${config.name} already has an open sale`);
      throw error;
    }
    logger.info({ saleId: id, table: config.id, spotId: waiting.spotId, amountMinor }, 'table sale started');
    return sale;
  }

  startCodeSale(amountMinor: number): SaleRecord {
    const { journal, logger } = this.options;
    this.requireStarted();
    const amount = journal.amount(amountMinor);
    const id = journal.newSaleId();
    const sale = journal.create({ id, kind: 'code', amount }, { enqueue: [createTransactionOp(id, amount, 'Counter sale', this.options.terminalName)] });
    logger.info({ saleId: id, amountMinor }, 'code sale started');
    return sale;
  }

  submitReservationCode(saleId: string, code: string): SaleRecord {
    const { journal } = this.options;
    this.requireStarted();
    const sale = journal.requireSale(saleId);
    if (sale.kind !== 'code') throw new EngineError('wrong_sale_kind', `sale ${saleId} is not a code sale`);
    const trimmed = code.trim();
    if (!isReservationCode(trimmed)) throw new EngineError('invalid_code', `a reservation code is ${RESERVATION_CODE_MIN_DIGITS} to ${RESERVATION_CODE_MAX_DIGITS} digits`);
    if (sale.reservationCode !== undefined) throw new EngineError('wrong_sale_state', `sale ${saleId} already has a code`);
    if (sale.state !== 'created' && sale.state !== 'transaction_created') throw new EngineError('wrong_sale_state', `sale ${saleId} is ${sale.state}`);
    const effects: StoreEffects =
      sale.state === 'transaction_created' && sale.transactionKey !== undefined ? { enqueue: [reserveOp(sale, sale.transactionKey, trimmed)] } : {};
    return journal.apply(saleId, { type: 'codeSubmitted', reservationCode: trimmed }, effects);
  }

  cancel(sale: SaleRecord): SaleRecord {
    const { journal, logger } = this.options;
    if (!['created', 'order_created', 'transaction_created', 'reserved'].includes(sale.state)) {
      throw new EngineError(sale.state === 'confirmed' ? 'cancel_too_late' : 'wrong_sale_state', `sale ${sale.id} is ${sale.state}`);
    }
    const ops = journal.liveOps(sale.id);
    const confirm = ops.find((op) => op.kind === OP_KINDS.confirm);
    // A confirm that may already be on its way cannot be taken back: the customer is paying.
    if (confirm !== undefined && confirm.state !== 'pending') throw new EngineError('cancel_too_late', `sale ${sale.id} is being confirmed`);
    const forward = ops.filter((op) => [OP_KINDS.createOrder, OP_KINDS.createTransaction, OP_KINDS.reserve].includes(op.kind as never));
    const withdrawable = [...forward, ...(confirm ? [confirm] : [])].filter((op) => op.state === 'pending');
    const inFlight = forward.filter((op) => op.state !== 'pending');
    for (const op of withdrawable) journal.withdraw(op);
    // With a create or reserve possibly under way, its handler continues the cancel when it
    // settles (it re-reads the sale). Otherwise the first step (revoke, or close) commits with
    // the cancel itself; a sale with nothing left to undo is completed by advance().
    const first = inFlight.length > 0 ? undefined : continueCancelEffects(sale, sale.transactionKey).enqueue;
    const updated = journal.apply(sale.id, { type: 'cancelRequested', reason: 'staff' }, first === undefined ? undefined : { enqueue: first });
    logger.info({ saleId: sale.id }, 'sale cancel requested');
    return journal.getSale(sale.id) ?? updated;
  }

  waitingTables(): WaitingTable[] {
    return this.spotWatcher?.waitingTables() ?? [];
  }

  onWaitingTables(listener: (tables: WaitingTable[]) => void): Unsubscribe {
    if (this.spotWatcher === undefined) throw new EngineError('not_started', 'engine not started');
    return this.spotWatcher.onWaitingTables(listener);
  }

  /** Whether Paysera answered the last spot poll (undefined before the first). */
  isOnline(): boolean | undefined {
    return this.spotWatcher?.isOnline();
  }

  onOnline(listener: (online: boolean) => void): Unsubscribe {
    if (this.spotWatcher === undefined) throw new EngineError('not_started', 'engine not started');
    return this.spotWatcher.onOnline(listener);
  }

  // --- the provider's hooks -------------------------------------------------------------------

  wake(sale: SaleRecord): void {
    if (sale.state !== 'order_created') return;
    this.reservationWatcher?.wake();
    this.orderWatcher?.wake();
  }

  /** A cancel with nothing left in flight takes its next step (revoke, close, or done). */
  advance(sale: SaleRecord): void {
    const { journal } = this.options;
    if (sale.state !== 'cancelling' || journal.hasLiveOps(sale.id)) return;
    const next = continueCancelEffects(sale, sale.transactionKey);
    if (next.sale !== undefined) journal.apply(sale.id, next.sale.event, undefined);
    else journal.enqueue(next.enqueue ?? []);
    journal.touch(sale.id);
  }

  // --- internals ----------------------------------------------------------------------------

  private requireStarted(): SpotWatcher {
    if (this.spotWatcher === undefined) throw new EngineError('not_started', 'engine not started');
    return this.spotWatcher;
  }

  private resolveTable(table: string | number, tables: readonly TableConfig[]): TableConfig | undefined {
    if (typeof table === 'number') return tables.find((t) => t.number === table);
    const byId = tables.find((t) => sameIdentifier(t.id, table));
    if (byId !== undefined) return byId;
    return /^\d+$/.test(table) ? tables.find((t) => t.number === Number(table)) : undefined;
  }

  private unknownStatusDeadlineMs(): number {
    return this.options.unknownStatusDeadlineMs ?? DEFAULT_UNKNOWN_STATUS_DEADLINE_MS;
  }

  private closeFabricated(spot: Spot): void {
    this.options.journal.enqueueUnlessQueued([closeSpotOp(undefined, spot.id)]);
  }

  private onTransactionSettled(tx: Transaction): void {
    const { journal, logger } = this.options;
    const sale = journal.store.sales.findByTransactionKey(tx.key);
    if (sale === undefined || sale.state !== 'order_created') return;
    try {
      if (tx.status === 'revoked' || tx.status === 'deleted') {
        // Not the customer (they reject) and not us (the sale would be cancelling): someone else
        // ended this order's transaction (the back office, or a till whose order came first at
        // this table: shared-spots.ts). The spot is left alone.
        this.giveUpOrder(sale.id, CLOSED_ELSEWHERE);
      } else if ((tx.status === 'reserved' || tx.status === 'confirmed') && this.orderWatcher?.isCleared(sale.id) !== true) {
        // Paid before its spot was checked for a rival order (another till's, same instant):
        // confirmed only once the check keeps ours (docs/configuration.md#several-counters).
        this.heldReservations.set(sale.id, tx);
        this.orderWatcher?.checkNow(sale.id);
      } else if (tx.status === 'reserved' || tx.status === 'confirmed') {
        // Never confirm what does not match the sale: a person decides, the funds are released.
        const mismatch = paymentsMismatch(sale.amount, tx.payments);
        if (mismatch !== undefined) logger.error({ saleId: sale.id, transactionKey: tx.key, reason: mismatch }, 'reserved transaction does not match the sale; not confirming');
        const effects = mismatch === undefined ? reservedEffects(sale, tx.key) : mismatchEffects(sale, tx.key, mismatch, { revoke: tx.status === 'reserved' });
        const { sale: transition, ...rest } = effects;
        if (transition !== undefined) journal.apply(sale.id, transition.event, rest);
      } else {
        // The customer declined (or Paysera failed it): the spot still has to be closed.
        journal.apply(sale.id, { type: 'paymentRejected', reason: tx.status }, sale.spotId === undefined ? undefined : { enqueue: [closeSpotOp(sale.id, sale.spotId)] });
      }
    } catch (error) {
      logger.error({ err: error, saleId: sale.id }, 'could not record a reservation; the next poll tries again');
    }
  }

  /**
   * Another till's order keeps this table, or someone closed ours: the sale ends cancelled with
   * the reason, its transaction revoked (releasing funds a customer may have reserved), the spot
   * left alone (it is the other till's, or closed already).
   */
  private giveUpOrder(saleId: string, reason: typeof BUSY_ELSEWHERE | typeof CLOSED_ELSEWHERE): void {
    const { journal, logger } = this.options;
    const sale = journal.getSale(saleId);
    this.heldReservations.delete(saleId);
    if (sale?.state !== 'order_created') return;
    try {
      journal.apply(sale.id, { type: 'cancelRequested', reason }, continueCancelEffects(sale, sale.transactionKey));
    } catch (error) {
      logger.error({ err: error, saleId }, 'could not end a sale whose order was given up; the next poll tries again');
    }
  }

  /** Orders another till attached after ours at our spot: revoked (journaled, as every write), so they are never paid. */
  private revokeRivals(losers: readonly Transaction[]): void {
    this.options.journal.enqueueUnlessQueued(losers.map((rival) => revokeOp(undefined, rival.key)));
  }

  /** A table sale's transaction kept reading in an undocumented status until the deadline: a person decides. */
  private onTransactionUndecided(tx: Transaction): void {
    const { journal, logger } = this.options;
    const sale = journal.store.sales.findByTransactionKey(tx.key);
    if (sale === undefined || sale.state !== 'order_created') return;
    logger.warn({ saleId: sale.id, transactionKey: tx.key, status: tx.rawStatus }, 'transaction status still undocumented at the deadline; a person must look');
    journal.apply(sale.id, { type: 'needsHuman', reason: `${UNKNOWN_STATUS}:${tx.rawStatus}` }, undefined);
  }
}
