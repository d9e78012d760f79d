import { z } from 'zod';
import { TRANSACTION_STATUSES, type Order, type Payment, type Spot, type SpotStatus, type Transaction, type TransactionStatus } from './wallet-types.js';
import { DecodeError, parseResponse } from '../http/response-decoding.js';

/**
 * Response validation: the only place API JSON becomes typed objects.
 *
 * Tolerant where the API may grow, strict where money is: unknown fields are ignored; a status no
 * document lists becomes `unknown` (its raw value kept), never an error and never a guess; a
 * missing required field, or an amount that cannot be read exactly, is a DecodeError. In a list
 * each item stands alone (decodeItems): an item that cannot be read is left out and reported,
 * the rest are kept, so one odd item never makes a whole poll fail.
 */

const int = z.number().int();
const optionalInt = z.number().int().optional();

const paymentSchema = z.object({
  id: int,
  price: int.optional(),
  currency: z.string().optional(),
  price_decimal: z.string().optional(),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).or(z.array(z.unknown()).length(0)).optional(),
  status: z.string().optional(),
});

const transactionSchema = z.object({
  transaction_key: z.string().min(1),
  status: z.string().min(1),
  created_at: optionalInt,
  type: z.string().optional(),
  wallet: optionalInt,
  confirmed_at: optionalInt,
  location_id: optionalInt,
  project_id: optionalInt,
  payments: z.array(paymentSchema).optional(),
});

const ORDER_STATUSES = ['pending', 'reserved', 'confirmed', 'closed'] as const;

const orderSchema = z.object({
  id: int,
  transaction_key: z.string().min(1),
  status: z.string().min(1),
  transaction: transactionSchema.optional(),
});

const SPOT_STATUS: Record<string, SpotStatus> = { closed: 'closed', waiting: 'waiting', open: 'opened', opened: 'opened' };

const spotSchema = z.object({
  id: int,
  status: z.string().min(1),
  identifier: z.string().optional(),
  place_info: z
    .object({
      title: z.string().optional(),
      location_id: optionalInt,
    })
    .optional(),
  orders: z.array(z.unknown()).optional(),
});

const metadataSchema = z.object({ total: int.min(0), offset: int.min(0), limit: int.min(0) });

export const serverTimeSchema = z.object({ time: int.positive() });

function toPayment(p: z.infer<typeof paymentSchema>): Payment {
  let price = p.price;
  if (price === undefined && p.price_decimal !== undefined) price = decimalToMinor(p.price_decimal);
  if (price === undefined) throw new DecodeError(`payments.${p.id}: neither price nor price_decimal`);
  if (p.price !== undefined && p.price_decimal !== undefined && decimalToMinor(p.price_decimal) !== p.price) {
    throw new DecodeError(`payments.${p.id}: price ${p.price} disagrees with price_decimal ${p.price_decimal}`);
  }
  if (p.currency === undefined) throw new DecodeError(`payments.${p.id}: currency missing`);
  return {
    id: p.id,
    price,
    currency: p.currency,
    priceDecimal: p.price_decimal,
    description: p.description,
    parameters: Array.isArray(p.parameters) ? undefined : p.parameters,
    status: p.status,
  };
}

/** "12.99" -> 1299. Two decimals at most, as Paysera's Money class assumes; anything else cannot be read exactly. */
function decimalToMinor(text: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new DecodeError(`price_decimal "${text}" is not an amount with at most two decimals`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function known<T extends string>(values: readonly T[], value: string): T | undefined {
  return (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

function toTransaction(t: z.infer<typeof transactionSchema>): Transaction {
  return {
    key: t.transaction_key,
    status: known<TransactionStatus>(TRANSACTION_STATUSES, t.status) ?? 'unknown',
    rawStatus: t.status,
    createdAt: t.created_at,
    type: t.type,
    wallet: t.wallet,
    confirmedAt: t.confirmed_at,
    locationId: t.location_id,
    projectId: t.project_id,
    payments: (t.payments ?? []).map(toPayment),
  };
}

function toOrder(o: z.infer<typeof orderSchema>): Order {
  return {
    id: o.id,
    transactionKey: o.transaction_key,
    status: known(ORDER_STATUSES, o.status) ?? 'unknown',
    transaction: o.transaction === undefined ? undefined : toTransaction(o.transaction),
  };
}

function toSpot(s: z.infer<typeof spotSchema>): Spot {
  // The merchant does not act on a spot's orders; one it cannot read is left out, not fatal.
  const orders = (s.orders ?? []).flatMap((o) => {
    const parsed = orderSchema.safeParse(o);
    if (!parsed.success) return [];
    try {
      return [toOrder(parsed.data)];
    } catch {
      return [];
    }
  });
  return {
    id: s.id,
    status: SPOT_STATUS[s.status] ?? 'unknown',
    rawStatus: s.status,
    identifier: s.identifier,
    locationId: s.place_info?.location_id,
    title: s.place_info?.title,
    orders,
  };
}

export const decodeTransaction = (json: unknown): Transaction => toTransaction(parseResponse(transactionSchema, json));
export const decodeOrder = (json: unknown): Order => toOrder(parseResponse(orderSchema, json));
export const decodeSpot = (json: unknown): Spot => toSpot(parseResponse(spotSchema, json));
/** An answer whose content we do not read (`{}` for DELETE /payment/:id), as long as it is a JSON object. */
export const decodeEmptyObject = (json: unknown): void => {
  parseResponse(z.looseObject({}), json);
};
export const decodeServerTime = (json: unknown): number => parseResponse(serverTimeSchema, json).time;

/** An item of a list answer that was left out, and why. */
export interface SkippedItem {
  readonly index: number;
  /** The item's id or key, when it had a readable one. */
  readonly id: string | undefined;
  readonly problem: string;
}

export interface DecodedPage<T> {
  items: T[];
  skipped: SkippedItem[];
  total: number;
  offset: number;
  limit: number;
}

function decodeItems<T>(raw: readonly unknown[], decode: (json: unknown) => T, accept: (item: T) => string | undefined, idOf: (json: unknown) => string | undefined): { items: T[]; skipped: SkippedItem[] } {
  const items: T[] = [];
  const skipped: SkippedItem[] = [];
  raw.forEach((json, index) => {
    try {
      const item = decode(json);
      const refusal = accept(item);
      if (refusal === undefined) items.push(item);
      else skipped.push({ index, id: idOf(json), problem: refusal });
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      skipped.push({ index, id: idOf(json), problem: error.message });
    }
  });
  return { items, skipped };
}

function field(name: string): (json: unknown) => string | undefined {
  return (json) => {
    const value = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
}

/** A page of `GET /spots`: spots in a status no document lists are left out (the terminal acts on none of them). */
export function decodeSpotPage(json: unknown): DecodedPage<Spot> {
  const page = parseResponse(z.object({ spots: z.array(z.unknown()), _metadata: metadataSchema }), json);
  const { items, skipped } = decodeItems(page.spots, decodeSpot, (s) => (s.status === 'unknown' ? `unknown spot status "${s.rawStatus}"` : undefined), field('id'));
  return { items, skipped, ...page._metadata };
}

/**
 * A page of `GET /transactions`. A transaction in a status no document lists is kept (status
 * `unknown`): it may be one of ours, and a search for ours must not take it for absent.
 */
export function decodeTransactionPage(json: unknown): DecodedPage<Transaction> {
  const page = parseResponse(z.object({ transactions: z.array(z.unknown()), _metadata: metadataSchema }), json);
  const { items, skipped } = decodeItems(page.transactions, decodeTransaction, () => undefined, field('transaction_key'));
  return { items, skipped, ...page._metadata };
}
