import { saleLabels } from '../tables.js';
import { twoColumn, type Lines } from '../text.js';
import type { ScreenState } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * Cancelling a sale asks once: D alone never cancels, so a stray press cannot undo a sale.
 *
 *   Cancel T12?    12.99
 *   # yes        * no
 */
export function render(state: ScreenState<'confirm-cancel'>, width: number): Lines {
  const { screen, ctx } = state;
  const all = saleLabels(screen.sale, ctx.tables);
  const labels = [...all.map((l) => `Cancel ${l}?`), ...all.map((l) => `Cancel ${l}`)];
  return [twoColumn([...labels, 'Cancel?'], amountText(screen.sale.amount.minor, ctx), width), twoColumn('# yes', '* no', width)];
}
