import { pick, type Lines } from '../text.js';
import type { ScreenState } from '../ui-state.js';

/**
 * The menu (D when idle): six numbered items, the key is the number. The first line is what
 * prints (a copy of the last receipt, the table cards, today's day report), the second what
 * looks or acts (the status pages, cancelling a pending table order), so the keys read in order
 * left to right, top to bottom:
 *
 *   1 Copy 2 Cards 3 Day      1Copy 2Card 3Day
 *   4Stat 5Canc 6 Refund      4St 5Ca 6 Refund
 *
 * Each line is one text of the language table (20-column wording first, then one that fits 16),
 * so the tables' width test measures the menu as it is shown.
 */

export const MENU_ITEMS = {
  '1': 'reprint',
  '2': 'table-cards',
  '3': 'day-report',
  '4': 'status',
  '5': 'cancel-order',
  '6': 'refund',
} as const;

export function render(state: ScreenState<'menu'>, width: number): Lines {
  const t = state.ctx.lang.t.display.menu;
  return [pick(t.prints, width), pick(t.others, width)];
}
