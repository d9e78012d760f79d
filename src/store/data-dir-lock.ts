import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteCode, StoreError } from './store-error.js';

export const LOCK_FILE = 'counterpay.lock';

/**
 * One journal, one owner: an exclusive lock on a data directory, held from before the journal is
 * opened for writing until it is closed. Two terminals on one journal would each sweep the
 * other's requests in flight to `unknown` and send them again (a second confirm); a person's
 * `counterpay queue --retry` under a running terminal would do the same.
 *
 * How: `counterpay.lock`, a small SQLite database beside the journal, opened with
 * `BEGIN EXCLUSIVE` and kept in that transaction for the owner's lifetime. SQLite takes POSIX
 * fcntl locks on the file; the kernel drops them when the process ends in any way (exit, crash,
 * kill -9, power cut), so a dead owner never leaves a stale lock, and nothing stale needs to be
 * recognised or cleaned up (the file itself stays; only the lock matters). Nothing is written to
 * it (journal_mode=MEMORY: not even a rollback journal file appears).
 *
 * Why this and not something else:
 * - Not the journal's own file: under WAL, `locking_mode=EXCLUSIVE` would shut out the read-only
 *   readers (`queue`, `report`, `doctor`) that must keep working beside a running terminal.
 * - Not a pid file or proper-lockfile's mkdir lock: after kill -9 they stay behind and must be
 *   guessed stale (pid reuse, mtime timeouts), the very case this lock exists for.
 * - Not flock(2) through an npm binding (fs-ext): one more native module to build on the Pi for
 *   one call, when better-sqlite3, already here, gives the same kernel-released lock.
 * SQLite also counts locks within one process, so a second owner in the same process is refused
 * like one in another process.
 *
 * Contract: acquire() waits up to `waitMs` for a current owner to finish (a support command's
 * short write), blocking the thread meanwhile (SQLite's busy handler: call it before anything
 * else runs), then throws StoreError `journal_locked`; any other failure to create or open the
 * file is `open_failed`. release() ends ownership; calling it again is harmless.
 */
export class DataDirLock {
  private db: Database.Database | undefined;

  constructor(
    readonly dataDir: string,
    private readonly options: { waitMs?: number } = {},
  ) {}

  get path(): string {
    return join(this.dataDir, LOCK_FILE);
  }

  get held(): boolean {
    return this.db !== undefined;
  }

  acquire(): void {
    if (this.db !== undefined) return;
    let db: Database.Database;
    try {
      mkdirSync(this.dataDir, { recursive: true });
      db = new Database(this.path, { timeout: Math.max(0, Math.trunc(this.options.waitMs ?? 0)) });
    } catch (error) {
      throw new StoreError('open_failed', `cannot open the lock file ${this.path}`, { path: this.path }, { cause: error });
    }
    try {
      // Both statements need the file's lock: either may be the one that finds it taken.
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if (sqliteCode(error)?.startsWith('SQLITE_BUSY') === true || sqliteCode(error)?.startsWith('SQLITE_LOCKED') === true) {
        throw new StoreError(
          'journal_locked',
          `another counterpay owns the journal in ${this.dataDir} (a terminal runs on it, or a queue change is being written); stop it first`,
          { dataDir: this.dataDir, path: this.path },
          { cause: error },
        );
      }
      throw new StoreError('open_failed', `cannot lock ${this.path}`, { path: this.path }, { cause: error });
    }
    this.db = db;
  }

  release(): void {
    const db = this.db;
    if (db === undefined) return;
    this.db = undefined;
    // Closing the connection ends the transaction and releases the lock.
    db.close();
  }
}
