import type { Sale } from '../../domain/sale.js';
import type { NewOp, StoreEffects } from '../../store/types.js';
import { closeSpotOp, confirmOp, revokeOp } from './paysera-ops.js';
import { leavesSpotAlone } from './shared-spots.js';

/**
 * The decisions that follow a remote fact, as store effects (committed with the fact in one
 * transaction). Shared by the operation handlers and the watchers so that, for example, "the
 * customer reserved" leads to exactly the same commit whichever path noticed it.
 */

/** The customer's funds are held: confirm them (one commit with the state change). */
export function reservedEffects(sale: Sale, transactionKey: string): StoreEffects {
  return {
    sale: { saleId: sale.id, event: sale.kind === 'table' ? { type: 'reservationSeen' } : { type: 'reservedByCode' } },
    enqueue: [confirmOp(sale, transactionKey)],
  };
}

/** The server said confirmed: paid. A table's spot is closed next; the receipt follows locally. */
export function confirmedEffects(sale: Sale): StoreEffects {
  return {
    sale: { saleId: sale.id, event: { type: 'confirmed' } },
    enqueue: sale.kind === 'table' && sale.spotId !== undefined ? [closeSpotOp(sale.id, sale.spotId)] : [],
    events: [{ type: 'sale.paid', saleId: sale.id, data: { amountMinor: sale.amount.minor, currency: sale.amount.currency } }],
  };
}

/**
 * The next step of a cancel, given what exists remotely: a transaction to revoke if there is
 * one, else the table's spot to close (unless another till's order is on it), else nothing
 * left (the cancel is complete).
 */
export function continueCancelEffects(sale: Sale, transactionKey: string | undefined): StoreEffects {
  if (transactionKey !== undefined) return { enqueue: [revokeOp(sale.id, transactionKey)] };
  // A spot another till ordered at (or already closed) is not ours to close.
  if (sale.kind === 'table' && sale.spotId !== undefined && !leavesSpotAlone(sale.declineReason)) return { enqueue: [closeSpotOp(sale.id, sale.spotId)] };
  return { sale: { saleId: sale.id, event: { type: 'cancelCompleted' } } };
}

/** A revoke went through: a table still has its spot to close; a code sale is done cancelling. */
export function revokedEffects(sale: Sale | undefined): StoreEffects | undefined {
  if (sale === undefined || sale.state !== 'cancelling') return undefined;
  return continueCancelEffects(sale, undefined);
}

/** A spot closed: after payment, the table sale moves on; during a cancel, the cancel completes. */
export function spotClosedEffects(sale: Sale | undefined): StoreEffects | undefined {
  if (sale === undefined) return undefined;
  if (sale.state === 'confirmed') return { sale: { saleId: sale.id, event: { type: 'spotClosed' } } };
  if (sale.state === 'cancelling') return { sale: { saleId: sale.id, event: { type: 'cancelCompleted' } } };
  return undefined;
}

/**
 * What the provider holds does not match the sale (amount or currency): never confirm, never
 * paid, no receipt. The sale goes to a person with the reason; an unconfirmed transaction is
 * revoked, so the customer's funds are released; a table's spot is closed as after any end.
 */
export function mismatchEffects(sale: Sale, transactionKey: string | undefined, reason: string, options: { revoke: boolean }): StoreEffects {
  const enqueue: NewOp[] = [];
  if (options.revoke && transactionKey !== undefined) enqueue.push(revokeOp(sale.id, transactionKey));
  if (sale.kind === 'table' && sale.spotId !== undefined) enqueue.push(closeSpotOp(sale.id, sale.spotId));
  return { sale: { saleId: sale.id, event: { type: 'needsHuman', reason } }, enqueue };
}
