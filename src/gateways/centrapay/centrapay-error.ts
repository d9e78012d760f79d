import { CodedError } from '../../platform/coded-error.js';

/**
 * The one error the Centrapay client raises; it satisfies the outbox runner's OpError. Callers
 * branch on `code` and the flags only (codes are listed on CentrapayApi).
 *
 * - `status`: the HTTP status, when a response arrived.
 * - `ambiguous`: the request may have taken effect and its outcome is unknown; read remote state
 *   (get, or find by externalRef) before sending the write again.
 * - `retryable`: trying again later may succeed.
 * - `retryAfterMs`: from a 429's Retry-After.
 * - `apiMessage` / `reason`: the error body's `message` and `reason` as sent, for logs and display.
 */
export class CentrapayError extends CodedError {
  readonly status: number | undefined;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly apiMessage: string | undefined;
  readonly reason: string | undefined;
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
    apiMessage?: string | undefined;
    reason?: string | undefined;
    cause?: unknown;
  }) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.ambiguous = init.ambiguous;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.apiMessage = init.apiMessage;
    this.reason = init.reason;
    this.method = init.method;
    this.path = init.path;
  }
}

export function isCentrapayError(error: unknown): error is CentrapayError {
  return error instanceof CentrapayError;
}
