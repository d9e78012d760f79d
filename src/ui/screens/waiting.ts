import type { SaleRecord } from '../../store/types.js';
import { saleLabels } from '../tables.js';
import { pick, twoColumn, withHint, type Lines, type Text } from '../text.js';
import type { ScreenState } from '../ui-state.js';
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

export function progressText(sale: SaleRecord, online: boolean | undefined): Text {
  if (sale.state === 'cancelling' || sale.state === 'voiding') return ['Cancelling...', 'Cancelling'];
  if (sale.state === 'needs_human') return ['Unclear: ask manager', 'Ask manager'];
  if (sale.state === 'reserved') return ['Confirming payment', 'Confirming'];
  if (online === false && (sale.state === 'created' || sale.state === 'transaction_created')) return ['No network - waiting', 'Offline - waiting'];
  if (sale.kind === 'code') return sale.reservationCode === undefined ? ['Waiting for code'] : ['Checking code'];
  // A Centrapay request is on the receipt as soon as it exists: the customer is already paying.
  // Once the request exists its short code is shown: the customer can type it instead of scanning.
  if (sale.kind === 'centrapay' && sale.shortCode !== undefined && sale.state === 'awaiting_payment') return [`Code ${sale.shortCode}`, sale.shortCode];
  if (sale.kind === 'centrapay') return ['Waiting for payment', 'Awaiting payment'];
  if (sale.state === 'created') return ['Sending order'];
  if (sale.state === 'order_created') return ['Waiting for payment', 'Awaiting payment'];
  return ['Paid'];
}

export function render(state: ScreenState<'waiting'>, width: number): Lines {
  const { screen, ctx } = state;
  const { sale } = screen;
  const progress = progressText(sale, ctx.status.online);
  const variants = typeof progress === 'string' ? [progress] : progress;
  const second = cancellable(sale) ? variants.flatMap((v) => withHint(v, 'D cancel')) : variants;
  return [twoColumn(saleLabels(sale, ctx.tables), amountText(sale.amount.minor, ctx), width), pick(second, width)];
}
