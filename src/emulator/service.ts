import type { Router } from './router.js';

/**
 * One emulated API mounted on the shared server (the Paysera Wallet API now; Centrapay and the
 * Paysera POS eapi later). A service owns its routes, its state and its /_sim/ endpoints; the
 * server owns sockets, faults and the request log.
 */
export interface EmulatorService {
  /** Stable name, used in the request log and as the key in GET /_sim/state. */
  readonly name: string;
  mount(router: Router): void;
  /** Forgets all state (POST /_sim/reset). */
  reset(): void;
  /** Everything the service holds, as JSON, for GET /_sim/state. */
  snapshot(): unknown;
}
