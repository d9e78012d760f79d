import { amountMinor } from '../amount-digits.js';
import { tableLabels } from '../tables.js';
import { twoColumn, variants, type Lines } from '../text.js';
import type { AmountPurpose, ScreenState, UiContext } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * Amount entry: digits shift in from the right, `*` deletes, `#` accepts.
 *
 *   Table 12         EUR
 *   Amount         12.99
 */

export function purposeLabels(purpose: AmountPurpose, ctx: Pick<UiContext, 'lang'>): readonly string[] {
  const t = ctx.lang.t.display;
  if (purpose.kind === 'table') return tableLabels(purpose.table, t);
  return variants(purpose.kind === 'code' ? t.sale.code : t.sale.centrapay);
}

export function render(state: ScreenState<'amount-entry'>, width: number): Lines {
  const { screen, ctx } = state;
  return [
    twoColumn(purposeLabels(screen.purpose, ctx), ctx.lang.format.currency(ctx.currency), width),
    twoColumn(ctx.lang.t.display.amountEntry.amount, amountText(amountMinor(screen.digits), ctx), width),
  ];
}
