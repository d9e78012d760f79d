import { OP_KINDS } from '../../domain/operation-kind.js';
import type { CentrapayApi } from '../../gateways/centrapay/centrapay-api.js';
import { CentrapayError } from '../../gateways/centrapay/centrapay-error.js';
import type { FinalOutcome, OpHandler, OpHandlers } from '../outbox/outbox-runner.js';
import { refundedOutcome, refundNeedsHuman, refusedOutcome, type RefundSlipContext } from '../refund-outcomes.js';
import { refundPaymentRequestPayload, type RefundPaymentRequestPayload } from './centrapay-ops.js';

/**
 * The Centrapay refund (docs/apis.md#centrapay-refunds): POST /api/payment-requests/{id}/refund
 * with `value` and `externalRef` = the refund's own id. That externalRef is the exactly-once key:
 * Centrapay answers a repeat with the same externalRef and amount with 200 and refunds nothing
 * more, so a lost answer is settled by sending the same refund again (policy `resend`), and a
 * crash mid-refund by the same.
 *
 * Refusals: `refund_window_exceeded` (too late), `not_paid`, `already_refunded` (someone refunded
 * it already, e.g. in the back office): refused with that reason, nothing more is sent.
 * `repeat_reference` (our externalRef with another amount: never ours to send) goes to a person.
 */

export interface CentrapayRefundDeps extends RefundSlipContext {
  centrapay: CentrapayApi;
}

const REFUSALS: Readonly<Record<string, string>> = {
  refund_window_exceeded: 'window_exceeded',
  not_paid: 'not_paid',
  already_refunded: 'already_refunded',
  partial_refunds_not_allowed: 'partial_not_allowed',
  refund_declined: 'declined',
  refund_not_supported: 'not_supported',
};

export function centrapayRefundHandlers(deps: CentrapayRefundDeps): OpHandlers {
  const refundPaymentRequest: OpHandler<RefundPaymentRequestPayload> = {
    payload: refundPaymentRequestPayload,
    async execute(op): Promise<FinalOutcome> {
      const { refundId, paymentRequestId, amountMinor, currency } = op.payload;
      try {
        const activity = await deps.centrapay.refundPaymentRequest(paymentRequestId, { amountMinor, currency, externalRef: refundId });
        return refundedOutcome(deps, refundId, { activity: activity.type });
      } catch (error) {
        if (!(error instanceof CentrapayError)) throw error;
        const reason = REFUSALS[error.code];
        if (reason !== undefined) return refusedOutcome(refundId, reason, error.status);
        if (error.code === 'repeat_reference') return refundNeedsHuman(refundId, 'refund_repeat_reference');
        throw error;
      }
    },
    onFailed(op, error) {
      return { refund: { refundId: op.payload.refundId, event: { type: 'refused', reason: error.code }, onlyIfLegal: true } };
    },
  };
  return { [OP_KINDS.refundPaymentRequest]: refundPaymentRequest };
}
