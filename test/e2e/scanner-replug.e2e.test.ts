import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { hasTool, skipReason } from '../support/debian-tools.js';
import { SocatPair } from '../support/socat-pair.js';
import { TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * Nothing silent (issue #26, docs/hardware.md): the scanner unplugged and plugged back quickly,
 * ten times 250 ms apart (socat's pty pair killed and started again at the same path), and the
 * terminal, `counterpay run` with its real serial scanner, still reads the next code, having
 * logged the unplug.
 */

const hasSocat = hasTool('socat', ['-V']);
let emu: Emulator;
let terminal: TerminalProcess | undefined;
let dir: string;
let pair: SocatPair;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'counterpay-replug-'));
  pair = new SocatPair(dir);
  emu = await startEmulator({ port: 0, seed: Math.floor(Math.random() * 1e9), centrapayCurrencies: ['EUR'] });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await pair.unplug();
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the scanner replugged quickly', { timeout: PROCESS_TEST_MS }, () => {
  it.skipIf(!hasSocat)(`10 unplug/replug cycles 250 ms apart, then a scanned code is read${skipReason(hasSocat, 'socat', 'socat')}`, async () => {
    await pair.plugIn();
    const t = (terminal = new TerminalProcess(emu.url, { scannerPath: pair.scannerPath }));
    t.start();
    await t.ready();
    for (let cycle = 0; cycle < 10; cycle++) {
      await pair.unplug();
      await new Promise((resolve) => setTimeout(resolve, 250));
      await pair.plugIn();
    }
    // The unplug was said in the log (once per problem, with a code).
    await waitFor(() => /"device":"scanner"[^\n]*"code":"scanner_/.test(t.stdout), 'a scanner problem in the log');
    // A code sale: the code scanned after the replugs reaches Paysera.
    const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
    await t.type('B500#');
    await t.waitForScreen(/Scan code/, 'Scan code');
    // The scanner may still be reconnecting: scan until the terminal has read it.
    await waitFor(() => {
      writeFileSync(pair.hostPath, `${code}\r`);
      return emu.requests.list({ service: 'paysera-wallet' }).some((r) => r.path.endsWith('/reserve'));
    }, 'the scanned code read and sent', 30_000);
    await t.waitForScreen(/PAID 5\.00/, 'PAID');
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(1);
  });
});
