import { z } from 'zod';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { Sale } from '../../domain/sale.js';
import type { NewOp, RefundRecord } from '../../store/types.js';
import type { RetryPolicies } from '../outbox/retry-policy.js';

/**
 * The POS back-office operation as the outbox journals it: the schema its payload is read with
 * before its handler sees it, the one builder that writes it, and its retry policy.
 */

export const posRecordPayload = z.object({
  amountMinor: z.int().check(z.positive()),
  currency: z.string().check(z.minLength(1)),
  /** Absent in ops journaled before sale kinds were recorded: those were Paysera sales. */
  kind: z.optional(z.enum(['table', 'code', 'centrapay'])),
  /** ISO-8601; absent when the wall clock was not synchronised (the POS then uses its own time). */
  paidAt: z.optional(z.string()),
  /** The terminal that sold it (config terminal.name), named in the record's position; absent in older rows. */
  terminal: z.optional(z.string().check(z.minLength(1))),
});
export type PosRecordPayload = z.infer<typeof posRecordPayload>;

/** The op that records a paid sale in the POS back office. */
export function posRecordOp(sale: Pick<Sale, 'id' | 'amount' | 'kind'>, paidWallMs: number | undefined, terminal?: string): NewOp {
  const payload: PosRecordPayload = { amountMinor: sale.amount.minor, currency: sale.amount.currency, kind: sale.kind, ...(terminal === undefined ? {} : { terminal }) };
  if (paidWallMs !== undefined) payload.paidAt = new Date(paidWallMs).toISOString();
  return { saleId: sale.id, kind: OP_KINDS.posRecordOrder, payload };
}

export const posRefundPayload = z.object({
  /** The refunded sale: its own POS order is named in the record's title. */
  saleId: z.string().check(z.minLength(1)),
  amountMinor: z.int().check(z.positive()),
  currency: z.string().check(z.minLength(1)),
  kind: z.enum(['table', 'code', 'centrapay']),
  /** ISO-8601; absent when the wall clock was not synchronised. */
  refundedAt: z.optional(z.string()),
});
export type PosRefundPayload = z.infer<typeof posRefundPayload>;

/** The op that records a refund taken in the POS back office; the refund id in transaction_key. */
export function posRefundOp(refund: Pick<RefundRecord, 'id' | 'amount'>, sale: Pick<Sale, 'id' | 'kind'>, refundedWallMs: number | undefined): NewOp {
  const payload: PosRefundPayload = { saleId: sale.id, amountMinor: refund.amount.minor, currency: refund.amount.currency, kind: sale.kind };
  if (refundedWallMs !== undefined) payload.refundedAt = new Date(refundedWallMs).toISOString();
  return { saleId: sale.id, transactionKey: refund.id, kind: OP_KINDS.posRecordRefund, payload };
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A back-office record has no customer waiting on it: it keeps trying for a week (a long POS or
 * network outage), backing off to 10 minutes, with the server's Retry-After honoured.
 */
export const POS_SYNC_RETRY_POLICIES: RetryPolicies = {
  [OP_KINDS.posRecordOrder]: { onAmbiguous: 'reconcile', baseMs: 5000, capMs: 10 * MINUTE, maxAgeMs: 7 * DAY, retryAfterCapMs: 2 * MINUTE },
  [OP_KINDS.posRecordRefund]: { onAmbiguous: 'reconcile', baseMs: 5000, capMs: 10 * MINUTE, maxAgeMs: 7 * DAY, retryAfterCapMs: 2 * MINUTE },
};
