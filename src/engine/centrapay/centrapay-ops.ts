import { z } from 'zod';
import type { Money } from '../../domain/money.js';
import type { Refund } from '../../domain/refund.js';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { NewOp } from '../../store/types.js';
import type { RetryPolicies } from '../outbox/retry-policy.js';

/**
 * The Centrapay operations as the outbox journals them: per kind, the schema its payload is read
 * with before its handler sees it, the one builder that writes it, and its retry policy.
 */

const text = z.string().check(z.minLength(1));

/** create_payment_request: the request's value and lifetime; its externalRef is the op's sale id. */
export const createPaymentRequestPayload = z.object({
  amountMinor: z.int().check(z.positive()),
  currency: text,
  expirySeconds: z.int().check(z.positive()),
});
export type CreatePaymentRequestPayload = z.infer<typeof createPaymentRequestPayload>;

export const voidPaymentRequestPayload = z.object({ paymentRequestId: text });
export type VoidPaymentRequestPayload = z.infer<typeof voidPaymentRequestPayload>;

export const createPaymentRequestOp = (saleId: string, amount: Money, expirySeconds: number): NewOp => ({
  saleId,
  kind: OP_KINDS.createPaymentRequest,
  payload: { amountMinor: amount.minor, currency: amount.currency, expirySeconds } satisfies CreatePaymentRequestPayload,
});

/** A void of `paymentRequestId`; `saleId` undefined for an extra request no sale adopted. */
export const voidOp = (saleId: string | undefined, paymentRequestId: string): NewOp => ({
  saleId,
  kind: OP_KINDS.voidPaymentRequest,
  // The request id travels in transaction_key: migration 2's index allows one open void per request.
  transactionKey: paymentRequestId,
  payload: { paymentRequestId } satisfies VoidPaymentRequestPayload,
});

/** refund_payment_request: the refund's id is its externalRef (and its transaction_key: one op per refund). */
export const refundPaymentRequestPayload = z.object({
  refundId: text,
  paymentRequestId: text,
  amountMinor: z.int().check(z.positive()),
  currency: text,
});
export type RefundPaymentRequestPayload = z.infer<typeof refundPaymentRequestPayload>;

export const refundPaymentRequestOp = (refund: Refund, paymentRequestId: string): NewOp => ({
  saleId: refund.saleId,
  kind: OP_KINDS.refundPaymentRequest,
  transactionKey: refund.id,
  payload: { refundId: refund.id, paymentRequestId, amountMinor: refund.amount.minor, currency: refund.amount.currency } satisfies RefundPaymentRequestPayload,
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Centrapay (docs/apis.md#centrapay-polling-and-deadline, #centrapay-errors): a create the customer is waiting for is given minutes, then a
 * person decides; a void is a decision already taken that must be delivered within Centrapay's
 * 24-hour void window. Retry-After (seconds) is honoured by the runner.
 */
export const CENTRAPAY_RETRY_POLICIES: RetryPolicies = {
  [OP_KINDS.createPaymentRequest]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 10_000, maxAgeMs: 5 * MINUTE },
  [OP_KINDS.voidPaymentRequest]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
  // The same externalRef and amount again is harmless (docs/apis.md#centrapay-refunds): a lost answer is resent.
  [OP_KINDS.refundPaymentRequest]: { onAmbiguous: 'resend', baseMs: 1000, capMs: 30_000, maxAgeMs: 30 * MINUTE },
};
