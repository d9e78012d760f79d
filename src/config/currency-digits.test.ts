import { describe, expect, it } from 'vitest';
import { isTwoDecimalCurrency } from './currency-digits.js';

describe('isTwoDecimalCurrency', () => {
  it('agrees with Intl.NumberFormat for every currency this Node knows', () => {
    const codes = Intl.supportedValuesOf('currency');
    expect(codes.length).toBeGreaterThan(100);
    const disagreeing = codes.filter(
      (code) => isTwoDecimalCurrency(code) !== (new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits === 2),
    );
    expect(disagreeing).toEqual([]);
  });

  it('refuses what is not an uppercase ISO 4217 code', () => {
    for (const code of ['eur', 'EURO', 'XYZ', '', 'E1R']) expect(isTwoDecimalCurrency(code), code).toBe(false);
    for (const code of ['EUR', 'NZD', 'USD', 'GBP']) expect(isTwoDecimalCurrency(code), code).toBe(true);
  });
});
