import { describeFaultMatrix } from '../support/fault-matrix.js';

/** The fault matrix's 429 column: every payment write refused once with Retry-After: 1. */
describeFaultMatrix({
  '429': { kind: 'rateLimit', count: 1, retryAfterS: 1 },
});
