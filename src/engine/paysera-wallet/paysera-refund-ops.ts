import { z } from 'zod';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { Refund } from '../../domain/refund.js';
import type { NewOp } from '../../store/types.js';
import type { RetryPolicies } from '../outbox/retry-policy.js';

/**
 * The Paysera refund as the outbox journals it: cancel the sale's confirmed payment
 * (DELETE /payment/:id, docs/apis.md#paysera-refunds). The refund id travels in transaction_key,
 * where the schema allows one op per refund ever (migration 5).
 */

const text = z.string().check(z.minLength(1));

export const cancelPaymentPayload = z.object({
  refundId: text,
  /** The sale's transaction: its payments are read for the payment id and its status. */
  transactionKey: text,
  amountMinor: z.int().check(z.positive()),
  currency: text,
});
export type CancelPaymentPayload = z.infer<typeof cancelPaymentPayload>;

export const cancelPaymentOp = (refund: Refund, transactionKey: string): NewOp => ({
  saleId: refund.saleId,
  kind: OP_KINDS.cancelPayment,
  transactionKey: refund.id,
  payload: { refundId: refund.id, transactionKey, amountMinor: refund.amount.minor, currency: refund.amount.currency } satisfies CancelPaymentPayload,
});

/**
 * Staff wait at the counter for the answer; a lost one is read back (the payment's status), never
 * sent again blindly. After ten minutes a person decides.
 */
export const PAYSERA_REFUND_POLICIES: RetryPolicies = {
  [OP_KINDS.cancelPayment]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 30_000, maxAgeMs: 10 * 60_000 },
};
