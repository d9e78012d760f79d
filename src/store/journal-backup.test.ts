import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { tempStore } from '../../test/support/temp-store.js';
import { codeOf } from '../../test/support/thrown-code.js';
import { PROCESS_TEST_MS, waitFor } from '../../test/support/wait-for.js';
import { backupJournal, checkJournalFile, restoreJournal } from './journal-backup.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import type { Store } from './store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let env: ReturnType<typeof tempStore>;
let dataDir: string;
let out: string;

beforeEach(() => {
  env = tempStore();
  dataDir = join(env.dir, 'data');
  out = join(env.dir, 'backups');
  mkdirSync(out);
});
afterEach(() => env.cleanup());

function journalWith(sales: number): Store {
  const store = env.make({ dataDir });
  store.open();
  for (let i = 0; i < sales; i++) store.sales.create({ id: `s${i}`, kind: 'code', amount: money(100 + i, 'EUR') });
  return store;
}

const salesIn = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM sales ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
};

/**
 * A terminal in another process: the built Store (dist/, as `counterpay run` runs it) holding the
 * journal's lock and committing a sale every few milliseconds until `stop` appears.
 */
function writerProcess(stopFile: string): { child: ChildProcess; writing: Promise<void> } {
  const dist = (p: string): string => JSON.stringify(join(ROOT, 'dist', 'src', p));
  const script = `
    import { existsSync } from 'node:fs';
    import { Store } from ${dist('store/store.js')};
    import { DataDirLock } from ${dist('store/data-dir-lock.js')};
    import { SystemClock } from ${dist('platform/clock.js')};
    import { SystemRandom } from ${dist('platform/random.js')};
    import { money } from ${dist('domain/money.js')};
    const lock = new DataDirLock(${JSON.stringify(dataDir)});
    lock.acquire();
    const store = new Store({ dataDir: ${JSON.stringify(dataDir)}, clock: new SystemClock(), random: new SystemRandom() });
    store.open();
    let n = 0;
    const tick = () => {
      if (existsSync(${JSON.stringify(stopFile)})) { store.close(); lock.release(); process.exit(0); }
      // A sale and its first transition in one commit: a consistent copy never has one without the other.
      store.transaction(() => {
        store.sales.create({ id: 'w' + String(n).padStart(6, '0'), kind: 'code', amount: money(100 + n, 'EUR') });
        store.sales.apply('w' + String(n).padStart(6, '0'), { type: 'transactionCreated', transactionKey: 'tx' + n });
      });
      n += 1;
      if (n === 20) process.stdout.write('writing\\n');
      setTimeout(tick, 2);
    };
    tick();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const writing = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes('writing')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  return { child, writing };
}

describe('backupJournal', () => {
  it('copies the journal, WAL included, into one self-contained file that passes integrity_check', async () => {
    const store = journalWith(3);
    // Commits still in the WAL (the terminal folds it only at idle) are in the copy too.
    expect(existsSync(join(dataDir, 'counterpay.db-wal'))).toBe(true);
    const report = await backupJournal(dataDir, join(out, 'b.db'));
    expect(report).toMatchObject({ path: join(out, 'b.db'), schema: LATEST_SCHEMA_VERSION, sales: 3 });
    expect(report.bytes).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual(['b.db']);
    expect(salesIn(join(out, 'b.db'))).toEqual(['s0', 's1', 's2']);
    const copy = new Database(join(out, 'b.db'), { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    store.close();
  });

  it('works with the terminal stopped (no -wal, no -shm) and overwrites an older backup only when done', async () => {
    journalWith(2).close();
    writeFileSync(join(out, 'b.db'), 'an older backup');
    await backupJournal(dataDir, join(out, 'b.db'));
    expect(salesIn(join(out, 'b.db'))).toEqual(['s0', 's1']);
  });

  it('with no journal yet: no_journal, and nothing written', async () => {
    expect(await backupJournal(dataDir, join(out, 'b.db')).then(() => 'ok', (error: { code?: unknown }) => error.code)).toBe('no_journal');
    expect(readdirSync(out)).toEqual([]);
  });

  it('a target directory that does not exist: io_failed, and no file left behind', async () => {
    journalWith(1).close();
    expect(await backupJournal(dataDir, join(out, 'missing', 'b.db')).then(() => 'ok', (error: { code?: unknown }) => error.code)).toBe('io_failed');
  });

  it(
    'while a terminal in another process writes: every copy consistent, none needs its lock, restore is refused',
    async () => {
      journalWith(0).close();
      const stop = join(env.dir, 'stop');
      const { child, writing } = writerProcess(stop);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await writing;
        let previous = 0;
        for (let i = 0; i < 5; i++) {
          const path = join(out, `b${i}.db`);
          const report = await backupJournal(dataDir, path);
          expect(checkJournalFile(path, { singleFile: false })).toEqual({ schema: LATEST_SCHEMA_VERSION, sales: report.sales });
          expect(report.sales).toBeGreaterThanOrEqual(previous);
          previous = report.sales;
          // Each sale was created with its transition in one commit: never one without the other.
          const db = new Database(path, { readonly: true });
          expect(db.prepare("SELECT COUNT(*) AS n FROM sales WHERE state <> 'transaction_created'").get()).toEqual({ n: 0 });
          db.close();
        }
        expect(previous).toBeGreaterThanOrEqual(20);
        const before = readFileSync(join(dataDir, 'counterpay.db')).length;
        expect(codeOf(() => restoreJournal(dataDir, join(out, 'b0.db'), env.clock))).toBe('journal_locked');
        expect(readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
        expect(readFileSync(join(dataDir, 'counterpay.db')).length).toBeGreaterThanOrEqual(before);
      } finally {
        writeFileSync(stop, '');
        await exited;
      }
    },
    PROCESS_TEST_MS,
  );
});

describe('restoreJournal', () => {
  it('puts the backup in place, keeps the old journal (with its WAL) aside, and the terminal opens it', async () => {
    journalWith(2).close();
    await backupJournal(dataDir, join(out, 'b.db'));
    const later = journalWith(0);
    later.sales.create({ id: 'after-backup', kind: 'code', amount: money(999, 'EUR') });
    later.close();
    env.clock.setWallMs(Date.parse('2026-12-01T08:19:00Z'));

    const report = restoreJournal(dataDir, join(out, 'b.db'), env.clock);
    expect(report).toEqual({ path: join(dataDir, 'counterpay.db'), keptAside: join(dataDir, 'counterpay.db.before-restore-20261201T081900Z'), schema: LATEST_SCHEMA_VERSION, sales: 2 });
    expect(salesIn(join(dataDir, 'counterpay.db.before-restore-20261201T081900Z'))).toEqual(['after-backup', 's0', 's1']);
    const reopened = env.make({ dataDir });
    reopened.open();
    expect(reopened.sales.get('s1')?.state).toBe('created');
    expect(reopened.sales.get('after-backup')).toBeUndefined();
    expect(reopened.integrityCheck()).toEqual(['ok']);
  });

  it('into an empty data directory: nothing kept aside', async () => {
    journalWith(1).close();
    await backupJournal(dataDir, join(out, 'b.db'));
    const fresh = join(env.dir, 'fresh');
    expect(restoreJournal(fresh, join(out, 'b.db'), env.clock)).toMatchObject({ keptAside: undefined, sales: 1 });
  });

  it('refuses what is not a counterpay journal, a newer schema, a missing file; the journal is untouched', async () => {
    journalWith(1).close();
    const original = readFileSync(join(dataDir, 'counterpay.db'));
    writeFileSync(join(out, 'text.db'), 'not a database at all, just text '.repeat(100));
    const other = new Database(join(out, 'other.db'));
    other.exec('CREATE TABLE things (id TEXT)');
    other.close();
    await backupJournal(dataDir, join(out, 'newer.db'));
    const newer = new Database(join(out, 'newer.db'));
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    newer.close();

    expect(codeOf(() => restoreJournal(dataDir, join(out, 'text.db'), env.clock))).toBe('not_a_journal');
    expect(codeOf(() => restoreJournal(dataDir, join(out, 'other.db'), env.clock))).toBe('not_a_journal');
    expect(codeOf(() => restoreJournal(dataDir, join(out, 'newer.db'), env.clock))).toBe('schema_too_new');
    expect(codeOf(() => restoreJournal(dataDir, join(out, 'nope.db'), env.clock))).toBe('no_journal');
    expect(readFileSync(join(dataDir, 'counterpay.db')).equals(original)).toBe(true);
    expect(readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('a plain copy of counterpay.db (WAL mode, as a person makes it) restores too', async () => {
    journalWith(2).close();
    const copy = join(out, 'copy.db');
    writeFileSync(copy, readFileSync(join(dataDir, 'counterpay.db')));
    await waitFor(() => existsSync(copy), 'the copy');
    expect(restoreJournal(dataDir, copy, env.clock)).toMatchObject({ sales: 2 });
  });
});
