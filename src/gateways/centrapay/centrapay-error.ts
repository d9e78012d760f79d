import { GatewayError, type GatewayErrorInit } from '../http/gateway-error.js';

/**
 * The one error the Centrapay client raises (codes are listed on CentrapayApi). After an
 * ambiguous write, read remote state (get, or find by externalRef) before sending it again.
 * `apiMessage` / `reason`: the error body's `message` and `reason` as sent, for logs and display.
 */
export class CentrapayError extends GatewayError {
  readonly apiMessage: string | undefined;
  readonly reason: string | undefined;

  constructor(init: GatewayErrorInit & { apiMessage?: string | undefined; reason?: string | undefined }) {
    super(init);
    this.apiMessage = init.apiMessage;
    this.reason = init.reason;
  }
}

export function isCentrapayError(error: unknown): error is CentrapayError {
  return error instanceof CentrapayError;
}
