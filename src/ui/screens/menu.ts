import { twoColumn, type Lines } from '../text.js';
import type { ScreenState } from '../ui-state.js';

/**
 * The menu (D when idle): four numbered items on two lines, the key is the number.
 *
 *   1 Copy    2 Cards
 *   3 Status  4 Cancel
 */

export const MENU_ITEMS = {
  '1': 'reprint',
  '2': 'table-cards',
  '3': 'status',
  '4': 'cancel-order',
} as const;

export function render(state: ScreenState<'menu'>, width: number): Lines {
  const t = state.ctx.lang.t.display.menu;
  return [twoColumn(t.reprint, t.cards, width), twoColumn(t.status, t.cancel, width)];
}
