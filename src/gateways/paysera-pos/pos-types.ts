import type { SaleKind } from '../../domain/sale.js';

/**
 * Paysera POS eapi orders and cash registers as counterpay uses them (docs/apis.md#paysera-pos-external-api). Statuses are
 * open strings (the docs spell them five ways); money in answers is read from integer cents,
 * decimal numbers or decimal strings (the documents show all three) into integer minor units.
 */

export interface PosOrderPayment {
  readonly paymentMethod: string | undefined;
  /** Minor units, when the answer carried an amount that reads exactly. */
  readonly amountMinor: number | undefined;
  readonly status: string | undefined;
}

export interface PosOrder {
  /** The order's UUID (GET /orders/{id}). */
  readonly id: string;
  /** Our order number: the configured prefix plus the sale id. */
  readonly number: string;
  /** Open string: `waitingPayment`, `completed`, `confirmed`, `cancelled`, ... React only to known ones. */
  readonly status: string;
  readonly currency: string | undefined;
  /** Minor units, when the answer carried a total that reads exactly. */
  readonly totalPriceMinor: number | undefined;
  readonly createdAt: string | undefined;
  readonly payments: readonly PosOrderPayment[];
}

export interface CashRegisterStatus {
  readonly number: string;
  /** `online` when reachable and working. */
  readonly status: string;
  readonly fiscalDayNumber: number | undefined;
  /** False means no fiscal day is open: warn the operator. */
  readonly fiscalDayStarted: boolean | undefined;
  readonly lastTransaction: string | undefined;
  /** Minor units, when it reads exactly. */
  readonly currentBalance: number | undefined;
  readonly currency: string | undefined;
}

/** A paid sale to record as a POS order: one position, one payment of the whole amount. */
export interface RecordSaleInput {
  /** Our sale id; the order number is the configured prefix plus this. */
  readonly saleId: string;
  /** Positive integer minor units of a two-decimal currency. */
  readonly amountMinor: number;
  /** ISO 4217, e.g. "EUR". */
  readonly currency: string;
  /** Which sale it was: the payment method recorded follows it. */
  readonly kind: SaleKind;
  /** When the sale was paid (ISO-8601); sent as the order's and the payment's createdAt. */
  readonly paidAt?: string;
  /** Position title; default: the configured positionTitle. */
  readonly title?: string;
  /** The terminal that sold it: named after the position title, "Counter sale (bar)". */
  readonly terminal?: string;
  /**
   * A refund's record instead of a sale's (docs/apis.md#paysera-pos-refunds): `saleId` is then the
   * refund's id (its number's key), this the refunded sale's id; the order carries no payment and
   * its title names the sale's order, so it waits for payment until it is cancelled.
   */
  readonly refundOf?: string;
}

export interface ListOrdersFilter {
  readonly numbers?: readonly string[];
  readonly statuses?: readonly string[];
  /** 1..100; default 100 (fewest requests). */
  readonly pageSize?: number;
}
