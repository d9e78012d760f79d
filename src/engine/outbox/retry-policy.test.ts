import { describe, expect, it } from 'vitest';
import { PAYSERA_RETRY_POLICIES } from '../paysera-wallet/paysera-ops.js';
import { validateRetryPolicy } from './retry-policy.js';

describe('retry policies', () => {
  it('the Paysera defaults are valid and all reconcile', () => {
    for (const [kind, policy] of Object.entries(PAYSERA_RETRY_POLICIES)) {
      expect(() => validateRetryPolicy(kind, policy)).not.toThrow();
      expect(policy.onAmbiguous).toBe('reconcile');
    }
  });

  it('rejects nonsense with a typed error', () => {
    expect(() => validateRetryPolicy('k', { onAmbiguous: 'reconcile', baseMs: 0, capMs: 1, maxAgeMs: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid_retry_policy' }),
    );
    expect(() => validateRetryPolicy('k', { onAmbiguous: 'reconcile', baseMs: 10, capMs: 5, maxAgeMs: 1 })).toThrow(/capMs/);
  });
});
