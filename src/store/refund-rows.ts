import { canTransitionRefund, isClosedRefundState, transitionRefund, type RefundEvent, type RefundState } from '../domain/refund.js';
import type { SaleKind } from '../domain/sale.js';
import { appendEvent } from './event-rows.js';
import { opt, type StoreContext } from './store-context.js';
import { StoreError } from './store-error.js';
import type { RefundRecord } from './types.js';

export interface RefundRow {
  id: string;
  sale_id: string;
  method: SaleKind;
  state: RefundState;
  closed: number;
  amount_minor: number;
  currency: string;
  reason: string | null;
  needs_human_reason: string | null;
  version: number;
  created_wall_ms: number;
  updated_wall_ms: number;
  closed_wall_ms: number | null;
}

export function toRefundRecord(row: RefundRow): RefundRecord {
  return {
    id: row.id,
    saleId: row.sale_id,
    method: row.method,
    state: row.state,
    amount: { minor: row.amount_minor, currency: row.currency },
    reason: opt(row.reason),
    needsHumanReason: opt(row.needs_human_reason),
    version: row.version,
    createdWallMs: row.created_wall_ms,
    updatedWallMs: row.updated_wall_ms,
    closedWallMs: opt(row.closed_wall_ms),
  };
}

export function getRefundRow(ctx: StoreContext, id: string): RefundRow | undefined {
  return ctx.prepare('SELECT * FROM refunds WHERE id = ?').get(id) as RefundRow | undefined;
}

/**
 * Applies a named refund transition (domain/refund.ts) to the stored refund and appends its event
 * (under the sale's id, so the sale's history shows it). Call inside ctx.tx.
 */
export function applyRefundEvent(ctx: StoreContext, refundId: string, event: RefundEvent, onlyIfLegal = false, opId?: string): RefundRecord | undefined {
  const row = getRefundRow(ctx, refundId);
  if (row === undefined) throw new StoreError('not_found', `no refund ${refundId}`, { refundId });
  const before = toRefundRecord(row);
  if (onlyIfLegal && !canTransitionRefund(before.state, event.type)) return undefined;
  const after = transitionRefund(before, event);
  const now = ctx.stamp();
  const closed = isClosedRefundState(after.state) ? 1 : 0;
  ctx
    .prepare(
      `UPDATE refunds SET state = @state, closed = @closed, reason = @reason, needs_human_reason = @needsHumanReason,
         version = version + 1, updated_wall_ms = @wallMs, updated_mono_ms = @monoMs, updated_run = @runId,
         closed_wall_ms = CASE WHEN @closed = 1 THEN COALESCE(closed_wall_ms, MAX(@wallMs, created_wall_ms)) ELSE NULL END
       WHERE id = @id AND version = @version`,
    )
    .run({ id: refundId, version: before.version, state: after.state, closed, reason: after.reason ?? null, needsHumanReason: after.needsHumanReason ?? null, ...now });
  appendEvent(ctx, { type: `refund.${event.type}`, saleId: before.saleId, opId, data: { refundId, from: before.state, to: after.state, event } }, now);
  const updated = getRefundRow(ctx, refundId);
  return updated === undefined ? undefined : toRefundRecord(updated);
}
