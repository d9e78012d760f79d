import { invalidState, notFound } from '../http-error.js';
import type { PaymentRecord } from './records.js';
import type { WalletStore } from './wallet-store.js';

/**
 * A confirmed payment's own life (https://developers.paysera.com/api/wallet/cancel-payment): the
 * merchant may cancel it with DELETE /payment/:paymentId while it is `confirmed`, not once it is
 * `done`; the money goes back to the payer and the documented answer is `{}`. Anything else (a
 * payment not confirmed, already canceled, or done) is refused as `invalid_state` (409).
 */

function findPayment(store: WalletStore, paymentId: number): { payment: PaymentRecord; status: string } {
  for (const tx of store.transactions.values()) {
    const payment = tx.payments.find((p) => p.id === paymentId);
    if (payment !== undefined) return { payment, status: payment.state ?? tx.status };
  }
  throw notFound(`Payment ${paymentId} not found`);
}

/** DELETE /payment/:paymentId. */
export function cancelPayment(store: WalletStore, paymentId: number): Record<string, never> {
  const { payment, status } = findPayment(store, paymentId);
  if (status !== 'confirmed') throw invalidState(`Payment is ${status}, only a confirmed payment can be canceled`);
  payment.state = 'canceled';
  return {};
}

/** /_sim/: the freeze period ends, the payment is `done` and can no longer be canceled. */
export function settlePayment(store: WalletStore, paymentId: number): { id: number; status: string } {
  const { payment, status } = findPayment(store, paymentId);
  if (status !== 'confirmed') throw invalidState(`Payment is ${status}, only a confirmed payment settles`);
  payment.state = 'done';
  return { id: payment.id, status: 'done' };
}
