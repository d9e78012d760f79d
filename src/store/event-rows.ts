import type { EventRecord, NewEvent, Stamp } from './types.js';
import type { StoreContext} from './store-context.js';
import { json, parseJson, opt } from './store-context.js';

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
