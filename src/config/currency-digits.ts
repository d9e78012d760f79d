/**
 * Which ISO 4217 currencies the terminal can take: money is integer cents everywhere (the keypad
 * shifts digits in as cents, every API amount is checked in them), so a currency whose amounts
 * have 0 or 3 decimals (JPY, KWD) cannot be.
 *
 * The decimals are CLDR's (the "digits" of supplemental currencyData, what Intl.NumberFormat
 * uses), written out here rather than asked of Intl at load: creating the first
 * Intl.NumberFormat makes about 8 MB of ICU's locale data resident in the process for good
 * (docs/performance.md). `currency-digits.test.ts` checks this table against the running Node's
 * Intl for every currency it knows, so a new ICU that moves a currency fails the suite.
 */
const NOT_TWO_DECIMALS: ReadonlySet<string> = new Set([
  // 0 decimals
  'AFN', 'ALL', 'BIF', 'CLP', 'COP', 'DJF', 'GNF', 'HUF', 'IDR', 'IQD', 'IRR', 'ISK', 'JPY', 'KMF', 'KPW', 'KRW', 'LAK',
  'LBP', 'MGA', 'MMK', 'PKR', 'PYG', 'RWF', 'SLL', 'SOS', 'SYP', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF', 'YER',
  // 3 decimals
  'BHD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND',
]);

/** Whether `code` is a currency Intl knows (ISO 4217, uppercase) whose amounts have two decimals. */
export function isTwoDecimalCurrency(code: string): boolean {
  // supportedValuesOf reads a list without loading any locale's number formats (~0.5 MB).
  return /^[A-Z]{3}$/.test(code) && !NOT_TWO_DECIMALS.has(code) && Intl.supportedValuesOf('currency').includes(code);
}
