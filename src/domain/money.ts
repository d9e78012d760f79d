import { CodedError } from '../platform/coded-error.js';

/**
 * Money is an integer number of minor units (cents) with its currency. No floats anywhere near
 * money: amounts are typed as digits, stored as integers, sent as integers (`price`) and shown by
 * formatting the integer.
 */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

export class MoneyError extends CodedError {}

/** Minor units per major unit; every currency the terminal accepts has two decimals. */
const SCALE = 100;

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new MoneyError('invalid_amount', `amount must be a non-negative whole number of minor units, got ${minor}`);
  if (!/^[A-Z]{3}$/.test(currency)) throw new MoneyError('invalid_currency', `currency must be an ISO 4217 code, got "${currency}"`);
  return { minor, currency };
}

/** "12.99" for 1299. */
export function formatAmount(m: Money): string {
  const whole = Math.floor(m.minor / SCALE);
  const cents = (m.minor % SCALE).toString().padStart(2, '0');
  return `${whole}.${cents}`;
}

/** "12.99 EUR". */
export function formatMoney(m: Money): string {
  return `${formatAmount(m)} ${m.currency}`;
}

/** Parses a decimal string ("12.99", "12.9", "12") exactly, without floating point. */
export function parseDecimal(text: string, currency: string): Money {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new MoneyError('invalid_amount', `not an amount: "${text}"`);
  const cents = (match[2] ?? '').padEnd(2, '0');
  return money(Number(match[1]) * SCALE + Number(cents), currency);
}
