/** The CLDR plural categories Lithuanian uses for whole numbers ("many" is for fractions only). */
export type LithuanianPlural = 'one' | 'few' | 'other';

/**
 * CLDR's Lithuanian plural rule for a whole number n ≥ 0 (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html#lt):
 * one: n % 10 = 1 and n % 100 ≠ 11..19; few: n % 10 = 2..9 and n % 100 ≠ 11..19; other: the rest.
 * Written out rather than taken from Intl.PluralRules, whose first use makes about 2 MB of ICU
 * data resident for good (docs/performance.md); `lithuanian-plural.test.ts` checks it against Intl.
 */
export function lithuanianPlural(n: number): LithuanianPlural {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 19) return 'other';
  const last = n % 10;
  if (last === 1) return 'one';
  return last >= 2 ? 'few' : 'other';
}
