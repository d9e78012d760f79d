import type { Money } from '../domain/money.js';
import { money } from '../domain/money.js';
import type { NewSaleInput, SaleEvent } from '../domain/sale.js';
import type { RandomSource } from '../platform/random.js';
import { StoreError } from '../store/store-error.js';
import type { Store } from '../store/store.js';
import type { NewOp, OpState, OutboxOp, RefundRecord, SaleRecord, StoreEffects } from '../store/types.js';
import { EngineError } from './engine-error.js';

/** Op states that still have work to do or a person to wait for. */
export const LIVE_OP_STATES: readonly OpState[] = ['pending', 'in_flight', 'unknown', 'needs_human'];

export interface EngineJournalDeps {
  store: Store;
  random: RandomSource;
  currency: string;
  /** After every commit that touched a sale: its change is emitted and its local steps run. */
  committed: (saleId: string) => void;
  /** After every commit: the outbox runner looks for the work just enqueued. */
  kick: () => void;
  /** What every provider intends in the commit that records a refund taken (the POS back-office record). */
  refundedOps?: (refund: RefundRecord, sale: SaleRecord) => NewOp[];
}

/**
 * The one way the engine and its providers commit. Every decision goes through apply(), create()
 * or enqueue(), each one SQLite transaction (the sale's transition and the ops and print jobs it
 * intends, together: invariant 1, intent before effect); after it the sale's change is announced
 * and the runner kicked. Shared by every provider, so a commit means the same wherever it is made.
 */
export class EngineJournal {
  private readonly deps: EngineJournalDeps;

  constructor(deps: EngineJournalDeps) {
    this.deps = deps;
  }

  get store(): Store {
    return this.deps.store;
  }

  apply(saleId: string, event: SaleEvent, effects: StoreEffects | undefined): SaleRecord {
    const sale = this.deps.store.sales.apply(saleId, event, effects);
    this.deps.committed(saleId);
    this.deps.kick();
    return sale;
  }

  create(input: NewSaleInput, effects: StoreEffects): SaleRecord {
    const sale = this.deps.store.sales.create(input, effects);
    this.deps.committed(sale.id);
    this.deps.kick();
    return sale;
  }

  /** The ops intended with a refund taken, whichever provider took it (refund-outcomes.ts). */
  refundedOps(refund: RefundRecord, sale: SaleRecord): NewOp[] {
    return this.deps.refundedOps?.(refund, sale) ?? [];
  }

  /** Ops that come with no sale transition, in one commit. */
  enqueue(ops: readonly NewOp[]): void {
    const { store } = this.deps;
    store.transaction(() => ops.forEach((op) => store.outbox.enqueue(op)));
    this.deps.kick();
  }

  /** Ops with no sale transition, each unless the same op is live already (a close, a revoke: one is enough). */
  enqueueUnlessQueued(ops: readonly NewOp[]): void {
    for (const op of ops) {
      try {
        this.enqueue([op]);
      } catch (error) {
        if (!(error instanceof StoreError && error.code === 'duplicate_live_op')) throw error;
      }
    }
  }

  /** Takes back an op not yet claimed (a cancel). */
  withdraw(op: OutboxOp): void {
    try {
      this.deps.store.outbox.withdraw(op.id, 'sale cancelled');
    } catch (error) {
      // Claimed between our read and now: the handler re-reads the sale and follows the cancel.
      if (!(error instanceof StoreError && error.code === 'state_conflict')) throw error;
    }
  }

  /** Re-reads a sale and runs its local steps again (a step that enqueued work and must look once more). */
  touch(saleId: string): void {
    this.deps.committed(saleId);
  }

  liveOps(saleId: string): OutboxOp[] {
    return this.deps.store.outbox.list({ saleId }).filter((op) => LIVE_OP_STATES.includes(op.state));
  }

  hasLiveOps(saleId: string): boolean {
    return this.liveOps(saleId).length > 0;
  }

  getSale(saleId: string): SaleRecord | undefined {
    return this.deps.store.sales.get(saleId);
  }

  requireSale(saleId: string): SaleRecord {
    const sale = this.deps.store.sales.get(saleId);
    if (sale === undefined) throw new EngineError('sale_not_found', `no sale ${saleId}`);
    return sale;
  }

  newSaleId(): string {
    return this.deps.random.id('sale');
  }

  /** A keyed amount as Money in the terminal's currency; EngineError `invalid_amount` unless a positive whole number of cents. */
  amount(amountMinor: number): Money {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new EngineError('invalid_amount', `amount must be a positive whole number of cents, got ${amountMinor}`);
    return money(amountMinor, this.deps.currency);
  }
}
