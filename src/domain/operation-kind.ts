/**
 * Names of the outbox operations the payment flows use. The outbox runner is generic (it knows
 * kinds, policies and handlers, not HTTP); these names matter to the store because its partial
 * unique indexes name some of them (one live confirm per sale, one live close per spot, ...),
 * so changing a value here needs a migration.
 *
 * A kind removed from here may still be in a journal written by an older version (`delete_order`
 * was named but never enqueued): the runner has no handler for it and hands such a row to a
 * person (`no_handler`), never drops it.
 */
export const OP_KINDS = {
  /** POST /spot/:id/order with the transaction inside (table sale). */
  createOrder: 'create_order',
  /** POST /transaction (code sale). */
  createTransaction: 'create_transaction',
  /** PUT /transaction/:key/reserve {reservation_code}. */
  reserve: 'reserve',
  /** PUT /transaction/:key/confirm. */
  confirm: 'confirm',
  /** PUT /spot/:id/close. */
  closeSpot: 'close_spot',
  /** DELETE /transaction/:key. */
  revokeTransaction: 'revoke_transaction',
  /** Centrapay POST /api/payment-requests (externalRef = our sale id). */
  createPaymentRequest: 'create_payment_request',
  /** Centrapay POST /api/payment-requests/{id}/void; the request id travels in transaction_key. */
  voidPaymentRequest: 'void_payment_request',
  /** Paysera POS POST /eapi/v1/orders: a paid sale recorded in the back office. */
  posRecordOrder: 'pos_record_order',
  /**
   * Paysera POS: a refund recorded in the back office (an order of the refund's amount, numbered by
   * the refund id, cancelled); the refund id travels in transaction_key.
   */
  posRecordRefund: 'pos_record_refund',
  /** Paysera DELETE /payment/:id: a refund of a confirmed payment; the refund id travels in transaction_key. */
  cancelPayment: 'cancel_payment',
  /** Centrapay POST /api/payment-requests/{id}/refund (externalRef = the refund id, also in transaction_key). */
  refundPaymentRequest: 'refund_payment_request',
} as const;

export type KnownOpKind = (typeof OP_KINDS)[keyof typeof OP_KINDS];
