/**
 * Centrapay payment requests as counterpay uses them (docs/apis.md#centrapay-payment-requests). Amounts stay strings
 * of integer minor units, exactly as the API sends them; nothing here is ever a float.
 */

export const PAYMENT_REQUEST_STATUSES = ['new', 'paid', 'cancelled', 'expired'] as const;
/**
 * `new` is the only non-final status; `paid` may still be voided (refunded) afterwards.
 * `unknown` stands for any other value the server sends (one version of the documents also lists
 * `refunded`): never read as paid nor as final; the value itself is in `reportedStatus`.
 */
export type PaymentRequestStatus = (typeof PAYMENT_REQUEST_STATUSES)[number] | 'unknown';

export interface Monetary {
  /** Integer minor units as a decimal string, e.g. "1299". */
  readonly amount: string;
  readonly currency: string;
}

export interface PaymentRequest {
  readonly id: string;
  /** Human- and OCR-friendly code, printed under the QR and on the receipt. */
  readonly shortCode: string;
  /** The QR payload, to be rendered exactly as returned. */
  readonly url: string;
  readonly status: PaymentRequestStatus;
  /** The server's own word when `status` is `unknown` (for the log and a person); else absent. */
  readonly reportedStatus?: string | undefined;
  readonly value: Monetary;
  /** ISO-8601 timestamps as the server sent them; `expiresAt` is the server's, not ours. */
  readonly createdAt: string;
  readonly updatedAt: string | undefined;
  readonly expiresAt: string;
  readonly expirySeconds: number | undefined;
  readonly configId: string | undefined;
  readonly merchantId: string | undefined;
  readonly merchantName: string | undefined;
  readonly liveness: string | undefined;
  readonly externalRef: string | undefined;
  readonly terminalId: string | undefined;
  readonly deviceId: string | undefined;
  /** Why a `cancelled` request was cancelled (`CANCELLED_BY_MERCHANT`, `PAYMENT_DECLINED`, ...): display only. */
  readonly cancellationReason: string | undefined;
  /** What the customer paid with, for the receipt (checklist 101.2). */
  readonly paidBy: { readonly assetTotals: readonly { readonly type: string | undefined; readonly description: string | undefined; readonly total: Monetary | undefined }[] } | undefined;
}

/**
 * A payment request as the external-ref lookup lists it: the documented example has no
 * `shortCode`, and the model's page marks no field as always present, so a list item may also
 * lack `url` and `expiresAt`. Such an item is read in full by id before it is used.
 */
export type PaymentRequestListItem = Omit<PaymentRequest, 'shortCode' | 'url' | 'expiresAt'> & {
  readonly shortCode: string | undefined;
  readonly url: string | undefined;
  readonly expiresAt: string | undefined;
};

/** What a void answers: `cancellation` for an unpaid request, `refund` for a paid one. */
export interface PaymentActivity {
  readonly type: string;
  readonly paymentRequestId: string | undefined;
  readonly value: Monetary | undefined;
  readonly createdAt: string | undefined;
}

export interface CreatePaymentRequestInput {
  /** Our sale id; sent as `externalRef` and the only key to find the request again. */
  readonly externalRef: string;
  /** Positive integer minor units (a safe integer below 100000000, the API's limit). */
  readonly amountMinor: number;
  /** ISO 4217, e.g. "EUR". */
  readonly currency: string;
  /** Overrides the configured expiry for this request. */
  readonly expirySeconds?: number;
  readonly operatorId?: string;
}
