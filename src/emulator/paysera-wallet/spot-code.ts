import { badParameters } from '../http-error.js';

export interface SpotCode {
  readonly locationId: number;
  readonly identifier: string;
}

/**
 * Parses `PAYSERA*{locationId}:{identifier}` (reference §6.1). Any identifier auto-registers a
 * spot, under whatever location id the code names. A malformed code is 400 invalid_parameters
 * (the real API's answer is undocumented).
 */
export function parseSpotCode(code: string): SpotCode {
  const match = /^PAYSERA\*(\d{1,9}):(.+)$/.exec(code);
  if (match === null) throw badParameters('Spot code must look like PAYSERA*{location_id}:{identifier}');
  const identifier = (match[2] ?? '').trim();
  if (identifier === '') throw badParameters('Spot code has an empty identifier');
  return { locationId: Number(match[1]), identifier: identifier.toLowerCase() };
}
