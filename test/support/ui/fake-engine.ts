import type { TableConfig } from '../../../src/config/load-config.js';
import { Listeners, type Unsubscribe } from '../../../src/platform/listeners.js';
import { isReservationCode } from '../../../src/domain/reservation-code.js';
import { isOpenSaleState, type SaleKind, type SaleState } from '../../../src/domain/sale.js';
import type { EngineStatus, PaymentEngine, SaleChange, WaitingTable } from '../../../src/engine/engine-api.js';
import type { RefundRecord, SaleRecord } from '../../../src/store/types.js';

/** Thrown by FakeEngine with the engine's stable codes (see engine-api.ts). */
export class FakeEngineError extends Error {
  constructor(readonly code: string) {
    super(`fake engine: ${code}`);
  }
}

export interface EngineCall {
  method: string;
  args: unknown[];
}

/**
 * A PaymentEngine for UI tests: it checks what the real engine checks (unknown table, no
 * customer, table busy, bad amount, bad code, cancel too late), records every call, and lets
 * the test move sales along (`advance`) and change waiting tables and status, emitting the same
 * events the real engine does.
 */
export class FakeEngine implements PaymentEngine {
  readonly calls: EngineCall[] = [];
  private readonly sales = new Map<string, SaleRecord>();
  /** What listeners threw: the UI guards its handlers, so tests expect this to stay empty. */
  readonly listenerErrors: unknown[] = [];
  private readonly saleListeners = new Listeners<SaleChange>((error) => this.listenerErrors.push(error));
  private readonly waitingListeners = new Listeners<WaitingTable[]>((error) => this.listenerErrors.push(error));
  private readonly statusListeners = new Listeners<EngineStatus>((error) => this.listenerErrors.push(error));
  private readonly refundListeners = new Listeners<RefundRecord>((error) => this.listenerErrors.push(error));
  private readonly refunds = new Map<string, RefundRecord>();
  private waiting: WaitingTable[] = [];
  private currentStatus: EngineStatus = { online: true, queue: {}, needsHuman: 0, openSales: 0, clockSynced: true };
  private nextId = 1;
  private failures = new Map<string, unknown>();
  private readonly tables: readonly TableConfig[];
  private readonly currency: string;
  private readonly centrapay: boolean;
  private wallMs = 1_700_000_000_000;

  /** `centrapay`: built with Centrapay (default not: startCentrapaySale refuses with not_configured). */
  constructor(options: { tables: readonly TableConfig[]; currency?: string; centrapay?: boolean }) {
    this.tables = options.tables;
    this.currency = options.currency ?? 'EUR';
    this.centrapay = options.centrapay ?? false;
  }

  // ---- test controls ------------------------------------------------------------------------

  /** The next call of `method` throws `error` (a code string becomes a FakeEngineError). */
  failNext(method: keyof PaymentEngine, error: string | unknown): void {
    this.failures.set(method, typeof error === 'string' ? new FakeEngineError(error) : error);
  }

  /** Customers checked in at these tables (identifiers); emits onWaitingTables. */
  setWaiting(tableIds: readonly string[]): void {
    this.waiting = tableIds.map((id, index) => {
      const table = this.tables.find((t) => t.id.toLowerCase() === id.toLowerCase());
      if (table === undefined) throw new Error(`fake engine: no configured table ${id}`);
      return { table, spotId: 1000 + index };
    });
    this.waitingListeners.emit([...this.waiting]);
  }

  setStatus(patch: Partial<EngineStatus>): void {
    this.currentStatus = { ...this.currentStatus, ...patch };
    this.statusListeners.emit({ ...this.currentStatus });
  }

  /** Moves a sale to `state` (with optional data) and emits the change, as the engine would. */
  advance(saleId: string, state: SaleState, patch: Partial<SaleRecord> = {}): SaleRecord {
    const sale = this.sales.get(saleId);
    if (sale === undefined) throw new Error(`fake engine: no sale ${saleId}`);
    return this.save({ ...sale, ...patch, state }, sale.state);
  }

  /** Puts an existing sale in place (e.g. one left open by an earlier run) without an event. */
  seed(sale: Partial<SaleRecord> & Pick<SaleRecord, 'kind' | 'state'>, amountMinor = 1000): SaleRecord {
    const record = this.newRecord(sale.kind, amountMinor, sale);
    this.sales.set(record.id, record);
    return record;
  }

  listenerCount(): number {
    return this.saleListeners.size + this.waitingListeners.size + this.statusListeners.size;
  }

  callsOf(method: keyof PaymentEngine): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  // ---- PaymentEngine ------------------------------------------------------------------------

  startTableSale(table: string | number, amountMinor: number): SaleRecord {
    this.record('startTableSale', table, amountMinor);
    const config = typeof table === 'number' ? this.tables.find((t) => t.number === table) : this.tables.find((t) => t.id.toLowerCase() === table.toLowerCase());
    if (config === undefined) throw new FakeEngineError('table_unknown');
    const waiting = this.waiting.find((w) => w.table.id === config.id);
    if (waiting === undefined) throw new FakeEngineError('table_not_waiting');
    if ([...this.sales.values()].some((s) => s.kind === 'table' && s.tableId === config.id && isOpenSaleState(s.state))) throw new FakeEngineError('table_busy');
    this.checkAmount(amountMinor);
    return this.save(this.newRecord('table', amountMinor, { tableId: config.id, spotId: waiting.spotId }), undefined);
  }

  startCodeSale(amountMinor: number): SaleRecord {
    this.record('startCodeSale', amountMinor);
    this.checkAmount(amountMinor);
    return this.save(this.newRecord('code', amountMinor, {}), undefined);
  }

  startCentrapaySale(amountMinor: number): SaleRecord {
    this.record('startCentrapaySale', amountMinor);
    if (!this.centrapay) throw new FakeEngineError('not_configured');
    this.checkAmount(amountMinor);
    return this.save(this.newRecord('centrapay', amountMinor, {}), undefined);
  }

  saleKinds(): readonly SaleKind[] {
    return this.centrapay ? ['table', 'code', 'centrapay'] : ['table', 'code'];
  }

  submitReservationCode(saleId: string, code: string): SaleRecord {
    this.record('submitReservationCode', saleId, code);
    const sale = this.requireSale(saleId);
    if (sale.kind !== 'code') throw new FakeEngineError('wrong_sale_kind');
    if (!isReservationCode(code)) throw new FakeEngineError('invalid_code');
    if (sale.reservationCode !== undefined || (sale.state !== 'created' && sale.state !== 'transaction_created')) throw new FakeEngineError('wrong_sale_state');
    return this.save({ ...sale, reservationCode: code }, sale.state);
  }

  cancelSale(saleId: string): SaleRecord {
    this.record('cancelSale', saleId);
    const sale = this.requireSale(saleId);
    if (sale.state === 'cancelling') return sale;
    if (sale.state === 'created' || sale.state === 'order_created' || sale.state === 'transaction_created' || sale.state === 'reserved') {
      return this.save({ ...sale, state: 'cancelling', declineReason: sale.declineReason ?? 'staff' }, sale.state);
    }
    if (isOpenSaleState(sale.state)) throw new FakeEngineError('cancel_too_late');
    throw new FakeEngineError('wrong_sale_state');
  }

  openSales(): SaleRecord[] {
    this.record('openSales');
    return [...this.sales.values()].filter((s) => isOpenSaleState(s.state));
  }

  getSale(saleId: string): SaleRecord | undefined {
    return this.sales.get(saleId);
  }

  waitingTables(): WaitingTable[] {
    this.record('waitingTables');
    return [...this.waiting];
  }

  status(): EngineStatus {
    this.record('status');
    return { ...this.currentStatus };
  }

  onSaleChanged(listener: (change: SaleChange) => void): Unsubscribe {
    return this.saleListeners.add(listener);
  }

  onWaitingTables(listener: (tables: WaitingTable[]) => void): Unsubscribe {
    return this.waitingListeners.add(listener);
  }

  onStatus(listener: (status: EngineStatus) => void): Unsubscribe {
    return this.statusListeners.add(listener);
  }

  // ---- refunds ------------------------------------------------------------------------------

  /** A paid, finished sale with its short number, as the journal would hold it after payment. */
  addPaidSale(number: number, amountMinor: number, kind: SaleKind = 'code'): SaleRecord {
    const sale: SaleRecord = { id: `paid-${number}`, kind, state: 'done', amount: { minor: amountMinor, currency: this.currency }, number, version: 1, createdWallMs: this.wallMs, updatedWallMs: this.wallMs, closedWallMs: this.wallMs };
    this.sales.set(sale.id, sale);
    return sale;
  }

  findRefundable(saleNumber?: number): SaleRecord {
    this.record('findRefundable', saleNumber);
    const numbered = [...this.sales.values()].filter((s) => s.number !== undefined).sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
    const sale = saleNumber === undefined ? numbered[0] : numbered.find((s) => s.number === saleNumber);
    if (sale === undefined) throw new FakeEngineError('sale_not_found');
    if ([...this.refunds.values()].some((r) => r.saleId === sale.id && r.state !== 'refused')) throw new FakeEngineError('already_refunded');
    if (sale.state !== 'done') throw new FakeEngineError('not_refundable');
    return sale;
  }

  refundSale(saleId: string): RefundRecord {
    this.record('refundSale', saleId);
    const sale = this.requireSale(saleId);
    this.findRefundable(sale.number);
    const refund: RefundRecord = { id: `refund-${this.nextId++}`, saleId, method: sale.kind, state: 'requested', amount: sale.amount, version: 1, createdWallMs: this.wallMs, updatedWallMs: this.wallMs, closedWallMs: undefined };
    this.refunds.set(refund.id, refund);
    return refund;
  }

  /** Moves a refund to `state` (with `reason` for refused) and emits onRefundChanged. */
  settleRefund(refundId: string, state: RefundRecord['state'], reason?: string): RefundRecord {
    const refund = this.refunds.get(refundId);
    if (refund === undefined) throw new Error(`no refund ${refundId}`);
    const next: RefundRecord = { ...refund, state, reason, version: refund.version + 1 };
    this.refunds.set(refundId, next);
    this.refundListeners.emit(next);
    return next;
  }

  onRefundChanged(listener: (refund: RefundRecord) => void): Unsubscribe {
    return this.refundListeners.add(listener);
  }

  // ---- internals ----------------------------------------------------------------------------

  private record(method: keyof PaymentEngine, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure !== undefined) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private checkAmount(amountMinor: number): void {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new FakeEngineError('invalid_amount');
  }

  private requireSale(saleId: string): SaleRecord {
    const sale = this.sales.get(saleId);
    if (sale === undefined) throw new FakeEngineError('sale_not_found');
    return sale;
  }

  private newRecord(kind: SaleKind, amountMinor: number, patch: Partial<SaleRecord>): SaleRecord {
    const id = patch.id ?? `sale-${this.nextId++}`;
    return {
      id,
      kind,
      state: 'created',
      amount: { minor: amountMinor, currency: this.currency },
      tableId: undefined,
      spotId: undefined,
      version: 1,
      createdWallMs: this.wallMs,
      updatedWallMs: this.wallMs,
      closedWallMs: undefined,
      ...patch,
    };
  }

  private save(sale: SaleRecord, previous: SaleState | undefined): SaleRecord {
    const saved: SaleRecord = {
      ...sale,
      version: previous === undefined ? sale.version : sale.version + 1,
      closedWallMs: isOpenSaleState(sale.state) ? undefined : this.wallMs,
    };
    this.sales.set(saved.id, saved);
    this.currentStatus = { ...this.currentStatus, openSales: [...this.sales.values()].filter((s) => isOpenSaleState(s.state)).length };
    this.saleListeners.emit({ sale: saved, previous });
    return saved;
  }
}
