import type { AmountAlteration } from '../amount-alteration.js';
import type { Page, PageMetadata } from '../pagination.js';
import type { ReservationCodeRecord } from './records.js';
import { parseTransactionBody } from './transaction-body.js';
import { orderView, transactionView, type OpenSpotStatus, type OrderView, type SpotView, type TransactionView } from './wallet-views.js';
import { WalletStore, type WalletStateOptions } from './wallet-store.js';
import * as spots from './spots.js';
import * as orders from './orders.js';
import * as payments from './payments.js';
import * as transactions from './transactions.js';
import * as customer from './customer-side.js';
import { DEFAULT_CUSTOMER, type CustomerReserveOptions, type IssueCodeOptions } from './customer-side.js';

export interface WalletSnapshot {
  time: number;
  spots: (SpotView & { location_id: number; checked_in: string[]; session_order_ids: number[] })[];
  orders: (OrderView & { spot_id: number; deleted: boolean })[];
  transactions: TransactionView[];
  reservation_codes: { code: string; balance: number; wallet: number; created_at: number; used_by?: string }[];
}

/**
 * The Paysera Wallet world: spots, orders, transactions and reservation codes, with the state
 * machines of docs/apis.md#paysera-wallet-statuses. Every operation validates completely before it changes anything, so a
 * thrown HttpError means "not applied". Both the HTTP routes and tests (in-process) call these
 * methods; the customer-side methods are what /_sim/ exposes. The records live in a WalletStore;
 * the rules of each kind of record live beside it (spots, orders, transactions, customer-side).
 *
 * Invariants:
 * - A customer is checked in at one spot at most; checking in elsewhere checks out first.
 * - A spot is `closed` exactly when nobody is checked in and the merchant has not opened it by
 *   ordering; its session (and the `orders` it shows) ends whenever it becomes `closed`.
 * - A transaction is attached to at most one order that is not closed.
 * - A reservation code reserves at most one transaction.
 */
export class WalletState {
  private store: WalletStore;

  constructor(private readonly options: WalletStateOptions) {
    this.store = new WalletStore(options);
  }

  get openSpotStatus(): OpenSpotStatus {
    return this.store.openSpotStatus;
  }

  /** The body field reserve-by-code reads. */
  get reservationCodeField(): 'reservation_code' | 'code' {
    return this.store.reservationCodeField;
  }

  /** Forgets everything and re-seeds the random source. */
  reset(): void {
    this.store = new WalletStore(this.options);
  }

  // ---- spots ----------------------------------------------------------------------------

  /** GET /rest/v1/spot?code=...: registers the spot on first use (under the code's location id). */
  spotByCode(code: string, viewer?: string): SpotView {
    return spots.viewSpot(this.store, spots.registerSpot(this.store, code), viewer);
  }

  getSpot(id: number, viewer?: string): SpotView {
    return spots.viewSpot(this.store, this.store.requireSpot(id), viewer);
  }

  checkIn(spotId: number, customerId: string = DEFAULT_CUSTOMER): SpotView {
    return spots.checkIn(this.store, spotId, customerId);
  }

  /** Check in by code, registering the spot if needed (what scanning a table card does). */
  checkInByCode(code: string, customerId: string = DEFAULT_CUSTOMER): SpotView {
    return this.checkIn(spots.registerSpot(this.store, code).id, customerId);
  }

  checkOut(spotId: number, customerId: string = DEFAULT_CUSTOMER): SpotView {
    return spots.checkOut(this.store, spotId, customerId);
  }

  /** PUT /spot/:id/close. Pending orders close; reserved/confirmed ones keep their status. Closing a closed spot is a no-op. */
  closeSpot(spotId: number, viewer?: string): SpotView {
    return spots.closeSpot(this.store, spotId, viewer);
  }

  listSpots(filter: spots.SpotFilter, page: Page): { spots: SpotView[]; _metadata: PageMetadata } {
    return spots.listSpots(this.store, filter, page);
  }

  // ---- orders ---------------------------------------------------------------------------

  /** POST /spot/:id/order with `{"transaction_key"}` or `{"transaction": {...}}`; `alteration` from an alterAmount fault. */
  createOrder(spotId: number, body: unknown, alteration?: AmountAlteration): OrderView {
    return orders.createOrder(this.store, spotId, body, alteration);
  }

  getOrder(id: number): OrderView {
    return orders.getOrder(this.store, id);
  }

  /** PUT /order/:id: points a pending order at another (or a new) transaction; the old one is left as it is. */
  editOrder(id: number, body: unknown): OrderView {
    return orders.editOrder(this.store, id, body);
  }

  /** DELETE /order/:id: a pending or closed order goes away (later GETs are 404); a paid or reserved one cannot. */
  deleteOrder(id: number): OrderView {
    return orders.deleteOrder(this.store, id);
  }

  // ---- transactions ---------------------------------------------------------------------

  createTransaction(body: unknown, locationId?: number, alteration?: AmountAlteration): TransactionView {
    const tx = transactions.insertTransaction(this.store, parseTransactionBody(body), locationId);
    if (alteration !== undefined) transactions.alterPayments(tx, alteration);
    return transactionView(tx);
  }

  getTransaction(key: string): TransactionView {
    return transactionView(this.store.requireTransaction(key));
  }

  /** PUT /transaction/:key/reserve with the code a customer showed (see transactions.reserveWithCode). */
  reserveWithCode(key: string, body: unknown, alteration?: AmountAlteration): TransactionView {
    return transactions.reserveWithCode(this.store, key, body, alteration);
  }

  /** PUT /transaction/:key/confirm, optionally lowering payment amounts (see transactions.confirm). */
  confirm(key: string, body: unknown): TransactionView {
    return transactions.confirm(this.store, key, body);
  }

  /** DELETE /transaction/:key: a `new` transaction is deleted, a waiting or reserved one revoked (docs/apis.md#paysera-wallet-statuses). */
  revoke(key: string): TransactionView {
    return transactions.revoke(this.store, key);
  }

  /** DELETE /payment/:id: a confirmed payment canceled, the money back to the payer (see payments.cancelPayment). */
  cancelPayment(paymentId: number): Record<string, never> {
    return payments.cancelPayment(this.store, paymentId);
  }

  /** /_sim/: a confirmed payment settles (`done`): too late to cancel. */
  settlePayment(paymentId: number): { id: number; status: string } {
    return payments.settlePayment(this.store, paymentId);
  }

  listTransactions(filter: transactions.TransactionFilter, page: Page): { transactions: TransactionView[]; _metadata: PageMetadata } {
    return transactions.listTransactions(this.store, filter, page);
  }

  // ---- the simulated customer -----------------------------------------------------------

  /** The customer accepts and pays in their app: new/waiting -> reserved (confirmed with auto_confirm). */
  customerReserve(key: string, options: CustomerReserveOptions = {}): TransactionView {
    return customer.customerReserve(this.store, key, options);
  }

  /** The customer opened the transaction but has not paid yet: new -> waiting. */
  customerAccept(key: string): TransactionView {
    return customer.customerAccept(this.store, key);
  }

  /** The payment failed for another reason than a decline: new/waiting -> failed. */
  customerFail(key: string): TransactionView {
    return customer.customerEndUnpaid(this.store, key, 'failed');
  }

  /** The customer declines: new/waiting -> rejected. */
  customerReject(key: string): TransactionView {
    return customer.customerEndUnpaid(this.store, key, 'rejected');
  }

  /** The transaction is changed behind the merchant's back; status is untouched (see customer-side.alterAmount). */
  alterAmount(key: string, alteration: AmountAlteration): TransactionView {
    return customer.alterAmount(this.store, key, alteration);
  }

  /** The transaction reads `on_hold` until the customer's next step (see customer-side.hold). */
  hold(key: string): TransactionView {
    return customer.hold(this.store, key);
  }

  /** A single-use reservation code with a balance, as the customer's app would show it. */
  issueReservationCode(options: IssueCodeOptions): ReservationCodeRecord {
    return customer.issueReservationCode(this.store, options);
  }

  snapshot(): WalletSnapshot {
    const store = this.store;
    return {
      time: store.now(),
      spots: [...store.spots.values()].map((s) => ({
        ...spots.viewSpot(store, s, undefined),
        location_id: s.locationId,
        checked_in: [...s.checkedIn],
        session_order_ids: [...s.sessionOrderIds],
      })),
      orders: [...store.orders.values()].map((o) => ({ ...orderView(o, store.transactions.get(o.transactionKey)), spot_id: o.spotId, deleted: o.deleted })),
      transactions: [...store.transactions.values()].map(transactionView),
      reservation_codes: [...store.codes.values()].map((c) => {
        const view: WalletSnapshot['reservation_codes'][number] = { code: c.code, balance: c.balance, wallet: c.wallet, created_at: c.createdAt };
        if (c.usedBy !== undefined) view.used_by = c.usedBy;
        return view;
      }),
    };
  }
}
