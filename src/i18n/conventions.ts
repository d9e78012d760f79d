import { formatAmount } from '../domain/money.js';
import type { LanguageCode } from './language.js';

/**
 * How a language writes amounts and times. Amounts stay integers until here: the decimal string
 * of `formatAmount` ("1234.56") is what Intl formats, never a float.
 */
export interface Conventions {
  /** BCP 47 locale for Intl. */
  readonly locale: string;
  /** The amount alone: "12.99" (en), "12,99" (lt). */
  amount(minor: number, currency: string): string;
  /** The amount with its currency: "12.99 EUR" (en), "12,99 €" (lt). */
  money(minor: number, currency: string): string;
  /** The currency alone, beside an amount being typed: "EUR" (en), "€" (lt). */
  currency(currency: string): string;
  /** Date and time on paper: "2026-11-21 14:05". */
  dateTime(wallMs: number, timeZone?: string): string;
  /** Time of day, 24-hour: "14:05". */
  time(wallMs: number, timeZone?: string): string;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let found = dateTimeFormats.get(key);
  if (found === undefined) {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // An unknown zone name must not take the terminal down: fall back to the system's zone.
      found = new Intl.DateTimeFormat(locale, options);
    }
    dateTimeFormats.set(key, found);
  }
  return found;
}

type WallFields = Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;

/**
 * The fields in the process's own zone, from Date's local getters. They agree with an
 * Intl.DateTimeFormat without a timeZone (V8 takes both from ICU's default zone), but creating
 * the first Intl.DateTimeFormat or NumberFormat makes about 8 MB of ICU's locale data resident
 * for good (docs/performance.md); the getters cost half a megabyte. So the idle clock and the
 * receipts of a terminal without ui.timeZone never load it. Both locales of CONVENTIONS write
 * these fields as the same Latin digits.
 */
function localParts(wallMs: number): WallFields {
  const at = new Date(wallMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return { year: String(at.getFullYear()), month: two(at.getMonth() + 1), day: two(at.getDate()), hour: two(at.getHours()), minute: two(at.getMinutes()) };
}

function parts(locale: string, wallMs: number, timeZone: string | undefined): WallFields {
  if (timeZone === undefined) return localParts(wallMs);
  const all = dateTimeFormat(locale, timeZone).formatToParts(wallMs);
  const get = (type: Intl.DateTimeFormatPartTypes): string => all.find((p) => p.type === type)?.value ?? '';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** "2026-11-21 14:05" in the given zone (ISO 8601 order, 24-hour clock). */
export function formatWallTime(wallMs: number, timeZone?: string): string {
  const p = parts('en-GB', wallMs, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "14:05" in the given zone. */
export function formatClock(wallMs: number, timeZone?: string): string {
  const p = parts('en-GB', wallMs, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** Intl separates groups and the currency with no-break spaces; displays and printers want plain ones. */
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** English as the terminal has always written it: "12.99 EUR", ISO dates. */
const en: Conventions = {
  locale: 'en-GB',
  amount: (minor, currency) => formatAmount({ minor, currency }),
  money: (minor, currency) => `${formatAmount({ minor, currency })} ${currency}`,
  currency: (currency) => currency,
  dateTime: formatWallTime,
  time: formatClock,
};

/** Conventions taken from Intl for `locale`: "12,99 €", "1 234,56 €" in lt-LT. */
function intlConventions(locale: string): Conventions {
  const numbers = new Map<string, Intl.NumberFormat>();
  const numberFormat = (currency: string | undefined): Intl.NumberFormat => {
    const key = currency ?? '';
    let found = numbers.get(key);
    if (found === undefined) {
      found =
        currency === undefined
          ? new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
          : new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
      numbers.set(key, found);
    }
    return found;
  };
  const decimal = (minor: number, currency: string): `${number}` => formatAmount({ minor, currency }) as `${number}`;
  return {
    locale,
    amount: (minor, currency) => plainSpaces(numberFormat(undefined).format(decimal(minor, currency))),
    money: (minor, currency) => plainSpaces(numberFormat(currency).format(decimal(minor, currency))),
    currency: (currency) => numberFormat(currency).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency,
    dateTime: (wallMs, timeZone) => {
      const p = parts(locale, wallMs, timeZone);
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    },
    time: (wallMs, timeZone) => {
      const p = parts(locale, wallMs, timeZone);
      return `${p.hour}:${p.minute}`;
    },
  };
}

export const CONVENTIONS: Record<LanguageCode, Conventions> = {
  en,
  // Lithuanian writes dates year first (LST ISO 8601), so the printed form is the same.
  lt: intlConventions('lt-LT'),
};
