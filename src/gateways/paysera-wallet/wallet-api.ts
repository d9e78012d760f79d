import type { CreateTransactionInput, Order, Spot, SpotStatus, Transaction, TransactionStatus } from './wallet-types.js';

/**
 * The merchant side of the Paysera Wallet API, as counterpay uses it (docs/apis.md#paysera-wallet-endpoints-and-shapes).
 *
 * Contract, for every method:
 * - Resolves only on a 200 whose body decodes to the documented shape.
 * - Otherwise rejects with a WalletError: `code` is the API's `error` where it gave one;
 *   `ambiguous` is true when a write may have been applied (timeout or reset after sending, a 5xx
 *   or an unreadable 200): the caller must read remote state before sending it again;
 *   `retryable` says whether trying again later can help; `retryAfterMs` comes from a 429.
 * - Every attempt is signed afresh (new ts and nonce); a body is serialized once and those exact
 *   bytes are hashed and sent. The client never retries on its own, with one exception: an
 *   `invalid_timestamp` answer makes it read the server's time, re-sign and send once more.
 * - List methods follow limit/offset to the end and return every item they can read. An item
 *   they cannot (a spot in a status no document lists, an amount that cannot be read exactly) is
 *   left out with one logged warning, and the rest are returned; `unreadable: 'fail'` makes such
 *   an item an `invalid_response` instead, for searches that must see everything.
 * - A status no document lists is `unknown` (raw value in `rawStatus`), never an error.
 */
export interface WalletApi {
  listSpots(filter: { status: SpotStatus | 'open'; locationId?: number; pageSize?: number }): Promise<Spot[]>;
  getSpot(spotId: number): Promise<Spot>;
  /** PUT /spot/:id/close. Closes the spot's pending orders too. */
  closeSpot(spotId: number): Promise<Spot>;

  /** POST /spot/:id/order with the transaction inside (one call, no orphan transaction). */
  createOrder(spotId: number, order: { transaction: CreateTransactionInput } | { transactionKey: string }): Promise<Order>;
  getOrder(orderId: number): Promise<Order>;
  editOrder(orderId: number, order: { transaction: CreateTransactionInput } | { transactionKey: string }): Promise<Order>;
  deleteOrder(orderId: number): Promise<Order>;

  createTransaction(input: CreateTransactionInput): Promise<Transaction>;
  getTransaction(key: string): Promise<Transaction>;
  /** PUT /transaction/:key/reserve {"reservation_code": code} (or {"code": code}, as configured). */
  reserveTransaction(key: string, reservationCode: string): Promise<Transaction>;
  /** PUT /transaction/:key/confirm, optionally lowering payment prices (payment id -> minor units). */
  confirmTransaction(key: string, lowerPrices?: Map<number, { price: number; currency: string }>): Promise<Transaction>;
  /**
   * DELETE /payment/:paymentId: cancels an already confirmed payment, and the money goes back to
   * the payer (a refund). Only while the payment is `confirmed`, not yet `done`
   * (docs/apis.md#paysera-refunds); later the API refuses (`invalid_state`, a 409 or 400 as the
   * server sends it). The documented answer is `{}`: resolves on any 200 object.
   */
  cancelPayment(paymentId: number): Promise<void>;
  /** DELETE /transaction/:key: revoke (or delete a new one). */
  revokeTransaction(key: string): Promise<Transaction>;
  /**
   * `options.urgent`: the read that notices payments already made (the reserved list); a client
   * with a request budget lets it ahead of everything but a confirm.
   */
  listTransactions(filter: { statuses: TransactionStatus[]; from?: number; to?: number; locationId?: number; pageSize?: number; unreadable?: 'skip' | 'fail' }, options?: { urgent?: boolean }): Promise<Transaction[]>;

  /** GET /rest/v1/server (unsigned): the server's Unix time; also re-syncs the signing clock. */
  serverTime(): Promise<number>;

  /**
   * The client's current estimate of the server's Unix time (what it signs `ts` with). Any
   * request the server accepted was signed within its timestamp window of this clock, which is
   * what bounds searches for an effect of ours in time.
   */
  serverNowSeconds(): number;
}
