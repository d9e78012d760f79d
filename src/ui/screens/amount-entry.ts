import { amountMinor } from '../amount-entry.js';
import { tableLabel, tableShortLabel } from '../tables.js';
import { twoColumn, type Lines } from '../text.js';
import type { AmountPurpose, ScreenState } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * Amount entry: digits shift in from the right, `*` deletes, `#` accepts.
 *
 *   Table 12         EUR
 *   Amount         12.99
 */

export function purposeLabels(purpose: AmountPurpose): readonly string[] {
  if (purpose.kind === 'table') return [tableLabel(purpose.table), tableShortLabel(purpose.table)];
  return purpose.kind === 'code' ? ['Code sale'] : ['Centrapay'];
}

export function render(state: ScreenState<'amount-entry'>, width: number): Lines {
  const { screen, ctx } = state;
  return [twoColumn(purposeLabels(screen.purpose), ctx.currency, width), twoColumn('Amount', amountText(amountMinor(screen.digits), ctx), width)];
}
