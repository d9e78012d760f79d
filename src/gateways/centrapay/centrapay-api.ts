import type { CreatePaymentRequestInput, PaymentActivity, PaymentRequest } from './centrapay-types.js';

/**
 * Centrapay payment requests (docs/apis.md#centrapay-payment-requests), as the terminal uses them. `configId`,
 * `terminalId`, `deviceId`, the default `expirySeconds` and `merchantAccountId` come from the
 * configuration, not from each call.
 *
 * Contract, for every method:
 * - Resolves only on a 2xx whose body decodes to the documented shape (missing
 *   `id`/`url`/`shortCode`/`expiresAt`, a non-digit amount: `invalid_response`). A status outside
 *   new/paid/cancelled/expired resolves as `unknown`, the server's value in `reportedStatus`.
 * - Otherwise rejects with a CentrapayError. `code` is stable and lower-case:
 *   the API's `message` code where it sent one (`request_expired`, `already_refunded`,
 *   `request_paid`, `request_cancelled`, `void_window_exceeded`, `no_available_payment_options`,
 *   `rate_limit_exceeded`, ...), else from the status (`bad_request` 400, `unauthorized` 401,
 *   `forbidden` 403, `not_found` 404, `rate_limit_exceeded` 429, `server_error` 5xx, `http_error`),
 *   or a transport code (`connect_failed`, `request_timeout`, `connection_reset`), or
 *   `invalid_response`, or `invalid_argument` (refused before sending: amount not 1..99999999
 *   minor units, currency not ISO 4217, externalRef not 1..128 characters). 401 and 5xx always
 *   keep their status code whatever the body says. `reason` is display text only; never branch on it.
 * - `ambiguous`: a write (create, void) may have taken effect (sent and no answer, a 5xx, an
 *   unreadable 2xx). Create has no idempotency key: after an ambiguous create, find the request
 *   with findByExternalRef(saleId) and adopt exactly one (void any extra); never re-POST blindly.
 * - `retryable`: network, 5xx, 429 (with `retryAfterMs` from Retry-After seconds, clamped to
 *   1..120 s). 400/401/403/404 are final.
 * - The client never retries and never polls on its own; one call is one request.
 */
export interface CentrapayApi {
  /** POST /api/payment-requests with configId, value, expirySeconds, externalRef, terminalId, deviceId. */
  createPaymentRequest(input: CreatePaymentRequestInput): Promise<PaymentRequest>;
  /** GET /api/payment-requests/{id}: the poll. */
  getPaymentRequest(id: string): Promise<PaymentRequest>;
  /**
   * GET /api/payment-requests/external-ref/{ref}?merchantAccountId=..., every page: the cursor is
   * read as `nextPageKey` or `pageKey` (the documents use both) and sent back as `pageKey`. Items
   * without `shortCode`, `url` or `expiresAt` (as the documented example) are read in full by id. An empty
   * list means the create never took effect.
   */
  findByExternalRef(externalRef: string): Promise<PaymentRequest[]>;
  /**
   * POST /api/payment-requests/{id}/void: cancels an unpaid request (activity `cancellation`),
   * refunds a paid one (activity `refund`). A void that finds nothing to do fails with
   * `request_expired`, `already_refunded` or `request_cancelled` (403): re-read the request.
   */
  voidPaymentRequest(id: string): Promise<PaymentActivity>;
  /**
   * POST /api/payment-requests/{id}/refund with `value` and `externalRef` (docs/apis.md#centrapay-refunds):
   * a full or partial refund of a paid request, answered with a Payment Activity `refund`. The
   * externalRef is the exactly-once key: a repeat with the same externalRef and amount is answered
   * 200 without refunding again, so a lost answer is settled by sending the same refund once more.
   * Refusals (403): `refund_window_exceeded`, `already_refunded`, `not_paid`, `repeat_reference`
   * (same externalRef, another amount), `invalid_amount`, `partial_refunds_not_allowed`, `refund_declined`.
   */
  refundPaymentRequest(id: string, refund: { amountMinor: number; currency: string; externalRef: string }): Promise<PaymentActivity>;
}
