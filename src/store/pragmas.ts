import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error.js';

/**
 * The open sequence and its read-back. Order matters: better-sqlite3's bundled SQLite is built
 * with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so switching to WAL silently lowers `synchronous` to
 * NORMAL, under which a committed transaction can roll back after a power cut. `synchronous=FULL`
 * is therefore set AFTER `journal_mode=WAL`, and every pragma is read back: a mismatch (an
 * in-memory or read-only database that cannot be WAL, a build that ignores the setting) stops the
 * terminal instead of running it with weaker durability than it promises.
 */

export interface PragmaState {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  synchronous: number;
  busyTimeoutMs: number;
  foreignKeys: boolean;
  /** SQLite's cache_size: negative = KiB. */
  cacheSize: number;
}

export const SYNCHRONOUS_FULL = 2;

/**
 * The WAL's size: SQLite folds the WAL back into the database (a passive checkpoint at commit)
 * once it holds this many pages, 1 MiB at the default 4 KiB page, instead of its default of 1000
 * pages (4 MiB); and a WAL that has been folded and restarts is cut back to
 * WAL_SIZE_LIMIT_BYTES instead of keeping its largest size on the card. At idle the terminal
 * also folds it completely and truncates it (Store.foldWal).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 256;
export const WAL_SIZE_LIMIT_BYTES = 1024 * 1024;

/** SQLite's page cache per connection, in KiB (see applyPragmas). */
export const PAGE_CACHE_KIB = 128;

export function applyPragmas(db: Database, busyTimeoutMs: number, extra: readonly string[] = []): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  // The page cache, 128 KiB (better-sqlite3's build defaults to 16 MB): a terminal's reads are
  // the open rows through their indexes, and the pages a commit writes. A larger cache is only
  // resident memory that grows sale after sale while it fills: at 16 MB about 7 KB a sale; at
  // 512 KiB its pages, allocated one by one over the first ~1,000 sales between short-lived
  // buffers, left malloc's heap 1.2 MB larger by sale 700, against 0.3 MB at 128 KiB
  // (heaptrack and /proc/self/smaps on `counterpay run`, docs/performance.md). No slower for
  // the outbox nor per sale (npm run bench).
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  // Test seam: lets a test break a pragma after the sequence, to prove the read-back refuses.
  for (const statement of extra) db.pragma(statement);
}

export function readPragmas(db: Database): PragmaState {
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })).toLowerCase(),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
    foreignKeys: Number(db.pragma('foreign_keys', { simple: true })) === 1,
    cacheSize: Number(db.pragma('cache_size', { simple: true })),
  };
}

/** Throws StoreError('pragma_mismatch') naming the first pragma that is not as required. */
export function verifyPragmas(actual: PragmaState, busyTimeoutMs: number): void {
  const checks: Array<[string, unknown, unknown]> = [
    ['journal_mode', 'wal', actual.journalMode],
    ['synchronous', SYNCHRONOUS_FULL, actual.synchronous],
    ['busy_timeout', Math.trunc(busyTimeoutMs), actual.busyTimeoutMs],
    ['foreign_keys', true, actual.foreignKeys],
  ];
  for (const [pragma, expected, got] of checks) {
    if (expected !== got) {
      throw new StoreError('pragma_mismatch', `refusing to start: PRAGMA ${pragma} is ${String(got)}, required ${String(expected)}`, { pragma, expected, actual: got });
    }
  }
}
