import type { Logger } from 'pino';
import { OP_KINDS } from '../domain/operation-kind.js';
import { RefundError } from '../domain/refund.js';
import { Listeners, type Unsubscribe } from '../platform/listeners.js';
import type { RandomSource } from '../platform/random.js';
import { StoreError } from '../store/store-error.js';
import type { Store } from '../store/store.js';
import type { OutboxOp, RefundRecord, SaleRecord } from '../store/types.js';
import { EngineError } from './engine-error.js';
import type { EngineProvider } from './engine-provider.js';

/** The op kinds that carry a refund (their transaction_key is the refund id). */
export const REFUND_OP_KINDS: readonly string[] = [OP_KINDS.cancelPayment, OP_KINDS.refundPaymentRequest];

export interface RefundDeskDeps {
  store: Store;
  random: RandomSource;
  logger: Logger;
  /** The provider that sold a sale of this kind. */
  providerOf: (sale: SaleRecord) => EngineProvider | undefined;
  /** After a commit that enqueued work: the runner looks for it. */
  kick: () => void;
}

/**
 * Refunds at the counter (a sale in reverse, DESIGN invariant 13): finds the sale staff keyed,
 * journals the refund with its provider's op in one commit before anything is sent, and tells
 * listeners how it ends. The provider's handler takes it from the outbox (refund-handlers.ts in
 * its folder); an op a person must look at takes its refund there too.
 */
export class RefundDesk {
  private readonly deps: RefundDeskDeps;
  private readonly listeners: Listeners<RefundRecord>;

  constructor(deps: RefundDeskDeps) {
    this.deps = deps;
    this.listeners = new Listeners<RefundRecord>((error) => deps.logger.error({ err: error }, 'refund listener failed'));
  }

  /**
   * The sale with that number, or the last paid one (no number). EngineError `sale_not_found`,
   * `not_refundable` (not a paid, finished sale), `already_refunded`, `wrong_sale_kind` (its
   * provider cannot refund it here).
   */
  find(saleNumber?: number): SaleRecord {
    const { sales } = this.deps.store;
    const sale = saleNumber === undefined ? sales.lastNumbered() : sales.findByNumber(saleNumber);
    if (sale === undefined) throw new EngineError('sale_not_found', saleNumber === undefined ? 'no paid sale yet' : `no sale number ${saleNumber}`);
    if (this.deps.store.refunds.listForSale(sale.id).some((r) => r.state !== 'refused')) throw new EngineError('already_refunded', `sale ${sale.number ?? sale.id} is refunded already`);
    if (sale.state !== 'done' || sale.resolvedPaid === false) throw new EngineError('not_refundable', `sale ${sale.number ?? sale.id} is ${sale.state}`);
    if (this.deps.providerOf(sale)?.refundOp === undefined) throw new EngineError('wrong_sale_kind', `${sale.kind} sales cannot be refunded here`);
    return sale;
  }

  /** Journals a full refund of the sale with its op, one commit; same refusals as find(). */
  refund(saleId: string): RefundRecord {
    const { store, random, logger } = this.deps;
    const sale = store.sales.get(saleId);
    if (sale === undefined) throw new EngineError('sale_not_found', `no sale ${saleId}`);
    this.find(sale.number ?? -1);
    const refundId = random.id('refund');
    const op = this.deps.providerOf(sale)?.refundOp?.(sale, { id: refundId, saleId, method: sale.kind, state: 'requested', amount: sale.amount });
    if (op === undefined) throw new EngineError('not_refundable', `sale ${sale.number ?? saleId} carries nothing to refund it with`);
    let refund: RefundRecord;
    try {
      refund = store.refunds.create({ id: refundId, sale }, { enqueue: [op] });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'already_refunded') throw new EngineError('already_refunded', error.message);
      if (error instanceof RefundError && error.code === 'not_refundable') throw new EngineError('not_refundable', error.message);
      throw error;
    }
    logger.info({ saleId, saleNumber: sale.number, refundId, method: sale.kind, amountMinor: refund.amount.minor, action: 'supervisor_refund' }, 'refund requested by a supervisor');
    this.deps.kick();
    this.listeners.emit(refund);
    return refund;
  }

  onChanged(listener: (refund: RefundRecord) => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /**
   * A refund op moved: its refund's change is announced; an op handed to a person (or failed
   * without a decision, e.g. too old) takes its refund to a person as well. Called for every op
   * transition, and at start for the refunds still open.
   */
  opMoved(op: OutboxOp): void {
    if (!REFUND_OP_KINDS.includes(op.kind) || op.transactionKey === undefined) return;
    const { refunds } = this.deps.store;
    let refund = refunds.get(op.transactionKey);
    if (refund === undefined) return;
    if (refund.state === 'requested' && (op.state === 'needs_human' || op.state === 'failed')) {
      refund = refunds.apply(refund.id, { type: 'needsHuman', reason: `${op.kind}:${op.lastErrorCode ?? op.state}` });
    }
    if (op.state !== 'in_flight') {
      this.deps.logger.info({ saleId: refund.saleId, refundId: refund.id, state: refund.state, reason: refund.reason ?? refund.needsHumanReason }, 'refund');
      this.listeners.emit(refund);
    }
  }

  /** At start: refunds whose op ended while the process was down get their outcome. */
  replay(): void {
    const { store } = this.deps;
    for (const refund of store.refunds.listOpen()) {
      for (const op of store.outbox.list({ saleId: refund.saleId })) if (op.transactionKey === refund.id) this.opMoved(op);
    }
  }
}
