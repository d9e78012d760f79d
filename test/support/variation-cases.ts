import { variationsOf, type EmulatedService, type VariationName } from '../../src/emulator/variations.js';

/** One run of a test suite: the emulator answering as documented, or as one variation. */
export interface VariationCase {
  readonly label: string;
  readonly variations: readonly VariationName[];
  has(name: VariationName): boolean;
}

function variationCase(label: string, variations: readonly VariationName[]): VariationCase {
  return { label, variations, has: (name) => variations.includes(name) };
}

/**
 * The runs a suite of `service` makes: the documented default, then each variation of that
 * service alone (src/emulator/variations.ts). For `describe.each`, so a variation added there is
 * covered by every suite of its service without touching the tests.
 */
export function variationCases(service: EmulatedService): VariationCase[] {
  return [variationCase('as documented', []), ...variationsOf(service).map((v) => variationCase(`variation ${v.name}`, [v.name]))];
}
