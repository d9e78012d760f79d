import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Clock } from '../platform/clock.js';
import { Listeners } from '../platform/listeners.js';
import type { RandomSource } from '../platform/random.js';
import { sqliteCode, StoreError, type StoreErrorCode } from './store-error.js';
import type { Stamp } from './types.js';

/**
 * Shared plumbing of the repositories: the open database, its prepared statements, stamps and
 * transactions. The rows of each table and their low-level writes live in *-rows.ts; not exported
 * from the package (store/index.ts).
 */
export class StoreContext {
  db: Database | undefined;
  runId = '';
  /** Monotonic time at open; rows written by earlier runs are scheduled from here. */
  openedMonoMs = 0;
  /** Told after each outermost transaction that queued print jobs has committed. */
  readonly printJobsQueued = new Listeners<void>();
  /** Transactions open now (a nested one is a savepoint). */
  private depth = 0;
  /** A print job was inserted in the open transaction. */
  private queuedPrintJob = false;

  constructor(
    readonly clock: Clock,
    readonly random: RandomSource,
  ) {}

  get conn(): Database {
    if (this.db === undefined) throw new StoreError('not_open', 'the store is not open');
    return this.db;
  }

  private statements = new Map<string, Statement>();

  /** Prepared statements are cached per connection: preparing costs more than most of our writes. */
  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.conn.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * One transaction wrapper per connection, reused: better-sqlite3's transaction() builds four
   * wrapper functions per call, which cost more CPU than a small write. The wrapper decides at
   * call time whether to BEGIN IMMEDIATE or, when nested, to use a savepoint.
   */
  private runInTx: Transaction<(fn: () => unknown) => unknown> | undefined;

  detach(): void {
    this.statements.clear();
    this.runInTx = undefined;
    this.db = undefined;
  }

  stamp(): Stamp {
    return { wallMs: Math.round(this.clock.wallMs()), monoMs: Math.round(this.clock.monoMs()), runId: this.runId };
  }

  /**
   * Runs `fn` in an immediate transaction (a savepoint when already inside one). Once the
   * outermost one commits, printJobsQueued is told if it queued a print job: listeners never
   * see a row that could still roll back, and a rolled-back one tells nobody.
   */
  tx<T>(fn: () => T): T {
    this.runInTx ??= this.conn.transaction((body: () => unknown) => body());
    let result: T;
    this.depth += 1;
    try {
      result = this.runInTx.immediate(fn) as T;
    } catch (error) {
      if (this.depth === 1) this.queuedPrintJob = false;
      throw error;
    } finally {
      this.depth -= 1;
    }
    if (this.depth === 0 && this.queuedPrintJob) {
      this.queuedPrintJob = false;
      this.printJobsQueued.emit();
    }
    return result;
  }

  /** A print job was inserted: printJobsQueued is told when the outermost transaction commits. */
  printJobInserted(): void {
    this.queuedPrintJob = true;
  }

  /** Time elapsed since `at`, safe across restarts and wall-clock steps (see OutboxOp.ageMs). */
  elapsedSince(at: Stamp, now: Stamp): number {
    if (at.runId === now.runId) return Math.max(0, now.monoMs - at.monoMs);
    return Math.max(0, now.wallMs - at.wallMs);
  }
}

export function json(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text;
}

export function parseJson(text: string | null): unknown {
  return text === null ? undefined : (JSON.parse(text) as unknown);
}

export function opt<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/** Maps a constraint failure to our code; rethrows anything else unchanged. */
export function mapConstraint(error: unknown, onUnique: StoreErrorCode, message: string, detail?: Record<string, unknown>): never {
  const code = sqliteCode(error);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    throw new StoreError(onUnique, message, detail, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new StoreError('not_found', `${message} (it refers to a sale that does not exist)`, detail, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_TRIGGER') {
    // Our triggers RAISE with "<code>: why"; the code prefix is ours, stable, and set in migrations.ts.
    const raised = error instanceof Error ? error.message.split(':')[0] : undefined;
    const mapped: StoreErrorCode = raised === 'conflicting_op' ? 'conflicting_op' : 'not_deletable';
    throw new StoreError(mapped, error instanceof Error ? error.message : message, detail, { cause: error });
  }
  throw error;
}
