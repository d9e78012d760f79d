import { OP_KINDS } from '../domain/operation-kind.js';
import { isOpenSaleState, isPaidAndClosed, type SaleKind } from '../domain/sale.js';
import { Listeners, type Unsubscribe } from '../platform/listeners.js';
import { receiptJob } from '../printing/receipt-job.js';
import type { OpState, OutboxOp, RefundRecord, SaleRecord } from '../store/types.js';
import { CentrapaySales } from './centrapay/centrapay-sales.js';
import type { EngineStatus, PaymentEngine, SaleChange } from './engine-api.js';
import { EngineError } from './engine-error.js';
import { EngineJournal } from './engine-journal.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineProvider } from './engine-provider.js';
import { OutboxRunner, type RunnerLane } from './outbox/outbox-runner.js';
import { resumeAfterOutage } from './outbox/resume-after-outage.js';
import { RetryLog } from './outbox/retry-log.js';
import { summarizeRetrying } from './outbox/retrying.js';
import { PosSync } from './paysera-pos/pos-sync.js';
import { PayseraSales } from './paysera-wallet/paysera-sales.js';
import { RefundDesk } from './refund-desk.js';
import type { WaitingTable } from './paysera-wallet/spot-watcher.js';

export type { EngineOptions } from './engine-options.js';
export type { CentrapayEngineOptions } from './centrapay/centrapay-sales.js';
export { DEFAULT_UNKNOWN_STATUS_DEADLINE_MS } from './paysera-wallet/paysera-sales.js';

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
  { kinds: [OP_KINDS.posRecordOrder, OP_KINDS.posRecordRefund], concurrency: 1 },
];

/**
 * The terminal's payment engine: one outbox runner around the SQLite journal, and a provider per
 * payment API (engine/<provider>/, behind EngineProvider): Paysera table and code sales, Centrapay
 * sales, the POS back-office sync. Every decision is committed before its effect (EngineJournal);
 * remote facts are committed with the decision that follows them (each provider's
 * sale-effects.ts); the steps every sale shares (receipt queued, completed) follow in their own
 * commits here and are replayed from the journal after a restart.
 */
export class JournaledPaymentEngine implements PaymentEngine {
  private readonly options: EngineOptions;
  private readonly saleListeners: Listeners<SaleChange>;
  private readonly statusListeners: Listeners<EngineStatus>;
  private journal: EngineJournal | undefined;
  private runner: OutboxRunner | undefined;
  private paysera: PayseraSales | undefined;
  private centrapay: CentrapaySales | undefined;
  private readonly refunds: RefundDesk;
  private providers: EngineProvider[] = [];
  /** Last state seen per open sale, to emit changes once. */
  private readonly seen = new Map<string, { state: SaleRecord['state']; version: number }>();
  private unsubscribers: Unsubscribe[] = [];
  private lastStatus = '';

  constructor(options: EngineOptions) {
    this.options = options;
    const report = (error: unknown): void => options.logger.error({ err: error }, 'engine listener failed');
    this.saleListeners = new Listeners<SaleChange>(report);
    this.statusListeners = new Listeners<EngineStatus>(report);
    this.refunds = new RefundDesk({ ...options, providerOf: (sale) => this.providerOf(sale), kick: () => this.runner?.kick() });
  }

  start(): void {
    const { store, clock, random, logger } = this.options;
    const clockSynced = (): boolean => this.options.clockSynced?.() ?? true;
    const journal = new EngineJournal({ store, random, currency: this.options.currency, committed: (id) => this.touch(id), kick: () => this.runner?.kick(), refundedOps: (refund, sale) => this.providers.flatMap((p) => p.refundedOps?.(refund, sale) ?? []) });
    this.journal = journal;
    // Each provider takes its own settings from the engine's options (engine-options.ts).
    const paysera = new PayseraSales({ ...this.options, journal });
    const centrapay = this.options.centrapay === undefined ? undefined : new CentrapaySales({ ...this.options.centrapay, journal, clock, logger, clockSynced, terminalName: this.options.terminalName });
    const pos = this.options.pos === undefined ? undefined : new PosSync({ api: this.options.pos.api, clock, logger, clockSynced, terminalName: this.options.terminalName });
    this.paysera = paysera;
    this.centrapay = centrapay;
    this.providers = [paysera, ...(centrapay ? [centrapay] : []), ...(pos ? [pos] : [])];
    // One runner owns every op kind, in lanes (see RUNNER_LANES).
    this.runner = new OutboxRunner({
      outbox: store.outbox,
      clock,
      random,
      policies: Object.assign({}, ...this.providers.map((p) => p.policies), this.options.policies),
      handlers: Object.assign({}, ...this.providers.map((p) => p.handlers())),
      lanes: RUNNER_LANES,
    });
    const retryLog = new RetryLog(logger);
    this.unsubscribers = [
      this.runner.on((event) => {
        if (event.type === 'error') {
          logger.error({ err: event.error, opId: event.opId }, 'outbox: could not record an outcome; the op is reconciled after restart');
          return;
        }
        const level = event.to === 'needs_human' || event.to === 'failed' ? 'warn' : 'debug';
        logger[level]({ opId: event.op.id, kind: event.op.kind, saleId: event.op.saleId, from: event.from, to: event.to, code: event.code, detail: event.detail }, 'outbox op');
        retryLog.transition(event.op, event.from, event.to, event.code, event.delayMs);
        if (event.op.saleId !== undefined) this.touch(event.op.saleId);
        this.refunds.opMoved(event.op);
        this.emitStatus();
      }),
    ];
    // Replay local steps a crash may have interrupted (receipt queued, done) before new work.
    for (const sale of store.sales.listOpen()) {
      this.seen.set(sale.id, { state: sale.state, version: sale.version });
      this.advance(sale);
    }
    this.refunds.replay();
    this.runner.start();
    for (const provider of this.providers) provider.start();
    this.unsubscribers.push(
      paysera.onOnline((online) => {
        if (online) this.resumeAfterOutage();
        this.emitStatus();
      }),
    );
    this.emitStatus();
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    await Promise.all(this.providers.map((p) => p.stop()));
    await this.runner?.stop();
  }

  // --- the API the UI drives ---------------------------------------------------------------

  startTableSale(table: string | number, amountMinor: number): SaleRecord {
    return this.requirePaysera().startTableSale(table, amountMinor);
  }

  startCodeSale(amountMinor: number): SaleRecord {
    return this.requirePaysera().startCodeSale(amountMinor);
  }

  /** EngineError `not_configured` without a `centrapay` section. */
  startCentrapaySale(amountMinor: number): SaleRecord {
    this.requirePaysera();
    if (this.centrapay === undefined) throw new EngineError('not_configured', 'Centrapay is not configured');
    return this.centrapay.startSale(amountMinor);
  }

  saleKinds(): readonly SaleKind[] {
    return this.options.centrapay === undefined ? ['table', 'code'] : ['table', 'code', 'centrapay'];
  }

  submitReservationCode(saleId: string, code: string): SaleRecord {
    return this.requirePaysera().submitReservationCode(saleId, code);
  }

  cancelSale(saleId: string): SaleRecord {
    this.requirePaysera();
    const sale = this.requireJournal().requireSale(saleId);
    const provider = this.providerOf(sale);
    if (provider?.cancel === undefined) throw new EngineError('wrong_sale_kind', `sale ${saleId} cannot be cancelled here`);
    return provider.cancel(sale);
  }

  // Refunds: the desk (refund-desk.ts) journals each with its provider's op.
  findRefundable = (saleNumber?: number): SaleRecord => this.refunds.find(saleNumber);
  refundSale = (saleId: string): RefundRecord => this.refunds.refund(saleId);
  onRefundChanged = (listener: (refund: RefundRecord) => void): Unsubscribe => this.refunds.onChanged(listener);

  openSales(): SaleRecord[] {
    return this.options.store.sales.listOpen();
  }

  getSale(saleId: string): SaleRecord | undefined {
    return this.options.store.sales.get(saleId);
  }

  waitingTables(): WaitingTable[] {
    return this.paysera?.waitingTables() ?? [];
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
      online: this.paysera?.isOnline(),
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
    return this.requirePaysera().onWaitingTables(listener);
  }

  onStatus(listener: (status: EngineStatus) => void): Unsubscribe {
    return this.statusListeners.add(listener);
  }

  /** Something the status reads changed outside the engine (the clock was synced): re-emit it. */
  refreshStatus(): void {
    this.emitStatus();
  }

  /** Operations being sent or read right now (the WAL is folded only when there are none). */
  inFlightOps(): number {
    return this.runner?.inFlight().length ?? 0;
  }

  // --- internals ----------------------------------------------------------------------------

  private requirePaysera(): PayseraSales {
    if (this.paysera === undefined || this.runner === undefined) throw new EngineError('not_started', 'engine not started');
    return this.paysera;
  }

  private requireJournal(): EngineJournal {
    if (this.journal === undefined) throw new EngineError('not_started', 'engine not started');
    return this.journal;
  }

  private providerOf(sale: SaleRecord): EngineProvider | undefined {
    return this.providers.find((p) => p.saleKinds.includes(sale.kind));
  }

  /** Emits a change when the sale's journaled version moved; then runs its local steps. */
  private touch(saleId: string): void {
    const sale = this.options.store.sales.get(saleId);
    if (sale === undefined) return;
    const before = this.seen.get(saleId);
    if (before?.version === sale.version) return;
    if (isOpenSaleState(sale.state)) this.seen.set(saleId, { state: sale.state, version: sale.version });
    else this.seen.delete(saleId);
    this.providerOf(sale)?.wake?.(sale);
    this.saleListeners.emit({ sale, previous: before?.state });
    this.advance(sale);
    this.emitStatus();
  }

  /**
   * Local steps that need no network, each its own commit, replayed from the journal at start:
   * queue the receipt, then finish (with what other providers intend at completion, the POS
   * record, in the same commit); then the sale's provider takes its own (a cancel's next step).
   */
  private advance(sale: SaleRecord): void {
    const journal = this.requireJournal();
    const synced = this.options.clockSynced?.() ?? true;
    if (isPaidAndClosed(sale)) {
      const table = this.options.tables.find((t) => t.id === sale.tableId);
      journal.apply(sale.id, { type: 'receiptQueued' }, { printJobs: [receiptJob(sale, table, this.options.clock.wallMs(), synced, this.options.terminalName)] });
    } else if (sale.state === 'receipt_queued') {
      const enqueue = this.providers.flatMap((p) => p.completionOps?.(sale) ?? []);
      journal.apply(sale.id, { type: 'completed' }, { enqueue });
    } else {
      this.providerOf(sale)?.advance?.(sale);
    }
  }

  private resumeAfterOutage(): void {
    const resumed = resumeAfterOutage(this.options.store.outbox);
    if (resumed > 0) this.options.logger.info({ resumed }, 'back online: queued operations resume now');
    this.runner?.kick();
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
