import type { NewOp, RefundRecord, SaleRecord, StoreEffects } from '../store/types.js';
import type { FinalOutcome } from './outbox/outbox-runner.js';
import { refundSlipJob } from '../printing/refund-slip-job.js';

/**
 * What every provider's refund handler commits with its outcome, so a refund means the same
 * whichever provider took it: refunded (with its slip, in the same commit), refused with the
 * provider's reason (nothing moved; the sale stays as it is), or a person decides.
 */

export interface RefundSlipContext {
  readonly refunds: { get(refundId: string): RefundRecord | undefined };
  readonly sales: { get(saleId: string): SaleRecord | undefined };
  readonly terminalName?: string | undefined;
  readonly wallMs: () => number;
  readonly clockSynced: () => boolean;
  /** Ops intended in the same commit as the refund taken (the POS back-office record): once, as that commit is. */
  readonly refundedOps?: ((refund: RefundRecord, sale: SaleRecord) => NewOp[]) | undefined;
}

/** The refund is taken: the refund row `refunded`, its slip and its back-office record queued, one commit. */
export function refundedOutcome(ctx: RefundSlipContext, refundId: string, result?: unknown): FinalOutcome {
  const refund = ctx.refunds.get(refundId);
  if (refund === undefined || refund.state !== 'requested') return { status: 'done', result };
  const sale = ctx.sales.get(refund.saleId);
  const printJobs = sale === undefined ? [] : [refundSlipJob(refund, sale, ctx.terminalName, ctx.wallMs(), ctx.clockSynced())];
  const enqueue = sale === undefined ? [] : (ctx.refundedOps?.(refund, sale) ?? []);
  const effects: StoreEffects = { refund: { refundId, event: { type: 'refunded' } }, printJobs, enqueue };
  return { status: 'done', result, effects };
}

/** The provider refuses, and says why (`settled`, `window_exceeded`, ...): nothing moved. */
export function refusedOutcome(refundId: string, reason: string, httpStatus?: number): FinalOutcome {
  return { status: 'failed', code: `refund_${reason}`, httpStatus, effects: { refund: { refundId, event: { type: 'refused', reason }, onlyIfLegal: true } } };
}

/** The outcome cannot be read as either: a person decides (the refund, never the sale). */
export function refundNeedsHuman(refundId: string, code: string, result?: unknown): FinalOutcome {
  return { status: 'needs_human', code, result, effects: { refund: { refundId, event: { type: 'needsHuman', reason: code }, onlyIfLegal: true } } };
}
