import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../platform/clock.js';
import type { RandomSource } from '../platform/random.js';
import { EventLog } from './event-log.js';
import { appendEvent } from './event-rows.js';
import { StoreContext } from './store-context.js';
import { LATEST_SCHEMA_VERSION, migrate, type MigrationReport } from './migrations.js';
import { Outbox } from './outbox.js';
import { applyPragmas, readPragmas, verifyPragmas, type PragmaState } from './pragmas.js';
import { PrintJobs } from './print-jobs.js';
import { RefundJournal } from './refund-journal.js';
import { SaleJournal } from './sale-journal.js';
import { SaleTotals } from './sale-totals.js';
import { StoreError } from './store-error.js';
import type { CheckpointReport, PruneReport } from './types.js';

export const DEFAULT_DB_FILE = 'counterpay.db';
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface StoreOptions {
  /** Directory of the database file (created if missing). */
  dataDir: string;
  clock: Clock;
  /** Ids for ops, print jobs and runs. */
  random: RandomSource;
  fileName?: string;
  busyTimeoutMs?: number;
  /** Final rows older than this may be pruned. Default 90. */
  retentionDays?: number;
  /** Identifies the OS boot in the runs table; default: /proc/sys/kernel/random/boot_id. */
  bootId?: string;
  /** Test seam only: pragma statements run after the required sequence and before the read-back. */
  unsafeExtraPragmas?: readonly string[];
}

export interface OpenReport {
  path: string;
  runId: string;
  pragmas: PragmaState;
  migration: MigrationReport;
  /** Ops moved in_flight -> unknown by the start sweep. */
  sweptInFlight: number;
}

/**
 * The one module that talks to SQLite. One database file in `dataDir`, WAL with
 * synchronous=FULL (read back; the store refuses to open otherwise), versioned migrations, and
 * repositories for sales, the outbox, print jobs and the event log. No SQL lives outside
 * src/store.
 *
 * Idle is quiet: reads never write (no "last seen" columns, no read-time bookkeeping); at idle
 * times foldWal() folds the WAL back into the main file, and only when something was written
 * since the last fold (writesSinceFold), so a terminal that stays idle writes nothing.
 */
export class Store {
  readonly sales: SaleJournal;
  /** Refunds (schema 5): a sale in reverse. */
  readonly refunds: RefundJournal;
  readonly outbox: Outbox;
  readonly printJobs: PrintJobs;
  readonly events: EventLog;
  /** Cumulative counts and takings for the metrics (sale-totals.ts). */
  readonly totals: SaleTotals;
  private readonly ctx: StoreContext;
  /** The connection's change count at the last complete fold (-1: none yet). */
  private foldedAtChanges = -1;

  constructor(private readonly options: StoreOptions) {
    this.ctx = new StoreContext(options.clock, options.random);
    this.sales = new SaleJournal(this.ctx);
    this.refunds = new RefundJournal(this.ctx);
    this.outbox = new Outbox(this.ctx);
    this.printJobs = new PrintJobs(this.ctx);
    this.events = new EventLog(this.ctx);
    this.totals = new SaleTotals(this.ctx);
  }

  get path(): string {
    return join(this.options.dataDir, this.options.fileName ?? DEFAULT_DB_FILE);
  }

  get isOpen(): boolean {
    return this.ctx.db !== undefined;
  }

  get runId(): string {
    return this.ctx.runId;
  }

  /**
   * Opens the file, applies and verifies the pragmas, migrates, registers this run and sweeps
   * in_flight ops to unknown. Throws StoreError (open_failed, pragma_mismatch, schema_too_new,
   * migration_failed); on any failure the file is closed again.
   */
  open(): OpenReport {
    if (this.ctx.db !== undefined) throw new StoreError('already_open', 'the store is already open');
    const busyTimeoutMs = this.options.busyTimeoutMs ?? 5000;
    let db: Database.Database;
    try {
      mkdirSync(this.options.dataDir, { recursive: true });
      db = new Database(this.path, { timeout: busyTimeoutMs });
    } catch (error) {
      throw new StoreError('open_failed', `cannot open the database at ${this.path}`, { path: this.path }, { cause: error });
    }
    try {
      applyPragmas(db, busyTimeoutMs, this.options.unsafeExtraPragmas);
      const pragmas = readPragmas(db);
      verifyPragmas(pragmas, busyTimeoutMs);
      const migration = migrate(db, this.options.clock.wallMs());
      this.ctx.db = db;
      this.ctx.runId = this.options.random.id('run');
      this.ctx.openedMonoMs = Math.round(this.options.clock.monoMs());
      const bootId = this.options.bootId ?? readBootId();
      this.ctx.tx(() => {
        const now = this.ctx.stamp();
        this.ctx.prepare('INSERT INTO runs (id, boot_id, started_wall_ms, started_mono_ms) VALUES (?, ?, ?, ?)').run(now.runId, bootId, now.wallMs, now.monoMs);
        appendEvent(this.ctx, { type: 'store.opened', data: { bootId, schema: migration.to } }, now);
      });
      const sweptInFlight = this.outbox.sweepInFlightToUnknown();
      return { path: this.path, runId: this.ctx.runId, pragmas, migration, sweptInFlight };
    } catch (error) {
      this.ctx.detach();
      db.close();
      throw error;
    }
  }

  /**
   * Opens an existing database for reading only: `counterpay queue` and `report` while the
   * terminal runs. Unlike open() it writes nothing: no pragma changes, no migration, no run row
   * and, above all, no in_flight sweep (that would turn the running terminal's requests into
   * `unknown` under its feet). Every write through this Store throws (SQLITE_READONLY). Throws
   * StoreError open_failed (no file, unreadable), schema_too_new or schema_too_old (the file
   * must be at this counterpay's schema: only open() migrates).
   */
  openReadOnly(): { path: string; schema: number } {
    if (this.ctx.db !== undefined) throw new StoreError('already_open', 'the store is already open');
    let db: Database.Database;
    try {
      db = new Database(this.path, { readonly: true, fileMustExist: true, timeout: this.options.busyTimeoutMs ?? 5000 });
    } catch (error) {
      throw new StoreError('open_failed', `cannot open the database at ${this.path} for reading`, { path: this.path }, { cause: error });
    }
    try {
      const schema = Number(db.pragma('user_version', { simple: true }));
      if (schema > LATEST_SCHEMA_VERSION) {
        throw new StoreError('schema_too_new', `database schema version ${schema} is newer than this counterpay (${LATEST_SCHEMA_VERSION})`, { from: schema, latest: LATEST_SCHEMA_VERSION });
      }
      if (schema < LATEST_SCHEMA_VERSION) {
        throw new StoreError('schema_too_old', `database schema version ${schema} is older than this counterpay (${LATEST_SCHEMA_VERSION}); it is migrated when the terminal starts`, {
          from: schema,
          latest: LATEST_SCHEMA_VERSION,
        });
      }
      this.ctx.db = db;
      this.ctx.runId = '';
      this.ctx.openedMonoMs = Math.round(this.options.clock.monoMs());
      return { path: this.path, schema };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    const db = this.ctx.db;
    if (db === undefined) return;
    this.foldedAtChanges = -1;
    this.ctx.detach();
    db.close();
  }

  /** Runs `fn` in one immediate transaction, so several repository calls commit together. */
  transaction<T>(fn: () => T): T {
    return this.ctx.tx(fn);
  }

  pragmas(): PragmaState {
    return readPragmas(this.ctx.conn);
  }

  /** The WAL size caps of this connection (see WAL_AUTOCHECKPOINT_PAGES). */
  walSettings(): { autocheckpointPages: number; sizeLimitBytes: number } {
    const conn = this.ctx.conn;
    return { autocheckpointPages: Number(conn.pragma('wal_autocheckpoint', { simple: true })), sizeLimitBytes: Number(conn.pragma('journal_size_limit', { simple: true })) };
  }

  schemaVersion(): number {
    return Number(this.ctx.conn.pragma('user_version', { simple: true }));
  }

  /** `PRAGMA integrity_check` rows; `['ok']` when the file is sound. For start-up and `doctor`. */
  integrityCheck(): string[] {
    const rows = this.ctx.conn.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check);
  }

  static readonly latestSchemaVersion = LATEST_SCHEMA_VERSION;

  /** Folds the WAL into the database and truncates it, waiting for readers as busy_timeout allows. */
  walCheckpoint(): CheckpointReport {
    const rows = this.ctx.conn.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    const row = rows[0];
    return { busy: row?.busy ?? 0, log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  }

  /**
   * Whether this connection has changed rows since the last complete foldWal() (or since open).
   * SQLite's change counter of the connection: nothing is read from disk.
   */
  get writesSinceFold(): boolean {
    return this.totalChanges() !== this.foldedAtChanges;
  }

  /**
   * Folds the WAL into the database file and truncates it to zero bytes (checkpoint TRUNCATE), so
   * a copy of the database file alone holds everything committed. For idle moments: it never
   * waits for a reader (`queue`, `report`, `doctor` beside the terminal) to leave its snapshot;
   * a fold such a reader kept from finishing reports `busy` and leaves writesSinceFold set, so
   * the next idle moment folds again.
   */
  foldWal(): CheckpointReport {
    const conn = this.ctx.conn;
    const changes = this.totalChanges();
    const busyTimeoutMs = Number(conn.pragma('busy_timeout', { simple: true }));
    conn.pragma('busy_timeout = 0');
    let report: CheckpointReport;
    try {
      report = this.walCheckpoint();
    } finally {
      conn.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
    if (report.busy === 0) this.foldedAtChanges = changes;
    return report;
  }

  private totalChanges(): number {
    return (this.ctx.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /**
   * Deletes final rows older than the retention period (by wall time, so a clock that is behind
   * prunes later, never earlier than intended relative to its own view). Only closed sales
   * (done/cancelled/declined) whose ops are all done/failed and print jobs printed/failed go,
   * together with their ops, print jobs and events; plus sale-less final ops and print jobs.
   * Open sales, live ops and needs_human rows are never touched (and triggers refuse it).
   */
  prune(): PruneReport {
    const cutoff = Math.round(this.options.clock.wallMs()) - (this.options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
    return this.ctx.tx(() => {
      const prunable = `SELECT s.id FROM sales s WHERE s.closed = 1 AND s.closed_wall_ms < @cutoff
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.sale_id = s.id AND o.state NOT IN ('done','failed'))
          AND NOT EXISTS (SELECT 1 FROM print_jobs p WHERE p.sale_id = s.id AND p.state NOT IN ('printed','failed'))
          AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = s.id AND (r.closed = 0 OR r.closed_wall_ms >= @cutoff))`;
      const run = (sql: string): number => this.ctx.prepare(sql).run({ cutoff }).changes;
      // The newest event always stays: seq is a plain rowid (max + 1), so keeping the maximum is
      // what keeps seq increasing for readers that page by it.
      const notNewest = 'seq < (SELECT MAX(seq) FROM events)';
      const events =
        run(`DELETE FROM events WHERE sale_id IN (${prunable}) AND ${notNewest}`) +
        run(`DELETE FROM events WHERE sale_id IS NULL AND wall_ms < @cutoff AND ${notNewest}
               AND (op_id IS NULL OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = events.op_id AND o.state NOT IN ('done','failed')))`);
      const ops =
        run(`DELETE FROM outbox WHERE sale_id IN (${prunable})`) +
        run(`DELETE FROM outbox WHERE sale_id IS NULL AND state IN ('done','failed') AND final_wall_ms < @cutoff`);
      const printJobs =
        run(`DELETE FROM print_jobs WHERE sale_id IN (${prunable})`) +
        run(`DELETE FROM print_jobs WHERE sale_id IS NULL AND state IN ('printed','failed') AND final_wall_ms < @cutoff`);
      // A sale's refunds go with it (never before: sales_keep_refunded), and only closed ones.
      run(`DELETE FROM refunds WHERE sale_id IN (${prunable})`);
      const sales = run(`DELETE FROM sales WHERE id IN (${prunable})`);
      run('DELETE FROM runs WHERE started_wall_ms < @cutoff');
      return { sales, ops, printJobs, events };
    });
  }
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}
