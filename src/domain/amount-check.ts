import { formatAmount, type Money } from './money.js';

/**
 * Never confirm what does not match: before a payment counts, what the payment provider holds
 * must be the sale's amount in the sale's currency. These functions compare and, on a mismatch,
 * return the reason the sale records (`amount_mismatch: ...`); undefined means it matches.
 *
 * The reason starts with the stable code AMOUNT_MISMATCH; the rest is for people (the queue, the
 * log) and names both sides.
 */

export const AMOUNT_MISMATCH = 'amount_mismatch';

export interface PricedPayment {
  /** Minor units. */
  readonly price: number;
  readonly currency: string;
}

function describe(parts: readonly PricedPayment[]): string {
  if (parts.length === 0) return 'nothing';
  const currencies = [...new Set(parts.map((p) => p.currency))];
  if (currencies.length > 1) return parts.map((p) => `${formatAmount({ minor: p.price, currency: p.currency })} ${p.currency}`).join(' + ');
  const total = parts.reduce((sum, p) => sum + p.price, 0);
  return `${formatAmount({ minor: total, currency: currencies[0] ?? '' })} ${currencies[0] ?? ''}`;
}

/** A Paysera transaction's payments must add up to the sale's amount, all in the sale's currency. */
export function paymentsMismatch(sale: Money, payments: readonly PricedPayment[]): string | undefined {
  const total = payments.reduce((sum, p) => sum + p.price, 0);
  const matches = payments.length > 0 && payments.every((p) => p.currency === sale.currency) && total === sale.minor;
  if (matches) return undefined;
  return `${AMOUNT_MISMATCH}: transaction ${describe(payments)}, sale ${formatAmount(sale)} ${sale.currency}`;
}

/**
 * A Centrapay payment request found paid: its value must be the sale's, and what was paid
 * (`paidBy.assetTotals`, when the answer carries totals) must add up to it in the same currency.
 * Amounts are strings of integer minor units, compared as integers.
 */
export function paidRequestMismatch(
  sale: Money,
  value: { readonly amount: string; readonly currency: string },
  paidTotals: readonly { readonly amount: string; readonly currency: string }[],
): string | undefined {
  const asPayment = (m: { amount: string; currency: string }): PricedPayment => ({ price: /^\d{1,15}$/.test(m.amount) ? Number(m.amount) : Number.NaN, currency: m.currency });
  const requested = asPayment(value);
  if (requested.currency !== sale.currency || requested.price !== sale.minor) {
    return `${AMOUNT_MISMATCH}: request ${Number.isNaN(requested.price) ? value.amount : describe([requested])}, sale ${formatAmount(sale)} ${sale.currency}`;
  }
  if (paidTotals.length === 0) return undefined;
  const paid = paidTotals.map(asPayment);
  const total = paid.reduce((sum, p) => sum + p.price, 0);
  if (paid.every((p) => p.currency === sale.currency) && total === sale.minor) return undefined;
  return `${AMOUNT_MISMATCH}: paid ${paid.some((p) => Number.isNaN(p.price)) ? 'an unreadable amount' : describe(paid)}, sale ${formatAmount(sale)} ${sale.currency}`;
}
