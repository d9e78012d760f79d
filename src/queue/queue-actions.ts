import { CodedError } from '../platform/coded-error.js';
import { posRecordOp, posRefundOp } from '../engine/paysera-pos/pos-ops.js';
import { StoreError } from '../store/store-error.js';
import type { Store } from '../store/store.js';
import type { OutboxOp, PrintJob, RefundRecord, SaleRecord } from '../store/types.js';

/**
 * A person's changes from `counterpay queue`, each one journaled (events carry who and why)
 * and none of them deleting anything. They run with the terminal stopped (journal-access.ts);
 * its next start carries on from the rows as left here.
 */

export type QueueActionErrorCode = 'not_found' | 'not_needs_human' | 'op_final' | 'print_not_failed' | 'wrong_decision';

export class QueueActionError extends CodedError {
  declare readonly code: QueueActionErrorCode;
}

export interface RetryResult {
  readonly op: OutboxOp;
  readonly from: OutboxOp['state'];
}

/**
 * needs_human -> unknown (rearm: the terminal reads the remote state before anything else);
 * pending or unknown -> the same state, due at once. Final ops cannot be retried.
 */
export function retryOp(store: Store, opId: string): RetryResult {
  const op = store.outbox.get(opId);
  if (op === undefined) throw new QueueActionError('not_found', `no outbox op ${opId}`);
  switch (op.state) {
    case 'needs_human':
      return { op: store.outbox.rearm(opId), from: op.state };
    case 'pending':
    case 'unknown':
      return { op: store.outbox.dueNow(opId), from: op.state };
    default:
      throw new QueueActionError('op_final', `op ${opId} (${op.kind}) is ${op.state}: nothing to retry`);
  }
}

export interface ResolveInput {
  readonly saleId: string;
  readonly paid: boolean;
  readonly reason: string;
  /** Who decided (the login name), for the record. */
  readonly by: string | undefined;
  /** A `pos` section is configured: a sale resolved as paid is recorded in the back office too. */
  readonly posSync?: boolean;
  /** Wall time of the decision (the POS order's payment time). */
  readonly nowWallMs?: number;
}

export interface ResolveResult {
  readonly sale: SaleRecord;
  /** The sale's needs_human ops, as left by the decision. */
  readonly ops: readonly OutboxOp[];
  /** The sale's ops the terminal still runs (pending/unknown), untouched. */
  readonly live: readonly OutboxOp[];
}

/**
 * Records a person's decision on a needs_human sale, in one transaction: the sale goes to done
 * (paid) or cancelled (not paid) through humanResolved, a `human.resolved` event keeps the
 * reason, who and the reason the terminal gave; the sale's needs_human ops stop: a close_spot
 * is rearmed (a touched spot must end closed, and closing is safe to repeat), any other op is
 * closed as failed/human_resolved (the decision replaces it; row and history stay).
 */
export function resolveSale(store: Store, input: ResolveInput): ResolveResult {
  return store.transaction(() => {
    const before = store.sales.get(input.saleId);
    if (before === undefined) throw new QueueActionError('not_found', `no sale ${input.saleId}`);
    if (before.state !== 'needs_human') {
      throw new QueueActionError('not_needs_human', `sale ${input.saleId} is ${before.state}, not needs_human: only a sale waiting for a person can be resolved`);
    }
    const waiting = store.outbox.list({ saleId: input.saleId, states: ['needs_human'] });
    const sale = store.sales.apply(
      input.saleId,
      { type: 'humanResolved', paid: input.paid },
      {
        events: [
          {
            type: 'human.resolved',
            saleId: input.saleId,
            data: { paid: input.paid, reason: input.reason, by: input.by, needsHumanReason: before.needsHumanReason, ops: waiting.map((o) => o.id) },
          },
        ],
        // A sale a person found paid is recorded in the back office like any other paid sale,
        // in the same commit as the decision.
        enqueue: input.paid && input.posSync === true ? [posRecordOp(before, input.nowWallMs)] : [],
      },
      'needs_human',
    );
    const ops = waiting.map((op) => (op.kind === 'close_spot' ? rearmClose(store, op) : store.outbox.closeByPerson(op.id, input.reason)));
    const live = store.outbox.list({ saleId: input.saleId, states: ['pending', 'unknown', 'in_flight'] }).filter((op) => !ops.some((o) => o.id === op.id));
    return { sale, ops, live };
  });
}

export interface ResolveRefundInput {
  readonly refundId: string;
  /** What the person found in the provider's back office: the money went back, or it did not. */
  readonly refunded: boolean;
  readonly reason: string;
  readonly by: string | undefined;
  /** A `pos` section is configured: a refund found taken is recorded in the back office too. */
  readonly posSync?: boolean;
  readonly nowWallMs?: number;
}

export interface ResolveRefundResult {
  readonly refund: RefundRecord;
  /** The refund's needs_human ops, closed by the decision. */
  readonly ops: readonly OutboxOp[];
}

/**
 * Records a person's decision on a needs_human refund, in one transaction: the refund goes to
 * refunded (counted by the day report from then on; with a POS section, its back-office record
 * intended in the same commit, as when the terminal takes one) or refused (`resolved_not_refunded`:
 * the sale may be refunded again); a `human.resolved_refund` event keeps the reason and who; the
 * refund's needs_human ops are closed as failed/human_resolved. The sale itself never changes.
 */
export function resolveRefund(store: Store, input: ResolveRefundInput): ResolveRefundResult {
  return store.transaction(() => {
    const before = store.refunds.get(input.refundId);
    if (before === undefined) throw new QueueActionError('not_found', `no refund ${input.refundId}`);
    if (before.state !== 'needs_human') {
      throw new QueueActionError('not_needs_human', `refund ${input.refundId} is ${before.state}, not needs_human: only a refund waiting for a person can be resolved`);
    }
    const sale = store.sales.get(before.saleId);
    const waiting = store.outbox.list({ saleId: before.saleId, states: ['needs_human'] }).filter((op) => op.transactionKey === before.id);
    const refund = store.refunds.apply(
      input.refundId,
      { type: 'humanResolved', refunded: input.refunded },
      {
        events: [
          {
            type: 'human.resolved_refund',
            saleId: before.saleId,
            data: { refundId: before.id, refunded: input.refunded, reason: input.reason, by: input.by, needsHumanReason: before.needsHumanReason, ops: waiting.map((o) => o.id) },
          },
        ],
        enqueue: input.refunded && input.posSync === true && sale !== undefined ? [posRefundOp(before, sale, input.nowWallMs)] : [],
      },
    );
    const ops = waiting.map((op) => store.outbox.closeByPerson(op.id, input.reason));
    return { refund, ops };
  });
}

/**
 * A touched spot must end closed, so a sale's waiting close is tried again; unless a newer close
 * of the same spot is already under way (one live close per spot): that one closes the spot, and
 * the old one is closed as decided instead.
 */
function rearmClose(store: Store, op: OutboxOp): OutboxOp {
  try {
    return store.outbox.rearm(op.id);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'duplicate_live_op') {
      return store.outbox.closeByPerson(op.id, `another close of spot ${String(op.spotId)} is under way`);
    }
    throw error;
  }
}

/** failed -> queued: a person checked the printer (or the paper) and wants the job printed. */
export function requeuePrint(store: Store, jobId: string): PrintJob {
  const job = store.printJobs.get(jobId);
  if (job === undefined) throw new QueueActionError('not_found', `no print job ${jobId}`);
  if (job.state !== 'failed') {
    const hint =
      job.state === 'printed'
        ? 'it printed; for another one reprint a COPY from the terminal menu'
        : job.state === 'queued'
          ? 'it is queued already and prints when the terminal runs'
          : 'a crash left it printing; the terminal marks it interrupted at its next start, then requeue it';
    throw new QueueActionError('print_not_failed', `print job ${jobId} is ${job.state}: ${hint}`);
  }
  return store.printJobs.requeue(jobId);
}
