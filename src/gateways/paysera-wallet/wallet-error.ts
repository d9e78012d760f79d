import { GatewayError, type GatewayErrorInit } from '../http/gateway-error.js';

/**
 * The one error the Paysera Wallet client raises. Callers branch on `code` and the flags only.
 *
 * `code` is the API's `error` where it sent one (`invalid_state`, `not_enough_funds`,
 * `invalid_timestamp`, ...), else one of ours: `connect_failed` (nothing was sent),
 * `request_timeout`, `connection_reset`, `invalid_response`, `http_error`. The flags are
 * GatewayError's: never resend an `ambiguous` write blindly, read the remote state first.
 * `description`: the API's `error_description`, for logs. `fields`: the request fields the answer
 * names as violated (`errors[].field` and the keys of `error_properties`, as Paysera's REST
 * framework reports them); data, not text, so callers may branch on it.
 */
export class WalletError extends GatewayError {
  readonly description: string | undefined;
  readonly fields: readonly string[];

  constructor(init: GatewayErrorInit & { description?: string | undefined; fields?: readonly string[] | undefined }) {
    super(init);
    this.description = init.description;
    this.fields = init.fields ?? [];
  }
}

export function isWalletError(error: unknown): error is WalletError {
  return error instanceof WalletError;
}
