import { CodedError } from '../../platform/coded-error.js';
import { isWrite, type TransportFailure } from './transport.js';

/** What every gateway error carries; each gateway adds the fields of its own error body. */
export interface GatewayErrorInit {
  code: string;
  message: string;
  method: string;
  path: string;
  status?: number | undefined;
  ambiguous: boolean;
  retryable: boolean;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/**
 * The base of the errors the HTTP gateways raise (Paysera Wallet, Centrapay, Paysera POS); it
 * satisfies the outbox runner's OpError. Callers branch on `code` and the flags only.
 *
 * - `status`: the HTTP status, when a response arrived.
 * - `ambiguous`: the request may have taken effect and its outcome is unknown (timeout or reset
 *   after sending, a 5xx or an unreadable 2xx on a write): read remote state before resending.
 * - `retryable`: trying again later may succeed (network, 5xx, 429, clock). Auth failures and
 *   business errors are not retryable: repeating them only burns the rate limit.
 * - `retryAfterMs`: from a 429's Retry-After.
 */
export class GatewayError extends CodedError {
  readonly status: number | undefined;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: GatewayErrorInit) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.ambiguous = init.ambiguous;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.path = init.path;
  }
}

/** A failure with no HTTP response (refused before sending, or lost after), as error fields. */
export function transportFailureInit(failure: TransportFailure, method: string, path: string, cause: unknown): GatewayErrorInit {
  return { code: failure.code, message: failure.message, method, path, ambiguous: failure.ambiguous, retryable: failure.retryable, cause };
}

/**
 * A response we could not understand, as error fields. On a 2xx write the effect happened but
 * cannot be seen: ambiguous, so the caller reads remote state before anything is resent.
 */
export function invalidResponseInit(method: string, path: string, status: number, problem: string, cause?: unknown): GatewayErrorInit {
  return {
    code: 'invalid_response',
    message: `${method} ${path}: HTTP ${status} with an invalid response: ${problem}`,
    method,
    path,
    status,
    ambiguous: status >= 200 && status < 300 && isWrite(method),
    retryable: true,
    cause,
  };
}

/** What a gateway's own reading of an error body adds to the status: the wallet's API codes. */
export interface StatusFlagHints {
  /** The body says "rate limited" whatever the status (the wallet's `rate_limit_exceeded`). */
  rateLimited?: boolean;
  /** The body names a cause that clears by itself (the wallet's `invalid_timestamp`: the clock is re-read). */
  retryable?: boolean;
}

/**
 * The flags of a non-2xx answer, the same for every gateway: a 5xx on a write may have been
 * applied before the server failed (ambiguous); a 5xx or a rate limit may pass (retryable), and
 * only a rate limit carries the wait its Retry-After asked for.
 */
export function httpStatusFlags(
  status: number,
  method: string,
  retryAfterMs: number | undefined,
  hints: StatusFlagHints = {},
): Pick<GatewayErrorInit, 'ambiguous' | 'retryable' | 'retryAfterMs'> {
  const serverSide = status >= 500;
  const rateLimited = status === 429 || hints.rateLimited === true;
  return {
    ambiguous: serverSide && isWrite(method),
    retryable: serverSide || rateLimited || hints.retryable === true,
    retryAfterMs: rateLimited ? retryAfterMs : undefined,
  };
}

/** A call refused before sending, as error fields: final, nothing happened remotely. */
export function invalidArgumentInit(method: string, path: string, problem: string): GatewayErrorInit {
  return { code: 'invalid_argument', message: `${method} ${path}: ${problem}`, method, path, ambiguous: false, retryable: false };
}
