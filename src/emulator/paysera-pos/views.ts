import { centsToDecimal, type CashRegisterRecord, type PosOrderRecord, type PosState } from './pos-state.js';

/** An order as the API reference's get-order example shows it: money in cents in responses. */
export function orderView(order: PosOrderRecord): Record<string, unknown> {
  return {
    id: order.id,
    number: order.number,
    currency: order.currency,
    ...(order.languageCode === undefined ? {} : { languageCode: order.languageCode }),
    status: order.status,
    totalPrice: order.totalCents,
    discountPrice: 0,
    createdAt: order.createdAt,
    updatedAt: new Date(order.updatedAtMs).toISOString(),
    orderPositions: order.positions.map((p) => ({
      id: p.id,
      title: p.title,
      name: p.title,
      productSKU: p.productSKU,
      quantity: p.quantity,
      price: p.unitPriceCents,
      unitPrice: { regular: centsToDecimal(p.unitPriceCents) },
      totalPrice: p.totalCents,
      measureUnit: p.measureUnit,
      ...(p.tax === undefined ? {} : { vatRate: p.tax.taxRate, tax: p.tax }),
    })),
    payments: order.payments.map((p) => ({ id: p.id, type: p.paymentMethod, paymentMethod: p.paymentMethod, amount: p.amountCents, status: 'completed', timestamp: p.createdAt })),
  };
}

export function cashRegisterView(register: CashRegisterRecord, state: PosState): Record<string, unknown> {
  const paid = state.allOrders().reduce((sum, o) => sum + o.payments.reduce((s, p) => s + p.amountCents, 0), 0);
  return {
    number: register.number,
    status: register.status,
    fiscalDayNumber: register.fiscalDayNumber,
    fiscalDayStarted: register.fiscalDayStarted,
    lastTransaction: state.lastTransactionAt() ?? null,
    currentBalance: paid,
    currency: register.currency,
  };
}
