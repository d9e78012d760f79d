import type { Logger } from 'pino';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { PosApi } from '../../gateways/paysera-pos/pos-api.js';
import { PosError } from '../../gateways/paysera-pos/pos-error.js';
import type { PosOrder } from '../../gateways/paysera-pos/pos-types.js';
import type { Clock } from '../../platform/clock.js';
import { CodedError } from '../../platform/coded-error.js';
import type { OutboxOp } from '../../store/types.js';
import type { FinalOutcome, OpHandler, OpHandlers, ReconcileOutcome } from '../outbox/outbox-runner.js';
import { posRecordPayload, posRefundPayload, type PosRecordPayload, type PosRefundPayload } from './pos-ops.js';

/**
 * Paysera POS back-office sync (docs/apis.md#paysera-pos-sync-after-payment): every paid sale is recorded once
 * as a POS order whose number is the configured prefix plus our sale id.
 *
 * Invariants:
 * - One op per sale (migration 2's `outbox_one_pos_order_per_sale`), enqueued in the same commit
 *   that completes the paid sale, so a crash cannot lose it and a replay cannot double it.
 * - Looked up by number before any re-POST: an ambiguous create is reconciled with
 *   findOrdersForSale; a 409 on create means "maybe already there", so it is looked up too.
 * - No sale ever waits on it: the sale is already done when the op exists, the op runs in the
 *   runner's last lane, alone (the engine's RUNNER_LANES), and an outage only delays it.
 * - A 429 holds back every POS call (not just the op that got it) until its Retry-After has
 *   passed, measured on the monotonic clock; the ops are rescheduled without a request.
 * - Final refusals (422 validation, 401 token, 400, 403) are not retried unchanged: the op goes
 *   to needs_human, visible in `counterpay queue`, and a person re-arms it after fixing the cause.
 * - A refund taken is recorded as an order numbered with the refund's id, of the refund's amount,
 *   titled with the sale's order number, with no payment, then cancelled (the public docs show no
 *   return to create, and cancel only orders not yet completed: docs/apis.md#paysera-pos-refunds).
 *   One op per refund, enqueued in the commit that records the refund taken; every attempt looks
 *   the order up by number first, so a lost answer to the create or the cancel is never doubled.
 */

export interface PosSyncDeps {
  pos: PosApi;
  logger: Logger;
  clock: Clock;
}

/** Raised without a request while the POS's Retry-After holds: retryable, never ambiguous. */
class PosRateGateError extends CodedError {
  readonly ambiguous = false;
  readonly retryable = true;
  constructor(readonly retryAfterMs: number) {
    super('rate_limit_exceeded', `POS asked to wait; ${Math.ceil(retryAfterMs)} ms left`);
  }
}

const done = (result?: unknown): FinalOutcome => ({ status: 'done', result });
const needsHuman = (code: string, result?: unknown): FinalOutcome => ({ status: 'needs_human', code, result });

/** The POS spells it both ways (docs/apis.md#paysera-pos-external-api). */
const isCancelled = (order: PosOrder): boolean => order.status === 'cancelled' || order.status === 'canceled';

/** Exactly one order carries our number: adopt it. More than one: a person decides which to keep. */
function adopt(found: readonly PosOrder[]): FinalOutcome {
  const [order, ...more] = found;
  if (order === undefined) return needsHuman('pos_order_not_found');
  if (more.length > 0) return needsHuman('pos_duplicate_orders', { orderIds: found.map((o) => o.id) });
  return done({ orderId: order.id, number: order.number, found: true });
}

export function posSyncHandlers(deps: PosSyncDeps): OpHandlers {
  const { pos, logger, clock } = deps;
  let notBeforeMono = 0;

  /** Every POS call goes through here, so one 429 holds back all of them. */
  async function gated<T>(call: () => Promise<T>): Promise<T> {
    const wait = notBeforeMono - clock.monoMs();
    if (wait > 0) throw new PosRateGateError(wait);
    try {
      return await call();
    } catch (error) {
      if (error instanceof PosError && error.retryAfterMs !== undefined) notBeforeMono = clock.monoMs() + error.retryAfterMs;
      throw error;
    }
  }

  const recordOrder: OpHandler<PosRecordPayload> = {
    payload: posRecordPayload,
    async execute(op) {
      const saleId = op.saleId ?? op.id;
      const { payload } = op;
      try {
        const order = await gated(() =>
          pos.createOrder({
            saleId,
            amountMinor: payload.amountMinor,
            currency: payload.currency,
            kind: payload.kind ?? 'table',
            ...(payload.paidAt === undefined ? {} : { paidAt: payload.paidAt }),
            ...(payload.terminal === undefined ? {} : { terminal: payload.terminal }),
          }),
        );
        return done({ orderId: order.id, number: order.number });
      } catch (error) {
        if (!(error instanceof PosError)) throw error;
        if (error.code === 'conflict') {
          // 409: the number probably exists already (an earlier create that did apply).
          const found = await gated(() => pos.findOrdersForSale(saleId));
          return found.length === 0 ? needsHuman('pos_conflict_not_found') : adopt(found);
        }
        if (error.ambiguous || error.retryable) throw error;
        logger.warn({ saleId, code: error.code, status: error.status }, 'POS refused the order; a person must look');
        return needsHuman(`pos_${error.code}`, { httpStatus: error.status });
      }
    },
    async reconcile(op): Promise<ReconcileOutcome> {
      const found = await gated(() => pos.findOrdersForSale(op.saleId ?? op.id));
      return found.length === 0 ? { status: 'not_applied' } : adopt(found);
    },
  };

  /** The refund's order as the POS has it now, created (without payment) when it has none yet. */
  async function refundOrder(op: OutboxOp<PosRefundPayload>, refundId: string): Promise<{ order: PosOrder } | { outcome: FinalOutcome }> {
    const one = (orders: readonly PosOrder[]): { order: PosOrder } | { outcome: FinalOutcome } => (orders.length === 1 && orders[0] !== undefined ? { order: orders[0] } : { outcome: adopt(orders) });
    const found = await gated(() => pos.findOrdersForSale(refundId));
    if (found.length > 0) return one(found);
    const { payload } = op;
    try {
      const order = await gated(() =>
        pos.createOrder({
          saleId: refundId,
          refundOf: payload.saleId,
          amountMinor: payload.amountMinor,
          currency: payload.currency,
          kind: payload.kind,
          ...(payload.refundedAt === undefined ? {} : { paidAt: payload.refundedAt }),
        }),
      );
      return { order };
    } catch (error) {
      if (!(error instanceof PosError)) throw error;
      // 409: the number probably exists already (an earlier create that did apply).
      if (error.code === 'conflict') return one(await gated(() => pos.findOrdersForSale(refundId)));
      if (error.ambiguous || error.retryable) throw error;
      logger.warn({ saleId: payload.saleId, refundId, code: error.code, status: error.status }, 'POS refused the refund record; a person must look');
      return { outcome: needsHuman(`pos_${error.code}`, { httpStatus: error.status }) };
    }
  }

  const recordRefund: OpHandler<PosRefundPayload> = {
    payload: posRefundPayload,
    async execute(op) {
      const refundId = op.transactionKey ?? op.id;
      const found = await refundOrder(op, refundId);
      if ('outcome' in found) return found.outcome;
      const record = found.order;
      if (isCancelled(record)) return done({ orderId: record.id, number: record.number, cancelled: true });
      try {
        await gated(() => pos.cancelOrder(record.id));
      } catch (error) {
        if (!(error instanceof PosError)) throw error;
        if (error.code === 'conflict') {
          // Cancelled already (an earlier cancel whose answer was lost), or the POS will not.
          const now = await gated(() => pos.getOrder(record.id));
          if (isCancelled(now)) return done({ orderId: record.id, number: record.number, cancelled: true });
          return needsHuman('pos_refund_not_cancellable', { orderId: record.id, status: now.status });
        }
        if (error.ambiguous || error.retryable) throw error;
        return needsHuman(`pos_${error.code}`, { orderId: record.id, httpStatus: error.status });
      }
      return done({ orderId: record.id, number: record.number, cancelled: true });
    },
    async reconcile(op): Promise<ReconcileOutcome> {
      // The next attempt looks the order up and finishes what is missing (create, cancel).
      const found = await gated(() => pos.findOrdersForSale(op.transactionKey ?? op.id));
      if (found.length > 1) return adopt(found);
      const order = found[0];
      if (order !== undefined && isCancelled(order)) return done({ orderId: order.id, number: order.number, cancelled: true });
      return { status: 'not_applied' };
    },
  };

  return { [OP_KINDS.posRecordOrder]: recordOrder, [OP_KINDS.posRecordRefund]: recordRefund };
}
