import { badParameters } from '../http-error.js';
import { isPlainObject } from '../exchange.js';

export interface PaymentDraft {
  price: number;
  currency: string;
  description: string;
  parameters?: unknown;
}

export interface TransactionDraft {
  payments: PaymentDraft[];
  reserve: { for: number } | { until: number };
  autoConfirm: boolean;
  useAllowance: boolean;
  suggestAllowance: boolean;
  redirectUri?: string;
  callbackUri?: string;
}

/** Seed 002 shows this default reservation window (30 days). */
const DEFAULT_RESERVE_FOR_S = 2_592_000;

/**
 * Validates a create-transaction body (docs/apis.md#paysera-wallet-transactions) without touching state, so a bad body is
 * rejected before anything is created. Each payment has a description and either `price` (integer
 * minor units) or `price_decimal` (never both), plus `currency`.
 */
export function parseTransactionBody(value: unknown): TransactionDraft {
  if (!isPlainObject(value)) throw badParameters('Transaction must be an object');
  const payments = value.payments;
  if (!Array.isArray(payments) || payments.length === 0) throw badParameters('payments must be a non-empty array');
  const draft: TransactionDraft = {
    payments: payments.map((p, i) => parsePayment(p, i)),
    reserve: parseReserve(value.reserve),
    autoConfirm: optionalBoolean(value.auto_confirm, 'auto_confirm', false),
    useAllowance: optionalBoolean(value.use_allowance, 'use_allowance', true),
    suggestAllowance: optionalBoolean(value.suggest_allowance, 'suggest_allowance', false),
  };
  if (value.redirect_uri !== undefined) {
    if (typeof value.redirect_uri !== 'string') throw badParameters('redirect_uri must be a string');
    draft.redirectUri = value.redirect_uri;
  }
  if (value.callback_uri !== undefined && value.callback_uri !== false) {
    if (typeof value.callback_uri !== 'string') throw badParameters('callback_uri must be a string or false');
    draft.callbackUri = value.callback_uri;
  }
  return draft;
}

function parsePayment(value: unknown, index: number): PaymentDraft {
  const at = `payments[${index}]`;
  if (!isPlainObject(value)) throw badParameters(`${at} must be an object`);
  if (typeof value.description !== 'string' || value.description === '') throw badParameters(`${at}.description is required`);
  if (typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) throw badParameters(`${at}.currency must be an ISO 4217 code`);
  const hasPrice = value.price !== undefined;
  const hasDecimal = value.price_decimal !== undefined;
  if (hasPrice === hasDecimal) throw badParameters(`${at} needs exactly one of price and price_decimal`);
  let price: number;
  if (hasPrice) {
    if (typeof value.price !== 'number' || !Number.isSafeInteger(value.price) || value.price <= 0) {
      throw badParameters(`${at}.price must be a positive integer (minor units)`);
    }
    price = value.price;
  } else {
    price = parseDecimal(value.price_decimal, `${at}.price_decimal`);
  }
  if (value.parameters !== undefined && !isPlainObject(value.parameters)) throw badParameters(`${at}.parameters must be an object`);
  const draft: PaymentDraft = { price, currency: value.currency, description: value.description };
  if (value.parameters !== undefined) draft.parameters = value.parameters;
  return draft;
}

/** "12.99" -> 1299. Two decimals at most, as Paysera's Money assumes (docs/apis.md#paysera-wallet-transactions). */
function parseDecimal(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^\d{1,12}(\.\d{1,2})?$/.test(value)) throw badParameters(`${name} must be a decimal string like "12.99"`);
  const [whole = '0', fraction = ''] = value.split('.');
  const price = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (price <= 0) throw badParameters(`${name} must be positive`);
  return price;
}

function parseReserve(value: unknown): { for: number } | { until: number } {
  if (value === undefined) return { for: DEFAULT_RESERVE_FOR_S };
  if (isPlainObject(value)) {
    if (typeof value.for === 'number' && Number.isSafeInteger(value.for) && value.for > 0) return { for: value.for };
    if (typeof value.until === 'number' && Number.isSafeInteger(value.until) && value.until > 0) return { until: value.until };
  }
  throw badParameters('reserve must be {"for": seconds} or {"until": unix time}');
}

function optionalBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw badParameters(`${name} must be a boolean`);
  return value;
}
