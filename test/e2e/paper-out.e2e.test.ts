import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeNetworkPrinter } from '../../src/devices/printer/transports/fake-network-printer.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * Paper out (issue #26, docs/hardware.md): a network printer (`tcp://`, the production
 * transport) that answers the ESC/POS real-time status request (DLE EOT) with "paper end". The
 * terminal asks before the receipt, holds it (nothing sent, so nothing lost), says so on the
 * display and once in the log, and prints it exactly once when the paper is back.
 */

let emu: Emulator;
let printer: FakeNetworkPrinter;
let terminal: TerminalProcess | undefined;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, seed: Math.floor(Math.random() * 1e9), centrapayCurrencies: ['EUR'] });
  printer = new FakeNetworkPrinter({ paper: 'out' });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await printer.stop();
  await emu.stop();
});

describe('the printer out of paper', { timeout: PROCESS_TEST_MS }, () => {
  it('the receipt is held, "paper out" shown and logged once, and printed once when the paper is back', async () => {
    const port = await printer.start();
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const t = (terminal = new TerminalProcess(emu.url, { printer: { interface: `tcp://127.0.0.1:${port}` } }));
    t.start();
    await t.ready();
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#1299#');
    const key = await waitFor(() => emu.wallet.snapshot().orders.find((o) => o.status === 'pending')?.transaction_key, 'an order');
    emu.wallet.customerReserve(key, { customer: 'alice' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID');
    await t.waitForScreen(/[Pp]aper out/, 'paper out on the display');
    await waitFor(() => /"device":"printer"[^\n]*"code":"printer_paper_out"/.test(t.stdout), 'paper out in the log');
    // Asked, and nothing sent: no receipt lost on a printer that cannot print.
    expect(printer.statusRequests).toBeGreaterThan(0);
    expect(printer.lost).toHaveLength(0);
    expect(printer.printed).toHaveLength(0);

    printer.state = { paper: 'ok' };
    await waitFor(() => printer.printed.length === 1, 'the receipt printed once the paper is back', 60_000);
    expect(printer.lost).toHaveLength(0);
    expect(t.stdout.match(/"code":"printer_paper_out"/g)).toHaveLength(1);
    await waitFor(() => /"device":"printer"[^\n]*working again/.test(t.stdout), 'the recovery logged');
    expect(printer.printed).toHaveLength(1);
  });
});
