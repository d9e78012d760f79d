import { z } from 'zod';
import { PAYMENT_REQUEST_STATUSES, type Monetary, type PaymentActivity, type PaymentRequest, type PaymentRequestListItem } from './centrapay-types.js';
import { DecodeError, parseResponse } from '../http/response-decoding.js';

/**
 * Response validation: the only place Centrapay JSON becomes typed objects. Unknown fields are
 * ignored (the API grows); a missing required field, an amount that is not a string of digits or
 * a timestamp that does not parse is an error, reported as invalid_response. A status outside the
 * four documented ones is read as `unknown` (its value kept in `reportedStatus`): the request
 * exists, and what it means is for the engine (a person at the deadline) to decide, not a decode
 * error that would hide the request itself.
 */

const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not a timestamp' });
const optionalString = z.string().optional();
const monetary = z.object({ amount: z.string().regex(/^\d{1,18}$/, 'amount must be a string of minor units'), currency: z.string().min(1) });

const paymentRequestSchema = z.object({
  id: z.string().min(1),
  shortCode: z.string().min(1),
  url: z.string().min(1),
  status: z.string().min(1),
  value: monetary,
  createdAt: timestamp,
  updatedAt: timestamp.optional(),
  expiresAt: timestamp,
  expirySeconds: z.number().int().nonnegative().optional(),
  configId: optionalString,
  merchantId: optionalString,
  merchantName: optionalString,
  liveness: optionalString,
  externalRef: optionalString,
  terminalId: optionalString,
  deviceId: optionalString,
  cancellationReason: optionalString,
  paidBy: z
    .object({
      assetTotals: z.array(z.object({ type: optionalString, description: optionalString, total: monetary.optional() })).default([]),
    })
    .optional(),
});

/**
 * The list envelope. The pagination page names the cursor `nextPageKey`
 * (https://docs.centrapay.com/api/pagination); the documented example answer of the external-ref
 * lookup names it `pageKey` (https://docs.centrapay.com/api/payment-requests). Both are read.
 */
const listSchema = z.object({ items: z.array(z.unknown()), nextPageKey: z.string().min(1).optional(), pageKey: z.string().min(1).optional() });

const activitySchema = z.object({
  type: z.string().min(1),
  paymentRequestId: optionalString,
  value: monetary.optional(),
  createdAt: optionalString,
});

function toMonetary(m: z.infer<typeof monetary>): Monetary {
  return { amount: m.amount, currency: m.currency };
}

/** A payment request as a list item: the documented lookup example has no `shortCode`; `url` and `expiresAt` may be absent too. */
const listItemSchema = paymentRequestSchema.extend({ shortCode: optionalString, url: optionalString, expiresAt: timestamp.optional() });

export function decodePaymentRequest(json: unknown): PaymentRequest {
  const p = parseResponse(paymentRequestSchema, json);
  return { ...toListItem(p), shortCode: p.shortCode, url: p.url, expiresAt: p.expiresAt };
}

function statusOf(status: string): Pick<PaymentRequestListItem, 'status' | 'reportedStatus'> {
  return (PAYMENT_REQUEST_STATUSES as readonly string[]).includes(status)
    ? { status: status as PaymentRequestListItem['status'] }
    : { status: 'unknown', reportedStatus: status };
}

function toListItem(p: z.infer<typeof listItemSchema>): PaymentRequestListItem {
  return {
    id: p.id,
    shortCode: p.shortCode,
    url: p.url,
    ...statusOf(p.status),
    value: toMonetary(p.value),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    expiresAt: p.expiresAt,
    expirySeconds: p.expirySeconds,
    configId: p.configId,
    merchantId: p.merchantId,
    merchantName: p.merchantName,
    liveness: p.liveness,
    externalRef: p.externalRef,
    terminalId: p.terminalId,
    deviceId: p.deviceId,
    cancellationReason: p.cancellationReason,
    paidBy:
      p.paidBy === undefined
        ? undefined
        : { assetTotals: p.paidBy.assetTotals.map((a) => ({ type: a.type, description: a.description, total: a.total === undefined ? undefined : toMonetary(a.total) })) },
  };
}

/**
 * One page of `GET .../external-ref/{ref}`. Every item must decode, or the page is invalid: the
 * lookup decides whether a create took effect, so it never concludes from a partial answer.
 * Items may lack `shortCode`, `url` and `expiresAt` (PaymentRequestListItem); `nextPageKey` is whichever
 * cursor name the answer used.
 */
export function decodePaymentRequestPage(json: unknown): { items: PaymentRequestListItem[]; nextPageKey: string | undefined } {
  const page = parseResponse(listSchema, json);
  const items = page.items.map((item, index) => {
    try {
      return toListItem(parseResponse(listItemSchema, item));
    } catch (error) {
      if (error instanceof DecodeError) throw new DecodeError(`items.${index}.${error.message}`);
      throw error;
    }
  });
  return { items, nextPageKey: page.nextPageKey ?? page.pageKey };
}

export function decodeActivity(json: unknown): PaymentActivity {
  const a = parseResponse(activitySchema, json);
  return { type: a.type, paymentRequestId: a.paymentRequestId, value: a.value === undefined ? undefined : toMonetary(a.value), createdAt: a.createdAt };
}
