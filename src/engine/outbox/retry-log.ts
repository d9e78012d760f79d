import type { Logger } from 'pino';
import type { OpState, OutboxOp } from '../../store/types.js';

/**
 * A retry storm in the log says what is failing once per op, not once per attempt: a warning at
 * its first failed attempt (in this run), a line when it goes through; every attempt stays at
 * debug ('outbox op', logged by the engine).
 */
export class RetryLog {
  private readonly logger: Logger;
  /** Ops whose failure was logged in this run; their recovery is logged once too. */
  private readonly failing = new Set<string>();

  constructor(logger: Logger) {
    this.logger = logger;
  }

  transition(op: OutboxOp, from: OpState, to: OpState, code: string | undefined, delayMs: number | undefined): void {
    const fields = { opId: op.id, kind: op.kind, saleId: op.saleId, attempts: op.attempts };
    if (from === 'in_flight' && (to === 'pending' || to === 'unknown')) {
      if (this.failing.has(op.id)) return;
      this.failing.add(op.id);
      this.logger.warn({ ...fields, code, httpStatus: op.lastHttpStatus, nextAttemptInMs: delayMs }, 'outbox: a write is failing; retrying until it goes through');
      return;
    }
    if (to !== 'done' && to !== 'failed' && to !== 'needs_human') return;
    const wasFailing = this.failing.delete(op.id);
    if (to === 'done' && (wasFailing || op.attempts > 1)) this.logger.info({ ...fields, queuedWallMs: op.createdWallMs }, 'outbox: a failing write went through');
  }
}
