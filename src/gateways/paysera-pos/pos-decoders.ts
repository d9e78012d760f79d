import { z } from 'zod';
import type { CashRegisterStatus, PosOrder } from './pos-types.js';
import { DecodeError, parseResponse } from '../http/response-decoding.js';

/**
 * Response validation for the POS eapi. Lenient where the docs disagree (status is any string,
 * money in any of the documented forms), strict where the sync depends on it (an order's `id` and
 * `number`; a list's array under `data` or `items`).
 *
 * Money: the get-order example answers in integer cents (`5499`), the guide's examples and the
 * create-order page in decimal numbers (`2.50`), the one public client in decimal strings
 * (`"12.34"`). A string or a number with a fraction is a decimal; an integer number is cents,
 * unless the same order writes another amount as a decimal (then its integers are whole units),
 * or the caller knows the amount and only the whole-unit reading gives it (an answer to our own
 * create: `12` for a sale of 1200 cents is 12.00).
 * An amount that reads as none of these is left undefined, never an error: no answer is refused
 * for the form of its money, so a created order is never mistaken for a failed one.
 */

/** Any JSON value where money may be; read by readMoney. */
const money = z.unknown().optional();

const orderSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  number: z.union([z.string().min(1), z.number().int()]).transform(String),
  status: z.string().default('unknown'),
  currency: z.string().optional(),
  totalPrice: money,
  discountPrice: money,
  createdAt: z.string().optional(),
  payments: z
    .array(
      z.object({
        paymentMethod: z.string().optional(),
        type: z.string().optional(),
        amount: z.unknown().optional(),
        status: z.string().optional(),
      }),
    )
    .default([]),
});

const listSchema = z.object({
  data: z.array(z.unknown()).optional(),
  items: z.array(z.unknown()).optional(),
  links: z.record(z.string(), z.unknown()).optional(),
  itemsTotal: z.number().int().optional(),
  pagesTotal: z.number().int().optional(),
});

const registerSchema = z.object({
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string().min(1),
  fiscalDayNumber: z.number().int().optional(),
  fiscalDayStarted: z.boolean().optional(),
  lastTransaction: z.string().nullable().optional(),
  currentBalance: money,
  currency: z.string().optional(),
});

type MoneyForm = 'cents' | 'decimal';

/** Decimal text with at most two decimals -> minor units; anything else undefined. */
function decimalToMinor(text: string): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  return match === null ? undefined : Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Whether the answer writes this amount in a way that can only be a decimal. */
function isDecimalForm(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'number' && !Number.isInteger(value));
}

function readMoney(value: unknown, form: MoneyForm): number | undefined {
  if (typeof value === 'string') return decimalToMinor(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (Number.isInteger(value)) return form === 'cents' ? (Number.isSafeInteger(value) ? value : undefined) : value * 100;
  // A float's shortest text is its decimal (12.99 -> "12.99"); more than two decimals is not an amount.
  return decimalToMinor(String(value));
}

/** `expectedMinor`: the order's total when the caller knows it (the answer to its create). */
export function decodeOrder(json: unknown, expectedMinor?: number): PosOrder {
  const o = parseResponse(orderSchema, json);
  const amounts = [o.totalPrice, o.discountPrice, ...o.payments.map((p) => p.amount)];
  const wholeUnitsOfExpected = typeof o.totalPrice === 'number' && expectedMinor !== undefined && o.totalPrice !== expectedMinor && o.totalPrice * 100 === expectedMinor;
  const form: MoneyForm = amounts.some(isDecimalForm) || wholeUnitsOfExpected ? 'decimal' : 'cents';
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    currency: o.currency,
    totalPriceMinor: readMoney(o.totalPrice, form),
    createdAt: o.createdAt,
    payments: o.payments.map((p) => ({
      paymentMethod: p.paymentMethod ?? p.type,
      amountMinor: readMoney(p.amount, form),
      status: p.status,
    })),
  };
}

/** One page of a list: the items (from `data`, else `items`) and the `next`/`self` links. */
export function decodeOrderPage(json: unknown): { items: PosOrder[]; next: string | undefined; self: string | undefined } {
  const page = parseResponse(listSchema, json);
  const raw = page.data ?? page.items;
  if (raw === undefined) throw new DecodeError('(root): neither data nor items is a list');
  const items = raw.map((item, index) => {
    try {
      return decodeOrder(item);
    } catch (error) {
      if (error instanceof DecodeError) throw new DecodeError(`${page.data !== undefined ? 'data' : 'items'}.${index}.${error.message}`);
      throw error;
    }
  });
  const link = (name: string): string | undefined => {
    const value = page.links?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return { items, next: link('next'), self: link('self') };
}

export function decodeCashRegister(json: unknown): CashRegisterStatus {
  const r = parseResponse(registerSchema, json);
  return {
    number: r.number,
    status: r.status,
    fiscalDayNumber: r.fiscalDayNumber,
    fiscalDayStarted: r.fiscalDayStarted,
    lastTransaction: r.lastTransaction ?? undefined,
    currentBalance: readMoney(r.currentBalance, isDecimalForm(r.currentBalance) ? 'decimal' : 'cents'),
    currency: r.currency,
  };
}
