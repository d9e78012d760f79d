import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRestoreCommand } from '../../src/cli/commands/restore.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { runCli, runCommand } from '../support/cli-run.js';
import { BIN, TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * counterpay backup and restore against a real `counterpay run` process: the backup is taken
 * while the terminal sells, and opens as the journal with integrity ok; restore is refused while
 * the terminal owns the journal, and works once it has stopped.
 */

let emu: Emulator;
let terminal: TerminalProcess | undefined;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, seed: 5 });
});

afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await emu.stop();
});

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

const notRunning = () => ({ clock: new SystemClock(), random: new SystemRandom(), serviceActive: async () => false, uid: 1000 });

describe('counterpay backup / restore', () => {
  it(
    'backup while the terminal sells: a file that opens as the journal and passes integrity_check; restore refused until it stops',
    async () => {
      emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
      terminal = new TerminalProcess(emu.url);
      const t = terminal;
      t.start();
      await t.ready();
      await t.waitForScreen(/1 waiting/, 'one waiting table');
      await t.type('A1#1250#');
      const key = await waitFor(() => emu.wallet.snapshot().orders[0]?.transaction_key, 'the order');
      emu.wallet.customerReserve(key, { customer: 'alice' });
      await t.waitForScreen(/PAID 12\.50/, 'PAID');

      const out = join(t.dir, 'nightly.db');
      const backup = await counterpay(['backup', '--config', t.configPath, '--out', 'nightly.db'], t.dir);
      expect(backup.err).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.out).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ bytes, 1 sale, schema ${LATEST_SCHEMA_VERSION}, integrity ok\\n$`));
      expect(t.running).toBe(true);
      const copy = new Database(out, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT kind, amount_minor FROM sales').all()).toEqual([{ kind: 'table', amount_minor: 1250 }]);
      copy.close();

      // The terminal owns the journal: restore is refused, and nothing moves.
      const refused = await runCommand(createRestoreCommand(notRunning), ['--config', t.configPath, '--from', out]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^counterpay restore: another counterpay owns the journal in .* \[journal_locked\]\n$/);
      expect(readdirSync(join(t.dir, 'data')).filter((f) => f.includes('before-restore'))).toEqual([]);

      expect(await t.stop()).toBe(0);
      const restored = await runCommand(createRestoreCommand(notRunning), ['--config', t.configPath, '--from', out]);
      expect(restored.err).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.lines[0]).toBe(`${join(t.dir, 'data', 'counterpay.db')}: restored from ${out} (1 sale, schema ${LATEST_SCHEMA_VERSION})`);
      expect(restored.lines[1]).toMatch(/^the journal it replaced: .*counterpay\.db\.before-restore-\d{8}T\d{6}Z$/);

      // The terminal starts on the restored journal.
      t.start();
      await t.ready();
      expect(t.running).toBe(true);
    },
    PROCESS_TEST_MS,
  );

  it('restore is refused while counterpay.service runs, naming the fix; usage errors exit 64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-restore-'));
    try {
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ dataDir: 'data', paysera: { macId: 'm', macKey: 'k', locationId: 3 } }));
      const running = () => ({ ...notRunning(), serviceActive: async () => true });
      const { code, err } = await runCommand(createRestoreCommand(running), ['--config', config, '--from', join(dir, 'x.db')]);
      expect(code).toBe(1);
      expect(err).toBe('counterpay restore: counterpay.service is running: stop it first ("systemctl stop counterpay"), restore, then "systemctl start counterpay" [service_running]\n');
      expect(existsSync(join(dir, 'data'))).toBe(false);
      expect((await runCli(['backup', '--config', config])).code).toBe(64);
      expect((await runCli(['restore', '--config', config])).code).toBe(64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
