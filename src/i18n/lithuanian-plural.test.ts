import { describe, expect, it } from 'vitest';
import { lithuanianPlural } from './lithuanian-plural.js';

describe('lithuanianPlural', () => {
  it('agrees with Intl.PluralRules("lt-LT") for every whole number up to 100 000', () => {
    const intl = new Intl.PluralRules('lt-LT');
    const disagreeing: number[] = [];
    for (let n = 0; n <= 100_000; n++) if (lithuanianPlural(n) !== intl.select(n)) disagreeing.push(n);
    expect(disagreeing).toEqual([]);
  });
});
