import type { BuzzerSignal } from '../../devices/buzzer/buzzer-port.js';
import type { SaleRecord } from '../../store/types.js';
import { cancelledByStaff } from '../error-lines.js';
import type { Outcome } from '../ui-state.js';

/** What the result screen announces about a sale: its outcome (domain saleOutcome), or queued offline. */
export type AnnouncedOutcome = Exclude<Outcome['kind'], 'notice'>;

/** How many announced outcomes to remember, so a late engine event does not announce twice. */
export const ANNOUNCED_LIMIT = 200;

/**
 * What the buzzer says about an outcome: two short beeps for PAID; one long when the money did
 * not come (declined, expired, cancelled by the customer or the payment service) or a person has
 * to look; nothing for a cancel staff made or a sale queued offline.
 */
export function outcomeSignal(kind: AnnouncedOutcome, sale: SaleRecord): BuzzerSignal | undefined {
  if (kind === 'paid') return 'success';
  if (kind === 'declined' || kind === 'needs_human') return 'failure';
  if (kind === 'cancelled' && (sale.state === 'expired' || !cancelledByStaff(sale.declineReason))) return 'failure';
  return undefined;
}

export function announcedKey(saleId: string, outcome: AnnouncedOutcome): string {
  return `${outcome}:${saleId}`;
}

/** `announced` with `key` as the newest entry, the oldest dropped beyond ANNOUNCED_LIMIT. */
export function remember(announced: readonly string[], key: string): readonly string[] {
  return [...announced.filter((k) => k !== key), key].slice(-ANNOUNCED_LIMIT);
}
