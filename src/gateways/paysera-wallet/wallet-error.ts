import { GatewayError, type GatewayErrorInit } from '../http/gateway-error.js';

/**
 * The one error the Paysera Wallet client raises. Callers branch on `code` and the flags only.
 *
 * `code` is the API's `error` where it sent one (`invalid_state`, `not_enough_funds`,
 * `invalid_timestamp`, ...), else one of ours: `connect_failed` (nothing was sent),
 * `request_timeout`, `connection_reset`, `invalid_response`, `http_error`. The flags are
 * GatewayError's: never resend an `ambiguous` write blindly, read the remote state first.
 * `description`: the API's `error_description`, for logs.
 */
export class WalletError extends GatewayError {
  readonly description: string | undefined;

  constructor(init: GatewayErrorInit & { description?: string | undefined }) {
    super(init);
    this.description = init.description;
  }
}

export function isWalletError(error: unknown): error is WalletError {
  return error instanceof WalletError;
}
