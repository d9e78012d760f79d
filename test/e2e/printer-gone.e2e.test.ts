import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eBed } from '../support/e2e-bed.js';
import type { TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * Nothing silent (issue #26, docs/hardware.md): a `file:` printer whose folder disappears during a
 * sale is logged once as a warning naming the printer, shown on the display, and the receipt
 * prints exactly once when the folder is back. Through `counterpay run` and its real transport.
 */

const bed = e2eBed();

interface LogLine {
  level: number;
  msg: string;
  device?: string;
  code?: string;
  printer?: string;
}

const logLines = (t: TerminalProcess): LogLine[] =>
  t.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('the printer gone during a sale', { timeout: PROCESS_TEST_MS }, () => {
  it('a warning naming the printer, once; the receipt prints exactly once when the folder is back', async () => {
    const emu = bed.emu;
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const t = await bed.startTerminal();
    const prints = join(t.dir, 'prints');
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    rmSync(prints, { recursive: true, force: true });
    await t.type('A1#1299#');
    const key = await waitFor(() => emu.wallet.snapshot().orders.find((o) => o.status === 'pending')?.transaction_key, 'an order');
    emu.wallet.customerReserve(key, { customer: 'alice' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID');
    const warning = await waitFor(() => logLines(t).find((l) => l.device === 'printer' && l.level === 40), 'a printer warning in the log');
    expect(warning.code).toMatch(/^printer_/);
    expect(warning.printer).toContain(prints);
    await t.waitForScreen(/Printer|printer/, 'the printer problem on the display');
    expect(t.printed()).toHaveLength(0);

    mkdirSync(prints);
    await waitFor(() => t.printed().length === 1, 'the receipt printed once the folder is back', 90_000);
    await waitFor(() => logLines(t).some((l) => l.device === 'printer' && l.msg === 'printer: working again'), 'the recovery logged');
    // One warning for the fault however many retries it took, one receipt.
    expect(logLines(t).filter((l) => l.device === 'printer' && l.level === 40)).toHaveLength(1);
    expect(t.printed()).toHaveLength(1);
    expect(t.printed()[0]?.file).toMatch(/-receipt\.bin$/);
  });
});
