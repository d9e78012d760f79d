import { cancelReasonLine, declineLine } from '../messages.js';
import { saleLabels } from '../tables.js';
import { center, type Lines, type Text } from '../text.js';
import type { Outcome, ScreenState, UiContext } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * The outcome of a sale, in one word and the amount, with the reason or the table below. It
 * stays a few seconds or until a key (TerminalUi decides).
 *
 *      PAID 12.99         DECLINED 12.99
 *       Table 12          Declined: funds
 */

function headline(word: string, minor: number, ctx: UiContext): Text {
  const amount = amountText(minor, ctx);
  return [`${word} ${amount} ${ctx.currency}`, `${word} ${amount}`, word];
}

export function outcomeLines(outcome: Outcome, ctx: UiContext): [Text, Text] {
  if (outcome.kind === 'notice') return [outcome.title, outcome.detail];
  const { sale } = outcome;
  const minor = sale.amount.minor;
  const labels = saleLabels(sale, ctx.tables);
  switch (outcome.kind) {
    case 'paid':
      return [headline('PAID', minor, ctx), labels];
    case 'declined':
      return [headline('DECLINED', minor, ctx), declineLine(sale.declineReason)];
    case 'cancelled':
      // A Centrapay request that lapsed (Centrapay's expiry or the terminal's deadline).
      if (sale.state === 'expired') return [headline('EXPIRED', minor, ctx), ['Payment expired', 'Expired']];
      return [headline('CANCELLED', minor, ctx), cancelReasonLine(sale.declineReason) ?? labels];
    case 'needs_human':
      return [headline('CHECK', minor, ctx), ['Unclear: ask manager', 'Ask manager']];
    case 'queued':
      return [headline('QUEUED', minor, ctx), ['No network - queued', 'Offline - queued']];
  }
}

export function render(state: ScreenState<'result'>, width: number): Lines {
  const [first, second] = outcomeLines(state.screen.outcome, state.ctx);
  return [center(first, width), center(second, width)];
}
