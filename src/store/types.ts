import type { Refund, RefundEvent } from '../domain/refund.js';
import type { Sale, SaleEvent } from '../domain/sale.js';

/** Outbox operation states. `in_flight` exists only while this process runs the op. */
export type OpState = 'pending' | 'in_flight' | 'unknown' | 'done' | 'failed' | 'needs_human';
/** States the runner may claim: pending (execute) and unknown (reconcile first). */
export type ClaimableOpState = 'pending' | 'unknown';
export const FINAL_OP_STATES: readonly OpState[] = ['done', 'failed'];

export type PrintJobState = 'queued' | 'printing' | 'printed' | 'failed';
/**
 * Print job kinds (their payloads: printing/job-payloads.ts). The store knows `receipt` (one per
 * sale) and `copy`; any other kind is stored as given.
 */
export type PrintJobKind = 'receipt' | 'copy' | 'table-card' | 'report' | 'centrapay-slip' | 'refund-slip' | (string & {});

/** Where and when a row was written: wall time for people, monotonic time within one run. */
export interface Stamp {
  wallMs: number;
  monoMs: number;
  runId: string;
}

export interface SaleRecord extends Sale {
  /**
   * The short sale number staff key for a refund: per terminal, counting up, given in the commit
   * that makes the sale paid (schema 5); undefined for a sale never paid.
   */
  readonly number?: number | undefined;
  readonly version: number;
  readonly createdWallMs: number;
  readonly updatedWallMs: number;
  /** Wall time at which the sale reached done/cancelled/declined. */
  readonly closedWallMs: number | undefined;
}

/** An outbox row; `P` is its payload as its kind's schema read it (unknown as stored). */
export interface OutboxOp<P = unknown> {
  readonly id: string;
  readonly saleId: string | undefined;
  readonly kind: string;
  readonly state: OpState;
  /** The state the op was claimed from: `unknown` means the handler must reconcile first. */
  readonly claimedFrom: ClaimableOpState | undefined;
  readonly spotId: number | undefined;
  readonly transactionKey: string | undefined;
  /** Number of claims so far (each claim is one execute or one reconcile). */
  readonly attempts: number;
  readonly lastErrorCode: string | undefined;
  readonly lastHttpStatus: number | undefined;
  readonly payload: P;
  readonly result: unknown;
  readonly createdWallMs: number;
  readonly updatedWallMs: number;
  /**
   * When the op may next be attempted, on this process's monotonic clock. Delays are stored
   * relative to the last write; a row written by an earlier run is due `delay` after this run
   * opened the store (wall time is never trusted for scheduling).
   */
  readonly dueMonoMs: number;
  /**
   * How long the op has existed, as of the read: monotonic time within a run; across a restart
   * the downtime is counted by wall clock, never negatively.
   */
  readonly ageMs: number;
}

export interface NewOp {
  /** Defaults to a fresh id from the store's RandomSource. */
  id?: string;
  saleId?: string | undefined;
  kind: string;
  spotId?: number | undefined;
  transactionKey?: string | undefined;
  /** JSON-serializable; what the handler needs to act (and to find the effect again). */
  payload: unknown;
  /** First attempt not before this many ms from now. */
  delayMs?: number;
}

export interface PrintJob {
  readonly id: string;
  readonly saleId: string | undefined;
  readonly kind: PrintJobKind;
  readonly state: PrintJobState;
  readonly attempts: number;
  readonly lastErrorCode: string | undefined;
  readonly payload: unknown;
  readonly createdWallMs: number;
  readonly updatedWallMs: number;
}

export interface NewPrintJob {
  id?: string;
  saleId?: string | undefined;
  kind: PrintJobKind;
  payload: unknown;
}

export interface EventRecord {
  readonly seq: number;
  readonly wallMs: number;
  readonly monoMs: number;
  readonly runId: string;
  readonly saleId: string | undefined;
  readonly opId: string | undefined;
  readonly type: string;
  readonly data: unknown;
}

export interface NewEvent {
  type: string;
  saleId?: string | undefined;
  opId?: string | undefined;
  data?: unknown;
}

/** A sale transition to apply in the same transaction as something else. */
export interface SaleEffect {
  saleId: string;
  event: SaleEvent;
  /**
   * Skip (instead of failing the whole transaction) when the transition is not legal in the
   * sale's current state. Used for `needsHuman` escalations, which must never be blocked by the
   * sale already being final or already waiting for a person.
   */
  onlyIfLegal?: boolean;
}

/** A refund transition to apply in the same transaction as something else. */
export interface RefundEffect {
  refundId: string;
  event: RefundEvent;
  /** Skip when the transition is not legal in the refund's current state (escalations). */
  onlyIfLegal?: boolean;
}

export interface RefundRecord extends Refund {
  readonly version: number;
  readonly createdWallMs: number;
  readonly updatedWallMs: number;
  /** Wall time at which the refund was refunded or refused. */
  readonly closedWallMs: number | undefined;
}

/**
 * Everything that must commit atomically with a state change: the decision and its intents.
 * E.g. confirm done -> sale `confirmed` + enqueue close_spot, in one commit, so a crash can never
 * leave a confirmed sale without its close.
 */
export interface StoreEffects {
  sale?: SaleEffect | undefined;
  /** A refund's transition (refund-rows.ts), in the same commit. */
  refund?: RefundEffect | undefined;
  enqueue?: readonly NewOp[] | undefined;
  printJobs?: readonly NewPrintJob[] | undefined;
  events?: readonly NewEvent[] | undefined;
}

/** How the runner settles a claimed op; see Outbox.settle. */
export interface Settlement {
  to: Exclude<OpState, 'in_flight'>;
  errorCode?: string | undefined;
  httpStatus?: number | undefined;
  result?: unknown;
  /** For pending/unknown: wait this long before the next attempt. */
  delayMs?: number | undefined;
  effects?: StoreEffects | undefined;
}

export interface PruneReport {
  sales: number;
  ops: number;
  printJobs: number;
  events: number;
}

export interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
}
