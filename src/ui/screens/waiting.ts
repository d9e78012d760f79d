import type { SaleRecord } from '../../store/types.js';
import { needsHumanLine } from '../error-lines.js';
import { saleLabels } from '../tables.js';
import { pick, twoColumn, withHint, type Lines, type Text } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';
import { amountText } from './common.js';

/**
 * A sale under way: what it is for and its amount, then where it stands. The engine's changes
 * move it on; paid, declined, cancelled and unclear outcomes leave for the result screen.
 *
 *   Table 12       12.99
 *   Awaiting payment
 */

/**
 * Whether D may offer to cancel: the payment has not been confirmed or requested yet. A Centrapay
 * request awaiting payment is voided on cancel (a payment found meanwhile stays paid).
 */
export function cancellable(sale: SaleRecord): boolean {
  return (
    sale.state === 'created' || sale.state === 'order_created' || sale.state === 'transaction_created' || sale.state === 'reserved' || sale.state === 'awaiting_payment'
  );
}

export function progressText(sale: SaleRecord, ctx: Pick<UiContext, 'lang' | 'status'>): Text {
  const t = ctx.lang.t.display.progress;
  if (sale.state === 'cancelling' || sale.state === 'voiding') return t.cancelling;
  if (sale.state === 'needs_human') return needsHumanLine(sale.needsHumanReason, ctx.lang.t.display);
  if (sale.state === 'reserved') return t.confirming;
  if (ctx.status.online === false && (sale.state === 'created' || sale.state === 'transaction_created')) return t.offline;
  if (sale.kind === 'code') return sale.reservationCode === undefined ? t.waitingForCode : t.checkingCode;
  // A Centrapay request is on the receipt as soon as it exists: the customer is already paying.
  // Once the request exists its short code is shown: the customer can type it instead of scanning.
  if (sale.kind === 'centrapay' && sale.shortCode !== undefined && sale.state === 'awaiting_payment') return t.shortCode(sale.shortCode);
  if (sale.kind === 'centrapay') return t.awaitingPayment;
  if (sale.state === 'created') return t.sendingOrder;
  if (sale.state === 'order_created') return t.awaitingPayment;
  return t.paid;
}

export function render(state: ScreenState<'waiting'>, width: number): Lines {
  const { screen, ctx } = state;
  const { sale } = screen;
  const progress = progressText(sale, ctx);
  const second = cancellable(sale) ? withHint(progress, ctx.lang.t.display.cancelHint) : progress;
  return [twoColumn(saleLabels(sale, ctx.tables, ctx.lang.t.display), amountText(sale.amount.minor, ctx), width), pick(second, width)];
}
