import { createRefund, type NewRefundInput, type RefundEvent } from '../domain/refund.js';
import { appendEvent } from './event-rows.js';
import { applyRefundEvent, getRefundRow, toRefundRecord, type RefundRow } from './refund-rows.js';
import { mapConstraint, type StoreContext } from './store-context.js';
import { applyEffects } from './store-effects.js';
import { StoreError } from './store-error.js';
import type { RefundRecord, StoreEffects } from './types.js';

/**
 * The refunds journal (schema 5): a refund is journaled in `requested` together with its outbox
 * op in one immediate transaction, before anything is sent; every later change is a named
 * transition of domain/refund.ts, committed with what it causes (the refund slip).
 */
export class RefundJournal {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Journals a refund of a sale (plus effects: its outbox op). StoreError `already_refunded` when
   * the sale has a refund that is not refused; the domain's RefundError when the sale is not
   * refundable; nothing is written in either case.
   */
  create(input: NewRefundInput, effects?: StoreEffects): RefundRecord {
    const refund = createRefund(input);
    return this.ctx.tx(() => {
      const now = this.ctx.stamp();
      try {
        this.ctx
          .prepare(
            `INSERT INTO refunds (id, sale_id, method, state, amount_minor, currency,
               created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run)
             VALUES (@id, @saleId, @method, @state, @minor, @currency, @wallMs, @monoMs, @runId, @wallMs, @monoMs, @runId)`,
          )
          .run({ id: refund.id, saleId: refund.saleId, method: refund.method, state: refund.state, minor: refund.amount.minor, currency: refund.amount.currency, ...now });
      } catch (error) {
        mapConstraint(error, 'already_refunded', `sale ${refund.saleId} already has a refund`, { saleId: refund.saleId });
      }
      appendEvent(this.ctx, { type: 'refund.created', saleId: refund.saleId, data: { refundId: refund.id, amount: refund.amount, method: refund.method } }, now);
      applyEffects(this.ctx, effects);
      return this.require(refund.id);
    });
  }

  apply(refundId: string, event: RefundEvent, effects?: StoreEffects): RefundRecord {
    return this.ctx.tx(() => {
      applyRefundEvent(this.ctx, refundId, event);
      applyEffects(this.ctx, effects);
      return this.require(refundId);
    });
  }

  get(refundId: string): RefundRecord | undefined {
    const row = getRefundRow(this.ctx, refundId);
    return row === undefined ? undefined : toRefundRecord(row);
  }

  require(refundId: string): RefundRecord {
    const refund = this.get(refundId);
    if (refund === undefined) throw new StoreError('not_found', `no refund ${refundId}`, { refundId });
    return refund;
  }

  /** The sale's refunds, oldest first. */
  listForSale(saleId: string): RefundRecord[] {
    return (this.ctx.prepare('SELECT * FROM refunds WHERE sale_id = ? ORDER BY rowid').all(saleId) as RefundRow[]).map(toRefundRecord);
  }

  /** Refunds not yet refunded or refused (needs_human included), oldest first. */
  listOpen(): RefundRecord[] {
    return (this.ctx.prepare('SELECT * FROM refunds WHERE closed = 0 ORDER BY rowid').all() as RefundRow[]).map(toRefundRecord);
  }

  /** Refunds refunded or refused at a wall time in [fromWallMs, toWallMs), in that order: the day report. */
  listClosedBetween(fromWallMs: number, toWallMs: number): RefundRecord[] {
    const rows = this.ctx
      .prepare('SELECT * FROM refunds WHERE closed = 1 AND closed_wall_ms >= ? AND closed_wall_ms < ? ORDER BY closed_wall_ms, rowid')
      .all(Math.floor(fromWallMs), Math.ceil(toWallMs)) as RefundRow[];
    return rows.map(toRefundRecord);
  }
}
