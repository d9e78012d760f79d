import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../platform/fake-clock.js';
import { SeededRandom } from '../platform/random.js';
import { DataDirLock } from './data-dir-lock.js';
import { Store } from './store.js';
import { codeOf } from '../../test/support/thrown-code.js';

const BETTER_SQLITE3 = fileURLToPath(import.meta.resolve('better-sqlite3'));

/**
 * A lock holder in another process: the same SQLite calls DataDirLock makes, so the kernel's view
 * of the lock is the one a second `counterpay run` would meet. It lets go once `releaseFile`
 * exists (a file, not a message: acquire() blocks this test's event loop while it waits).
 */
function holderProcess(dir: string, releaseFile = join(dir, 'release-now')): { child: ChildProcess; held: Promise<void> } {
  const script = `
    const fs = require('node:fs');
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(join(dir, 'counterpay.lock'))});
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('held\\n');
    const poll = setInterval(() => {
      if (fs.existsSync(${JSON.stringify(releaseFile)})) { db.close(); clearInterval(poll); }
    }, 10);
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const held = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes('held')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return { child, held };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

describe('DataDirLock: one journal, one owner', () => {
  let dir: string;
  const locks: DataDirLock[] = [];
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'counterpay-lock-'));
  });

  afterEach(async () => {
    for (const lock of locks.splice(0)) lock.release();
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const lock = (waitMs = 0): DataDirLock => {
    const made = new DataDirLock(dir, { waitMs });
    locks.push(made);
    return made;
  };

  it('a second owner in the same process is refused with journal_locked until the first releases', () => {
    const first = lock();
    first.acquire();
    expect(first.held).toBe(true);
    const second = lock();
    expect(codeOf(() => second.acquire())).toBe('journal_locked');
    expect(second.held).toBe(false);
    first.release();
    second.acquire();
    expect(second.held).toBe(true);
    // Nothing but the lock file is left beside it: no rollback journal, nothing to go stale.
    expect(readdirSync(dir)).toEqual(['counterpay.lock']);
  });

  it('held by another process: refused; that process killed with SIGKILL: the lock is free at once, nothing stale', async () => {
    const holder = holderProcess(dir);
    children.push(holder.child);
    await holder.held;
    expect(codeOf(() => lock().acquire())).toBe('journal_locked');
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    const next = lock();
    next.acquire();
    expect(next.held).toBe(true);
  });

  it('waits for an owner that lets go within waitMs', async () => {
    const releaseFile = join(mkdtempSync(join(tmpdir(), 'counterpay-lock-signal-')), 'release-now');
    const holder = holderProcess(dir, releaseFile);
    children.push(holder.child);
    await holder.held;
    expect(codeOf(() => lock().acquire())).toBe('journal_locked');
    // The holder lets go while the next acquire waits; the wait is far longer than that can take.
    writeFileSync(releaseFile, '');
    const waiting = lock(60_000);
    waiting.acquire();
    expect(waiting.held).toBe(true);
  });

  it('readers open the journal read-only beside the owner', () => {
    const clock = new FakeClock();
    const writer = new Store({ dataDir: dir, clock, random: new SeededRandom(1), bootId: 'test' });
    const owner = lock();
    owner.acquire();
    writer.open();
    writer.sales.create({ id: 'sale_1', kind: 'code', amount: { minor: 100, currency: 'EUR' } });
    const reader = new Store({ dataDir: dir, clock, random: new SeededRandom(2) });
    try {
      reader.openReadOnly();
      expect(reader.sales.get('sale_1')?.state).toBe('created');
    } finally {
      reader.close();
      writer.close();
    }
  });
});
