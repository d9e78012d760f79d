/**
 * Amount entry as staff type it: cents shift in from the right (1 2 9 9 shows 12.99), `*`
 * deletes the last digit. Pure functions over the typed digits; the integer amount is computed
 * from the digits, never through a float.
 */

/** Enough for 999999.99: far above any sensible maximum, and it keeps the line short. */
export const MAX_AMOUNT_DIGITS = 8;

/** The default ceiling when the configuration gives none: 500.00. */
export const DEFAULT_MAX_AMOUNT_MINOR = 50_000;

/** `digits` with `digit` shifted in; leading zeros are dropped and the length is bounded. */
export function pushDigit(digits: string, digit: string): string {
  if (!/^\d$/.test(digit)) return digits;
  if (digits.length === 0 && digit === '0') return digits;
  if (digits.length >= MAX_AMOUNT_DIGITS) return digits;
  return digits + digit;
}

/** `digits` without its last digit. */
export function popDigit(digits: string): string {
  return digits.slice(0, -1);
}

/** The amount in minor units the digits stand for (0 for none). */
export function amountMinor(digits: string): number {
  return digits.length === 0 ? 0 : Number.parseInt(digits, 10);
}

export type AmountRefusal = 'zero' | 'over_max';

/** Why `minor` cannot be charged, or undefined when it can. */
export function checkAmount(minor: number, maxMinor: number): AmountRefusal | undefined {
  if (minor <= 0) return 'zero';
  if (minor > maxMinor) return 'over_max';
  return undefined;
}
