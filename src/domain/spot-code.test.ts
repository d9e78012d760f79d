import { describe, expect, it } from 'vitest';
import { formatSpotCode, parseSpotCode, sameIdentifier, SpotCodeError } from './spot-code.js';
import { classifyReserveError, RESERVE_DECLINE_CODES } from './reserve-errors.js';

describe('spot codes', () => {
  it('parses and formats PAYSERA*{locationId}:{identifier}', () => {
    expect(parseSpotCode('PAYSERA*3:TABLE1')).toEqual({ locationId: 3, identifier: 'TABLE1' });
    expect(parseSpotCode('PAYSERA*3:TABLE 1\r\n')).toEqual({ locationId: 3, identifier: 'TABLE 1' });
    expect(formatSpotCode({ locationId: 3, identifier: 'TABLE1' })).toBe('PAYSERA*3:TABLE1');
    expect(parseSpotCode('https://paysera.com/app?qr=PAYSERA*12%3AA%3AB')).toEqual({ locationId: 12, identifier: 'A:B' });
  });

  it('rejects junk with a typed error', () => {
    for (const junk of ['', 'PAYSERA*', 'PAYSERA*3', 'PAYSERA*x:T', 'PAYSERA*0:T', 'PAYSERA*3:', 'EVP000000000001', `PAYSERA*3:${'x'.repeat(65)}`, 'PAYSERA*3:a\u0000b']) {
      expect(() => parseSpotCode(junk), junk).toThrow(SpotCodeError);
    }
  });

  it('compares identifiers case-insensitively', () => {
    expect(sameIdentifier('TABLE1', 'table1')).toBe(true);
    expect(sameIdentifier('TABLE1', 'TABLE2')).toBe(false);
  });
});

describe('reserve error classification', () => {
  it('every §5 reserve error declines, with its code as the reason', () => {
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
