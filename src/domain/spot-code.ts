import { CodedError } from '../platform/coded-error.js';

/**
 * Paysera spot codes, as printed on table cards: `PAYSERA*{locationId}:{identifier}`, e.g.
 * `PAYSERA*3:TABLE1`, optionally wrapped as `https://paysera.com/app?qr={code}`. This module is
 * the terminal's one parser and formatter of them: the scanner's classifier, the printed table
 * cards, `counterpay print-tables` and the engine's table lookup all go through it, so a card the
 * terminal prints is always a card it reads back as its own. (The emulator keeps a parser of its
 * own on purpose: it stands in for Paysera and must not share the client's reading.)
 *
 * Sources: the POS features spec https://developers.paysera.com/en/wallet/app/pos ("prefix
 * PAYSERA*, followed by location ID ... and spot identifier, separated by colon"; `location_id`
 * is typed `integer`), the quick start https://developers.paysera.com/accept-payments-via-qr-codes
 * (`PAYSERA*{locationId}:{identifier}`) and the QR templates of
 * https://developers.paysera.com/en/wallet/integration/scan-and-pay (the app link wraps any code).
 *
 * The location id: Paysera publishes it as an integer and sets no upper bound, so every positive
 * integer the terminal can hold exactly is accepted, 1 to Number.MAX_SAFE_INTEGER (at most 16
 * digits). That is the range `paysera.locationId` takes in the configuration, so no configured
 * location prints a card the scanner would refuse. It is written as an integer is: decimal, no
 * sign, no leading zero (what formatSpotCode prints; `PAYSERA*03:T` is not a code of location 3).
 *
 * The identifier: free text, "recommended to contain only uppercase letters, space or digits"
 * (spec). Our bounds, not Paysera's: 1 to 64 characters (as `paysera.tables[].id`), no control
 * characters (scanner noise, never on a printed card) and no space at either end (a card never
 * starts or ends with one; the scanner trims the line).
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

export const SPOT_CODE_PREFIX = 'PAYSERA*';
export const MAX_IDENTIFIER_LENGTH = 64;

const APP_LINK_HOSTS = ['paysera.com', 'www.paysera.com'];
/** A positive integer as written: no sign, no leading zero; the size is checked on the number. */
const LOCATION_DIGITS = /^[1-9]\d*$/;

/** Whether `id` can be a location id in a spot code. */
export function isLocationId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/** Why `identifier` cannot stand in a spot code, or undefined when it can (for the configuration too). */
export function spotIdentifierProblem(identifier: string): string | undefined {
  if (identifier.length === 0 || identifier.length > MAX_IDENTIFIER_LENGTH) return `an identifier is 1 to ${MAX_IDENTIFIER_LENGTH} characters`;
  if (/\p{Cc}/u.test(identifier)) return 'an identifier has no control characters';
  if (identifier.trim() !== identifier) return 'an identifier neither starts nor ends with a space';
  return undefined;
}

/** `https://paysera.com/app?qr=CODE` wraps any Paysera QR template: CODE, else `text` as it is. */
export function unwrapAppLink(text: string): string {
  if (!text.startsWith('https://')) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (!APP_LINK_HOSTS.includes(url.hostname) || url.pathname !== '/app') return text;
  return url.searchParams.get('qr') ?? text;
}

/** The spot code in `text`, or why there is none. */
function read(text: string): SpotCode | string {
  const code = unwrapAppLink(text.trim());
  if (!code.startsWith(SPOT_CODE_PREFIX)) return 'not a Paysera spot code';
  const rest = code.slice(SPOT_CODE_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return 'spot code without ":"';
  const location = rest.slice(0, colon);
  const identifier = rest.slice(colon + 1);
  const locationId = Number(location);
  if (!LOCATION_DIGITS.test(location) || !isLocationId(locationId)) return `a location id is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`;
  const problem = spotIdentifierProblem(identifier);
  if (problem !== undefined) return problem;
  return { locationId, identifier };
}

/**
 * The spot code in a scanned or typed text (surrounding whitespace and a line end are ignored;
 * the app link is unwrapped). Throws SpotCodeError `invalid_spot_code` when there is none.
 */
export function parseSpotCode(text: string): SpotCode {
  const spot = read(text);
  if (typeof spot === 'string') throw new SpotCodeError('invalid_spot_code', spot);
  return spot;
}

/** As parseSpotCode, but undefined instead of the error: for classifying any scan. */
export function readSpotCode(text: string): SpotCode | undefined {
  const spot = read(text);
  return typeof spot === 'string' ? undefined : spot;
}

/**
 * The code a table card carries. Throws SpotCodeError `invalid_spot_code` for a location or an
 * identifier that parseSpotCode would not read back: a card nobody can use is never printed.
 */
export function formatSpotCode(spot: SpotCode): string {
  if (!isLocationId(spot.locationId)) throw new SpotCodeError('invalid_spot_code', `a location id is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`);
  const problem = spotIdentifierProblem(spot.identifier);
  if (problem !== undefined) throw new SpotCodeError('invalid_spot_code', problem);
  return `${SPOT_CODE_PREFIX}${spot.locationId}:${spot.identifier}`;
}

/** The comparison key of an identifier: the same for `TABLE1` and `table1`. */
export function identifierKey(identifier: string): string {
  return identifier.toLowerCase();
}

export function sameIdentifier(a: string, b: string): boolean {
  return identifierKey(a) === identifierKey(b);
}
