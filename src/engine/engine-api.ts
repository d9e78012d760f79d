import type { Unsubscribe } from '../platform/listeners.js';
import type { SaleKind, SaleState } from '../domain/sale.js';
import type { OpState, RefundRecord, SaleRecord } from '../store/types.js';
import type { RetryingSummary } from './outbox/retrying.js';
import type { WaitingTable } from './paysera-wallet/spot-watcher.js';

export type { WaitingTable } from './paysera-wallet/spot-watcher.js';
export type { RetryingSummary } from './outbox/retrying.js';

/** A sale changed state (or data); `previous` is undefined for a new sale. */
export interface SaleChange {
  sale: SaleRecord;
  previous: SaleState | undefined;
}

/** What the idle screen and `doctor`/`queue` show about the engine. */
export interface EngineStatus {
  /** Whether the last Paysera poll got through; undefined before the first. */
  online: boolean | undefined;
  /** Outbox operations not yet final, by state. */
  queue: Partial<Record<OpState, number>>;
  /** Sales and operations a person has to look at. */
  needsHuman: number;
  openSales: number;
  /** Whether the signing clock has been set from Paysera's server time. */
  clockSynced: boolean;
  /** Writes whose last attempt failed and that are being retried: the oldest, since when, how many. */
  retrying?: RetryingSummary | undefined;
}

/**
 * The payment engine as the UI and tests drive it. Every method that starts something
 * journals it (SQLite, synchronous=FULL) before any network call and returns the journaled
 * sale; progress then arrives as SaleChange events. Methods throw EngineError with a stable code.
 *
 * Error codes: `table_unknown` (no configured table with that number/id), `table_not_waiting`
 * (no customer checked in there), `table_busy` (an open sale already uses that spot),
 * `invalid_amount`, `invalid_code` (not 16-40 digits), `sale_not_found`, `wrong_sale_kind`,
 * `wrong_sale_state`, `cancel_too_late` (the payment is being confirmed), `not_configured`
 * (Centrapay without its config section), `not_started`.
 */
export interface PaymentEngine {
  /** `table`: the configured identifier ("TABLE12") or the number staff type (12). */
  startTableSale(table: string | number, amountMinor: number): SaleRecord;
  startCodeSale(amountMinor: number): SaleRecord;
  /** Records the scanned code; it is sent once the transaction exists. A code is never sent twice. */
  submitReservationCode(saleId: string, code: string): SaleRecord;
  /**
   * A Centrapay sale (the terminal prints a QR). Journaled with its create_payment_request op;
   * the record gains `paymentRequestId` and `shortCode` (for the display) when the request
   * exists, then polls to paid/expired/cancelled. cancelSale voids it. Refused with
   * `not_configured` by an engine built without Centrapay (see saleKinds()).
   */
  startCentrapaySale(amountMinor: number): SaleRecord;
  /** The kinds of sale this engine starts: table and code always, centrapay when it has Centrapay. */
  saleKinds(): readonly SaleKind[];
  cancelSale(saleId: string): SaleRecord;
  /**
   * The sale staff keyed for a refund: by its short number (printed on the receipt), or the last
   * paid sale when undefined. Refused with `sale_not_found`, `not_refundable` (not a paid,
   * finished sale), `already_refunded`, `wrong_sale_kind`. Sends nothing.
   */
  findRefundable(saleNumber?: number): SaleRecord;
  /**
   * A full refund of a paid sale: the refund and its provider's op journaled in one commit, then
   * sent once (docs/payments.md#refunds); progress arrives through onRefundChanged. Same refusals
   * as findRefundable; a second refund of a sale is refused and nothing is sent.
   */
  refundSale(saleId: string): RefundRecord;
  onRefundChanged(listener: (refund: RefundRecord) => void): Unsubscribe;
  openSales(): SaleRecord[];
  getSale(saleId: string): SaleRecord | undefined;
  waitingTables(): WaitingTable[];
  status(): EngineStatus;
  onSaleChanged(listener: (change: SaleChange) => void): Unsubscribe;
  onWaitingTables(listener: (tables: WaitingTable[]) => void): Unsubscribe;
  onStatus(listener: (status: EngineStatus) => void): Unsubscribe;
}
