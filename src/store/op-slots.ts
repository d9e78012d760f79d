import { OP_KINDS } from '../domain/operation-kind.js';
import type { OpState } from './types.js';

/**
 * The one-live slots of the outbox (schema version 3, `holds_slot`). An op of a slotted kind
 * occupies its slot (its sale, transaction or spot, per the unique indexes in migrations.ts) as
 * long as the rule below says so; a second op needing the same slot is refused by the database.
 *
 * - "until failed": one create, reserve, confirm, payment request or POS order per sale (and one
 *   confirm per transaction), including a done one: a payment decision is never made twice.
 * - "while live": one close per spot, one revoke per transaction and one void per payment request
 *   that is pending, in flight or unknown; once it ends (or waits for a person) another may follow.
 *
 * This mirrors SLOT_RULE_V3 in migrations.ts, which a CHECK enforces: the store writes the column
 * only when the slot changes (so claims and retries touch no unique index), and the database
 * refuses any row where it disagrees with kind and state. op-slots.test.ts holds the two together.
 */
const UNTIL_FAILED: ReadonlySet<string> = new Set([
  OP_KINDS.createOrder,
  OP_KINDS.createTransaction,
  OP_KINDS.reserve,
  OP_KINDS.confirm,
  OP_KINDS.createPaymentRequest,
  OP_KINDS.posRecordOrder,
]);
const WHILE_LIVE: ReadonlySet<string> = new Set([OP_KINDS.closeSpot, OP_KINDS.revokeTransaction, OP_KINDS.voidPaymentRequest]);

/** 1 while an op of `kind` in `state` occupies its slot, null otherwise (the column's values). */
export function slotHeld(kind: string, state: OpState): 1 | null {
  if (UNTIL_FAILED.has(kind)) return state === 'failed' ? null : 1;
  if (WHILE_LIVE.has(kind)) return state === 'pending' || state === 'in_flight' || state === 'unknown' ? 1 : null;
  return null;
}
