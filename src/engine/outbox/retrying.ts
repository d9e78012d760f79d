import type { OutboxOp } from '../../store/types.js';

/**
 * Codes an operation carries that no failed attempt gave it: the start-up sweep's `interrupted`
 * (the terminal stopped, the remote did not fail) and the runner's escalations (a person's
 * `queue --retry` puts such an operation back to work with its code).
 */
const NOT_ATTEMPT_FAILURES = new Set(['interrupted', 'max_age_exceeded', 'max_attempts_exceeded', 'no_handler', 'payload_invalid']);

/**
 * Which operations are being retried, for the idle screen, `counterpay queue` and the log.
 *
 * An operation is retrying while it is still the terminal's to finish (pending, in flight or
 * unknown, not with a person) and its last attempt failed: it carries that attempt's error code
 * (not one of NOT_ATTEMPT_FAILURES).
 *
 * Since when: the operation's creation. Its first attempt follows at once (an operation is due
 * when it is enqueued), so for an operation that has failed ever since, that is when the trouble
 * began; the journal keeps no other "first failure" stamp.
 */
export function isRetrying(op: OutboxOp): boolean {
  const live = op.state === 'pending' || op.state === 'in_flight' || op.state === 'unknown';
  return live && op.lastErrorCode !== undefined && !NOT_ATTEMPT_FAILURES.has(op.lastErrorCode);
}

export interface RetryingSummary {
  /** The oldest retrying operation's kind (`confirm`, `pos_record_order`, ...). */
  readonly kind: string;
  /** When the oldest one was queued (wall clock). */
  readonly sinceWallMs: number;
  /** Its last attempt's error code. */
  readonly lastErrorCode: string;
  /** How many operations are retrying. */
  readonly count: number;
}

/** The oldest retrying operation among `ops`, and how many there are; undefined when none. */
export function summarizeRetrying(ops: readonly OutboxOp[]): RetryingSummary | undefined {
  const retrying = ops.filter(isRetrying);
  const oldest = retrying.reduce<OutboxOp | undefined>((a, b) => (a === undefined || b.createdWallMs < a.createdWallMs ? b : a), undefined);
  if (oldest === undefined) return undefined;
  return { kind: oldest.kind, sinceWallMs: oldest.createdWallMs, lastErrorCode: oldest.lastErrorCode ?? '', count: retrying.length };
}
