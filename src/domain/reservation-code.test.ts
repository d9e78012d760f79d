import { describe, expect, it } from 'vitest';
import { isReservationCode } from './reservation-code.js';

describe('reservation codes', () => {
  it('are digits only, 16 to 40 of them (the published example has 28)', () => {
    expect(isReservationCode('0155567464130298871198969060')).toBe(true);
    expect(isReservationCode('1'.repeat(16))).toBe(true);
    expect(isReservationCode('1'.repeat(40))).toBe(true);
  });

  it('are not product barcodes, spaced digits, other digits or a line with its end', () => {
    for (const text of ['1'.repeat(15), '1'.repeat(41), '4006381333931', '0155 5674 6413 0298', '١'.repeat(20), `${'1'.repeat(20)}\n`, '']) {
      expect(isReservationCode(text), JSON.stringify(text)).toBe(false);
    }
  });
});
