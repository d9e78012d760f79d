import { z } from 'zod';
import type { CashRegisterStatus, PosOrder } from './pos-types.js';
import { DecodeError, parseResponse } from '../http/response-decoding.js';

/**
 * Response validation for the POS eapi. Lenient where the docs disagree (status is any string,
 * money fields optional), strict where the sync depends on it (an order's `id` and `number`; a
 * list's array under `data` or `items`).
 */

const cents = z.number().int().optional();

const orderSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  number: z.union([z.string().min(1), z.number().int()]).transform(String),
  status: z.string().default('unknown'),
  currency: z.string().optional(),
  totalPrice: cents,
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
  currentBalance: z.number().int().optional(),
  currency: z.string().optional(),
});

export function decodeOrder(json: unknown): PosOrder {
  const o = parseResponse(orderSchema, json);
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    currency: o.currency,
    totalPriceMinor: o.totalPrice,
    createdAt: o.createdAt,
    payments: o.payments.map((p) => ({
      paymentMethod: p.paymentMethod ?? p.type,
      amountMinor: typeof p.amount === 'number' && Number.isSafeInteger(p.amount) ? p.amount : undefined,
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
    currentBalance: r.currentBalance,
    currency: r.currency,
  };
}
