import { z } from 'zod';
import type { Money } from '../../domain/money.js';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { Sale } from '../../domain/sale.js';
import type { NewOp } from '../../store/types.js';
import type { RetryPolicies } from '../outbox/retry-policy.js';

/**
 * The Paysera Wallet operations as the outbox journals them: per kind, the schema its payload is
 * read with before its handler sees it, the one builder that writes it, and its retry policy. Nothing else makes these
 * rows, so a payload always has the shape its schema reads; a row that does not (edited by hand,
 * written by a version that no longer exists) goes to a person instead of to the wallet.
 */

const text = z.string().check(z.minLength(1));

/** What the customer is asked to pay, as the payment's line in the transaction. */
const salePayment = {
  amountMinor: z.int().check(z.positive()),
  currency: text,
  description: z.string(),
  /** The terminal that sold it (config terminal.name), sent in the payment's parameters; absent in rows of older versions. */
  terminal: z.optional(text),
};

/** create_order (table sale): the transaction, inside an order at the customer's spot. */
export const createOrderPayload = z.object({ spotId: z.int(), ...salePayment });
export type CreateOrderPayload = z.infer<typeof createOrderPayload>;

/** create_transaction (code sale): the transaction alone; the customer's code reserves it. */
export const createTransactionPayload = z.object(salePayment);
export type CreateTransactionPayload = z.infer<typeof createTransactionPayload>;

export const reservePayload = z.object({ transactionKey: text, reservationCode: text });
export type ReservePayload = z.infer<typeof reservePayload>;

/** confirm and revoke_transaction: the transaction they act on. */
export const transactionKeyPayload = z.object({ transactionKey: text });
export type TransactionKeyPayload = z.infer<typeof transactionKeyPayload>;

export const closeSpotPayload = z.object({ spotId: z.int() });
export type CloseSpotPayload = z.infer<typeof closeSpotPayload>;

export const createOrderOp = (saleId: string, amount: Money, spotId: number, description: string, terminal?: string): NewOp => ({
  saleId,
  kind: OP_KINDS.createOrder,
  spotId,
  payload: { spotId, amountMinor: amount.minor, currency: amount.currency, description, ...(terminal === undefined ? {} : { terminal }) } satisfies CreateOrderPayload,
});

export const createTransactionOp = (saleId: string, amount: Money, description: string, terminal?: string): NewOp => ({
  saleId,
  kind: OP_KINDS.createTransaction,
  payload: { amountMinor: amount.minor, currency: amount.currency, description, ...(terminal === undefined ? {} : { terminal }) } satisfies CreateTransactionPayload,
});

export const reserveOp = (sale: Sale, transactionKey: string, reservationCode: string): NewOp => ({
  saleId: sale.id,
  kind: OP_KINDS.reserve,
  transactionKey,
  payload: { transactionKey, reservationCode } satisfies ReservePayload,
});

export const confirmOp = (sale: Sale, transactionKey: string): NewOp => ({
  saleId: sale.id,
  kind: OP_KINDS.confirm,
  transactionKey,
  payload: { transactionKey } satisfies TransactionKeyPayload,
});

/** A close of `spotId`; `saleId` undefined for a spot no sale owns (a fabricated check-in). */
export const closeSpotOp = (saleId: string | undefined, spotId: number): NewOp => ({
  saleId,
  kind: OP_KINDS.closeSpot,
  spotId,
  payload: { spotId } satisfies CloseSpotPayload,
});

/** A revoke of `transactionKey`; `saleId` undefined for an extra transaction no sale adopted. */
export const revokeOp = (saleId: string | undefined, transactionKey: string): NewOp => ({
  saleId,
  kind: OP_KINDS.revokeTransaction,
  transactionKey,
  payload: { transactionKey } satisfies TransactionKeyPayload,
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Defaults for the Paysera Wallet operations: base 1 s, cap 60 s, and a 429's Retry-After honoured
 * (docs/apis.md#paysera-wallet-errors). Ages: a create or reserve that has not settled within minutes is no
 * longer something the customer at the counter is waiting for, so a person decides; confirm,
 * close and revoke are decisions already taken that must eventually be delivered (the reserve
 * holds funds for days), so they keep trying for a day before asking for help.
 */
export const PAYSERA_RETRY_POLICIES: RetryPolicies = {
  [OP_KINDS.createOrder]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 10 * MINUTE },
  [OP_KINDS.createTransaction]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 10 * MINUTE },
  [OP_KINDS.reserve]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 30_000, maxAgeMs: 5 * MINUTE },
  [OP_KINDS.confirm]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
  [OP_KINDS.closeSpot]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
  [OP_KINDS.revokeTransaction]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
};
