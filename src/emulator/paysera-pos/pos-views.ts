import type { ActiveVariations } from '../variations.js';
import { centsToDecimal, type CashRegisterRecord, type PosOrderRecord, type PosState } from './pos-state.js';

/**
 * How money is written in answers: integer cents as the get-order example (default), or a
 * decimal number or string (variations `pos-money-decimal-numbers`, `pos-money-decimal-strings`).
 */
export type MoneyForm = 'cents' | 'decimal-number' | 'decimal-string';

export function moneyForm(variations: ActiveVariations): MoneyForm {
  if (variations.has('pos-money-decimal-strings')) return 'decimal-string';
  if (variations.has('pos-money-decimal-numbers')) return 'decimal-number';
  return 'cents';
}

function money(cents: number, form: MoneyForm): number | string {
  if (form === 'cents') return cents;
  // The decimal text is built from integers; as a JSON number it is that same text.
  return form === 'decimal-string' ? centsToDecimal(cents) : Number(centsToDecimal(cents));
}

/** An order as the API reference's get-order example shows it, money in the given form. */
export function orderView(order: PosOrderRecord, form: MoneyForm): Record<string, unknown> {
  return {
    id: order.id,
    number: order.number,
    currency: order.currency,
    ...(order.languageCode === undefined ? {} : { languageCode: order.languageCode }),
    status: order.status,
    totalPrice: money(order.totalCents, form),
    discountPrice: money(0, form),
    createdAt: order.createdAt,
    updatedAt: new Date(order.updatedAtMs).toISOString(),
    orderPositions: order.positions.map((p) => ({
      id: p.id,
      title: p.title,
      name: p.title,
      productSKU: p.productSKU,
      quantity: p.quantity,
      price: money(p.unitPriceCents, form),
      unitPrice: { regular: centsToDecimal(p.unitPriceCents) },
      totalPrice: money(p.totalCents, form),
      measureUnit: p.measureUnit,
      ...(p.tax === undefined ? {} : { vatRate: p.tax.taxRate, tax: p.tax }),
    })),
    payments: order.payments.map((p) => ({
      id: p.id,
      type: p.paymentMethod,
      paymentMethod: p.paymentMethod,
      amount: money(p.amountCents, form),
      status: 'completed',
      timestamp: p.createdAt,
    })),
  };
}

export function cashRegisterView(register: CashRegisterRecord, state: PosState, form: MoneyForm = 'cents'): Record<string, unknown> {
  const paid = state.allOrders().reduce((sum, o) => sum + o.payments.reduce((s, p) => s + p.amountCents, 0), 0);
  return {
    number: register.number,
    status: register.status,
    fiscalDayNumber: register.fiscalDayNumber,
    fiscalDayStarted: register.fiscalDayStarted,
    lastTransaction: state.lastTransactionAt() ?? null,
    currentBalance: money(paid, form),
    currency: register.currency,
  };
}
