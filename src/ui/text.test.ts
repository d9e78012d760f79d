import { describe, expect, it } from 'vitest';
import { center, fit, pick, twoColumn } from './text.js';
import { amountMinor, checkAmount, popDigit, pushDigit } from './amount-digits.js';

describe('text', () => {
  it('pick takes the first variant that fits, else cuts the last', () => {
    expect(pick(['Code declined: funds', 'Declined: funds'], 20)).toBe('Code declined: funds');
    expect(pick(['Code declined: funds', 'Declined: funds'], 16)).toBe('Declined: funds');
    expect(pick(['Code declined: funds', 'Declined: funds'], 8)).toBe('Declined');
    expect(fit('abc', 2)).toBe('ab');
  });

  it('twoColumn puts the right text at the end, dropping it when it does not fit', () => {
    expect(twoColumn('Amount', '12.99', 16)).toBe('Amount     12.99');
    expect(twoColumn(['Table 12', 'T12'], '1234567.99', 16)).toBe('T12   1234567.99');
    expect(twoColumn('A long left text here', 'x', 16)).toBe('A long left text');
  });

  it('center', () => {
    expect(center('PAID', 16)).toBe('      PAID');
    expect(center('x'.repeat(20), 16)).toBe('x'.repeat(16));
  });
});

describe('amount entry', () => {
  it('digits shift in from the right', () => {
    let digits = '';
    for (const d of '1299') digits = pushDigit(digits, d);
    expect(amountMinor(digits)).toBe(1299);
    expect(amountMinor(popDigit(digits))).toBe(129);
    expect(amountMinor('')).toBe(0);
  });

  it('ignores leading zeros, non-digits and digits past the limit', () => {
    expect(pushDigit('', '0')).toBe('');
    expect(pushDigit('1', '0')).toBe('10');
    expect(pushDigit('1', '#')).toBe('1');
    expect(pushDigit('12345678', '9')).toBe('12345678');
  });

  it('refuses zero and over the maximum, accepts the maximum itself', () => {
    expect(checkAmount(0, 50_000)).toBe('zero');
    expect(checkAmount(50_001, 50_000)).toBe('over_max');
    expect(checkAmount(50_000, 50_000)).toBeUndefined();
    expect(checkAmount(1, 50_000)).toBeUndefined();
  });
});
