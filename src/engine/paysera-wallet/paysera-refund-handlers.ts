import { OP_KINDS } from '../../domain/operation-kind.js';
import type { WalletApi } from '../../gateways/paysera-wallet/wallet-api.js';
import type { Payment, Transaction } from '../../gateways/paysera-wallet/wallet-types.js';
import type { OutboxOp } from '../../store/types.js';
import type { FinalOutcome, OpHandler, OpHandlers, ReconcileOutcome } from '../outbox/outbox-runner.js';
import { refundedOutcome, refundNeedsHuman, refusedOutcome, type RefundSlipContext } from '../refund-outcomes.js';
import { isWalletCode } from './handler-outcomes.js';
import { cancelPaymentPayload, type CancelPaymentPayload } from './paysera-refund-ops.js';

/**
 * The Paysera refund (docs/apis.md#paysera-refunds): cancel the sale's confirmed payment with
 * DELETE /payment/:paymentId, possible while the payment is `confirmed`, not once it is `done`.
 *
 * Invariants:
 * - Read first: the transaction is read for its payment and that payment's status; a payment
 *   already `canceled` is a refund already taken (ours, whose answer was lost), never sent again;
 *   one `done` is settled: refused ("Refund not possible: settled"), the sale left as it is.
 * - A refusal of the DELETE with `invalid_state` (or a 409) means too late: refused `settled`.
 * - A lost answer is reconciled by reading the payment again, never by a blind repeat:
 *   `canceled` is refunded, `confirmed` proves the DELETE did not apply (sent again), `done`
 *   is settled, anything else goes to a person.
 */

export interface PayseraRefundDeps extends RefundSlipContext {
  wallet: WalletApi;
}

/** The sale's payment: its one payment (counterpay creates one per transaction). */
function paymentOf(tx: Transaction): Payment | undefined {
  return tx.payments.length === 1 ? tx.payments[0] : undefined;
}

export function payseraRefundHandlers(deps: PayseraRefundDeps): OpHandlers {
  const { wallet } = deps;

  /** The payment as the server has it now, or the outcome when there is none to refund. */
  async function readPayment(op: OutboxOp<CancelPaymentPayload>): Promise<{ payment: Payment } | { outcome: FinalOutcome }> {
    const tx = await wallet.getTransaction(op.payload.transactionKey);
    const payment = paymentOf(tx);
    if (payment === undefined) return { outcome: refundNeedsHuman(op.payload.refundId, 'refund_payment_not_found', { payments: tx.payments.length }) };
    return { payment };
  }

  /** What the payment's status says of a refund, when it says something final. */
  function decided(op: OutboxOp<CancelPaymentPayload>, payment: Payment): FinalOutcome | undefined {
    const { refundId } = op.payload;
    if (payment.status === 'canceled') return refundedOutcome(deps, refundId, { paymentId: payment.id, status: 'canceled' });
    if (payment.status === 'done') return refusedOutcome(refundId, 'settled');
    return undefined;
  }

  const cancelPayment: OpHandler<CancelPaymentPayload> = {
    payload: cancelPaymentPayload,
    async execute(op) {
      const read = await readPayment(op);
      if ('outcome' in read) return read.outcome;
      const { payment } = read;
      const known = decided(op, payment);
      if (known !== undefined) return known;
      // `confirmed`, or a payment whose status the answer leaves out: the DELETE decides.
      if (payment.status !== undefined && payment.status !== 'confirmed') return refundNeedsHuman(op.payload.refundId, 'refund_payment_not_confirmed', { status: payment.status });
      try {
        await wallet.cancelPayment(payment.id);
      } catch (error) {
        if (isWalletCode(error, 'invalid_state') || (isWalletCode(error, 'http_error') && error.status === 409)) return refusedOutcome(op.payload.refundId, 'settled', error.status);
        throw error;
      }
      return refundedOutcome(deps, op.payload.refundId, { paymentId: payment.id });
    },
    async reconcile(op): Promise<ReconcileOutcome> {
      const read = await readPayment(op);
      if ('outcome' in read) return read.outcome;
      const known = decided(op, read.payment);
      if (known !== undefined) return known;
      if (read.payment.status === 'confirmed') return { status: 'not_applied' };
      return refundNeedsHuman(op.payload.refundId, 'refund_outcome_unknown', { status: read.payment.status });
    },
    onFailed(op, error) {
      // Refused for good (bad request, not found): nothing moved; say so on the refund.
      return { refund: { refundId: op.payload.refundId, event: { type: 'refused', reason: error.code }, onlyIfLegal: true } };
    },
  };

  return { [OP_KINDS.cancelPayment]: cancelPayment };
}
