import { chownSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CodedError } from '../platform/coded-error.js';
import type { Clock } from '../platform/clock.js';
import { DataDirLock } from './data-dir-lock.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { DEFAULT_DB_FILE } from './store.js';

/**
 * Backup and restore of the journal, the only record of the day's takings when a Pi's SD card
 * dies.
 *
 * Backup runs beside a live terminal and needs nothing from it: SQLite's online backup API
 * (better-sqlite3's db.backup()) copies the pages of one consistent snapshot through its own
 * read-only connection, restarting a step when the terminal commits meanwhile, so the copy is
 * the journal as of one commit, WAL included. It takes no lock: the data directory's lock is the
 * one-writer rule, and a backup writes nothing there. The copy is written beside the target
 * under a temporary name, switched to rollback-journal mode (one self-contained file, no -wal
 * beside it), checked with `PRAGMA integrity_check`, fsynced, and only then renamed over the
 * target: a failed backup never leaves a half file under the name a timer or a person trusts.
 *
 * Restore puts a backup in place of the journal. It needs the journal to have no owner: it takes
 * the data directory's lock without waiting (a running terminal holds it: `journal_locked`), and
 * keeps it while it swaps files, so a terminal starting meanwhile waits. The file must be a
 * counterpay journal (its tables, integrity ok) of a schema this counterpay can open (at most
 * LATEST_SCHEMA_VERSION; an older one is migrated at the terminal's next start, as after an
 * upgrade). The journal it replaces is never deleted: it and its -wal and -shm files are renamed
 * to `counterpay.db.before-restore-<UTC time>`.
 *
 * Errors are BackupError with a stable code (below) or StoreError `journal_locked`.
 */
export type BackupErrorCode =
  /** No journal at the data directory (backup), or no file to restore from (restore). */
  | 'no_journal'
  /** The file is not a counterpay journal (not SQLite, or without the journal's tables). */
  | 'not_a_journal'
  /** integrity_check found problems (the copy or the file to restore). */
  | 'integrity_failed'
  /** The file's schema is newer than this counterpay's. */
  | 'schema_too_new'
  /** Reading, writing or renaming failed (disk full, permissions, the target's directory). */
  | 'io_failed'
  /**
   * Run as root on a journal another user owns: SQLite's reader would create the -wal and -shm
   * files owned by root, and the service user could no longer open its own journal.
   */
  | 'wrong_user';

export class BackupError extends CodedError {
  declare readonly code: BackupErrorCode;
}

/** Tables every counterpay journal has had since schema 1. */
const JOURNAL_TABLES = ['sales', 'outbox', 'print_jobs', 'events', 'runs'] as const;

export interface JournalFileFacts {
  /** PRAGMA user_version: the journal's schema. */
  schema: number;
  /** Every sale in it, open and final. */
  sales: number;
}

export interface BackupReport extends JournalFileFacts {
  /** Absolute path of the finished backup. */
  path: string;
  bytes: number;
}

export interface RestoreReport extends JournalFileFacts {
  /** The journal now in place. */
  path: string;
  /** Where the journal it replaced went; undefined when there was none. */
  keptAside: string | undefined;
}

/**
 * Copies the journal in `dataDir` to `outPath` while a terminal may be writing it. Overwrites
 * `outPath` only once the copy is complete and sound.
 */
export async function backupJournal(dataDir: string, outPath: string): Promise<BackupReport> {
  const source = join(dataDir, DEFAULT_DB_FILE);
  if (!existsSync(source)) throw new BackupError('no_journal', `no journal at ${source} (the terminal creates it at its first start)`);
  const target = resolve(outPath);
  if (target === resolve(source)) throw new BackupError('io_failed', `${target} is the journal itself: back it up to another file`);
  const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const owner = statSync(source).uid;
  if (process.getuid?.() === 0 && owner !== 0) {
    throw new BackupError('wrong_user', `${source} belongs to uid ${owner}, not root: run the backup as that user ("sudo -u counterpay counterpay backup ...")`);
  }
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new BackupError('no_journal', `cannot open the journal ${source} for reading`, { cause: error });
  }
  try {
    try {
      // After a first step of 100 pages, the rest in one step: one read transaction, so a
      // terminal committing between steps cannot make the copy start over and over.
      await db.backup(partial, { progress: ({ remainingPages }) => Math.max(100, remainingPages) });
    } catch (error) {
      throw new BackupError('io_failed', `cannot write ${partial} (${errnoOf(error)})`, { cause: error });
    }
    const facts = checkJournalFile(partial, { singleFile: true });
    fsyncFile(partial);
    try {
      renameSync(partial, target);
    } catch (error) {
      throw new BackupError('io_failed', `cannot move the backup to ${target} (${errnoOf(error)})`, { cause: error });
    }
    fsyncFile(dirname(target));
    return { path: target, bytes: statSync(target).size, ...facts };
  } finally {
    db.close();
    rmSync(partial, { force: true });
  }
}

/**
 * Replaces the journal in `dataDir` with the backup at `fromPath`. Refused (StoreError
 * journal_locked) while any terminal owns the journal. `clock` names the file kept aside.
 */
export function restoreJournal(dataDir: string, fromPath: string, clock: Clock): RestoreReport {
  const from = resolve(fromPath);
  if (!existsSync(from)) throw new BackupError('no_journal', `no file at ${from}`);
  const facts = checkJournalFile(from, { singleFile: false });
  const lock = new DataDirLock(dataDir);
  lock.acquire();
  try {
    const journal = join(dataDir, DEFAULT_DB_FILE);
    if (resolve(journal) === from) throw new BackupError('io_failed', `${from} is the journal itself`);
    const incoming = join(dataDir, `.${DEFAULT_DB_FILE}.restoring`);
    try {
      copyFileSync(from, incoming);
      fsyncFile(incoming);
      // As root (sudo), the copy would belong to root and the service user could not open it.
      const owner = statSync(dataDir);
      if (process.getuid?.() === 0) chownSync(incoming, owner.uid, owner.gid);
    } catch (error) {
      rmSync(incoming, { force: true });
      throw new BackupError('io_failed', `cannot copy ${from} into ${dataDir} (${errnoOf(error)})`, { cause: error });
    }
    let keptAside: string | undefined;
    try {
      if (existsSync(journal)) {
        keptAside = `${journal}.before-restore-${utcStamp(clock.wallMs())}`;
        // The WAL may hold the newest commits: it goes aside with its database file.
        for (const suffix of ['', '-wal', '-shm']) {
          if (existsSync(`${journal}${suffix}`)) renameSync(`${journal}${suffix}`, `${keptAside}${suffix}`);
        }
      }
      renameSync(incoming, journal);
      fsyncFile(dataDir);
    } catch (error) {
      rmSync(incoming, { force: true });
      throw new BackupError('io_failed', `cannot put ${from} in place of ${journal} (${errnoOf(error)})${keptAside === undefined ? '' : `; the old journal is at ${keptAside}`}`, { cause: error });
    }
    return { path: journal, keptAside, ...facts };
  } finally {
    lock.release();
  }
}

/**
 * What makes a file a journal this counterpay can use: SQLite, the journal's tables, integrity
 * ok, a schema no newer than this code's. `singleFile`: also switch it to rollback-journal mode,
 * so a backup is one file (its own copy, never the live journal).
 */
export function checkJournalFile(path: string, options: { singleFile: boolean }): JournalFileFacts {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: !options.singleFile, fileMustExist: true });
  } catch (error) {
    throw new BackupError('not_a_journal', `cannot open ${path} as SQLite (${errnoOf(error)})`, { cause: error });
  }
  try {
    let tables: Set<string>;
    try {
      tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    } catch (error) {
      throw new BackupError('not_a_journal', `${path} is not an SQLite database`, { cause: error });
    }
    const missing = JOURNAL_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) throw new BackupError('not_a_journal', `${path} is not a counterpay journal (no ${missing.join(', ')} table)`);
    const schema = Number(db.pragma('user_version', { simple: true }));
    if (schema > LATEST_SCHEMA_VERSION) {
      throw new BackupError('schema_too_new', `${path} has schema version ${schema}, newer than this counterpay (${LATEST_SCHEMA_VERSION}): restore it with the counterpay that wrote it`);
    }
    if (options.singleFile) db.pragma('journal_mode = DELETE');
    const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new BackupError('integrity_failed', `${path}: integrity_check found ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}`);
    const sales = Number((db.prepare('SELECT COUNT(*) AS n FROM sales').get() as { n: number }).n);
    return { schema, sales };
  } finally {
    db.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** 2026-12-01T08:19:00Z as 20261201T081900Z: sortable, no characters a shell or a path minds. */
function utcStamp(wallMs: number): string {
  return new Date(wallMs).toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}
