import type { Spot, Transaction } from '../../gateways/paysera-wallet/wallet-types.js';

/**
 * Several terminals at one location share Paysera's spots and nothing else (invariant 12,
 * docs/configuration.md#several-counters). These are the rules each terminal applies on its own
 * and that, applied by all of them to the same Paysera state, leave one order per customer.
 */

/** The key our sale id travels under in payments[].parameters (the only way back to a lost create). */
export const SALE_ID_PARAMETER = 'counterpay_sale_id';
/** The spot a table sale's order was attached to, so any terminal can tell two orders on one spot apart. */
export const SPOT_ID_PARAMETER = 'counterpay_spot_id';
/** The terminal that sold it (config terminal.name). */
export const TERMINAL_PARAMETER = 'counterpay_terminal';

/** Why a table sale ended without a payment because of another terminal (the sale's cancel reason). */
export const BUSY_ELSEWHERE = 'busy_elsewhere';
export const CLOSED_ELSEWHERE = 'closed_elsewhere';
/** The spot was no longer waiting when the order was about to be sent: the customer left. */
export const CUSTOMER_LEFT = 'customer_left';

/**
 * Reasons after which the spot is someone else's (or already closed): the cancel revokes what is
 * ours and leaves the spot alone, or it would close the other terminal's order with it.
 */
export function leavesSpotAlone(reason: string | undefined): boolean {
  return reason === BUSY_ELSEWHERE || reason === CLOSED_ELSEWHERE || reason === CUSTOMER_LEFT;
}

/**
 * Before an order is attached: the spot must still be `waiting` for its first order. A spot with
 * an order (`opened`/`open`, or an open order in `orders` where the API shows them) is busy at
 * another till; a closed one has lost its customer. Anything else (a status no document lists)
 * is treated as busy: a second order is the one thing this must never risk.
 */
export function spotRefusal(spot: Spot): string | undefined {
  const openOrder = spot.orders.some((o) => o.status === 'pending' || o.status === 'reserved');
  if (spot.status === 'waiting' && !openOrder) return undefined;
  return spot.status === 'closed' ? CUSTOMER_LEFT : BUSY_ELSEWHERE;
}

/** Transaction statuses in which an order can still be paid (or is being paid): a claim on the spot. */
export const PAYABLE_STATUSES = ['new', 'waiting', 'waiting_funds', 'waiting_registration', 'waiting_password', 'reserved'] as const;
const PAYABLE = new Set<string>(PAYABLE_STATUSES);

/**
 * Orders race only while the spot reads `waiting` to both tills: within seconds of each other.
 * A payable order at the same spot further apart belongs to another customer's visit and is no
 * rival.
 */
export const RACE_WINDOW_S = 30;

/** Who keeps a spot that two or more orders claim. */
export interface SpotClaim {
  winner: Transaction;
  /** The other claims: payable orders that must never be paid. */
  losers: Transaction[];
}

/**
 * Two terminals that read the spot `waiting` in the same instant both attach an order. Every
 * terminal, for the spot of each of its new orders, lists the location's payable transactions
 * (each carries its spot id in its parameters) and ranks the claims: the transaction created
 * first (server `created_at`, then the key) keeps the spot. All terminals rank the same
 * transactions the same way. A terminal whose order wins revokes the others itself (before its
 * own confirm, which waits for this check), so a rival is revoked even when its own check comes
 * too late to see the winner still payable; a terminal whose order loses gives it up.
 * Undefined when `ours` has no rival.
 */
export function spotClaim(ours: Transaction, spotId: number, listed: readonly Transaction[]): SpotClaim | undefined {
  const near = (t: Transaction): boolean => ours.createdAt === undefined || t.createdAt === undefined || Math.abs(t.createdAt - ours.createdAt) <= RACE_WINDOW_S;
  const rivals = listed.filter((t) => t.key !== ours.key && PAYABLE.has(t.status) && near(t) && t.payments.some((p) => p.parameters?.[SPOT_ID_PARAMETER] === spotId));
  if (rivals.length === 0) return undefined;
  const [winner, ...losers] = [ours, ...rivals].sort((a, b) => (a.createdAt ?? Infinity) - (b.createdAt ?? Infinity) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return winner === undefined ? undefined : { winner, losers };
}
