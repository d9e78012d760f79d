import { badParameters } from '../http-error.js';

export interface SpotCode {
  readonly locationId: number;
  readonly identifier: string;
}

/**
 * Parses `PAYSERA*{locationId}:{identifier}` (https://developers.paysera.com/en/wallet/app/pos).
 * Any identifier auto-registers a spot, under whatever location id the code names. A malformed
 * code is 400 invalid_parameters (the real API's answer is undocumented).
 *
 * Deliberately not the terminal's parser (domain/spot-code.ts): the emulator stands in for
 * Paysera, so it reads codes by its own, separately written rule. A client bug shared with the
 * emulator would pass every test; two readings written apart can disagree, and a test sees it.
 */
export function parseSpotCode(code: string): SpotCode {
  const match = /^PAYSERA\*(\d{1,9}):(.+)$/.exec(code);
  if (match === null) throw badParameters('Spot code must look like PAYSERA*{location_id}:{identifier}');
  const identifier = (match[2] ?? '').trim();
  if (identifier === '') throw badParameters('Spot code has an empty identifier');
  return { locationId: Number(match[1]), identifier: identifier.toLowerCase() };
}
