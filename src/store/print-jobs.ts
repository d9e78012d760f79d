import type { Unsubscribe } from '../platform/listeners.js';
import { StoreError } from './store-error.js';
import { appendEvent } from './event-rows.js';
import { insertPrintJob, toPrintJob, type PrintRow } from './print-rows.js';
import { type StoreContext } from './store-context.js';
import type { NewPrintJob, PrintJob, PrintJobKind, PrintJobState } from './types.js';

/**
 * Journaled print jobs. Receipts print once: the database holds at most one `receipt` job per
 * sale (a reprint is a `copy` job, printed marked COPY). A job found `printing` at start may or
 * may not have reached paper; it is never printed again automatically (sweepInterrupted marks it
 * failed with code `interrupted`, for a person to reprint as a copy).
 */
export class PrintJobs {
  constructor(private readonly ctx: StoreContext) {}

  /** Throws StoreError('duplicate_receipt') for a second receipt of one sale. */
  enqueue(job: NewPrintJob): PrintJob {
    return this.ctx.tx(() => insertPrintJob(this.ctx, job));
  }

  /**
   * `listener` is called after every commit that queued one or more jobs, whoever queued them
   * (here, or as the effects of a sale transition or an op's outcome): the spooler prints
   * without the rest of the terminal knowing which steps make print jobs.
   */
  onQueued(listener: () => void): Unsubscribe {
    return this.ctx.printJobsQueued.add(listener);
  }

  get(id: string): PrintJob | undefined {
    const row = this.ctx.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintRow | undefined;
    return row === undefined ? undefined : toPrintJob(row);
  }

  listBySale(saleId: string): PrintJob[] {
    return (this.ctx.prepare('SELECT * FROM print_jobs WHERE sale_id = ? ORDER BY rowid').all(saleId) as PrintRow[]).map(toPrintJob);
  }

  /** Jobs of one kind that are queued or printing, oldest first. */
  listUnsettled(kind: PrintJobKind): PrintJob[] {
    return (this.ctx.prepare(`SELECT * FROM print_jobs WHERE kind = ? AND state IN ('queued', 'printing') ORDER BY rowid`).all(kind) as PrintRow[]).map(toPrintJob);
  }

  listQueued(): PrintJob[] {
    return (this.ctx.prepare(`SELECT * FROM print_jobs WHERE state = 'queued' ORDER BY rowid`).all() as PrintRow[]).map(toPrintJob);
  }

  /**
   * Failed jobs, oldest first, whatever their code: the spooler's start picks the ones worth
   * another try, and `counterpay queue` shows the rest to a person.
   */
  listFailed(): PrintJob[] {
    return (this.ctx.prepare(`SELECT * FROM print_jobs WHERE state = 'failed' ORDER BY rowid`).all() as PrintRow[]).map(toPrintJob);
  }

  /** queued -> printing for the oldest queued job, committed before the printer is touched. */
  claimNext(): PrintJob | undefined {
    return this.ctx.tx(() => {
      const row = this.ctx.prepare(`SELECT * FROM print_jobs WHERE state = 'queued' ORDER BY rowid LIMIT 1`).get() as PrintRow | undefined;
      if (row === undefined) return undefined;
      return this.move(row.id, ['queued'], 'printing', undefined, true);
    });
  }

  markPrinted(id: string): PrintJob {
    return this.ctx.tx(() => this.move(id, ['printing'], 'printed'));
  }

  markFailed(id: string, errorCode: string): PrintJob {
    return this.ctx.tx(() => this.move(id, ['queued', 'printing'], 'failed', errorCode));
  }

  /** A person asked to try a failed job again (e.g. after refilling paper). */
  requeue(id: string): PrintJob {
    return this.ctx.tx(() => this.move(id, ['failed'], 'queued'));
  }

  /** At start: every job left `printing` becomes failed/interrupted (never auto-reprinted). */
  sweepInterrupted(): number {
    return this.ctx.tx(() => {
      const rows = this.ctx.prepare(`SELECT id FROM print_jobs WHERE state = 'printing'`).all() as Array<{ id: string }>;
      for (const row of rows) this.move(row.id, ['printing'], 'failed', 'interrupted');
      return rows.length;
    });
  }

  private move(id: string, from: readonly PrintJobState[], to: PrintJobState, errorCode?: string, countAttempt = false): PrintJob {
    const row = this.ctx.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintRow | undefined;
    if (row === undefined) throw new StoreError('not_found', `no print job ${id}`, { printJobId: id });
    if (!from.includes(row.state)) throw new StoreError('state_conflict', `print job ${id} is ${row.state}, not ${from.join('|')}`, { printJobId: id, state: row.state });
    const now = this.ctx.stamp();
    const final = to === 'printed' || to === 'failed';
    this.ctx
      .prepare(
        `UPDATE print_jobs SET state = @to, attempts = attempts + @inc, last_error_code = @errorCode,
           updated_wall_ms = @wallMs, updated_mono_ms = @monoMs, updated_run = @runId,
           final_wall_ms = CASE WHEN @final = 1 THEN @wallMs ELSE NULL END
         WHERE id = @id`,
      )
      .run({ id, to, inc: countAttempt ? 1 : 0, errorCode: errorCode ?? null, final: final ? 1 : 0, ...now });
    appendEvent(this.ctx, { type: `print.${to}`, saleId: row.sale_id ?? undefined, data: { printJobId: id, kind: row.kind, from: row.state, errorCode } }, now);
    return toPrintJob(this.ctx.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as PrintRow);
  }
}
