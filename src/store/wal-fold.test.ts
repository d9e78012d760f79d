import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from './pragmas.js';
import { tempStore } from '../../test/support/temp-store.js';

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

const walSize = (path: string): number => statSync(`${path}-wal`).size;

/** The database file alone, copied elsewhere as a backup tool would: the sale ids it holds ('no sales table' before any fold). */
function salesInCopy(path: string): string[] | 'no sales table' {
  const copy = join(mkdtempSync(join(tmpdir(), 'counterpay-copy-')), 'counterpay.db');
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sales'`).get();
    if (table === undefined) return 'no sales table';
    return (db.prepare('SELECT id FROM sales ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('the WAL folded back into the database file', () => {
  it('caps the WAL: autocheckpoint at 256 pages, a restarted WAL cut back to 1 MiB', () => {
    const store = env.make();
    store.open();
    // The caps are per connection: read them back from the store's own.
    expect(WAL_AUTOCHECKPOINT_PAGES).toBe(256);
    expect(WAL_SIZE_LIMIT_BYTES).toBe(1024 * 1024);
    expect(store.walSettings()).toEqual({ autocheckpointPages: WAL_AUTOCHECKPOINT_PAGES, sizeLimitBytes: WAL_SIZE_LIMIT_BYTES });
  });

  it('foldWal: the WAL is truncated and a copy of the database file alone holds the sales', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'sale_1', kind: 'code', amount: money(100, 'EUR') });
    store.sales.create({ id: 'sale_2', kind: 'code', amount: money(200, 'EUR') });
    expect(walSize(store.path)).toBeGreaterThan(0);
    // Everything is still in the WAL: the file alone does not even hold the schema yet.
    expect(salesInCopy(store.path)).toBe('no sales table');
    expect(store.writesSinceFold).toBe(true);
    expect(store.foldWal().busy).toBe(0);
    expect(walSize(store.path)).toBe(0);
    expect(salesInCopy(store.path)).toEqual(['sale_1', 'sale_2']);
  });

  it('writesSinceFold: false after a fold and after reads, true after the next write', () => {
    const store = env.make();
    store.open();
    store.foldWal();
    expect(store.writesSinceFold).toBe(false);
    store.sales.listOpen();
    store.outbox.countByState();
    expect(store.writesSinceFold).toBe(false);
    store.sales.create({ id: 'sale_1', kind: 'code', amount: money(100, 'EUR') });
    expect(store.writesSinceFold).toBe(true);
  });

  it('a reader holding an older snapshot: the fold does not wait for it, reports busy, and the next one finishes', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'sale_1', kind: 'code', amount: money(100, 'EUR') });
    const reader = new Database(store.path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sales').get();
    store.sales.create({ id: 'sale_2', kind: 'code', amount: money(200, 'EUR') });
    expect(store.foldWal().busy).toBe(1);
    expect(store.writesSinceFold).toBe(true);
    reader.exec('COMMIT');
    reader.close();
    expect(store.foldWal().busy).toBe(0);
    expect(store.writesSinceFold).toBe(false);
    expect(walSize(store.path)).toBe(0);
    // The store's own busy_timeout is as it was.
    expect(store.pragmas().busyTimeoutMs).toBe(5000);
  });
});
