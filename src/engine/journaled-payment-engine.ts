import type { Logger } from 'pino';
import type { TableConfig } from '../config/load-config.js';
import { Listeners, type Unsubscribe } from '../platform/listeners.js';
import { money } from '../domain/money.js';
import { paymentsMismatch } from '../domain/amount-check.js';
import { OP_KINDS } from '../domain/operation-kind.js';
import { isReservationCode, RESERVATION_CODE_MAX_DIGITS, RESERVATION_CODE_MIN_DIGITS } from '../domain/reservation-code.js';
import { isOpenSaleState, isPaidAndClosed, isPaidSaleState, type NewSaleInput, type Sale, type SaleEvent, type SaleKind } from '../domain/sale.js';
import { sameIdentifier } from '../domain/spot-code.js';
import type { CentrapayApi } from '../gateways/centrapay/centrapay-api.js';
import type { PaymentRequest } from '../gateways/centrapay/centrapay-types.js';
import type { PosApi } from '../gateways/paysera-pos/pos-api.js';
import type { WalletApi } from '../gateways/paysera-wallet/wallet-api.js';
import type { Spot, Transaction } from '../gateways/paysera-wallet/wallet-types.js';
import type { Clock } from '../platform/clock.js';
import type { RandomSource } from '../platform/random.js';
import { receiptJob } from '../printing/receipt-job.js';
import { StoreError } from '../store/store-error.js';
import type { Store } from '../store/store.js';
import type { NewOp, OpState, OutboxOp, SaleRecord, StoreEffects } from '../store/types.js';
import { centrapayOperationHandlers } from './centrapay/centrapay-handlers.js';
import { CENTRAPAY_RETRY_POLICIES, createPaymentRequestOp, voidOp } from './centrapay/centrapay-ops.js';
import { CentrapayWatcher } from './centrapay/centrapay-watcher.js';
import { requestStatusEffects } from './centrapay/sale-effects.js';
import type { EngineStatus, PaymentEngine, SaleChange } from './engine-api.js';
import { EngineError } from './engine-error.js';
import { OutboxRunner, type RunnerLane } from './outbox/outbox-runner.js';
import type { RetryPolicies } from './outbox/retry-policy.js';
import { summarizeRetrying } from './outbox/retrying.js';
import { payseraOperationHandlers, UNKNOWN_STATUS } from './paysera-wallet/paysera-handlers.js';
import { closeSpotOp, createOrderOp, createTransactionOp, PAYSERA_RETRY_POLICIES, reserveOp } from './paysera-wallet/paysera-ops.js';
import { ReservationWatcher, type PollPacer } from './paysera-wallet/reservation-watcher.js';
import { continueCancelEffects, mismatchEffects, reservedEffects } from './paysera-wallet/sale-effects.js';
import { SpotWatcher, type WaitingTable } from './paysera-wallet/spot-watcher.js';
import { posSyncHandlers } from './paysera-pos/pos-handlers.js';
import { posRecordOp, POS_SYNC_RETRY_POLICIES } from './paysera-pos/pos-ops.js';

export interface EngineOptions {
  /** Opened by the caller (the composition root owns its lifecycle). */
  store: Store;
  wallet: WalletApi;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  locationId: number;
  tables: TableConfig[];
  currency: string;
  pollIntervalMs: number;
  /**
   * Reservation poll while a customer is expected to pay. Default 1000 ms: a payment waits up to
   * one interval to be noticed, so this bounds the tail of reserve-to-confirm.
   */
  reservationPollMs?: number;
  /**
   * How long a sale waits on a transaction in a status no document lists before it goes to a
   * person (DEFAULT_UNKNOWN_STATUS_DEADLINE_MS). Below the reserve op's max age, so a code sale
   * reaches a person with that reason rather than a generic timeout.
   */
  unknownStatusDeadlineMs?: number;
  /** An awaited transaction is read on its own (declines) after this long, and again every this long. Default 8000 ms. */
  reservationReadEachAfterMs?: number;
  /** The request budget, so the reservation poll asks for no more than it has room for. */
  pollPacer?: PollPacer | undefined;
  /** Whether the wall clock can be trusted (receipts say so when not). */
  clockSynced?: () => boolean;
  /** Merged over the defaults of every op kind (Paysera, Centrapay, POS sync). */
  policies?: RetryPolicies;
  /** Centrapay sales; absent: startCentrapaySale refuses with `not_configured`. */
  centrapay?: CentrapayEngineOptions | undefined;
  /** Paysera POS back-office sync; absent: no sync op is ever enqueued. */
  pos?: { api: PosApi } | undefined;
}

export interface CentrapayEngineOptions {
  api: CentrapayApi;
  /** Lifetime of each payment request (config `centrapay.expirySeconds`). */
  expirySeconds: number;
  /** Poll interval (config `centrapay.pollIntervalMs`; documented: every second). Default 1000. */
  pollIntervalMs?: number;
  /** How long after the request's expiry the terminal gives up (docs/apis.md#centrapay-polling-and-deadline: 5-10 s). Default 7000. */
  deadlineGraceMs?: number;
}

export const DEFAULT_UNKNOWN_STATUS_DEADLINE_MS = 4 * 60_000;
const LIVE_OP_STATES: readonly OpState[] = ['pending', 'in_flight', 'unknown', 'needs_human'];
/** Transport failure codes of the gateways: nothing (or an unknown amount) got through. */
const NETWORK_FAILURES = new Set(['connect_failed', 'request_timeout', 'connection_reset']);

/**
 * The outbox lanes, most urgent first. A due confirm is claimed before anything else and never
 * waits for another op (the customer's money is held and the sale waits for it); the rest of a
 * payment (creates, reserves, revokes, Centrapay) comes next; spot closes and the POS back-office
 * sync each run in a lane of their own, so neither a burst of closes nor a slow back office
 * delays a payment.
 */
const RUNNER_LANES: readonly RunnerLane[] = [
  { kinds: [OP_KINDS.confirm], concurrency: 4 },
  { concurrency: 1 },
  { kinds: [OP_KINDS.closeSpot], concurrency: 1 },
  { kinds: [OP_KINDS.posRecordOrder], concurrency: 1 },
];

/**
 * The terminal's payment engine, for every provider it is built with: Paysera table and code
 * sales (spot and reservation watchers), Centrapay sales (its watcher) and the POS back-office
 * sync, all through one outbox runner around the SQLite journal. Every decision is committed
 * before its effect; remote facts are committed with the decision that follows them
 * (sale-effects.ts); local steps (receipt queued, done) follow in their own commits and are
 * replayed from the journal after a restart.
 */
export class JournaledPaymentEngine implements PaymentEngine {
  private readonly options: EngineOptions;
  private readonly saleListeners: Listeners<SaleChange>;
  private readonly statusListeners: Listeners<EngineStatus>;
  private runner: OutboxRunner | undefined;
  private spotWatcher: SpotWatcher | undefined;
  private reservationWatcher: ReservationWatcher | undefined;
  private centrapayWatcher: CentrapayWatcher | undefined;
  /** Last state seen per open sale, to emit changes once. */
  private readonly seen = new Map<string, { state: Sale['state']; version: number }>();
  private unsubscribers: Unsubscribe[] = [];
  private lastStatus = '';
  /** Ops whose failure was logged in this run; their recovery is logged once too. */
  private readonly failing = new Set<string>();

  constructor(options: EngineOptions) {
    this.options = options;
    const report = (error: unknown): void => options.logger.error({ err: error }, 'engine listener failed');
    this.saleListeners = new Listeners<SaleChange>(report);
    this.statusListeners = new Listeners<EngineStatus>(report);
  }

  start(): void {
    const { store, wallet, clock, random, logger } = this.options;
    const { centrapay, pos } = this.options;
    const clockSynced = (): boolean => this.options.clockSynced?.() ?? true;
    // One runner owns every op kind, in lanes (see RUNNER_LANES).
    this.runner = new OutboxRunner({
      outbox: store.outbox,
      clock,
      random,
      policies: { ...PAYSERA_RETRY_POLICIES, ...CENTRAPAY_RETRY_POLICIES, ...POS_SYNC_RETRY_POLICIES, ...this.options.policies },
      handlers: {
        ...payseraOperationHandlers({ wallet, sales: store.sales, logger, unknownStatusDeadlineMs: this.unknownStatusDeadlineMs() }),
        ...(centrapay === undefined
          ? {}
          : centrapayOperationHandlers({ centrapay: centrapay.api, sales: store.sales, logger, wallMs: () => clock.wallMs(), clockSynced })),
        ...(pos === undefined ? {} : posSyncHandlers({ pos: pos.api, logger, clock })),
      },
      lanes: RUNNER_LANES,
    });
    this.centrapayWatcher =
      centrapay === undefined
        ? undefined
        : new CentrapayWatcher({
            centrapay: centrapay.api,
            clock,
            logger,
            intervalMs: centrapay.pollIntervalMs ?? 1000,
            graceMs: centrapay.deadlineGraceMs ?? 7000,
            awaited: () =>
              store.sales
                .listOpen()
                .filter((s) => s.kind === 'centrapay' && s.state === 'awaiting_payment' && s.paymentRequestId !== undefined)
                .map((s) => ({ saleId: s.id, paymentRequestId: s.paymentRequestId ?? '', expirySeconds: s.expirySeconds ?? centrapay.expirySeconds })),
            onSettled: (saleId, request) => this.onPaymentRequestSettled(saleId, request),
            onDeadline: (saleId) => this.onCentrapayDeadline(saleId),
          });
    this.spotWatcher = new SpotWatcher({
      wallet,
      clock,
      logger,
      locationId: this.options.locationId,
      tables: this.options.tables,
      pollIntervalMs: this.options.pollIntervalMs,
      onFabricatedSpot: (spot) => this.closeFabricated(spot),
    });
    this.reservationWatcher = new ReservationWatcher({
      wallet,
      clock,
      logger,
      intervalMs: this.options.reservationPollMs ?? 1000,
      ...(this.options.reservationReadEachAfterMs === undefined ? {} : { readEachAfterMs: this.options.reservationReadEachAfterMs }),
      pacer: this.options.pollPacer,
      // Open sales only (their index): this runs at every poll, and history grows all year.
      awaited: () => store.sales.listOpen().flatMap((s) => (s.kind === 'table' && s.state === 'order_created' && s.transactionKey !== undefined ? [s.transactionKey] : [])),
      onSettled: (tx) => this.onTransactionSettled(tx),
      unknownStatusDeadlineMs: this.unknownStatusDeadlineMs(),
      onUndecided: (tx) => this.onTransactionUndecided(tx),
    });
    this.unsubscribers = [
      this.runner.on((event) => {
        if (event.type === 'error') {
          logger.error({ err: event.error, opId: event.opId }, 'outbox: could not record an outcome; the op is reconciled after restart');
          return;
        }
        const level = event.to === 'needs_human' || event.to === 'failed' ? 'warn' : 'debug';
        logger[level]({ opId: event.op.id, kind: event.op.kind, saleId: event.op.saleId, from: event.from, to: event.to, code: event.code, detail: event.detail }, 'outbox op');
        this.logRetries(event.op, event.from, event.to, event.code, event.delayMs);
        if (event.op.saleId !== undefined) this.touch(event.op.saleId);
        this.emitStatus();
      }),
      this.spotWatcher.onOnline((online) => {
        if (online) this.resumeAfterOutage();
        this.emitStatus();
      }),
    ];
    // Replay local steps a crash may have interrupted (receipt queued, done) before new work.
    for (const sale of store.sales.listOpen()) {
      this.seen.set(sale.id, { state: sale.state, version: sale.version });
      this.advance(sale);
    }
    this.runner.start();
    this.spotWatcher.start();
    this.reservationWatcher.start();
    // After a restart every awaiting Centrapay sale is read again at the first poll.
    this.centrapayWatcher?.start();
    this.emitStatus();
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    await Promise.all([this.spotWatcher?.stop(), this.reservationWatcher?.stop(), this.centrapayWatcher?.stop()]);
    await this.runner?.stop();
  }

  // --- the API the UI drives ---------------------------------------------------------------

  startTableSale(table: string | number, amountMinor: number): SaleRecord {
    const watcher = this.requireStarted();
    const config = this.resolveTable(table);
    if (config === undefined) throw new EngineError('table_unknown', `no configured table ${String(table)}`);
    const waiting = watcher.waitingTables().find((w) => w.table.id === config.id);
    if (waiting === undefined) throw new EngineError('table_not_waiting', `no customer is checked in at ${config.name}`);
    const amount = this.amount(amountMinor);
    const id = this.options.random.id('sale');
    let sale: SaleRecord;
    try {
      sale = this.create({ id, kind: 'table', amount, tableId: config.id, spotId: waiting.spotId }, { enqueue: [createOrderOp(id, amount, waiting.spotId, config.name)] });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'sale_conflict') throw new EngineError('table_busy', `${config.name} already has an open sale`);
      throw error;
    }
    this.options.logger.info({ saleId: id, table: config.id, spotId: waiting.spotId, amountMinor }, 'table sale started');
    return sale;
  }

  startCodeSale(amountMinor: number): SaleRecord {
    this.requireStarted();
    const amount = this.amount(amountMinor);
    const id = this.options.random.id('sale');
    const sale = this.create({ id, kind: 'code', amount }, { enqueue: [createTransactionOp(id, amount, 'Counter sale')] });
    this.options.logger.info({ saleId: id, amountMinor }, 'code sale started');
    return sale;
  }

  /**
   * Journals a Centrapay sale with its create_payment_request op (externalRef = the sale id) in
   * one commit; the slip prints once the request exists. EngineError `not_configured` without a
   * `centrapay` section.
   */
  startCentrapaySale(amountMinor: number): SaleRecord {
    this.requireStarted();
    const centrapay = this.options.centrapay;
    if (centrapay === undefined) throw new EngineError('not_configured', 'Centrapay is not configured');
    const amount = this.amount(amountMinor);
    const id = this.options.random.id('sale');
    const sale = this.create({ id, kind: 'centrapay', amount }, { enqueue: [createPaymentRequestOp(id, amount, centrapay.expirySeconds)] });
    this.options.logger.info({ saleId: id, amountMinor }, 'centrapay sale started');
    return sale;
  }

  saleKinds(): readonly SaleKind[] {
    return this.options.centrapay === undefined ? ['table', 'code'] : ['table', 'code', 'centrapay'];
  }

  submitReservationCode(saleId: string, code: string): SaleRecord {
    this.requireStarted();
    const sale = this.requireSale(saleId);
    if (sale.kind !== 'code') throw new EngineError('wrong_sale_kind', `sale ${saleId} is not a code sale`);
    const trimmed = code.trim();
    if (!isReservationCode(trimmed)) throw new EngineError('invalid_code', `a reservation code is ${RESERVATION_CODE_MIN_DIGITS} to ${RESERVATION_CODE_MAX_DIGITS} digits`);
    if (sale.reservationCode !== undefined) throw new EngineError('wrong_sale_state', `sale ${saleId} already has a code`);
    if (sale.state !== 'created' && sale.state !== 'transaction_created') throw new EngineError('wrong_sale_state', `sale ${saleId} is ${sale.state}`);
    const effects: StoreEffects =
      sale.state === 'transaction_created' && sale.transactionKey !== undefined ? { enqueue: [reserveOp(sale, sale.transactionKey, trimmed)] } : {};
    return this.apply(saleId, { type: 'codeSubmitted', reservationCode: trimmed }, effects);
  }

  cancelSale(saleId: string): SaleRecord {
    this.requireStarted();
    const sale = this.requireSale(saleId);
    if (sale.kind === 'centrapay') return this.cancelCentrapaySale(sale);
    if (!['created', 'order_created', 'transaction_created', 'reserved'].includes(sale.state)) {
      throw new EngineError(sale.state === 'confirmed' ? 'cancel_too_late' : 'wrong_sale_state', `sale ${saleId} is ${sale.state}`);
    }
    const ops = this.options.store.outbox.list({ saleId }).filter((op) => LIVE_OP_STATES.includes(op.state));
    const confirm = ops.find((op) => op.kind === OP_KINDS.confirm);
    // A confirm that may already be on its way cannot be taken back: the customer is paying.
    if (confirm !== undefined && confirm.state !== 'pending') throw new EngineError('cancel_too_late', `sale ${saleId} is being confirmed`);
    const forward = ops.filter((op) => [OP_KINDS.createOrder, OP_KINDS.createTransaction, OP_KINDS.reserve].includes(op.kind as never));
    const withdrawable = [...forward, ...(confirm ? [confirm] : [])].filter((op) => op.state === 'pending');
    const inFlight = forward.filter((op) => op.state !== 'pending');
    for (const op of withdrawable) this.withdraw(op);
    // With a create or reserve possibly under way, its handler continues the cancel when it
    // settles (it re-reads the sale). Otherwise the first step (revoke, or close) commits with
    // the cancel itself; a sale with nothing left to undo is completed by advance().
    const first = inFlight.length > 0 ? undefined : continueCancelEffects(sale, sale.transactionKey).enqueue;
    const updated = this.apply(saleId, { type: 'cancelRequested', reason: 'staff' }, first === undefined ? undefined : { enqueue: first });
    this.options.logger.info({ saleId }, 'sale cancel requested');
    return this.options.store.sales.get(saleId) ?? updated;
  }

  openSales(): SaleRecord[] {
    return this.options.store.sales.listOpen();
  }

  getSale(saleId: string): SaleRecord | undefined {
    return this.options.store.sales.get(saleId);
  }

  waitingTables(): WaitingTable[] {
    return this.spotWatcher?.waitingTables() ?? [];
  }

  /**
   * Whether a confirm is on its way to Paysera right now (claimed, not yet settled). Background
   * work on this process (printing) waits for it: its commits and rendering would hold the event
   * loop the confirm's answer needs.
   */
  confirming(): boolean {
    return this.runner?.hasInFlight(OP_KINDS.confirm) ?? false;
  }

  status(): EngineStatus {
    const counts = this.options.store.outbox.countOpenByState();
    const queue: Partial<Record<OpState, number>> = {};
    for (const state of ['pending', 'in_flight', 'unknown', 'needs_human'] as const) if (counts[state] > 0) queue[state] = counts[state];
    const open = this.options.store.sales.listOpen();
    const { outbox } = this.options.store;
    // Only live ops: the runnable ones (an index read) and the few in flight right now. An op the
    // runner has just settled is still in its in-flight set while listeners run: counted once.
    const live = new Map<string, OutboxOp>();
    if (counts.pending + counts.unknown + counts.in_flight > 0) {
      for (const op of outbox.listRunnable()) live.set(op.id, op);
      for (const id of this.runner?.inFlight() ?? []) {
        const op = live.has(id) ? undefined : outbox.get(id);
        if (op !== undefined) live.set(id, op);
      }
    }
    return {
      online: this.spotWatcher?.isOnline(),
      queue,
      needsHuman: counts.needs_human + open.filter((s) => s.state === 'needs_human').length,
      openSales: open.length,
      clockSynced: this.options.clockSynced?.() ?? true,
      retrying: summarizeRetrying([...live.values()]),
    };
  }

  onSaleChanged(listener: (change: SaleChange) => void): Unsubscribe {
    return this.saleListeners.add(listener);
  }

  onWaitingTables(listener: (tables: WaitingTable[]) => void): Unsubscribe {
    if (this.spotWatcher === undefined) throw new EngineError('not_started', 'engine not started');
    return this.spotWatcher.onWaitingTables(listener);
  }

  onStatus(listener: (status: EngineStatus) => void): Unsubscribe {
    return this.statusListeners.add(listener);
  }

  /** Something the status reads changed outside the engine (the clock was synced): re-emit it. */
  refreshStatus(): void {
    this.emitStatus();
  }

  // --- internals ----------------------------------------------------------------------------

  private requireStarted(): SpotWatcher {
    if (this.spotWatcher === undefined || this.runner === undefined) throw new EngineError('not_started', 'engine not started');
    return this.spotWatcher;
  }

  private requireSale(saleId: string): SaleRecord {
    const sale = this.options.store.sales.get(saleId);
    if (sale === undefined) throw new EngineError('sale_not_found', `no sale ${saleId}`);
    return sale;
  }

  private amount(amountMinor: number): ReturnType<typeof money> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new EngineError('invalid_amount', `amount must be a positive whole number of cents, got ${amountMinor}`);
    return money(amountMinor, this.options.currency);
  }

  private resolveTable(table: string | number): TableConfig | undefined {
    const { tables } = this.options;
    if (typeof table === 'number') return tables.find((t) => t.number === table);
    const byId = tables.find((t) => sameIdentifier(t.id, table));
    if (byId !== undefined) return byId;
    return /^\d+$/.test(table) ? tables.find((t) => t.number === Number(table)) : undefined;
  }

  /**
   * Every commit of the engine goes through apply(), create() or enqueue(): the sale's change is
   * emitted and its local steps run (touch), then the runner looks for the work just enqueued.
   */
  private apply(saleId: string, event: SaleEvent, effects: StoreEffects | undefined): SaleRecord {
    const sale = this.options.store.sales.apply(saleId, event, effects);
    this.touch(saleId);
    this.runner?.kick();
    return sale;
  }

  private create(input: NewSaleInput, effects: StoreEffects): SaleRecord {
    const sale = this.options.store.sales.create(input, effects);
    this.touch(sale.id);
    this.runner?.kick();
    return sale;
  }

  /** Ops that come with no sale transition, in one commit. */
  private enqueue(ops: readonly NewOp[]): void {
    const { store } = this.options;
    store.transaction(() => ops.forEach((op) => store.outbox.enqueue(op)));
    this.runner?.kick();
  }

  private withdraw(op: OutboxOp): void {
    try {
      this.options.store.outbox.withdraw(op.id, 'sale cancelled');
    } catch (error) {
      // Claimed between our read and now: the handler re-reads the sale and follows the cancel.
      if (!(error instanceof StoreError && error.code === 'state_conflict')) throw error;
    }
  }

  /**
   * D while waiting: a request that exists is voided (its handler reads it first: one found paid
   * is the customer's payment and stays paid). A create not yet sent is withdrawn; one under way
   * is followed by its handler, which voids what it created.
   */
  private cancelCentrapaySale(sale: SaleRecord): SaleRecord {
    if (sale.state !== 'created' && sale.state !== 'awaiting_payment') {
      throw new EngineError(isPaidSaleState(sale.state) ? 'cancel_too_late' : 'wrong_sale_state', `sale ${sale.id} is ${sale.state}`);
    }
    for (const op of this.options.store.outbox.list({ saleId: sale.id, kind: OP_KINDS.createPaymentRequest, states: ['pending'] })) this.withdraw(op);
    const enqueue = sale.paymentRequestId === undefined ? [] : [voidOp(sale.id, sale.paymentRequestId)];
    this.apply(sale.id, { type: 'cancelRequested', reason: 'staff' }, { enqueue });
    this.options.logger.info({ saleId: sale.id }, 'centrapay sale cancel requested');
    return this.options.store.sales.get(sale.id) ?? sale;
  }

  /** The poll saw the request leave `new`. */
  private onPaymentRequestSettled(saleId: string, request: PaymentRequest): void {
    const sale = this.options.store.sales.get(saleId);
    const effects = requestStatusEffects(sale, request);
    if (sale === undefined || effects?.sale === undefined) return;
    const { sale: decision, ...rest } = effects;
    if (decision.event.type === 'needsHuman') {
      this.options.logger.error({ saleId: sale.id, paymentRequestId: request.id, reason: decision.event.reason }, 'payment request paid for another amount than the sale; not paid, a person must look');
    }
    this.apply(sale.id, decision.event, rest);
  }

  /** The terminal's deadline passed with the request still `new` at the last read: void it. */
  private onCentrapayDeadline(saleId: string): void {
    const sale = this.options.store.sales.get(saleId);
    if (sale?.state !== 'awaiting_payment' || sale.paymentRequestId === undefined) return;
    this.options.logger.info({ saleId }, 'centrapay deadline passed; voiding the payment request');
    this.apply(sale.id, { type: 'deadlineReached' }, { enqueue: [voidOp(sale.id, sale.paymentRequestId)] });
  }

  private closeFabricated(spot: Spot): void {
    try {
      this.enqueue([closeSpotOp(undefined, spot.id)]);
    } catch (error) {
      // A close for this spot is already queued.
      if (!(error instanceof StoreError && error.code === 'duplicate_live_op')) throw error;
    }
  }

  private unknownStatusDeadlineMs(): number {
    return this.options.unknownStatusDeadlineMs ?? DEFAULT_UNKNOWN_STATUS_DEADLINE_MS;
  }

  private onTransactionSettled(tx: Transaction): void {
    const sale = this.options.store.sales.findByTransactionKey(tx.key);
    if (sale === undefined || sale.state !== 'order_created') return;
    try {
      if (tx.status === 'reserved' || tx.status === 'confirmed') {
        // Never confirm what does not match the sale: a person decides, the funds are released.
        const mismatch = paymentsMismatch(sale.amount, tx.payments);
        if (mismatch !== undefined) this.options.logger.error({ saleId: sale.id, transactionKey: tx.key, reason: mismatch }, 'reserved transaction does not match the sale; not confirming');
        const effects = mismatch === undefined ? reservedEffects(sale, tx.key) : mismatchEffects(sale, tx.key, mismatch, { revoke: tx.status === 'reserved' });
        const { sale: transition, ...rest } = effects;
        if (transition !== undefined) this.apply(sale.id, transition.event, rest);
      } else {
        // The customer declined (or Paysera failed it): the spot still has to be closed.
        this.apply(sale.id, { type: 'paymentRejected', reason: tx.status }, sale.spotId === undefined ? undefined : { enqueue: [closeSpotOp(sale.id, sale.spotId)] });
      }
    } catch (error) {
      this.options.logger.error({ err: error, saleId: sale.id }, 'could not record a reservation; the next poll tries again');
    }
  }

  /** A table sale's transaction kept reading in an undocumented status until the deadline: a person decides. */
  private onTransactionUndecided(tx: Transaction): void {
    const sale = this.options.store.sales.findByTransactionKey(tx.key);
    if (sale === undefined || sale.state !== 'order_created') return;
    this.options.logger.warn({ saleId: sale.id, transactionKey: tx.key, status: tx.rawStatus }, 'transaction status still undocumented at the deadline; a person must look');
    this.apply(sale.id, { type: 'needsHuman', reason: `${UNKNOWN_STATUS}:${tx.rawStatus}` }, undefined);
  }

  /** Emits a change when the sale's journaled version moved; then runs its local steps. */
  private touch(saleId: string): void {
    const sale = this.options.store.sales.get(saleId);
    if (sale === undefined) return;
    const before = this.seen.get(saleId);
    if (before?.version === sale.version) return;
    if (isOpenSaleState(sale.state)) this.seen.set(saleId, { state: sale.state, version: sale.version });
    else this.seen.delete(saleId);
    if (sale.state === 'order_created') this.reservationWatcher?.wake();
    if (sale.kind === 'centrapay' && sale.state === 'awaiting_payment') this.centrapayWatcher?.wake();
    this.saleListeners.emit({ sale, previous: before?.state });
    this.advance(sale);
    this.emitStatus();
  }

  /**
   * Local steps that need no network, each its own commit, replayed from the journal at start:
   * queue the receipt, then finish; and a cancel with nothing left to undo completes.
   */
  private advance(sale: SaleRecord): void {
    if (isPaidAndClosed(sale)) {
      const table = this.options.tables.find((t) => t.id === sale.tableId);
      this.apply(sale.id, { type: 'receiptQueued' }, { printJobs: [receiptJob(sale, table, this.options.clock.wallMs(), this.options.clockSynced?.() ?? true)] });
    } else if (sale.state === 'receipt_queued') {
      // Done and, with a POS configured, its back-office record intended in the same commit.
      const synced = this.options.clockSynced?.() ?? true;
      const enqueue = this.options.pos === undefined ? [] : [posRecordOp(sale, synced ? this.options.clock.wallMs() : undefined)];
      this.apply(sale.id, { type: 'completed' }, { enqueue });
    } else if (sale.kind === 'centrapay' && sale.state === 'voiding' && !this.hasLiveOps(sale.id)) {
      // A cancel whose void has not been enqueued (the create was withdrawn, or a crash between
      // steps): void the request if one exists, else nothing remote is left and the cancel completes.
      if (sale.paymentRequestId === undefined) this.apply(sale.id, { type: 'cancelCompleted' }, undefined);
      else this.enqueue([voidOp(sale.id, sale.paymentRequestId)]);
    } else if (sale.state === 'cancelling' && !this.hasLiveOps(sale.id)) {
      const next = continueCancelEffects(sale, sale.transactionKey);
      if (next.sale !== undefined) this.apply(sale.id, next.sale.event, undefined);
      else this.enqueue(next.enqueue ?? []);
      this.touch(sale.id);
    }
  }

  private hasLiveOps(saleId: string): boolean {
    return this.options.store.outbox.list({ saleId }).some((op) => LIVE_OP_STATES.includes(op.state));
  }

  /**
   * Paysera answers again: operations that failed for want of a connection would otherwise wait
   * out their backoff (up to a minute); make them due now. Only network failures qualify: a 429 or
   * a 5xx keeps its backoff (the server asked for it), and an `unknown` op still reconciles first.
   */
  private resumeAfterOutage(): void {
    const { outbox } = this.options.store;
    let resumed = 0;
    for (const op of outbox.list({ states: ['pending', 'unknown'] })) {
      if (!NETWORK_FAILURES.has(op.lastErrorCode ?? '')) continue;
      try {
        outbox.dueNow(op.id);
        resumed += 1;
      } catch (error) {
        // Claimed meanwhile: it is running already.
        if (!(error instanceof StoreError && error.code === 'state_conflict')) throw error;
      }
    }
    if (resumed > 0) this.options.logger.info({ resumed }, 'back online: queued operations resume now');
    this.runner?.kick();
  }

  /**
   * A retry storm in the log says what is failing once per op, not once per attempt: a warning at
   * its first failed attempt (in this run), a line when it goes through; every attempt stays at
   * debug ('outbox op').
   */
  private logRetries(op: OutboxOp, from: OpState, to: OpState, code: string | undefined, delayMs: number | undefined): void {
    const { logger } = this.options;
    const fields = { opId: op.id, kind: op.kind, saleId: op.saleId, attempts: op.attempts };
    if (from === 'in_flight' && (to === 'pending' || to === 'unknown')) {
      if (this.failing.has(op.id)) return;
      this.failing.add(op.id);
      logger.warn({ ...fields, code, httpStatus: op.lastHttpStatus, nextAttemptInMs: delayMs }, 'outbox: a write is failing; retrying until it goes through');
      return;
    }
    if (to !== 'done' && to !== 'failed' && to !== 'needs_human') return;
    const wasFailing = this.failing.delete(op.id);
    if (to === 'done' && (wasFailing || op.attempts > 1)) logger.info({ ...fields, queuedWallMs: op.createdWallMs }, 'outbox: a failing write went through');
  }

  /** Operations being sent or read right now (the WAL is folded only when there are none). */
  inFlightOps(): number {
    return this.runner?.inFlight().length ?? 0;
  }

  private emitStatus(): void {
    if (this.statusListeners.size === 0) return;
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.statusListeners.emit(status);
  }
}
