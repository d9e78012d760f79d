import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TerminalProcess } from './terminal-process.js';

export type TerminalOptions = ConstructorParameters<typeof TerminalProcess>[1];

/** What an end-to-end test gets: this test's emulator, and `counterpay run` started against it. */
export interface E2eBed {
  readonly emu: Emulator;
  /** Starts `counterpay run` (stopped after the test) and waits until it is ready. */
  startTerminal(options?: TerminalOptions): Promise<TerminalProcess>;
}

/**
 * Call once at the top of an e2e file: each test gets a fresh emulator (random seed, EUR for
 * Centrapay as the terminal sells in EUR) and every terminal it started is stopped after it.
 * `defaults` are merged under each startTerminal's options.
 */
export function e2eBed(defaults: TerminalOptions = {}): E2eBed {
  let emu: Emulator | undefined;
  const started: TerminalProcess[] = [];
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: Math.floor(Math.random() * 1e9), centrapayCurrencies: ['EUR'] });
  });
  afterEach(async () => {
    for (const t of started.splice(0)) await t.stop();
    await emu?.stop();
    emu = undefined;
  });
  const bed: E2eBed = {
    get emu(): Emulator {
      if (emu === undefined) throw new Error('no emulator: use the bed inside a test');
      return emu;
    },
    async startTerminal(options = {}) {
      const t = new TerminalProcess(bed.emu.url, { ...defaults, ...options });
      started.push(t);
      t.start();
      await t.ready();
      return t;
    },
  };
  return bed;
}
