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
