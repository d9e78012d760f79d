import { describeFaultMatrix } from '../support/fault-matrix.js';

/**
 * The fault matrix without 429: each payment write refused before send, failing with a 500
 * before it applies, and applied with its answer lost. The 429 column waits out a Retry-After of
 * a second per case, so it runs beside this one, in fault-matrix-rate-limit.test.ts.
 */
describeFaultMatrix({
  'refused before send': { kind: 'reset', count: 1 },
  '500 before apply': { kind: 'serverError', count: 1 },
  'apply-then-drop': { kind: 'applyThenDrop', count: 1 },
});
