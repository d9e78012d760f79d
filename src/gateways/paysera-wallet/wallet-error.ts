import { CodedError } from '../../platform/coded-error.js';

/**
 * The one error the Paysera Wallet client raises. Callers branch on `code` and the flags only.
 *
 * - `code`: the API's `error` where it sent one (`invalid_state`, `not_enough_funds`,
 *   `invalid_timestamp`, ...), else one of ours: `connect_failed` (nothing was sent),
 *   `request_timeout`, `connection_reset`, `invalid_response`, `http_error`.
 * - `status`: the HTTP status, when a response arrived.
 * - `ambiguous`: the request may have taken effect and its outcome is unknown (timeout or reset
 *   after the request was sent, a 5xx or an unreadable 200 on a write). Never resend such a write
 *   blindly: read the remote state first.
 * - `retryable`: trying again later may succeed (network, 5xx, 429, clock). Auth failures and
 *   business errors are not retryable: repeating them only burns the rate limit.
 * - `retryAfterMs`: from a 429's Retry-After header.
 */
export class WalletError extends CodedError {
  readonly status: number | undefined;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly description: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: {
    code: string;
    message: string;
    method: string;
    path: string;
    status?: number | undefined;
    ambiguous: boolean;
    retryable: boolean;
    retryAfterMs?: number | undefined;
    description?: string | undefined;
    cause?: unknown;
  }) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.ambiguous = init.ambiguous;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.description = init.description;
    this.method = init.method;
    this.path = init.path;
  }
}

export function isWalletError(error: unknown): error is WalletError {
  return error instanceof WalletError;
}
