import type { EmulatorResponse } from './exchange.js';
import type { HttpError } from './http-error.js';
import type { Router } from './router.js';

/**
 * One emulated API mounted on the shared server (Paysera Wallet under /rest/v1/, Centrapay under
 * /api/, the Paysera POS eapi under /eapi/v1/). A service owns its routes, its state, its /_sim/
 * endpoints and the shape of its error bodies; the server owns sockets, faults and the request log.
 */
export interface EmulatorService {
  /** Stable name, used in the request log and as the key in GET /_sim/state. */
  readonly name: string;
  mount(router: Router): void;
  /** Forgets all state (POST /_sim/reset). */
  reset(): void;
  /** Everything the service holds, as JSON, for GET /_sim/state. */
  snapshot(): unknown;
  /**
   * The service's error body for an HttpError, also used for injected faults (500, 429) and
   * unknown paths under its prefix. Absent: the Paysera `{error, error_description}` shape.
   */
  errorResponse?(error: HttpError): EmulatorResponse;
}
