import { appendEvent, toEventRecord, type EventRow } from './event-rows.js';
import { type StoreContext } from './store-context.js';
import type { EventRecord, NewEvent } from './types.js';

/**
 * The append-only event log: every sale transition, and every op transition that is not routine
 * (see Outbox), lands here in the same transaction as the change itself (a trigger refuses
 * updates). Readers page by `seq`, which only grows: prune() always keeps the newest event.
 */
export class EventLog {
  constructor(private readonly ctx: StoreContext) {}

  /** Appends one event in its own transaction; returns its seq. */
  append(event: NewEvent): number {
    return this.ctx.tx(() => appendEvent(this.ctx, event));
  }

  list(filter: { afterSeq?: number; saleId?: string; opId?: string; limit?: number } = {}): EventRecord[] {
    const rows = this.ctx
      .prepare(
        `SELECT * FROM events WHERE seq > @after
           AND (@saleId IS NULL OR sale_id = @saleId) AND (@opId IS NULL OR op_id = @opId)
         ORDER BY seq LIMIT @limit`,
      )
      .all({ after: filter.afterSeq ?? 0, saleId: filter.saleId ?? null, opId: filter.opId ?? null, limit: filter.limit ?? -1 }) as EventRow[];
    return rows.map(toEventRecord);
  }

  lastSeq(): number {
    return (this.ctx.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
  }
}
