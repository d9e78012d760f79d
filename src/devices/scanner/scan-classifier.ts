import type { ScanClassification } from './scanner-port.js';

export interface ClassifierOptions {
  /** Our Paysera location id; a spot code with another location is classified `ours: false`. */
  readonly locationId: number | null;
  /** Reservation code length bounds (digits). The only documented example has 28; not fixed. */
  readonly reservationMinDigits?: number;
  readonly reservationMaxDigits?: number;
}

const SPOT = /^PAYSERA\*(\d{1,12}):([^\s].{0,63})$/u;
/** Identifiers: printable, no control characters (already guaranteed by the sanitizer). */
const CENTRAPAY_HOST = /^(?:[a-z0-9-]+\.)*centrapay\.com$/;

/**
 * Classifies one sanitized scan. Pure; never throws.
 *
 * - `PAYSERA*{locationId}:{identifier}` (also wrapped as `https://paysera.com/app?qr=...`): a spot
 *   code; `ours` when the location equals ours.
 * - digits only, `reservationMinDigits`..`reservationMaxDigits` long (16..40 by default): a
 *   reservation code.
 * - an https URL whose host is centrapay.com or a subdomain (e.g. `https://app.centrapay.com/pay/ID`,
 *   legacy `https://service.centrapay.com/api/payment-requests/ID/pay`): a Centrapay URL.
 * - anything else: unknown.
 */
export function classifyScan(text: string, options: ClassifierOptions): ScanClassification {
  const min = options.reservationMinDigits ?? 16;
  const max = options.reservationMaxDigits ?? 40;
  const trimmed = text.trim();

  const spot = spotCode(unwrapPayseraApp(trimmed), options.locationId);
  if (spot !== null) return spot;

  if (/^\d+$/.test(trimmed) && trimmed.length >= min && trimmed.length <= max) {
    return { kind: 'paysera-reservation', code: trimmed };
  }

  const centrapay = centrapayUrl(trimmed);
  if (centrapay !== null) return centrapay;

  return { kind: 'unknown' };
}

function spotCode(text: string, ourLocation: number | null): ScanClassification | null {
  const match = SPOT.exec(text);
  if (match === null) return null;
  const locationId = Number(match[1]);
  const identifier = match[2] ?? '';
  if (!Number.isSafeInteger(locationId) || identifier.trim() !== identifier) return null;
  return { kind: 'paysera-spot', code: text, locationId, identifier, ours: ourLocation !== null && locationId === ourLocation };
}

/** `https://paysera.com/app?qr=CODE` wraps any Paysera QR template; return CODE, else the text. */
function unwrapPayseraApp(text: string): string {
  if (!text.startsWith('https://')) return text;
  const url = parseUrl(text);
  if (url === null || (url.hostname !== 'paysera.com' && url.hostname !== 'www.paysera.com') || url.pathname !== '/app') return text;
  return url.searchParams.get('qr') ?? text;
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
