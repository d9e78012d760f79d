import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e2eBed } from '../support/e2e-bed.js';
import { hasTool, skipReason } from '../support/debian-tools.js';
import { openScannerPty, type ScannerPty } from '../support/scanner-pty.js';
import { BIN, type TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * Refunds at the keypad (issue #27), end to end: `counterpay run` with ui.supervisorPin against
 * the emulator. D, 6, the PIN and #, the receipt number and # (# alone: the last paid sale), # on
 * the sale refunds it. Each test asserts what the display showed, what was printed and what the
 * emulator recorded: one refund effect at the provider per refunded sale, none for a wrong PIN or
 * a second try.
 */

const PIN = '4321';
const bed = e2eBed({ supervisorPin: PIN, buzzer: { driver: 'console' } });

/** Payment cancels (the Paysera refund) the emulator applied. */
const paymentDeletes = (): { path: string }[] => bed.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'DELETE' && /^\/rest\/v1\/payment\/\d+$/.test(r.path) && r.applied);
/** Every refund write that reached either provider, applied or not. */
const refundWrites = (): number =>
  bed.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'DELETE').length +
  bed.emu.requests.list({ service: 'centrapay' }).filter((r) => r.method === 'POST' && r.path.endsWith('/refund')).length;
const slips = (t: TerminalProcess): { file: string; lines: string[] }[] => t.printed().filter((p) => p.file.endsWith('-refund-slip.bin'));

/** Back to idle from whatever result is shown. */
async function toIdle(t: TerminalProcess): Promise<void> {
  await t.type('*');
  await t.waitForCurrentScreen(/A table/, 'idle');
}

/** D 6, the PIN and #: the receipt number prompt. */
async function openRefund(t: TerminalProcess, pin = PIN): Promise<void> {
  await t.type('D');
  await t.waitForCurrentScreen(/6 Refund/, 'the menu with 6 Refund');
  await t.type('6');
  await t.waitForCurrentScreen(/Supervisor PIN/, 'the PIN prompt');
  await t.type(`${pin}#`);
}

/** A wrong PIN: "Wrong PIN", the failure beep, nothing sent; then a right one opens the number prompt. */
async function wrongPinThenRight(t: TerminalProcess): Promise<void> {
  const before = t.stderr.split('~ beep: one long').length;
  await openRefund(t, '9999');
  await t.waitForScreen(/Wrong PIN/, 'Wrong PIN');
  await waitFor(() => t.stderr.split('~ beep: one long').length > before || undefined, 'the failure beep');
  expect(t.screens().some((s) => s.includes('9999'))).toBe(false);
  expect(refundWrites()).toBe(0);
  await t.type(`${PIN}#`);
  await t.waitForCurrentScreen(/Receipt no/, 'the receipt number prompt');
}

/** On the receipt number prompt: `number` (empty: the last paid sale), the sale shown, # refunds it. */
async function refund(t: TerminalProcess, number: string, sale: RegExp, amount: string): Promise<void> {
  await t.type(`${number}#`);
  await t.waitForCurrentScreen(new RegExp(`${sale.source}.*${amount.replace('.', '\\.')} # refund`), 'the sale to refund');
  await t.type('#');
  await t.waitForScreen(new RegExp(`REFUNDED ${amount.replace('.', '\\.')}`), 'REFUNDED');
}

/** The refund slip of `amount`, printed once. */
async function slipOf(t: TerminalProcess, amount: string): Promise<string> {
  const slip = await waitFor(() => slips(t).find((p) => p.lines.join('\n').includes(amount)), `the refund slip of ${amount}`);
  const text = slip.lines.join('\n');
  expect(text).toMatch(/REFUND/);
  expect(text).toMatch(/E2E Cafe/);
  return text;
}

/** The second try: the same sale is refused with one line before anything is sent. */
async function secondTryRefused(t: TerminalProcess, number: string): Promise<void> {
  const writes = refundWrites();
  await toIdle(t);
  await openRefund(t);
  await t.waitForCurrentScreen(/Receipt no/, 'the receipt number prompt');
  await t.type(`${number}#`);
  await t.waitForScreen(/Already refunded|Refunded before/, 'already refunded');
  expect(refundWrites()).toBe(writes);
  // D leaves the refund screens for idle.
  await t.type('D');
  await t.waitForCurrentScreen(/A table/, 'idle');
}

function reportOf(t: TerminalProcess): string {
  const report = spawnSync(process.execPath, [BIN, 'report', '--config', t.configPath], { encoding: 'utf8' });
  expect(report.status, report.stderr).toBe(0);
  return report.stdout;
}

/** A Centrapay sale paid (C, amount, #, the patron pays), back on idle. */
async function centrapaySale(t: TerminalProcess, keys: string, paid: RegExp): Promise<string> {
  const known = new Set(bed.emu.centrapay.list().map((r) => r.id));
  await t.type(keys);
  const request = await waitFor(() => bed.emu.centrapay.list().find((r) => !known.has(r.id)), 'a payment request at the emulator');
  bed.emu.centrapay.pay(request.id);
  await t.waitForScreen(paid, 'PAID');
  await toIdle(t);
  return request.id;
}

/** The Centrapay refund whose answer is lost (applied, then the connection dropped): done once. */
async function centrapayRefundAnswerLost(t: TerminalProcess, requestId: string, number: string): Promise<void> {
  bed.emu.faults.add({ kind: 'applyThenDrop', count: 1, method: 'POST', path: '/api/payment-requests/*/refund' });
  await openRefund(t);
  await t.waitForCurrentScreen(/Receipt no/, 'the receipt number prompt');
  await refund(t, number, new RegExp(`Sale ${number} Centrapay`), '12.50');
  await slipOf(t, '12.50');
  const remote = bed.emu.centrapay.list().find((r) => r.id === requestId);
  expect(remote?.refunds).toHaveLength(1);
  expect(remote?.refunds[0]?.amountMinor).toBe(1250);
  // The lost answer was asked again with the same externalRef, and nothing more was refunded.
  const posts = bed.emu.requests.list({ service: 'centrapay' }).filter((r) => r.method === 'POST' && r.path === `/api/payment-requests/${requestId}/refund`);
  expect(posts.length).toBeGreaterThanOrEqual(2);
}

describe('refunds at the keypad under counterpay run', { timeout: PROCESS_TEST_MS }, () => {
  it('without ui.supervisorPin item 6 says refunds are disabled and nothing is sent', async () => {
    const terminal = await bed.startTerminal({ supervisorPin: undefined });
    await terminal.type('D');
    await terminal.waitForCurrentScreen(/6 Refund/, 'the menu');
    await terminal.type('6');
    await terminal.waitForScreen(/Refunds disabled/, 'refunds disabled');
    expect(refundWrites()).toBe(0);
  });

  it('a table sale and a Centrapay sale whose refund answer is lost: a wrong PIN sends nothing, each refunded once with a slip, a second try refused, the report counts 2', async () => {
    const spot = bed.emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const t = await bed.startTerminal({ centrapayAndPos: true });
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#500#');
    bed.emu.wallet.customerReserve(await waitFor(() => bed.emu.wallet.snapshot().orders.find((o) => o.status === 'pending')?.transaction_key, 'an order'), { customer: 'alice' });
    await t.waitForScreen(/PAID 5\.00/, 'PAID');
    await waitFor(() => bed.emu.wallet.getSpot(spot.id).status === 'closed' || undefined, 'the spot closed');
    await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    await toIdle(t);

    await wrongPinThenRight(t);
    // # alone: the last paid sale, the table sale (no. 1).
    await refund(t, '', /Sale 1 Table/, '5.00');
    await waitFor(() => paymentDeletes().length === 1 || undefined, 'the payment cancelled');
    expect(await slipOf(t, '5.00')).toMatch(/Paysera \(table\)/);
    await secondTryRefused(t, '1');
    expect(paymentDeletes()).toHaveLength(1);

    const requestId = await centrapaySale(t, 'C1250#', /PAID 12\.50/);
    await centrapayRefundAnswerLost(t, requestId, '2');
    expect(slips(t)).toHaveLength(2);
    expect(paymentDeletes()).toHaveLength(1);
    // With the pos section each refund is recorded in the back office once: a cancelled order named after the sale's.
    const refundOrders = (): { totalCents: number }[] => bed.emu.pos.allOrders().filter((o) => o.status === 'cancelled' && /^Refund E2E-sale_/.test(o.positions[0]?.title ?? ''));
    await waitFor(() => refundOrders().length === 2 || undefined, 'two refund records in the POS');
    expect(refundOrders().map((o) => o.totalCents).sort((a, b) => a - b)).toEqual([500, 1250]);

    expect(await t.stop()).toBe(0);
    const report = reportOf(t);
    expect(report).toMatch(/^Refunds\s+2\s+-17\.50 EUR$/m);
    expect(report).toMatch(/^NET\s+0\.00 EUR$/m);
  });
});

const hasSocat = hasTool('socat', ['-V']);

describe(`refund of a code sale with a serial scanner on a socat pty${skipReason(hasSocat, 'socat', 'socat')}`, { timeout: PROCESS_TEST_MS }, () => {
  let pty: ScannerPty | undefined;

  beforeEach(async () => {
    if (hasSocat) pty = await openScannerPty();
  });

  afterEach(() => {
    pty?.close();
    pty = undefined;
  });

  it.skipIf(!hasSocat)('a code sale refunded once (one DELETE of its payment), REFUNDED and a slip; a second try refused; a Centrapay refund whose answer is lost done once; the report counts 2', async () => {
    const t = await bed.startTerminal({ scannerPath: pty?.scannerPath ?? '', centrapayAndPos: true });
    await t.type('B500#');
    await t.waitForScreen(/Scan code/, 'Scan code');
    const { code } = bed.emu.wallet.issueReservationCode({ balance: 5000 });
    pty?.scan(code);
    await t.waitForScreen(/PAID 5\.00/, 'PAID');
    await waitFor(() => t.printed().find((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    await toIdle(t);

    await wrongPinThenRight(t);
    await refund(t, '1', /Sale 1 Code/, '5.00');
    await waitFor(() => paymentDeletes().length === 1 || undefined, 'the payment cancelled');
    // The DELETE is of the code sale's payment.
    const payment = bed.emu.wallet.snapshot().transactions.flatMap((tx) => tx.payments)[0];
    expect(paymentDeletes()[0]?.path).toBe(`/rest/v1/payment/${payment?.id}`);
    expect(await slipOf(t, '5.00')).toMatch(/Paysera \(code\)/);
    await secondTryRefused(t, '1');
    expect(paymentDeletes()).toHaveLength(1);

    const requestId = await centrapaySale(t, 'C1250#', /PAID 12\.50/);
    await centrapayRefundAnswerLost(t, requestId, '2');
    expect(slips(t)).toHaveLength(2);

    expect(await t.stop()).toBe(0);
    expect(reportOf(t)).toMatch(/^Refunds\s+2\s+-17\.50 EUR$/m);
  });
});
