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

export function render(_state: ScreenState<'menu'>, width: number): Lines {
  return [
    twoColumn(['1 Reprint', '1 Copy'], ['2 Cards'], width),
    twoColumn(['3 Status', '3 Stat'], ['4 Cancel'], width),
  ];
}
