import { cancelReasonLine, declineLine, needsHumanLine } from '../error-lines.js';
import { saleLabels } from '../tables.js';
import { center, variants, type Lines, type Text } from '../text.js';
import type { Outcome, ScreenState, UiContext } from '../ui-state.js';
import { amountVariants } from './common.js';

/**
 * The outcome of a sale, in one word and the amount, with the reason or the table below. It
 * stays a few seconds or until a key (the reducer decides: reducer/step.ts).
 *
 *      PAID 12.99         DECLINED 12.99
 *       Table 12          Declined: funds
 */

function headline(word: Text, minor: number, ctx: UiContext): Text {
  const amounts = amountVariants(minor, ctx);
  return [...variants(word).flatMap((w) => amounts.map((amount) => `${w} ${amount}`)), ...variants(word)];
}

export function outcomeLines(outcome: Outcome, ctx: UiContext): [Text, Text] {
  if (outcome.kind === 'notice') return [outcome.title, outcome.detail];
  const t = ctx.lang.t.display;
  const { sale } = outcome;
  const minor = sale.amount.minor;
  const labels = saleLabels(sale, ctx.tables, t);
  switch (outcome.kind) {
    case 'paid':
      return [headline(t.result.paid, minor, ctx), labels];
    case 'declined':
      return [headline(t.result.declined, minor, ctx), declineLine(sale.declineReason, t)];
    case 'cancelled':
      // A Centrapay request that lapsed (Centrapay's expiry or the terminal's deadline).
      if (sale.state === 'expired') return [headline(t.result.expired, minor, ctx), t.result.expiredDetail];
      return [headline(t.result.cancelled, minor, ctx), cancelReasonLine(sale.declineReason, t, sale.amount.currency, ctx.tables.find((x) => x.id === sale.tableId)?.name) ?? labels];
    case 'needs_human':
      return [headline(t.result.check, minor, ctx), needsHumanLine(sale.needsHumanReason, t)];
    case 'queued':
      return [headline(t.result.queued, minor, ctx), t.result.queuedDetail];
  }
}

export function render(state: ScreenState<'result'>, width: number): Lines {
  const [first, second] = outcomeLines(state.screen.outcome, state.ctx);
  return [center(first, width), center(second, width)];
}
