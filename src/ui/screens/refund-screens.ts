import type { SaleRecord } from '../../store/types.js';
import { pick, variants, type Lines, type Text } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * The refund screens (menu 6):
 *
 *   Supervisor PIN        Receipt no., then #     Sale 12 Code           Sale 12 Code
 *   PIN: ****             # = last paid sale      5.00 # refund          Refunding...
 *
 * The PIN shows as one `*` per digit typed: its digits are never on the display.
 */

export function renderPin(state: ScreenState<'refund-pin'>, width: number): Lines {
  const t = state.ctx.lang.t.display.refund;
  return [pick(t.pinPrompt, width), pick(t.pin('*'.repeat(state.screen.digits.length)), width)];
}

export function renderNumber(state: ScreenState<'refund-number'>, width: number): Lines {
  const t = state.ctx.lang.t.display.refund;
  return [pick(t.numberPrompt, width), pick(t.number(state.screen.digits), width)];
}

export function renderConfirm(state: ScreenState<'refund-confirm'>, width: number): Lines {
  const t = state.ctx.lang.t.display.refund;
  const { sale } = state.screen;
  return [pick(saleLine(state.ctx, sale), width), pick(t.confirm(amountText(sale.amount.minor, state.ctx)), width)];
}

export function renderWaiting(state: ScreenState<'refund-waiting'>, width: number): Lines {
  const t = state.ctx.lang.t.display.refund;
  return [pick(saleLine(state.ctx, state.screen.sale), width), pick(t.refunding, width)];
}

/** The sale a refund is about: its number and how it was paid ("Sale 12 Code"). */
export function saleLine(ctx: Pick<UiContext, 'lang'>, sale: SaleRecord): Text {
  const t = ctx.lang.t.display.refund;
  return t.sale(String(sale.number ?? '?'), variants(t.methods[sale.kind])[0] ?? '');
}
