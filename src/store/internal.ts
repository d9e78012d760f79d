import type { Database, Statement, Transaction } from 'better-sqlite3';
import { CLOSED_SALE_STATES, canTransition, transition, type Sale, type SaleEvent, type SaleKind, type SaleState } from '../domain/sale.js';
import type { Clock } from '../platform/clock.js';
import { Listeners } from '../platform/listeners.js';
import type { RandomSource } from '../platform/random.js';
import { slotHeld } from './op-slots.js';
import { sqliteCode, StoreError, type StoreErrorCode } from './store-error.js';
import type {
  ClaimableOpState,
  EventRecord,
  NewEvent,
  NewOp,
  NewPrintJob,
  OpState,
  OutboxOp,
  PrintJob,
  PrintJobState,
  SaleRecord,
  Stamp,
  StoreEffects,
} from './types.js';

/**
 * Shared plumbing of the repositories: the open database, stamps, row mapping and the low-level
 * writes that several repositories need inside one transaction. Not exported from the package.
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

function parseJson(text: string | null): unknown {
  return text === null ? undefined : (JSON.parse(text) as unknown);
}

function opt<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

// ---------------------------------------------------------------- sales

export interface SaleRow {
  id: string;
  kind: SaleKind;
  state: SaleState;
  closed: number;
  amount_minor: number;
  currency: string;
  table_id: string | null;
  spot_id: number | null;
  transaction_key: string | null;
  order_id: number | null;
  reservation_code: string | null;
  decline_reason: string | null;
  needs_human_reason: string | null;
  resolved_paid: number | null;
  payment_request_id: string | null;
  short_code: string | null;
  expiry_seconds: number | null;
  version: number;
  created_wall_ms: number;
  updated_wall_ms: number;
  closed_wall_ms: number | null;
}

export function toSaleRecord(row: SaleRow): SaleRecord {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    amount: { minor: row.amount_minor, currency: row.currency },
    tableId: opt(row.table_id),
    spotId: opt(row.spot_id),
    transactionKey: opt(row.transaction_key),
    orderId: opt(row.order_id),
    reservationCode: opt(row.reservation_code),
    declineReason: opt(row.decline_reason),
    needsHumanReason: opt(row.needs_human_reason),
    resolvedPaid: row.resolved_paid === null ? undefined : row.resolved_paid === 1,
    paymentRequestId: opt(row.payment_request_id),
    shortCode: opt(row.short_code),
    expirySeconds: opt(row.expiry_seconds),
    version: row.version,
    createdWallMs: row.created_wall_ms,
    updatedWallMs: row.updated_wall_ms,
    closedWallMs: opt(row.closed_wall_ms),
  };
}

export function isClosedState(state: SaleState): boolean {
  return CLOSED_SALE_STATES.includes(state);
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

export function getSaleRow(ctx: StoreContext, id: string): SaleRow | undefined {
  return ctx.prepare('SELECT * FROM sales WHERE id = ?').get(id) as SaleRow | undefined;
}

/** Applies a named domain transition to a stored sale and appends its event. Call inside ctx.tx. */
export function applySaleEvent(ctx: StoreContext, saleId: string, event: SaleEvent, onlyIfLegal = false, opId?: string): SaleRecord | undefined {
  const row = getSaleRow(ctx, saleId);
  if (row === undefined) throw new StoreError('not_found', `no sale ${saleId}`, { saleId });
  const before = toSaleRecord(row);
  if (onlyIfLegal && !canTransition(before.kind, before.state, event.type)) return undefined;
  const after: Sale = transition(before, event);
  const now = ctx.stamp();
  const closed = isClosedState(after.state);
  try {
    ctx
      .prepare(
        `UPDATE sales SET state = @state, closed = @closed, transaction_key = @transactionKey, order_id = @orderId,
           reservation_code = @reservationCode, decline_reason = @declineReason, needs_human_reason = @needsHumanReason,
           resolved_paid = @resolvedPaid, payment_request_id = @paymentRequestId, short_code = @shortCode,
           expiry_seconds = @expirySeconds, version = version + 1,
           updated_wall_ms = @wallMs, updated_mono_ms = @monoMs, updated_run = @runId,
           closed_wall_ms = CASE WHEN @closed = 1 THEN COALESCE(closed_wall_ms, @wallMs) ELSE NULL END
         WHERE id = @id AND version = @version`,
      )
      .run({
        id: saleId,
        version: before.version,
        state: after.state,
        closed: closed ? 1 : 0,
        transactionKey: after.transactionKey ?? null,
        orderId: after.orderId ?? null,
        reservationCode: after.reservationCode ?? null,
        declineReason: after.declineReason ?? null,
        needsHumanReason: after.needsHumanReason ?? null,
        resolvedPaid: after.resolvedPaid === undefined ? null : after.resolvedPaid ? 1 : 0,
        paymentRequestId: after.paymentRequestId ?? null,
        shortCode: after.shortCode ?? null,
        expirySeconds: after.expirySeconds ?? null,
        ...now,
      });
  } catch (error) {
    mapConstraint(error, 'sale_conflict', `sale ${saleId}: ${event.type} conflicts with another sale`, { saleId });
  }
  appendEvent(ctx, { type: `sale.${event.type}`, saleId, opId, data: { from: before.state, to: after.state, event } }, now);
  const updated = getSaleRow(ctx, saleId);
  return updated === undefined ? undefined : toSaleRecord(updated);
}

// ---------------------------------------------------------------- outbox

export interface OpRow {
  id: string;
  sale_id: string | null;
  kind: string;
  state: OpState;
  claimed_from: ClaimableOpState | null;
  spot_id: number | null;
  transaction_key: string | null;
  attempts: number;
  delay_ms: number;
  age_ms: number;
  last_error_code: string | null;
  last_http_status: number | null;
  payload: string;
  result: string | null;
  created_wall_ms: number;
  updated_wall_ms: number;
  updated_mono_ms: number;
  updated_run: string;
  /** 1 while the op occupies its kind's one-live slot (see op-slots.ts). */
  holds_slot: 1 | null;
}

export function rowStamp(row: OpRow): Stamp {
  return { wallMs: row.updated_wall_ms, monoMs: row.updated_mono_ms, runId: row.updated_run };
}

export function toOutboxOp(ctx: StoreContext, row: OpRow, now: Stamp = ctx.stamp()): OutboxOp {
  const sameRun = row.updated_run === ctx.runId;
  return {
    id: row.id,
    saleId: opt(row.sale_id),
    kind: row.kind,
    state: row.state,
    claimedFrom: opt(row.claimed_from),
    spotId: opt(row.spot_id),
    transactionKey: opt(row.transaction_key),
    attempts: row.attempts,
    lastErrorCode: opt(row.last_error_code),
    lastHttpStatus: opt(row.last_http_status),
    payload: parseJson(row.payload),
    result: parseJson(row.result),
    createdWallMs: row.created_wall_ms,
    updatedWallMs: row.updated_wall_ms,
    dueMonoMs: (sameRun ? row.updated_mono_ms : ctx.openedMonoMs) + row.delay_ms,
    ageMs: row.age_ms + ctx.elapsedSince(rowStamp(row), now),
  };
}

/**
 * The columns an OpRow carries, named rather than `*`: building a row object costs per column,
 * and this read is in every outbox step.
 */
export const OP_COLUMNS = `id, sale_id, kind, state, claimed_from, spot_id, transaction_key, attempts, delay_ms, age_ms,
  last_error_code, last_http_status, payload, result, created_wall_ms, updated_wall_ms, updated_mono_ms, updated_run, holds_slot`;

export function getOpRow(ctx: StoreContext, id: string): OpRow | undefined {
  return ctx.prepare(`SELECT ${OP_COLUMNS} FROM outbox WHERE id = ?`).get(id) as OpRow | undefined;
}

export function insertOp(ctx: StoreContext, op: NewOp): OutboxOp {
  const now = ctx.stamp();
  const id = op.id ?? ctx.random.id('op');
  // The stored row is known without reading it back: every column is either given here or a
  // constant default of the schema (attempts, age 0; no error, no result). Not reading it back
  // (no RETURNING) halves the CPU of an enqueue.
  const row: OpRow = {
    id,
    sale_id: op.saleId ?? null,
    kind: op.kind,
    state: 'pending',
    claimed_from: null,
    spot_id: op.spotId ?? null,
    transaction_key: op.transactionKey ?? null,
    attempts: 0,
    delay_ms: Math.max(0, Math.round(op.delayMs ?? 0)),
    age_ms: 0,
    last_error_code: null,
    last_http_status: null,
    payload: json(op.payload),
    result: null,
    created_wall_ms: now.wallMs,
    updated_wall_ms: now.wallMs,
    updated_mono_ms: now.monoMs,
    updated_run: now.runId,
    holds_slot: slotHeld(op.kind, 'pending'),
  };
  try {
    ctx
      .prepare(
        `INSERT INTO outbox (id, sale_id, kind, state, spot_id, transaction_key, delay_ms, payload,
           created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run, holds_slot)
         VALUES (@id, @saleId, @kind, 'pending', @spotId, @transactionKey, @delayMs, @payload,
           @wallMs, @monoMs, @runId, @wallMs, @monoMs, @runId, @holdsSlot)`,
      )
      .run({
        id,
        saleId: row.sale_id,
        kind: row.kind,
        spotId: row.spot_id,
        transactionKey: row.transaction_key,
        delayMs: row.delay_ms,
        payload: row.payload,
        holdsSlot: row.holds_slot,
        ...now,
      });
  } catch (error) {
    mapConstraint(error, 'duplicate_live_op', `a live ${op.kind} already exists for this sale, transaction or spot`, {
      kind: op.kind,
      saleId: op.saleId,
      transactionKey: op.transactionKey,
      spotId: op.spotId,
    });
  }
  // No op.enqueued event: the row itself records the enqueue (see Outbox on routine events).
  return toOutboxOp(ctx, row, now);
}

// ---------------------------------------------------------------- print jobs

export interface PrintRow {
  id: string;
  sale_id: string | null;
  kind: string;
  state: PrintJobState;
  attempts: number;
  last_error_code: string | null;
  payload: string;
  created_wall_ms: number;
  updated_wall_ms: number;
}

export function toPrintJob(row: PrintRow): PrintJob {
  return {
    id: row.id,
    saleId: opt(row.sale_id),
    kind: row.kind,
    state: row.state,
    attempts: row.attempts,
    lastErrorCode: opt(row.last_error_code),
    payload: parseJson(row.payload),
    createdWallMs: row.created_wall_ms,
    updatedWallMs: row.updated_wall_ms,
  };
}

export function insertPrintJob(ctx: StoreContext, job: NewPrintJob): PrintJob {
  const now = ctx.stamp();
  const id = job.id ?? ctx.random.id('print');
  try {
    ctx
      .prepare(
        `INSERT INTO print_jobs (id, sale_id, kind, state, payload,
           created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run)
         VALUES (@id, @saleId, @kind, 'queued', @payload, @wallMs, @monoMs, @runId, @wallMs, @monoMs, @runId)`,
      )
      .run({ id, saleId: job.saleId ?? null, kind: job.kind, payload: json(job.payload), ...now });
  } catch (error) {
    mapConstraint(error, job.kind === 'receipt' ? 'duplicate_receipt' : 'state_conflict', `sale ${job.saleId ?? '-'} already has a ${job.kind} print job`, {
      saleId: job.saleId,
      kind: job.kind,
    });
  }
  appendEvent(ctx, { type: 'print.queued', saleId: job.saleId, data: { printJobId: id, kind: job.kind } }, now);
  ctx.printJobInserted();
  return toPrintJob(ctx.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintRow);
}

// ---------------------------------------------------------------- events

export interface EventRow {
  seq: number;
  wall_ms: number;
  mono_ms: number;
  run: string;
  sale_id: string | null;
  op_id: string | null;
  type: string;
  data: string;
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    seq: row.seq,
    wallMs: row.wall_ms,
    monoMs: row.mono_ms,
    runId: row.run,
    saleId: opt(row.sale_id),
    opId: opt(row.op_id),
    type: row.type,
    data: parseJson(row.data),
  };
}

export function appendEvent(ctx: StoreContext, event: NewEvent, now: Stamp = ctx.stamp()): number {
  const info = ctx
    .prepare('INSERT INTO events (wall_ms, mono_ms, run, sale_id, op_id, type, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(now.wallMs, now.monoMs, now.runId, event.saleId ?? null, event.opId ?? null, event.type, json(event.data ?? {}));
  return Number(info.lastInsertRowid);
}

// ---------------------------------------------------------------- effects

/** Applies effects in the caller's transaction; any failure rolls back the caller's change too. */
export function applyEffects(ctx: StoreContext, effects: StoreEffects | undefined, opId?: string): void {
  if (effects === undefined) return;
  if (effects.sale !== undefined) applySaleEvent(ctx, effects.sale.saleId, effects.sale.event, effects.sale.onlyIfLegal ?? false, opId);
  for (const op of effects.enqueue ?? []) insertOp(ctx, op);
  for (const job of effects.printJobs ?? []) insertPrintJob(ctx, job);
  for (const event of effects.events ?? []) appendEvent(ctx, { ...event, opId: event.opId ?? opId });
}
