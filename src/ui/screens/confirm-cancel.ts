import { saleLabels } from '../tables.js';
import { twoColumn, variants, type Lines } from '../text.js';
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
  const t = ctx.lang.t.display.confirmCancel;
  const forms = saleLabels(screen.sale, ctx.tables, ctx.lang.t.display).map((l) => variants(t.question(l)));
  // Every name in the question's first form ("Cancel Table 12?", "Cancel T12?"), then in its
  // shorter forms: the question mark goes before the name does.
  const ranked: string[] = [];
  for (let rank = 0; forms.some((f) => rank < f.length); rank++) for (const f of forms) if (rank < f.length) ranked.push(f[rank]!);
  return [twoColumn([...ranked, ...variants(t.bare)], amountText(screen.sale.amount.minor, ctx), width), twoColumn(t.yes, t.no, width)];
}
