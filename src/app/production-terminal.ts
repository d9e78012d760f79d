import { SystemClock } from '../platform/clock.js';
import { SystemRandom } from '../platform/random.js';
import { TerminalApp, type TerminalAppOptions } from './terminal-app.js';

/**
 * The terminal as it runs at a counter: the system clock, crypto randomness, and the gateways,
 * transports and journal TerminalApp builds from the config. `counterpay run`, the demo and the
 * crash loop's worker all start their terminal here, so what the crash loop and the end-to-end
 * tests exercise is the production wiring itself; a seeded random source or a fake clock can only
 * reach a terminal through unit-level harnesses, never through this path.
 */
export function createProductionTerminal(options: Omit<TerminalAppOptions, 'clock' | 'random'>): TerminalApp {
  return new TerminalApp({ ...options, clock: new SystemClock(), random: new SystemRandom() });
}
