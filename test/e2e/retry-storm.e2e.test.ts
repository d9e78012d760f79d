import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { BIN, TerminalProcess } from '../support/terminal-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A retry storm made visible: while a write keeps failing, `counterpay run` says on its idle
 * screen what is being retried and since when, `counterpay queue` lists it as retrying, and the
 * log says it once (not once per attempt), then once more when it goes through.
 */

let emu: Emulator;
let terminal: TerminalProcess | undefined;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, seed: 6 });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await emu.stop();
});

function queueListing(configPath: string, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'queue', '--config', configPath], { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TZ: 'UTC' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', () => resolve(out));
  });
}

const logLines = (t: TerminalProcess, msg: string): Array<Record<string, unknown>> =>
  t.stdout
    .split('\n')
    .filter((l) => l.includes(msg))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('counterpay run: a write that keeps failing', () => {
  it('idle screen and queue say what is retried and since when; the log says it once, and once when it goes through', async () => {
    terminal = new TerminalProcess(emu.url);
    const t = terminal;
    t.start();
    await t.ready();
    // A fabricated table is closed at once; every close is refused with a 500 for now.
    const rule = emu.faults.add({ kind: 'serverError', method: 'PUT', path: '/rest/v1/spot/*/close' });
    const spot = emu.wallet.checkInByCode('PAYSERA*3:FREEDRINKS', 'mallory');
    const closes = (): number => emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'PUT' && r.path === `/rest/v1/spot/${spot.id}/close`).length;
    await waitFor(() => closes() >= 4, 'four refused closes', 60_000);

    const shown = await t.waitForCurrentScreen(/Retry close( since)? \d\d:\d\d/, 'the retried write and since when', 30_000);
    expect(shown).not.toMatch(/A table/);
    const listing = await queueListing(t.configPath, t.dir);
    expect(listing).toMatch(/IN PROGRESS {2}op \S+ {2}(pending|unknown|in_flight) \(internal_server_error\) {2}close_spot, \d+ attempts? {2}retrying since \d{4}-\d\d-\d\d \d\d:\d\d, last attempt \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(listing).toMatch(/\(1 being retried, since /);
    // Four attempts and more, one warning.
    expect(logLines(t, 'a write is failing')).toEqual([expect.objectContaining({ kind: 'close_spot', code: 'internal_server_error', attempts: 1 })]);

    emu.faults.remove(rule.id);
    // The next attempt comes after the backoff reached by then (capped at 60 s).
    await waitFor(() => emu.wallet.getSpot(spot.id).status === 'closed', 'the spot closed once the fault is gone', 150_000);
    await waitFor(() => logLines(t, 'a failing write went through').length === 1, 'one line for the recovery', 30_000);
    expect(logLines(t, 'a failing write went through')[0]).toMatchObject({ kind: 'close_spot' });
    await t.waitForCurrentScreen(/A table/, 'the idle screen without the warning', 30_000);
    expect(logLines(t, 'a write is failing')).toHaveLength(1);
  }, 300_000);
});
