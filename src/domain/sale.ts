import { CodedError } from '../platform/coded-error.js';
import type { Money } from './money.js';

/**
 * The sale state machines: pure data and functions, no I/O, no clock. The store persists the
 * snapshot this module returns, in the same transaction as the event log row and any outbox
 * intent, so a state is never recorded without the decision that follows from it.
 *
 * Table sale (Paysera Scan and Pay; the transaction is created inside the order):
 *   created -orderCreated-> order_created -reservationSeen-> reserved -confirmed-> confirmed
 *   -spotClosed-> spot_closed -receiptQueued-> receipt_queued -completed-> done
 *   cancel: created|order_created|reserved -cancelRequested-> cancelling -cancelCompleted-> cancelled
 *   the customer rejects/the transaction fails: order_created -paymentRejected-> cancelling
 *   (the order still has to be deleted and the spot closed, which is what cancelling does)
 *   -cancelCompleted-> declined: the customer's answer, shown and counted as a decline.
 *
 * Code sale (the customer shows a reservation code):
 *   created -transactionCreated-> transaction_created -reservedByCode-> reserved -confirmed->
 *   confirmed -receiptQueued-> receipt_queued -completed-> done
 *   codeSubmitted records the code (once; in created or transaction_created);
 *   transaction_created -declined-> declined (final: the code is never sent again);
 *   cancel as for tables (cancelling revokes the transaction).
 *
 * Centrapay sale (the terminal prints a QR of a payment request; docs/apis.md#centrapay-polling-and-deadline):
 *   created -requestCreated-> awaiting_payment -paid-> paid -receiptQueued-> receipt_queued
 *   -completed-> done
 *   awaiting_payment -expired-> expired (final; Centrapay let the request lapse)
 *   awaiting_payment -requestCancelled-> cancelled (final; the customer declined, with the reason)
 *   created -createRefused-> cancelled (Centrapay refused the create: nothing exists remotely)
 *   staff cancel: created|awaiting_payment -cancelRequested-> voiding
 *   terminal deadline (expiry + grace, still new at the last read): awaiting_payment
 *   -deadlineReached-> voiding
 *   voiding -voidCompleted-> cancelled (staff) | expired (deadline): the request was voided;
 *   voiding -cancelCompleted-> cancelled: nothing was ever created, so nothing to void;
 *   voiding -paid-> paid: the last read before the void found it paid (the money moved; the
 *   server's status is the truth, docs/apis.md#centrapay-polling-and-deadline); voiding -expired-> expired.
 *   Invariant: `paid` is reachable only from a state in which a request exists (awaiting_payment,
 *   voiding) and only on the server's word; a void that may have refunded a paid request is a
 *   case for a person, never silently either outcome.
 *
 * Every sale: any non-final state -needsHuman-> needs_human; needs_human -humanResolved-> done
 * (paid) or cancelled (not paid). Invariant: `confirmed` is reachable only from `reserved`, and
 * nothing leaves `cancelling` towards a paid state: a confirm found during a cancel is a case
 * for a person (needsHuman), never silently either outcome.
 */

export type SaleKind = 'table' | 'code' | 'centrapay';

export type TableSaleState =
  | 'created'
  | 'order_created'
  | 'reserved'
  | 'confirmed'
  | 'spot_closed'
  | 'receipt_queued'
  | 'done'
  | 'cancelling'
  | 'cancelled'
  | 'declined'
  | 'needs_human';

export type CodeSaleState =
  | 'created'
  | 'transaction_created'
  | 'reserved'
  | 'confirmed'
  | 'receipt_queued'
  | 'done'
  | 'declined'
  | 'cancelling'
  | 'cancelled'
  | 'needs_human';

export type CentrapaySaleState =
  | 'created'
  | 'awaiting_payment'
  | 'paid'
  | 'receipt_queued'
  | 'done'
  | 'expired'
  | 'voiding'
  | 'cancelled'
  | 'needs_human';

export type SaleState = TableSaleState | CodeSaleState | CentrapaySaleState;

export const TABLE_SALE_STATES: readonly TableSaleState[] = [
  'created',
  'order_created',
  'reserved',
  'confirmed',
  'spot_closed',
  'receipt_queued',
  'done',
  'cancelling',
  'cancelled',
  'declined',
  'needs_human',
];

export const CODE_SALE_STATES: readonly CodeSaleState[] = [
  'created',
  'transaction_created',
  'reserved',
  'confirmed',
  'receipt_queued',
  'done',
  'declined',
  'cancelling',
  'cancelled',
  'needs_human',
];

export const CENTRAPAY_SALE_STATES: readonly CentrapaySaleState[] = [
  'created',
  'awaiting_payment',
  'paid',
  'receipt_queued',
  'done',
  'expired',
  'voiding',
  'cancelled',
  'needs_human',
];

/** States no transition leaves; rows in them may be pruned after the retention period. */
export const CLOSED_SALE_STATES: readonly SaleState[] = ['done', 'cancelled', 'declined', 'expired'];

/** A sale in one of these states is open: the engine still has work or a person has to act. */
export function isOpenSaleState(state: SaleState): boolean {
  return !CLOSED_SALE_STATES.includes(state);
}

/** Paid means the server said `confirmed` (Centrapay: `paid`); these are the states after that answer. */
export function isPaidSaleState(state: SaleState): boolean {
  return state === 'confirmed' || state === 'paid' || state === 'spot_closed' || state === 'receipt_queued' || state === 'done';
}

/**
 * Per kind, the state in which a sale is paid and nothing remote is left to do, so that only
 * local steps follow (the receipt is queued, then the sale is done): a table sale once its spot
 * is closed, a code sale once confirmed (it has no spot), a Centrapay sale once paid.
 */
const PAID_AND_CLOSED = { table: 'spot_closed', code: 'confirmed', centrapay: 'paid' } as const satisfies {
  readonly table: TableSaleState;
  readonly code: CodeSaleState;
  readonly centrapay: CentrapaySaleState;
};

/** Whether the sale is paid and closed remotely: its receipt is what comes next. */
export function isPaidAndClosed(sale: Pick<Sale, 'kind' | 'state'>): boolean {
  return PAID_AND_CLOSED[sale.kind] === sale.state;
}

/** How a sale ended, as the result screen announces it. */
export type SaleOutcome = 'paid' | 'declined' | 'cancelled' | 'needs_human';

/**
 * The outcome a sale's state stands for, or undefined while it is under way. Paid from the
 * server's answer on (a table sale shows PAID while its spot is still being closed); a sale a
 * person resolved as not paid is cancelled; Centrapay's expired counts as cancelled.
 */
export function saleOutcome(sale: Pick<Sale, 'state' | 'resolvedPaid'>): SaleOutcome | undefined {
  if (isPaidSaleState(sale.state)) return sale.state === 'done' && sale.resolvedPaid === false ? 'cancelled' : 'paid';
  if (sale.state === 'declined') return 'declined';
  if (sale.state === 'cancelled' || sale.state === 'expired') return 'cancelled';
  if (sale.state === 'needs_human') return 'needs_human';
  return undefined;
}

export interface Sale {
  readonly id: string;
  readonly kind: SaleKind;
  readonly state: SaleState;
  readonly amount: Money;
  /** Configured table identifier (table sales). */
  readonly tableId?: string | undefined;
  /** Paysera spot id of the waiting spot (table sales). */
  readonly spotId?: number | undefined;
  readonly transactionKey?: string | undefined;
  readonly orderId?: number | undefined;
  readonly reservationCode?: string | undefined;
  /** Why the payment did not happen: a reserve error code, a rejection, a cancel reason. */
  readonly declineReason?: string | undefined;
  readonly needsHumanReason?: string | undefined;
  /** Set by humanResolved: whether the person found the sale paid. */
  readonly resolvedPaid?: boolean | undefined;
  /** Centrapay payment request id (the QR's request; our sale id is its externalRef). */
  readonly paymentRequestId?: string | undefined;
  /** Centrapay short code, printed under the QR and shown on the display. */
  readonly shortCode?: string | undefined;
  /** The request's lifetime as Centrapay stated it; the terminal's deadline is measured from it. */
  readonly expirySeconds?: number | undefined;
}

export type SaleEvent =
  /**
   * `orderId` is undefined when the order was found again after an ambiguous create: the merchant
   * finds its transaction by our sale id, but cannot list a spot's orders (only the checked-in
   * customer sees them). Nothing in the flow needs the order id; the transaction key is what counts.
   */
  | { readonly type: 'orderCreated'; readonly orderId: number | undefined; readonly transactionKey: string }
  | { readonly type: 'transactionCreated'; readonly transactionKey: string }
  | { readonly type: 'codeSubmitted'; readonly reservationCode: string }
  | { readonly type: 'reservationSeen' }
  | { readonly type: 'reservedByCode' }
  | { readonly type: 'declined'; readonly reason: string }
  | { readonly type: 'paymentRejected'; readonly reason: string }
  | { readonly type: 'confirmed' }
  | { readonly type: 'spotClosed' }
  | { readonly type: 'receiptQueued' }
  | { readonly type: 'completed' }
  | { readonly type: 'cancelRequested'; readonly reason?: string }
  | { readonly type: 'cancelCompleted' }
  | { readonly type: 'requestCreated'; readonly paymentRequestId: string; readonly shortCode: string; readonly expirySeconds: number }
  | { readonly type: 'paid' }
  | { readonly type: 'expired' }
  | { readonly type: 'requestCancelled'; readonly reason: string }
  | { readonly type: 'createRefused'; readonly reason: string }
  | { readonly type: 'deadlineReached' }
  | { readonly type: 'voidCompleted' }
  | { readonly type: 'needsHuman'; readonly reason: string }
  | { readonly type: 'humanResolved'; readonly paid: boolean };

export type SaleEventType = SaleEvent['type'];

export type SaleErrorCode =
  | 'illegal_transition'
  | 'unsupported_kind'
  | 'invalid_sale'
  | 'invalid_event'
  | 'code_already_submitted';

export class SaleTransitionError extends CodedError {
  declare readonly code: SaleErrorCode;
  readonly saleId: string | undefined;
  readonly from: SaleState | undefined;
  readonly event: SaleEventType | undefined;

  constructor(code: SaleErrorCode, message: string, context: { saleId?: string; from?: SaleState; event?: SaleEventType } = {}) {
    super(code, message);
    this.saleId = context.saleId;
    this.from = context.from;
    this.event = context.event;
  }
}

/** Which states each named event may leave, per kind; the target is computed by `transition`. */
type Rules<S extends SaleState> = Partial<Record<SaleEventType, readonly S[]>>;

const TABLE_PRE_PAID: readonly TableSaleState[] = ['created', 'order_created', 'reserved'];
const CODE_PRE_PAID: readonly CodeSaleState[] = ['created', 'transaction_created', 'reserved'];
/** A table sale's transaction statuses (paymentRejected's reason) that are the customer's answer. */
const CUSTOMER_DECLINES: readonly string[] = ['rejected', 'failed'];

const TABLE_NOT_FINAL = TABLE_SALE_STATES.filter((s) => s !== 'needs_human' && isOpenSaleState(s));
const CODE_NOT_FINAL = CODE_SALE_STATES.filter((s) => s !== 'needs_human' && isOpenSaleState(s));

const TABLE_RULES: Rules<TableSaleState> = {
  orderCreated: ['created'],
  reservationSeen: ['order_created'],
  paymentRejected: ['order_created'],
  confirmed: ['reserved'],
  spotClosed: ['confirmed'],
  receiptQueued: [PAID_AND_CLOSED.table],
  completed: ['receipt_queued'],
  cancelRequested: TABLE_PRE_PAID,
  cancelCompleted: ['cancelling'],
  needsHuman: TABLE_NOT_FINAL,
  humanResolved: ['needs_human'],
};

const CODE_RULES: Rules<CodeSaleState> = {
  transactionCreated: ['created'],
  codeSubmitted: ['created', 'transaction_created'],
  reservedByCode: ['transaction_created'],
  declined: ['transaction_created'],
  confirmed: ['reserved'],
  receiptQueued: [PAID_AND_CLOSED.code],
  completed: ['receipt_queued'],
  cancelRequested: CODE_PRE_PAID,
  cancelCompleted: ['cancelling'],
  needsHuman: CODE_NOT_FINAL,
  humanResolved: ['needs_human'],
};

const CENTRAPAY_NOT_FINAL = CENTRAPAY_SALE_STATES.filter((s) => s !== 'needs_human' && isOpenSaleState(s));

const CENTRAPAY_RULES: Rules<CentrapaySaleState> = {
  requestCreated: ['created'],
  createRefused: ['created'],
  paid: ['awaiting_payment', 'voiding'],
  expired: ['awaiting_payment', 'voiding'],
  requestCancelled: ['awaiting_payment'],
  receiptQueued: [PAID_AND_CLOSED.centrapay],
  completed: ['receipt_queued'],
  cancelRequested: ['created', 'awaiting_payment'],
  deadlineReached: ['awaiting_payment'],
  voidCompleted: ['voiding'],
  cancelCompleted: ['voiding'],
  needsHuman: CENTRAPAY_NOT_FINAL,
  humanResolved: ['needs_human'],
};

/** The reason a deadline void records; voidCompleted then ends the sale `expired`, not `cancelled`. */
export const DEADLINE_REASON = 'deadline';

function rulesFor(kind: SaleKind): Rules<SaleState> | undefined {
  if (kind === 'table') return TABLE_RULES;
  if (kind === 'code') return CODE_RULES;
  if (kind === 'centrapay') return CENTRAPAY_RULES;
  return undefined;
}

/** Every named event the kind knows, for tests and the CLI. */
export function saleEventTypes(kind: SaleKind): SaleEventType[] {
  return Object.keys(rulesFor(kind) ?? {}) as SaleEventType[];
}

/** Whether `event` may be applied to a sale of `kind` in `state` (ignores the event's data). */
export function canTransition(kind: SaleKind, state: SaleState, event: SaleEventType): boolean {
  return rulesFor(kind)?.[event]?.includes(state) ?? false;
}

export interface NewSaleInput {
  id: string;
  kind: SaleKind;
  amount: Money;
  tableId?: string | undefined;
  spotId?: number | undefined;
}

/** The initial snapshot of a sale; rejects amounts of zero and table sales without a spot. */
export function createSale(input: NewSaleInput): Sale {
  if (input.id.length === 0) throw new SaleTransitionError('invalid_sale', 'sale id is empty');
  if (!Number.isSafeInteger(input.amount.minor) || input.amount.minor <= 0) {
    throw new SaleTransitionError('invalid_sale', `sale amount must be a positive number of minor units, got ${input.amount.minor}`, { saleId: input.id });
  }
  if (input.kind === 'table') {
    if (input.tableId === undefined || input.tableId.length === 0) throw new SaleTransitionError('invalid_sale', 'a table sale needs a table id', { saleId: input.id });
    if (input.spotId === undefined || !Number.isSafeInteger(input.spotId)) throw new SaleTransitionError('invalid_sale', 'a table sale needs the spot id', { saleId: input.id });
  }
  return {
    id: input.id,
    kind: input.kind,
    state: 'created',
    amount: input.amount,
    tableId: input.kind === 'table' ? input.tableId : undefined,
    spotId: input.kind === 'table' ? input.spotId : undefined,
  };
}

function requireText(sale: Sale, event: SaleEvent, field: string, value: string): void {
  if (value.length === 0) {
    throw new SaleTransitionError('invalid_event', `${event.type} needs a non-empty ${field}`, { saleId: sale.id, from: sale.state, event: event.type });
  }
}

/**
 * Applies a named event. Returns the new snapshot; throws SaleTransitionError with code
 * `illegal_transition` when the event may not leave the sale's state (the caller's decision was
 * made on stale information), never a partially updated sale.
 */
export function transition(sale: Sale, event: SaleEvent): Sale {
  const rules = rulesFor(sale.kind);
  const context = { saleId: sale.id, from: sale.state, event: event.type };
  if (rules === undefined) throw new SaleTransitionError('unsupported_kind', `no state machine for ${sale.kind} sales`, context);
  const from = rules[event.type];
  if (from === undefined || !from.includes(sale.state)) {
    throw new SaleTransitionError('illegal_transition', `${sale.kind} sale ${sale.id}: ${event.type} is not allowed in state ${sale.state}`, context);
  }
  switch (event.type) {
    case 'orderCreated':
      requireText(sale, event, 'transaction key', event.transactionKey);
      if (event.orderId !== undefined && !Number.isSafeInteger(event.orderId)) throw new SaleTransitionError('invalid_event', 'orderCreated needs an integer order id when it has one', context);
      return { ...sale, state: 'order_created', orderId: event.orderId, transactionKey: event.transactionKey };
    case 'transactionCreated':
      requireText(sale, event, 'transaction key', event.transactionKey);
      return { ...sale, state: 'transaction_created', transactionKey: event.transactionKey };
    case 'codeSubmitted':
      requireText(sale, event, 'reservation code', event.reservationCode);
      // One code per sale: a code that was sent once is never sent again (a decline is final,
      // and resending a consumed code would only count as an invalid request).
      if (sale.reservationCode !== undefined) throw new SaleTransitionError('code_already_submitted', `sale ${sale.id} already has a reservation code`, context);
      return { ...sale, reservationCode: event.reservationCode };
    case 'reservationSeen':
    case 'reservedByCode':
      return { ...sale, state: 'reserved' };
    case 'declined':
      requireText(sale, event, 'reason', event.reason);
      return { ...sale, state: 'declined', declineReason: event.reason };
    case 'paymentRejected':
      requireText(sale, event, 'reason', event.reason);
      return { ...sale, state: 'cancelling', declineReason: event.reason };
    case 'confirmed':
      return { ...sale, state: 'confirmed' };
    case 'spotClosed':
      return { ...sale, state: 'spot_closed' };
    case 'receiptQueued':
      return { ...sale, state: 'receipt_queued' };
    case 'completed':
      return { ...sale, state: 'done' };
    case 'cancelRequested':
      return { ...sale, state: sale.kind === 'centrapay' ? 'voiding' : 'cancelling', declineReason: sale.declineReason ?? event.reason ?? 'cancelled' };
    case 'requestCreated':
      requireText(sale, event, 'payment request id', event.paymentRequestId);
      if (!Number.isSafeInteger(event.expirySeconds) || event.expirySeconds <= 0) {
        throw new SaleTransitionError('invalid_event', 'requestCreated needs a positive whole number of expiry seconds', context);
      }
      return { ...sale, state: 'awaiting_payment', paymentRequestId: event.paymentRequestId, shortCode: event.shortCode, expirySeconds: event.expirySeconds };
    case 'paid':
      return { ...sale, state: 'paid' };
    case 'expired':
      return { ...sale, state: 'expired', declineReason: sale.declineReason ?? 'expired' };
    case 'requestCancelled':
    case 'createRefused':
      requireText(sale, event, 'reason', event.reason);
      return { ...sale, state: 'cancelled', declineReason: event.reason };
    case 'deadlineReached':
      return { ...sale, state: 'voiding', declineReason: DEADLINE_REASON };
    case 'voidCompleted':
      // The void of a deadline ends the sale as the customer sees it: expired.
      return { ...sale, state: sale.declineReason === DEADLINE_REASON ? 'expired' : 'cancelled' };
    case 'cancelCompleted':
      // A table sale whose customer rejected (or whose payment failed) was declined, not cancelled.
      return { ...sale, state: sale.kind === 'table' && CUSTOMER_DECLINES.includes(sale.declineReason ?? '') ? 'declined' : 'cancelled' };
    case 'needsHuman':
      requireText(sale, event, 'reason', event.reason);
      return { ...sale, state: 'needs_human', needsHumanReason: event.reason };
    case 'humanResolved':
      return { ...sale, state: event.paid ? 'done' : 'cancelled', resolvedPaid: event.paid };
  }
}
