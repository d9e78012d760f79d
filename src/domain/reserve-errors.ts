/**
 * What a failed reserve-by-code means for the sale. Classification happens here, once, on the
 * stable error code the gateway extracted from the response body (never on its text).
 *
 * Invariant: a `declined` answer is final for the sale and its code; the engine never sends the
 * same reservation code again (codes are single-use, and invalid requests count against the rate
 * limit: docs/apis.md#paysera-wallet-reservation-codes, #paysera-wallet-errors).
 */

/** Reserve-time business errors (docs/apis.md#paysera-wallet-errors): the payment is declined. */
export const RESERVE_DECLINE_CODES = [
  'not_enough_funds',
  'limits_exceeded',
  'restriction_limits_exceeded',
  'no_rights',
  'payment_to_same_account',
  'restriction_violation',
  'client_not_verified',
  'beneficiary_account_inactive',
  'payer_account_inactive',
  'client_restricted',
] as const;

/**
 * An unknown, used or expired code: the exact error is undocumented
 * (docs/apis.md#paysera-wallet-reservation-codes), these are
 * the likely ones. They decline the sale too: the code cannot be used, and retrying it is pointless.
 */
export const RESERVE_BAD_CODE_CODES = ['invalid_code', 'invalid_parameters', 'not_found'] as const;

export type ReserveDeclineCode = (typeof RESERVE_DECLINE_CODES)[number];

/**
 * The two spellings of the reserve-by-code body field in Paysera's documents (`reservation_code`
 * in the signed example and the SDKs, `code` on newer pages). An `invalid_parameters` answer that
 * names either is about the field, not about the customer's code: the terminal is configured
 * with the spelling this server does not take (config `paysera.reservationCodeField`).
 */
export const RESERVATION_CODE_FIELDS = ['reservation_code', 'code'] as const;

/** The reason a sale records when the reserve field is wrong: a setup problem, not a decline. */
export const RESERVATION_CODE_FIELD_PROBLEM = 'config:reservation_code_field';

export type ReserveErrorClass =
  /** Final: show "Code declined", record the reason, never resend this code. */
  | { readonly kind: 'declined'; readonly reason: string }
  /**
   * Final for this sale, but not the customer's doing: the request was refused for the field it
   * used. The sale is cancelled with RESERVATION_CODE_FIELD_PROBLEM; the code was never read.
   */
  | { readonly kind: 'misconfigured'; readonly reason: string }
  /**
   * The request was not processed (429 rate_limit_exceeded). Paysera lists it among reserve errors,
   * but it is the API-wide rate-limit code: the reserve did not happen, so waiting and sending
   * the same code once more is not a retry of a decline.
   */
  | { readonly kind: 'retry_later' }
  /**
   * 409 invalid_state: the transaction is no longer new/waiting, which is what an earlier,
   * ambiguous reserve that did apply looks like. Read the transaction before deciding.
   */
  | { readonly kind: 'reconcile' }
  /** Anything else (auth, clock, server): not a statement about the customer's payment. */
  | { readonly kind: 'unexpected' };

export function isReserveDeclineCode(code: string): code is ReserveDeclineCode {
  return (RESERVE_DECLINE_CODES as readonly string[]).includes(code);
}

/** `fields`: the request fields the answer names as violated (WalletError.fields). */
export function classifyReserveError(code: string, fields: readonly string[] = []): ReserveErrorClass {
  if (code === 'invalid_parameters' && fields.some((f) => (RESERVATION_CODE_FIELDS as readonly string[]).includes(f))) {
    return { kind: 'misconfigured', reason: RESERVATION_CODE_FIELD_PROBLEM };
  }
  if (isReserveDeclineCode(code)) return { kind: 'declined', reason: code };
  if ((RESERVE_BAD_CODE_CODES as readonly string[]).includes(code)) return { kind: 'declined', reason: code };
  if (code === 'rate_limit_exceeded') return { kind: 'retry_later' };
  if (code === 'invalid_state') return { kind: 'reconcile' };
  return { kind: 'unexpected' };
}
