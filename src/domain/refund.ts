import { CodedError } from '../platform/coded-error.js';
import type { Money } from './money.js';
import type { Sale, SaleKind } from './sale.js';

/**
 * The refund state machine: a sale in reverse (one refund row per refund, its own amount and
 * currency, so partial refunds fit later; today a refund is the whole sale, one per sale). Pure,
 * like sale.ts: the store applies a transition in one SQLite transaction with the outbox intent
 * it causes or the slip it queues.
 *
 *   requested -refunded-> refunded   (the provider took the refund; the slip is queued in that commit)
 *   requested -refused-> refused     (the provider says no: settled, window exceeded, not paid; nothing moved)
 *   requested -needsHuman-> needs_human -humanResolved-> refunded | refused
 *
 * Invariant: `refunded` only on the provider's word (an answer, or a read that shows the
 * refund), never on a guess; an outcome that cannot be read is a case for a person.
 */

export type RefundState = 'requested' | 'refunded' | 'refused' | 'needs_human';

export const CLOSED_REFUND_STATES: readonly RefundState[] = ['refunded', 'refused'];

export interface Refund {
  readonly id: string;
  readonly saleId: string;
  /** How the sale was paid (its kind): the report counts refunds per method. */
  readonly method: SaleKind;
  readonly state: RefundState;
  readonly amount: Money;
  /** Why the provider refused it (`settled`, `window_exceeded`, `not_paid`, `already_refunded`). */
  readonly reason?: string | undefined;
  readonly needsHumanReason?: string | undefined;
}

export type RefundEvent =
  | { readonly type: 'refunded' }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'needsHuman'; readonly reason: string }
  | { readonly type: 'humanResolved'; readonly refunded: boolean };

export type RefundEventType = RefundEvent['type'];

export type RefundErrorCode = 'illegal_refund_transition' | 'invalid_refund' | 'not_refundable';

export class RefundError extends CodedError {
  declare readonly code: RefundErrorCode;
}

const RULES: Record<RefundEventType, readonly RefundState[]> = {
  refunded: ['requested'],
  refused: ['requested'],
  needsHuman: ['requested'],
  humanResolved: ['needs_human'],
};

export function isClosedRefundState(state: RefundState): boolean {
  return CLOSED_REFUND_STATES.includes(state);
}

export function canTransitionRefund(state: RefundState, event: RefundEventType): boolean {
  return RULES[event].includes(state);
}

/**
 * Whether a sale can be refunded at all: paid and finished (its receipt queued, its spot closed),
 * and not one a person found unpaid. Anything before that is still a sale to cancel, not refund.
 */
export function isRefundableSale(sale: Pick<Sale, 'state' | 'resolvedPaid'>): boolean {
  return sale.state === 'done' && sale.resolvedPaid !== false;
}

export interface NewRefundInput {
  readonly id: string;
  readonly sale: Pick<Sale, 'id' | 'kind' | 'state' | 'resolvedPaid' | 'amount'>;
  /** Default: the sale's whole amount. */
  readonly amount?: Money | undefined;
}

/** A refund's first snapshot; RefundError `not_refundable` or `invalid_refund` when it cannot be. */
export function createRefund(input: NewRefundInput): Refund {
  const { sale } = input;
  if (input.id.length === 0) throw new RefundError('invalid_refund', 'refund id is empty');
  if (!isRefundableSale(sale)) throw new RefundError('not_refundable', `sale ${sale.id} is ${sale.state}: only a paid, finished sale can be refunded`);
  const amount = input.amount ?? sale.amount;
  if (amount.currency !== sale.amount.currency || !Number.isSafeInteger(amount.minor) || amount.minor <= 0 || amount.minor > sale.amount.minor) {
    throw new RefundError('invalid_refund', `refund of sale ${sale.id} must be 1..${sale.amount.minor} ${sale.amount.currency} minor units`);
  }
  return { id: input.id, saleId: sale.id, method: sale.kind, state: 'requested', amount };
}

/** Applies a named event; RefundError `illegal_refund_transition` when it may not leave the state. */
export function transitionRefund(refund: Refund, event: RefundEvent): Refund {
  if (!canTransitionRefund(refund.state, event.type)) {
    throw new RefundError('illegal_refund_transition', `refund ${refund.id}: ${event.type} is not allowed in state ${refund.state}`);
  }
  switch (event.type) {
    case 'refunded':
      return { ...refund, state: 'refunded' };
    case 'refused':
      if (event.reason.length === 0) throw new RefundError('invalid_refund', 'refused needs a reason');
      return { ...refund, state: 'refused', reason: event.reason };
    case 'needsHuman':
      if (event.reason.length === 0) throw new RefundError('invalid_refund', 'needsHuman needs a reason');
      return { ...refund, state: 'needs_human', needsHumanReason: event.reason };
    case 'humanResolved':
      return { ...refund, state: event.refunded ? 'refunded' : 'refused', reason: event.refunded ? refund.reason : (refund.reason ?? 'resolved_not_refunded') };
  }
}
