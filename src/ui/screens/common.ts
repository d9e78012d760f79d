import { formatAmount } from '../../domain/money.js';
import type { EngineStatus } from '../../engine/engine-api.js';
import type { UiContext } from '../ui-state.js';

/** "12.99" for 1299 in the terminal's currency. */
export function amountText(minor: number, ctx: Pick<UiContext, 'currency'>): string {
  return formatAmount({ minor, currency: ctx.currency });
}

/** The amount with its currency where there is room: "12.99 EUR", else "12.99". */
export function amountVariants(minor: number, ctx: Pick<UiContext, 'currency'>): readonly string[] {
  const plain = amountText(minor, ctx);
  return [`${plain} ${ctx.currency}`, plain];
}

/** Outbox operations the engine still has to send or check (not final, not with a person). */
export function queuedOperations(status: EngineStatus): number {
  return (status.queue.pending ?? 0) + (status.queue.in_flight ?? 0) + (status.queue.unknown ?? 0);
}

/** Open sales that the engine is still carrying on (those needing a person are counted apart). */
export function pendingSales(ctx: Pick<UiContext, 'openSales'>): number {
  return ctx.openSales.filter((s) => s.state !== 'needs_human').length;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
