import { StoreError } from '../../store/store-error.js';
import type { Outbox } from '../../store/outbox.js';

/** Transport failure codes of the gateways: nothing (or an unknown amount) got through. */
const NETWORK_FAILURES = new Set(['connect_failed', 'request_timeout', 'connection_reset']);

/**
 * The provider answers again: operations that failed for want of a connection would otherwise
 * wait out their backoff (up to a minute); make them due now. Only network failures qualify: a
 * 429 or a 5xx keeps its backoff (the server asked for it), and an `unknown` op still reconciles
 * first. Returns how many were made due.
 */
export function resumeAfterOutage(outbox: Outbox): number {
  let resumed = 0;
  for (const op of outbox.list({ states: ['pending', 'unknown'] })) {
    if (!NETWORK_FAILURES.has(op.lastErrorCode ?? '')) continue;
    try {
      outbox.dueNow(op.id);
      resumed += 1;
    } catch (error) {
      // Claimed meanwhile: it is running already.
      if (!(error instanceof StoreError && error.code === 'state_conflict')) throw error;
    }
  }
  return resumed;
}
