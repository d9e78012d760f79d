import { describe, expect, it } from 'vitest';
import { formatSpotCode, parseSpotCode, readSpotCode, sameIdentifier, SpotCodeError } from './spot-code.js';

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

  it('takes any location id a configuration can hold, written as an integer is', () => {
    const largest = Number.MAX_SAFE_INTEGER;
    expect(parseSpotCode(`PAYSERA*${largest}:T1`)).toEqual({ locationId: largest, identifier: 'T1' });
    expect(parseSpotCode('PAYSERA*1234567890123:T1').locationId).toBe(1234567890123);
    for (const junk of [`PAYSERA*${largest + 1}:T1`, 'PAYSERA*99999999999999999:T1', 'PAYSERA*03:T1', 'PAYSERA*+3:T1', 'PAYSERA*-3:T1', 'PAYSERA*3.0:T1', 'PAYSERA* 3:T1']) {
      expect(() => parseSpotCode(junk), junk).toThrow(SpotCodeError);
    }
  });

  it('reads the documented prefix only, and no identifier with a space at its start', () => {
    for (const junk of ['paysera*3:T1', 'PAYSERA*3: T1', 'PAYSERA%3:T1', 'https://example.com/app?qr=PAYSERA*3%3AT1']) {
      expect(readSpotCode(junk), junk).toBeUndefined();
    }
    expect(readSpotCode('https://www.paysera.com/app?qr=PAYSERA*3%3AT1')).toEqual({ locationId: 3, identifier: 'T1' });
    expect(readSpotCode(`PAYSERA*3:${'x'.repeat(64)}`)?.identifier).toHaveLength(64);
  });

  it('formats only what it reads back', () => {
    for (const spot of [{ locationId: 3, identifier: 'TABLE 1' }, { locationId: Number.MAX_SAFE_INTEGER, identifier: 'x'.repeat(64) }, { locationId: 1, identifier: 'A:B' }]) {
      expect(parseSpotCode(formatSpotCode(spot))).toEqual(spot);
    }
    for (const spot of [{ locationId: 0, identifier: 'T' }, { locationId: 1.5, identifier: 'T' }, { locationId: 2 ** 53, identifier: 'T' }, { locationId: 3, identifier: '' }, { locationId: 3, identifier: ' T' }, { locationId: 3, identifier: 'a\nb' }]) {
      expect(() => formatSpotCode(spot), JSON.stringify(spot)).toThrow(expect.objectContaining({ code: 'invalid_spot_code' }));
    }
  });

  it('compares identifiers case-insensitively', () => {
    expect(sameIdentifier('TABLE1', 'table1')).toBe(true);
    expect(sameIdentifier('TABLE1', 'TABLE2')).toBe(false);
  });
});
