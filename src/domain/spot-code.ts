import { CodedError } from '../platform/coded-error.js';

/**
 * Paysera spot codes, as printed on table cards: `PAYSERA*{locationId}:{identifier}`
 * (reference §6.1), optionally wrapped as `https://paysera.com/app?qr={code}`.
 *
 * Identifiers compare case-insensitively: the example code `TABLE1` comes back from the API as
 * identifier `table1`, and anyone can fabricate a code, so the whitelist check must not be
 * fooled by case.
 */

export interface SpotCode {
  readonly locationId: number;
  readonly identifier: string;
}

export class SpotCodeError extends CodedError {
  declare readonly code: 'invalid_spot_code';
}

const PREFIX = 'PAYSERA*';
const MAX_IDENTIFIER = 64;

export function parseSpotCode(text: string): SpotCode {
  let code = text.replace(/[\r\n]+$/, '');
  if (code.startsWith('https://paysera.com/app?')) {
    const qr = new URLSearchParams(code.slice('https://paysera.com/app?'.length)).get('qr');
    if (qr === null) throw new SpotCodeError('invalid_spot_code', 'Paysera app link without a qr parameter');
    code = qr;
  }
  if (code.slice(0, PREFIX.length).toUpperCase() !== PREFIX) throw new SpotCodeError('invalid_spot_code', 'not a Paysera spot code');
  const rest = code.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) throw new SpotCodeError('invalid_spot_code', 'spot code without ":"');
  const location = rest.slice(0, colon);
  const identifier = rest.slice(colon + 1);
  if (!/^[1-9]\d{0,14}$/.test(location)) throw new SpotCodeError('invalid_spot_code', 'spot code with a bad location id');
  if (identifier.length === 0 || identifier.length > MAX_IDENTIFIER) throw new SpotCodeError('invalid_spot_code', 'spot code with an empty or overlong identifier');
  // Control characters come from scanner noise, never from a printed card.
  if (/[\p{Cc}]/u.test(identifier)) throw new SpotCodeError('invalid_spot_code', 'spot code with control characters');
  return { locationId: Number(location), identifier };
}

export function formatSpotCode(spot: SpotCode): string {
  return `${PREFIX}${spot.locationId}:${spot.identifier}`;
}

/** The comparison key of an identifier (ASCII-insensitive, locale-independent). */
export function identifierKey(identifier: string): string {
  return identifier.toUpperCase();
}

export function sameIdentifier(a: string, b: string): boolean {
  return identifierKey(a) === identifierKey(b);
}
