import { CLOSED_SALE_STATES, canTransition, transition, type Sale, type SaleEvent, type SaleKind, type SaleState } from '../domain/sale.js';
import { StoreError } from './store-error.js';
import type { SaleRecord } from './types.js';
import type { StoreContext} from './store-context.js';
import { opt, mapConstraint } from './store-context.js';
import { appendEvent } from './event-rows.js';

export interface SaleRow {
  id: string;
  kind: SaleKind;
  state: SaleState;
  closed: number;
  amount_minor: number;
  currency: string;
  table_id: string | null;
  spot_id: number | null;
  transaction_key: string | null;
  order_id: number | null;
  reservation_code: string | null;
  decline_reason: string | null;
  needs_human_reason: string | null;
  resolved_paid: number | null;
  payment_request_id: string | null;
  short_code: string | null;
  expiry_seconds: number | null;
  /** Schema 5: the short sale number, given when the sale is paid. */
  number: number | null;
  version: number;
  created_wall_ms: number;
  updated_wall_ms: number;
  closed_wall_ms: number | null;
}

export function toSaleRecord(row: SaleRow): SaleRecord {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    amount: { minor: row.amount_minor, currency: row.currency },
    tableId: opt(row.table_id),
    spotId: opt(row.spot_id),
    transactionKey: opt(row.transaction_key),
    orderId: opt(row.order_id),
    reservationCode: opt(row.reservation_code),
    declineReason: opt(row.decline_reason),
    needsHumanReason: opt(row.needs_human_reason),
    resolvedPaid: row.resolved_paid === null ? undefined : row.resolved_paid === 1,
    paymentRequestId: opt(row.payment_request_id),
    shortCode: opt(row.short_code),
    expirySeconds: opt(row.expiry_seconds),
    number: opt(row.number),
    version: row.version,
    createdWallMs: row.created_wall_ms,
    updatedWallMs: row.updated_wall_ms,
    closedWallMs: opt(row.closed_wall_ms),
  };
}

export function isClosedState(state: SaleState): boolean {
  return CLOSED_SALE_STATES.includes(state);
}

export function getSaleRow(ctx: StoreContext, id: string): SaleRow | undefined {
  return ctx.prepare('SELECT * FROM sales WHERE id = ?').get(id) as SaleRow | undefined;
}

/**
 * The wall time a sale is closed at, never before it was created: within the run that created it,
 * its created wall time plus the time elapsed on the monotonic clock when the wall clock says
 * less (a step backwards), else the wall clock (which a forward step, such as the first time
 * sync of a Pi without RTC, corrects); after a restart, at least its created wall time. So a sale
 * is never recorded closed before it was opened, and never drops out of the day it belongs to.
 */
const CLOSED_WALL_MS = `MAX(@wallMs, created_wall_ms + CASE WHEN created_run = @runId THEN MAX(0, @monoMs - created_mono_ms) ELSE 0 END)`;

/** Applies a named domain transition to a stored sale and appends its event. Call inside ctx.tx. */
export function applySaleEvent(ctx: StoreContext, saleId: string, event: SaleEvent, onlyIfLegal = false, opId?: string): SaleRecord | undefined {
  const row = getSaleRow(ctx, saleId);
  if (row === undefined) throw new StoreError('not_found', `no sale ${saleId}`, { saleId });
  const before = toSaleRecord(row);
  if (onlyIfLegal && !canTransition(before.kind, before.state, event.type)) return undefined;
  const after: Sale = transition(before, event);
  const now = ctx.stamp();
  const closed = isClosedState(after.state);
  try {
    ctx
      .prepare(
        `UPDATE sales SET state = @state, closed = @closed, transaction_key = @transactionKey, order_id = @orderId,
           reservation_code = @reservationCode, decline_reason = @declineReason, needs_human_reason = @needsHumanReason,
           resolved_paid = @resolvedPaid, payment_request_id = @paymentRequestId, short_code = @shortCode,
           expiry_seconds = @expirySeconds, version = version + 1,
           updated_wall_ms = @wallMs, updated_mono_ms = @monoMs, updated_run = @runId,
           closed_wall_ms = CASE WHEN @closed = 1 THEN COALESCE(closed_wall_ms, ${CLOSED_WALL_MS}) ELSE NULL END
         WHERE id = @id AND version = @version`,
      )
      .run({
        id: saleId,
        version: before.version,
        state: after.state,
        closed: closed ? 1 : 0,
        transactionKey: after.transactionKey ?? null,
        orderId: after.orderId ?? null,
        reservationCode: after.reservationCode ?? null,
        declineReason: after.declineReason ?? null,
        needsHumanReason: after.needsHumanReason ?? null,
        resolvedPaid: after.resolvedPaid === undefined ? null : after.resolvedPaid ? 1 : 0,
        paymentRequestId: after.paymentRequestId ?? null,
        shortCode: after.shortCode ?? null,
        expirySeconds: after.expirySeconds ?? null,
        ...now,
      });
  } catch (error) {
    mapConstraint(error, 'sale_conflict', `sale ${saleId}: ${event.type} conflicts with another sale`, { saleId });
  }
  appendEvent(ctx, { type: `sale.${event.type}`, saleId, opId, data: { from: before.state, to: after.state, event } }, now);
  const updated = getSaleRow(ctx, saleId);
  return updated === undefined ? undefined : toSaleRecord(updated);
}
