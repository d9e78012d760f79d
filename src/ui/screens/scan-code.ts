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
  const t = ctx.lang.t.display;
  return [twoColumn(t.sale.code, amountText(screen.sale.amount.minor, ctx), width), pick(withHint(t.scanCode.scan, t.cancelHint), width)];
}
