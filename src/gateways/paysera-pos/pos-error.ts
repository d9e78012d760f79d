import { CodedError } from '../../platform/coded-error.js';

/**
 * The one error the POS client raises; it satisfies the outbox runner's OpError. Callers branch
 * on `code` and the flags only (codes are listed on PosApi).
 *
 * - `status`: the HTTP status, when a response arrived.
 * - `ambiguous`: a write may have taken effect; look the order up by number before re-sending.
 * - `retryable`: trying again later may succeed.
 * - `retryAfterMs`: from a 429's Retry-After (seconds or HTTP date).
 * - `apiError` / `description`: what the server said (`error`, `message` or `error_description`), for logs.
 */
export class PosError extends CodedError {
  readonly status: number | undefined;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly apiError: string | undefined;
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
    apiError?: string | undefined;
    description?: string | undefined;
    cause?: unknown;
  }) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.ambiguous = init.ambiguous;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.apiError = init.apiError;
    this.description = init.description;
    this.method = init.method;
    this.path = init.path;
  }
}

export function isPosError(error: unknown): error is PosError {
  return error instanceof PosError;
}
