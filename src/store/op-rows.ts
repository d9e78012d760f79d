import { slotHeld } from './op-slots.js';
import type { ClaimableOpState, NewOp, OpState, OutboxOp, Stamp } from './types.js';
import type { StoreContext} from './store-context.js';
import { json, parseJson, opt, mapConstraint } from './store-context.js';

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
