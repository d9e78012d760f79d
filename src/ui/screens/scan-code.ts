import { pick, twoColumn, withHint, type Lines } from '../text.js';
import type { ScreenState } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * A code sale waits for the customer's reservation code at the scanner.
 *
 *   Code sale      12.99
 *   Scan code  D cancel
 */
export function render(state: ScreenState<'scan-code'>, width: number): Lines {
  const { screen, ctx } = state;
  return [twoColumn('Code sale', amountText(screen.sale.amount.minor, ctx), width), pick(withHint('Scan code', 'D cancel'), width)];
}
