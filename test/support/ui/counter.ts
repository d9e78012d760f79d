import type { TableConfig } from '../../../src/config/load-config.js';
import { FakeDisplay } from '../../../src/devices/display/fake-display.js';
import { FakeKeypad } from '../../../src/devices/keypad/fake-keypad.js';
import { FakeScanner } from '../../../src/devices/scanner/fake-scanner.js';
import { FakeClock } from '../../../src/platform/fake-clock.js';
import { TerminalUi, type TerminalUiOptions, type UiActions } from '../../../src/ui/terminal-ui.js';
import { FakeEngine } from './fake-engine.js';

/**
 * A counter for UI tests: TerminalUi on a fake clock, display, keypad, scanner and engine,
 * typed at like a person (the display catches up after each key).
 */

export const LOCATION = 77;
export const CODE = '1234567890123456789012345678';

export const tables: TableConfig[] = [
  { id: 'TABLE5', number: 5, name: 'TABLE5' },
  { id: 'TABLE7', number: 7, name: 'TABLE7' },
  { id: 'TABLE12', number: 12, name: 'TABLE12' },
  { id: 'BAR', number: 20, name: 'Bar' },
];

export interface Counter {
  clock: FakeClock;
  display: FakeDisplay;
  keypad: FakeKeypad;
  scanner: FakeScanner;
  engine: FakeEngine;
  ui: TerminalUi;
  errors: unknown[];
  /** Presses the keys in turn, letting the display catch up after each, as a person would. */
  type(keys: string): Promise<void>;
  scan(text: string): Promise<void>;
  settle(): Promise<void>;
  /** What the display shows now, trailing spaces dropped. */
  screen(): string[];
}

const running: TerminalUi[] = [];

/** `centrapay`: the engine is built with Centrapay (C starts a sale). */
export async function counter(options: { columns?: number; actions?: UiActions; centrapay?: boolean; ui?: Partial<TerminalUiOptions> } = {}): Promise<Counter> {
  const clock = new FakeClock({ wallMs: Date.UTC(2026, 10, 21, 12, 34, 10) });
  const display = new FakeDisplay({ columns: options.columns ?? 16, rows: 2 });
  const keypad = new FakeKeypad(clock);
  const scanner = new FakeScanner(clock, { locationId: LOCATION });
  const engine = new FakeEngine({ tables, centrapay: options.centrapay ?? false });
  const errors: unknown[] = [];
  const ui = new TerminalUi({ engine, display, keypad, scanner, clock, tables, currency: 'EUR', timeZone: 'UTC', actions: options.actions, onError: (e) => errors.push(e), ...options.ui });
  await display.start();
  await keypad.start();
  await scanner.start();
  await ui.start();
  running.push(ui);
  const settle = (): Promise<void> => clock.advance(0);
  await settle();
  return {
    clock,
    display,
    keypad,
    scanner,
    engine,
    ui,
    errors,
    settle,
    async type(keys) {
      for (const key of keys) {
        keypad.type(key);
        await settle();
      }
    },
    async scan(text) {
      scanner.scan(text);
      await settle();
    },
    screen() {
      return display.lastText() ?? [];
    },
  };
}

/** Has `ui` stopped with the counters (for a test that builds its own TerminalUi). */
export function track(ui: TerminalUi): void {
  running.push(ui);
}

/** Stops every counter a test made (call in afterEach). */
export async function stopCounters(): Promise<void> {
  for (const ui of running.splice(0)) await ui.stop();
}
