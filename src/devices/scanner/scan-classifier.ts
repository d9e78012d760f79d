import { isReservationCode } from '../../domain/reservation-code.js';
import { readSpotCode, unwrapAppLink } from '../../domain/spot-code.js';
import type { ScanClassification } from './scanner-port.js';

export interface ClassifierOptions {
  /** Our Paysera location id; a spot code with another location is classified `ours: false`. */
  readonly locationId: number | null;
}

const CENTRAPAY_HOST = /^(?:[a-z0-9-]+\.)*centrapay\.com$/;

/**
 * Classifies one sanitized scan. Pure; never throws.
 *
 * - `PAYSERA*{locationId}:{identifier}` (also wrapped as `https://paysera.com/app?qr=...`), as
 *   domain/spot-code.ts reads it: a spot code; `ours` when the location equals ours.
 * - a reservation code as domain/reservation-code.ts defines it (digits only, 16..40 long).
 * - an https URL whose host is centrapay.com or a subdomain (e.g. `https://app.centrapay.com/pay/ID`,
 *   legacy `https://service.centrapay.com/api/payment-requests/ID/pay`): a Centrapay URL.
 * - anything else: unknown.
 */
export function classifyScan(text: string, options: ClassifierOptions): ScanClassification {
  const trimmed = text.trim();

  const spot = readSpotCode(trimmed);
  if (spot !== undefined) {
    const { locationId, identifier } = spot;
    return { kind: 'paysera-spot', code: unwrapAppLink(trimmed), locationId, identifier, ours: options.locationId !== null && locationId === options.locationId };
  }

  if (isReservationCode(trimmed)) return { kind: 'paysera-reservation', code: trimmed };

  const centrapay = centrapayUrl(trimmed);
  if (centrapay !== null) return centrapay;

  return { kind: 'unknown' };
}

function centrapayUrl(text: string): ScanClassification | null {
  if (!text.startsWith('https://')) return null;
  const url = parseUrl(text);
  if (url === null || url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  if (!CENTRAPAY_HOST.test(url.hostname)) return null;
  const pay = /^\/pay\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname) ?? /^\/api\/payment-requests\/([A-Za-z0-9_-]+)\/pay\/?$/.exec(url.pathname);
  return { kind: 'centrapay-url', url: text, paymentRequestId: pay?.[1] ?? null };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
