import type { EngineStatus } from '../../engine/engine-api.js';
import type { UiContext } from '../ui-state.js';

/** The amount alone in the language's convention: "12.99" (en), "12,99" (lt). */
export function amountText(minor: number, ctx: Pick<UiContext, 'currency' | 'lang'>): string {
  return ctx.lang.format.amount(minor, ctx.currency);
}

/** The amount with its currency where there is room ("12.99 EUR", "12,99 €"), else alone. */
export function amountVariants(minor: number, ctx: Pick<UiContext, 'currency' | 'lang'>): readonly string[] {
  return [ctx.lang.format.money(minor, ctx.currency), amountText(minor, ctx)];
}

/** Outbox operations the engine still has to send or check (not final, not with a person). */
export function queuedOperations(status: EngineStatus): number {
  return (status.queue.pending ?? 0) + (status.queue.in_flight ?? 0) + (status.queue.unknown ?? 0);
}

/** Open sales that the engine is still carrying on (those needing a person are counted apart). */
export function pendingSales(ctx: Pick<UiContext, 'openSales'>): number {
  return ctx.openSales.filter((s) => s.state !== 'needs_human').length;
}
