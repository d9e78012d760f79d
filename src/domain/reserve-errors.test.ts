import { describe, expect, it } from 'vitest';
import { classifyReserveError, RESERVE_DECLINE_CODES } from './reserve-errors.js';

describe('reserve error classification', () => {
  it('every documented reserve-time error declines, with its code as the reason', () => {
    expect(RESERVE_DECLINE_CODES).toHaveLength(10);
    for (const code of RESERVE_DECLINE_CODES) expect(classifyReserveError(code)).toEqual({ kind: 'declined', reason: code });
  });

  it('a bad code declines; rate limit waits; invalid_state reconciles; the rest is unexpected', () => {
    expect(classifyReserveError('invalid_code')).toEqual({ kind: 'declined', reason: 'invalid_code' });
    expect(classifyReserveError('rate_limit_exceeded')).toEqual({ kind: 'retry_later' });
    expect(classifyReserveError('invalid_state')).toEqual({ kind: 'reconcile' });
    // invalid_parameters naming the reserve field (either spelling) is the terminal's setup, not a bad code.
    expect(classifyReserveError('invalid_parameters', ['reservation_code'])).toEqual({ kind: 'misconfigured', reason: 'config:reservation_code_field' });
    expect(classifyReserveError('invalid_parameters', ['code'])).toEqual({ kind: 'misconfigured', reason: 'config:reservation_code_field' });
    expect(classifyReserveError('invalid_parameters', ['amount'])).toEqual({ kind: 'declined', reason: 'invalid_parameters' });
    expect(classifyReserveError('invalid_parameters')).toEqual({ kind: 'declined', reason: 'invalid_parameters' });
    expect(classifyReserveError('unauthorized')).toEqual({ kind: 'unexpected' });
    expect(classifyReserveError('internal_server_error')).toEqual({ kind: 'unexpected' });
  });
});
