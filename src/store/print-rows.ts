import type { NewPrintJob, PrintJob, PrintJobState } from './types.js';
import type { StoreContext} from './store-context.js';
import { json, parseJson, opt, mapConstraint } from './store-context.js';
import { appendEvent } from './event-rows.js';

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
