import { z } from 'zod';
import { TRANSACTION_STATUSES, type Order, type Payment, type Spot, type SpotStatus, type Transaction } from './wallet-types.js';
import { DecodeError, parseResponse } from '../http/response-decoding.js';

/**
 * Response validation: the only place API JSON becomes typed objects. Unknown fields are
 * ignored (the API grows); a missing required field or an unknown status is an error, reported
 * by the caller as `invalid_response` (never a crash, never a silent default).
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
  status: z.enum(TRANSACTION_STATUSES),
  created_at: optionalInt,
  type: z.string().optional(),
  wallet: optionalInt,
  confirmed_at: optionalInt,
  location_id: optionalInt,
  project_id: optionalInt,
  payments: z.array(paymentSchema).optional(),
});

const orderSchema = z.object({
  id: int,
  transaction_key: z.string().min(1),
  status: z.enum(['pending', 'reserved', 'confirmed', 'closed']),
  transaction: transactionSchema.optional(),
});

const SPOT_STATUS: Record<string, SpotStatus> = { closed: 'closed', waiting: 'waiting', open: 'opened', opened: 'opened' };

const spotSchema = z.object({
  id: int,
  status: z.string().refine((s) => Object.hasOwn(SPOT_STATUS, s), { message: 'unknown spot status' }),
  identifier: z.string().optional(),
  place_info: z
    .object({
      title: z.string().optional(),
      location_id: optionalInt,
    })
    .optional(),
  orders: z.array(orderSchema).optional(),
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

function decimalToMinor(text: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new DecodeError(`price_decimal "${text}" is not an amount`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function toTransaction(t: z.infer<typeof transactionSchema>): Transaction {
  return {
    key: t.transaction_key,
    status: t.status,
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
    status: o.status,
    transaction: o.transaction === undefined ? undefined : toTransaction(o.transaction),
  };
}

function toSpot(s: z.infer<typeof spotSchema>): Spot {
  return {
    id: s.id,
    status: SPOT_STATUS[s.status] as SpotStatus,
    rawStatus: s.status,
    identifier: s.identifier,
    locationId: s.place_info?.location_id,
    title: s.place_info?.title,
    orders: (s.orders ?? []).map(toOrder),
  };
}

export const decodeTransaction = (json: unknown): Transaction => toTransaction(parseResponse(transactionSchema, json));
export const decodeOrder = (json: unknown): Order => toOrder(parseResponse(orderSchema, json));
export const decodeSpot = (json: unknown): Spot => toSpot(parseResponse(spotSchema, json));
export const decodeServerTime = (json: unknown): number => parseResponse(serverTimeSchema, json).time;

export function decodeSpotPage(json: unknown): { items: Spot[]; total: number; offset: number; limit: number } {
  const page = parseResponse(z.object({ spots: z.array(spotSchema), _metadata: metadataSchema }), json);
  return { items: page.spots.map(toSpot), ...page._metadata };
}

export function decodeTransactionPage(json: unknown): { items: Transaction[]; total: number; offset: number; limit: number } {
  const page = parseResponse(z.object({ transactions: z.array(transactionSchema), _metadata: metadataSchema }), json);
  return { items: page.transactions.map(toTransaction), ...page._metadata };
}
