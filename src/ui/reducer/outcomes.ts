import type { BuzzerSignal } from '../../devices/buzzer/buzzer-port.js';
import { isPaidSaleState } from '../../domain/sale.js';
import type { SaleRecord } from '../../store/types.js';
import { cancelledByStaff } from '../messages.js';
import type { Outcome } from '../ui-state.js';

/** An outcome a sale can end with, as the result screen announces it. */
export type SaleOutcome = Exclude<Outcome['kind'], 'notice'>;

/** How many announced outcomes to remember, so a late engine event does not announce twice. */
export const ANNOUNCED_LIMIT = 200;

/** The outcome a sale's state stands for, or undefined while it is still under way. */
export function outcomeKind(sale: Pick<SaleRecord, 'state' | 'resolvedPaid'>): 'paid' | 'declined' | 'cancelled' | 'needs_human' | undefined {
  if (isPaidSaleState(sale.state)) return sale.state === 'done' && sale.resolvedPaid === false ? 'cancelled' : 'paid';
  if (sale.state === 'declined') return 'declined';
  if (sale.state === 'cancelled' || sale.state === 'expired') return 'cancelled';
  if (sale.state === 'needs_human') return 'needs_human';
  return undefined;
}

/**
 * What the buzzer says about an outcome: two short beeps for PAID; one long when the money did
 * not come (declined, expired, cancelled by the customer or the payment service) or a person has
 * to look; nothing for a cancel staff made or a sale queued offline.
 */
export function outcomeSignal(kind: SaleOutcome, sale: SaleRecord): BuzzerSignal | undefined {
  if (kind === 'paid') return 'success';
  if (kind === 'declined' || kind === 'needs_human') return 'failure';
  if (kind === 'cancelled' && (sale.state === 'expired' || !cancelledByStaff(sale.declineReason))) return 'failure';
  return undefined;
}

export function announcedKey(saleId: string, outcome: SaleOutcome): string {
  return `${outcome}:${saleId}`;
}

/** `announced` with `key` as the newest entry, the oldest dropped beyond ANNOUNCED_LIMIT. */
export function remember(announced: readonly string[], key: string): readonly string[] {
  return [...announced.filter((k) => k !== key), key].slice(-ANNOUNCED_LIMIT);
}
