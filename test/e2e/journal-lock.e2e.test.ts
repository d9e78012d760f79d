import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { Store } from '../../src/store/store.js';
import { BIN, TerminalProcess } from '../support/terminal-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One journal, one owner, between real processes: a second `counterpay run` on a dataDir that a
 * running terminal owns is refused with one line and exit 75, and so is a queue change; the
 * read-only commands work beside it; after the owner is killed with SIGKILL a new terminal starts
 * at once (no stale lock).
 */

let emu: Emulator;
let terminal: TerminalProcess | undefined;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, seed: 3 });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await emu.stop();
});

/** One counterpay command; one that has not ended after a generous minute is stopped (code null). */
function counterpay(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const deadline = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, out, err });
    });
  });
}

/** The journal as a reader sees it (read-only, beside the running terminal). */
function readJournal<T>(dataDir: string, read: (store: Store) => T): T {
  const store = new Store({ dataDir, clock: new SystemClock(), random: new SystemRandom() });
  store.openReadOnly();
  try {
    return read(store);
  } finally {
    store.close();
  }
}

describe('counterpay run: one journal, one owner', () => {
  it('refuses a second terminal and a queue change, serves the readers, and starts cleanly after the owner is killed with SIGKILL', async () => {
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    terminal = new TerminalProcess(emu.url);
    const t = terminal;
    t.start();
    await t.ready();
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#1500#');
    const key = await waitFor(() => emu.wallet.snapshot().orders[0]?.transaction_key, 'the order');
    const dataDir = `${t.dir}/data`;
    const saleId = await waitFor(() => readJournal(dataDir, (s) => s.sales.listOpen()[0]?.id), 'the sale in the journal');
    const runsBefore = readJournal(dataDir, (s) => s.events.list().filter((e) => e.type === 'store.opened').length);

    const second = await counterpay(['run', '--config', t.configPath], t.dir);
    expect(second.code).toBe(75);
    expect(second.err.trim().split('\n')).toEqual([`counterpay run: another counterpay owns the journal in ${dataDir} (a terminal runs on it, or a queue change is being written); stop it first [journal_locked]`]);
    // The second one never opened the journal: no run registered, nothing swept.
    expect(readJournal(dataDir, (s) => s.events.list().filter((e) => e.type === 'store.opened').length)).toBe(runsBefore);

    const retry = await counterpay(['queue', '--config', t.configPath, '--resolve', saleId, '--paid', '--reason', 'test'], t.dir);
    expect(retry.code).toBe(1);
    expect(retry.err).toMatch(/another counterpay owns the journal .*\[journal_locked\]/);

    // Readers look in while it runs.
    const listing = await counterpay(['queue', '--config', t.configPath], t.dir);
    expect(listing.code).toBe(0);
    expect(listing.out).toContain(saleId);
    const report = await counterpay(['report', '--config', t.configPath], t.dir);
    expect(report.code).toBe(0);
    expect(t.running).toBe(true);

    // The owner dies without a chance to clean up; the next start owns the journal at once.
    await t.kill9();
    emu.wallet.customerReserve(key, { customer: 'alice' });
    t.start();
    await waitFor(() => emu.wallet.getTransaction(key).status === 'confirmed', 'confirmed by the restarted terminal', 30_000);
    await t.waitForScreen(/PAID 15\.00/, 'PAID after the restart', 30_000);
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/confirm') && r.applied)).toHaveLength(1);
    expect(await t.stop()).toBe(0);

    // Stopped: the journal is free for a person's change.
    const free = await counterpay(['queue', '--config', t.configPath, '--retry', 'op_missing'], t.dir);
    expect(free.err).toMatch(/\[not_found\]/);
  }, 240_000);
});
