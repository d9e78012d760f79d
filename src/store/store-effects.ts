import type { StoreEffects } from './types.js';
import type { StoreContext } from './store-context.js';
import { applyRefundEvent } from './refund-rows.js';
import { applySaleEvent } from './sale-rows.js';
import { insertOp } from './op-rows.js';
import { insertPrintJob } from './print-rows.js';
import { appendEvent } from './event-rows.js';

/** Applies effects in the caller's transaction; any failure rolls back the caller's change too. */
export function applyEffects(ctx: StoreContext, effects: StoreEffects | undefined, opId?: string): void {
  if (effects === undefined) return;
  if (effects.sale !== undefined) applySaleEvent(ctx, effects.sale.saleId, effects.sale.event, effects.sale.onlyIfLegal ?? false, opId);
  if (effects.refund !== undefined) applyRefundEvent(ctx, effects.refund.refundId, effects.refund.event, effects.refund.onlyIfLegal ?? false, opId);
  for (const op of effects.enqueue ?? []) insertOp(ctx, op);
  for (const job of effects.printJobs ?? []) insertPrintJob(ctx, job);
  for (const event of effects.events ?? []) appendEvent(ctx, { ...event, opId: event.opId ?? opId });
}
