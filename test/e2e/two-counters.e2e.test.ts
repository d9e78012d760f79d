import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TERMINAL_PARAMETER } from '../../src/engine/paysera-wallet/shared-spots.js';
import { BIN, TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * Two `counterpay run` processes at one location against one emulator, typed at like staff at
 * two counters (docs/configuration.md#several-counters). Nothing connects them but the emulated
 * Paysera: each has its own journal, display and printer.
 */

let emu: Emulator;
const running: TerminalProcess[] = [];

beforeEach(async () => {
  emu = await startEmulator({ port: 0, seed: Math.floor(Math.random() * 1e9), centrapayCurrencies: ['EUR'] });
});

afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
  await emu.stop();
});

async function counter(name: string, tables: unknown[], otherTables?: string[]): Promise<TerminalProcess> {
  const t = new TerminalProcess(emu.url, { terminalName: name, tables, ...(otherTables === undefined ? {} : { otherTables }) });
  running.push(t);
  t.start();
  await t.ready();
  return t;
}

const table = (n: number): { id: string; number: number } => ({ id: `TABLE${n}`, number: n });
const applied = (method: string, path: RegExp): number => emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === method && path.test(r.path) && r.applied).length;
const closes = (spotId: number): number => applied('PUT', new RegExp(`/spot/${spotId}/close$`));
const orders = (spotId: number): number => applied('POST', new RegExp(`/spot/${spotId}/order$`));
const pendingOrderAt = (spotId: number): Promise<string> =>
  waitFor(() => emu.wallet.snapshot().orders.find((o) => o.spot_id === spotId && o.status === 'pending')?.transaction_key, `an order at spot ${spotId}`);

describe('two counters at one location', { timeout: PROCESS_TEST_MS }, () => {
  it('split tables: each sells its own, refuses the other\'s, closes neither\'s spot; a fabricated spot is closed', async () => {
    const alice = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const carol = emu.wallet.checkInByCode('PAYSERA*3:TABLE3', 'carol');
    const fake = emu.wallet.checkInByCode('PAYSERA*3:FREEBEER', 'mallory');
    const bar = await counter('bar', [table(1), table(2)], ['TABLE3']);
    const terrace = await counter('terrace', [table(3)], ['TABLE1', 'TABLE2']);
    await bar.waitForScreen(/1 waiting/, 'the bar sees its one customer');
    await terrace.waitForScreen(/1 waiting/, 'the terrace sees its one customer');
    await waitFor(() => emu.wallet.getSpot(fake.id).status === 'closed', 'the fabricated spot closed');

    // The bar keys the terrace's table: one line, nothing sent.
    await bar.type('A3#');
    await bar.waitForScreen(/other till/i, 'the other till line');
    expect(orders(carol.id)).toBe(0);
    await bar.type('*');

    await bar.type('A1#1299#');
    emu.wallet.customerReserve(await pendingOrderAt(alice.id), { customer: 'alice' });
    await terrace.type('A3#800#');
    const carolKey = await pendingOrderAt(carol.id);
    expect((emu.wallet.getTransaction(carolKey).payments[0]?.parameters as Record<string, unknown> | undefined)?.[TERMINAL_PARAMETER]).toBe('terrace');
    emu.wallet.customerReserve(carolKey, { customer: 'carol' });
    await bar.waitForScreen(/PAID 12\.99/, 'the bar PAID');
    await terrace.waitForScreen(/PAID 8\.00/, 'the terrace PAID');
    await waitFor(() => closes(alice.id) === 1 && closes(carol.id) === 1, 'each spot closed once, by its own counter');
    const receipt = await waitFor(() => terrace.printed().find((p) => p.file.endsWith('-receipt.bin')), 'the terrace receipt');
    expect(receipt.lines.join('\n')).toMatch(/TOTAL\s+8\.00 EUR/);
    expect(bar.printed()).toHaveLength(1);
  });

  it('a shared table gets one order; an order closed elsewhere ends its sale as cancelled', async () => {
    const erin = emu.wallet.checkInByCode('PAYSERA*3:TABLE5', 'erin');
    const bar = await counter('bar', [table(5)]);
    const terrace = await counter('terrace', [table(5)]);
    await bar.waitForScreen(/1 waiting/, 'the bar sees table 5');
    await terrace.waitForScreen(/1 waiting/, 'the terrace sees table 5');
    await bar.type('A5#800#');
    await pendingOrderAt(erin.id);
    // The terrace keys the same table a moment later: refused (its list, or its read of the spot, says busy).
    await terrace.type('A5#800#');
    await terrace.waitForScreen(/other till|No customer/i, 'the terrace refuses the busy table');
    expect(orders(erin.id)).toBe(1);

    // Someone else (the other till, the back office) closes the spot with the bar's order on it.
    emu.wallet.closeSpot(erin.id);
    await bar.waitForScreen(/CANCELLED 8\.00/, 'the bar shows the sale cancelled');
    await bar.waitForScreen(/Closed elsewhere/i, 'with the reason');
    expect(closes(erin.id)).toBe(0);
    expect(applied('PUT', /\/confirm$/)).toBe(0);
    // The day report says so too (read while the terminal runs).
    const report = spawnSync(process.execPath, [BIN, 'report', '--config', bar.configPath], { encoding: 'utf8' });
    expect(report.status).toBe(0);
    expect(report.stdout).toMatch(/Cancelled\s+1\b/);
    expect(report.stdout).toContain('1 of the cancelled were closed by another counter or the back office');
  });

  it('kill -9 of one counter mid-sale while the other sells: both sales paid exactly once', async () => {
    const alice = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    const carol = emu.wallet.checkInByCode('PAYSERA*3:TABLE3', 'carol');
    const bar = await counter('bar', [table(1)], ['TABLE3']);
    const terrace = await counter('terrace', [table(3)], ['TABLE1']);
    await bar.waitForScreen(/1 waiting/, 'the bar sees table 1');
    await bar.type('A1#500#');
    const aliceKey = await pendingOrderAt(alice.id);
    await bar.kill9();
    // While the bar is down, its customer pays and the terrace sells on.
    emu.wallet.customerReserve(aliceKey, { customer: 'alice' });
    await terrace.waitForScreen(/1 waiting/, 'the terrace sees table 3');
    await terrace.type('A3#700#');
    emu.wallet.customerReserve(await pendingOrderAt(carol.id), { customer: 'carol' });
    await terrace.waitForScreen(/PAID 7\.00/, 'the terrace PAID');
    bar.start();
    await bar.ready();
    await waitFor(() => emu.wallet.getTransaction(aliceKey).status === 'confirmed', 'the bar confirms after its restart');
    await waitFor(() => bar.printed().some((p) => p.file.endsWith('-receipt.bin')), 'the bar receipt');
    await waitFor(() => closes(alice.id) === 1 && closes(carol.id) === 1, 'both spots closed once');
    expect(applied('PUT', /\/confirm$/)).toBe(2);
    expect(bar.printed()).toHaveLength(1);
    expect(terrace.printed()).toHaveLength(1);
  });
});
