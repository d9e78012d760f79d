import { GatewayError, type GatewayErrorInit } from '../http/gateway-error.js';

/**
 * The one error the POS client raises (codes are listed on PosApi). After an ambiguous write,
 * look the order up by number before re-sending. `apiError` / `description`: what the server
 * said (`error`, `message` or `error_description`), for logs.
 */
export class PosError extends GatewayError {
  readonly apiError: string | undefined;
  readonly description: string | undefined;

  constructor(init: GatewayErrorInit & { apiError?: string | undefined; description?: string | undefined }) {
    super(init);
    this.apiError = init.apiError;
    this.description = init.description;
  }
}

export function isPosError(error: unknown): error is PosError {
  return error instanceof PosError;
}
