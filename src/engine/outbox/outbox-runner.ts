import type { Clock } from '../../platform/clock.js';
import { CodedError } from '../../platform/coded-error.js';
import type { RandomSource } from '../../platform/random.js';
import type { Outbox } from '../../store/outbox.js';
import type { OpState, OutboxOp, Settlement, StoreEffects } from '../../store/types.js';
import { retryDelayMs } from '../../platform/backoff.js';
import { readPayload, type PayloadSchema } from './op-payload.js';
import { validateRetryPolicy, type RetryPolicies, type RetryPolicy } from './retry-policy.js';

/**
 * The outbox runner: the single owner of every outbox operation in this process.
 *
 * Invariants:
 * - One owner per op: only this runner claims ops, an in-memory set stops it from running an op
 *   twice at once, and the claim (pending|unknown -> in_flight) is an immediate transaction
 *   committed BEFORE the handler's effect starts; the outcome is committed after it.
 * - At start, before the first claim, every op left in_flight becomes unknown.
 * - Ambiguous means reconcile, not resend: an ambiguous failure moves the op to `unknown`, and the
 *   next attempt calls the handler's reconcile() (a read of remote state); only a reconcile that
 *   proves the effect absent (`not_applied`) leads to execute() again.
 * - An op that cannot complete within its policy's max age (or attempts) goes to needs_human,
 *   and so does its sale; nothing is deleted.
 * - A row is read through its kind's payload schema before it is claimed: one that does not read
 *   (or whose kind this version does not run) goes to needs_human with the reason, never to a
 *   handler, and the other ops run on.
 * - Timing only through the injected Clock; jitter only from the injected RandomSource.
 *
 * It knows operation kinds, policies and handlers, never HTTP.
 */

/**
 * The error shape the runner reads; classification happens once, in the gateway. The Paysera
 * client's WalletError satisfies it. Checked in this order: `ambiguous` (the write may have
 * taken effect) wins over `retryable`; neither means final.
 */
export interface OpError {
  readonly code: string;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  /** The server's Retry-After, in ms: the next attempt waits at least this long. */
  readonly retryAfterMs?: number | undefined;
  /** HTTP status, when a response arrived. */
  readonly status?: number | undefined;
}

export function isOpError(error: unknown): error is OpError {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e['code'] === 'string' && typeof e['ambiguous'] === 'boolean' && typeof e['retryable'] === 'boolean';
}

/** What execute() (and a decisive reconcile()) reports. */
export type FinalOutcome =
  /** The effect happened (or, from reconcile, is found to have happened). */
  | { readonly status: 'done'; readonly result?: unknown; readonly effects?: StoreEffects | undefined }
  /** Definitively not done and never will be (e.g. a declined reserve); effects decide the sale. */
  | { readonly status: 'failed'; readonly code: string; readonly httpStatus?: number | undefined; readonly result?: unknown; readonly effects?: StoreEffects | undefined }
  /** The handler cannot decide (remote state contradicts ours): a person must. */
  | { readonly status: 'needs_human'; readonly code: string; readonly result?: unknown; readonly effects?: StoreEffects | undefined };

export type ReconcileOutcome =
  | FinalOutcome
  /** Remote state proves the effect did not happen: safe to execute again. */
  | { readonly status: 'not_applied' }
  /** Remote state is not decisive yet (e.g. still processing): read again after backoff. */
  | { readonly status: 'retry'; readonly code: string; readonly retryAfterMs?: number | undefined };

/**
 * One per operation kind. Contract:
 * - payload: the kind's schema. The runner reads each row through it and hands the handler the
 *   payload as read; a row that does not read never reaches the handler (needs_human,
 *   `payload_invalid`).
 * - execute(op) performs the effect once and reports the outcome; it throws an OpError when
 *   the call failed (ambiguous / retryable / final). Each call must be a fresh request (signed
 *   afresh); the runner never replays a previous one.
 * - reconcile(op) READS remote state to find out whether an earlier, ambiguous execute took
 *   effect (find a created resource again through our ids, never by re-POSTing). It must not
 *   write. Required when the kind's policy says onAmbiguous: 'reconcile'. Errors it throws keep
 *   the op unknown, with backoff.
 * - Both must settle in bounded time (the gateway's own timeouts): the runner never abandons a
 *   call it started, and stop() waits for it.
 * - onFailed(op, error), optional: the sale's fate after a final (non-ambiguous, non-retryable)
 *   execute error, as effects committed with the op's `failed` state. Default: the sale goes to
 *   needs_human, so no sale is silently stuck.
 */
export interface OpHandler<P = unknown> {
  readonly payload: PayloadSchema<P>;
  execute(op: OutboxOp<P>): Promise<FinalOutcome>;
  reconcile?(op: OutboxOp<P>): Promise<ReconcileOutcome>;
  onFailed?(op: OutboxOp<P>, error: OpError): StoreEffects | undefined;
}

export type OpHandlers = Readonly<Record<string, OpHandler>>;

/** The escalation code of a row whose payload does not read as its kind's. */
export const PAYLOAD_INVALID = 'payload_invalid';

export type RunnerMode = 'execute' | 'reconcile';

export type RunnerEvent =
  | {
      readonly type: 'transition';
      readonly op: OutboxOp;
      readonly from: OpState;
      readonly to: OpState;
      readonly mode?: RunnerMode | undefined;
      readonly code?: string | undefined;
      readonly delayMs?: number | undefined;
      /** Why, in words, when the code alone does not say (a payload that does not read: where and what). */
      readonly detail?: string | undefined;
    }
  /** The runner could not record something; the op stays as the database last saw it. */
  | { readonly type: 'error'; readonly opId: string | undefined; readonly error: unknown };

export type RunnerListener = (event: RunnerEvent) => void;

export class OutboxRunnerError extends CodedError {
  declare readonly code: 'invalid_runner_config' | 'runner_not_stopped';
}

/**
 * A lane: op kinds that share a limit of ops at a time. Lanes are listed most urgent first: when
 * several ops are due, they are claimed in lane order (each claim is a commit, so order is
 * time), and an op waits only for the ops of its own lane, never for another lane's.
 */
export interface RunnerLane {
  /** The kinds in this lane; omitted for the one lane that takes every kind no other lane names. */
  readonly kinds?: readonly string[];
  /** Ops of this lane at a time (never two of one sale, in any lane). */
  readonly concurrency: number;
}

export interface OutboxRunnerDeps {
  outbox: Outbox;
  clock: Clock;
  random: RandomSource;
  policies: RetryPolicies;
  handlers: OpHandlers;
  /**
   * The lanes, most urgent first (e.g. confirms; the rest of a payment; spot closes; the POS
   * back-office sync), so a due confirm is claimed first and a slow or failing background call
   * never delays a payment op. Default: one lane of `concurrency`.
   */
  lanes?: readonly RunnerLane[];
  /** Ops at a time when no lanes are given. Default 1. */
  concurrency?: number;
}

type RunnerState = 'stopped' | 'running' | 'stopping';

export class OutboxRunner {
  private state: RunnerState = 'stopped';
  /** Ops this runner is working on right now; the in-memory half of "one owner". */
  private readonly inProgress = new Map<string, { saleId: string | undefined; kind: string; lane: number; done: Promise<void> }>();
  /** Ops whose outcome could not be recorded; left alone until restart (they reconcile then). */
  private readonly poisoned = new Set<string>();
  private readonly listeners = new Set<RunnerListener>();
  private cancelTimer: (() => void) | undefined;
  private readonly lanes: readonly RunnerLane[];

  constructor(private readonly deps: OutboxRunnerDeps) {
    this.lanes = deps.lanes ?? [{ concurrency: deps.concurrency ?? 1 }];
  }

  on(listener: RunnerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Ids of ops being executed or reconciled right now. */
  inFlight(): string[] {
    return [...this.inProgress.keys()];
  }

  /** Whether an op of `kind` is being executed or reconciled right now. */
  hasInFlight(kind: string): boolean {
    return [...this.inProgress.values()].some((p) => p.kind === kind);
  }

  /**
   * Validates policies and handlers, sweeps in_flight -> unknown (before any claim), then runs
   * due ops and schedules the next. Throws OutboxRunnerError('invalid_runner_config').
   */
  start(): void {
    if (this.state !== 'stopped') throw new OutboxRunnerError('runner_not_stopped', `outbox runner is ${this.state}`);
    if (this.lanes.filter((lane) => lane.kinds === undefined).length !== 1) {
      throw new OutboxRunnerError('invalid_runner_config', 'exactly one lane must take the kinds no other lane names');
    }
    if (this.lanes.some((lane) => !(Number.isInteger(lane.concurrency) && lane.concurrency >= 1))) {
      throw new OutboxRunnerError('invalid_runner_config', 'a lane runs at least one op at a time');
    }
    for (const [kind, handler] of Object.entries(this.deps.handlers)) {
      const policy = this.deps.policies[kind];
      if (policy === undefined) throw new OutboxRunnerError('invalid_runner_config', `no retry policy for op kind ${kind}`);
      validateRetryPolicy(kind, policy);
      if (policy.onAmbiguous === 'reconcile' && handler.reconcile === undefined) {
        throw new OutboxRunnerError('invalid_runner_config', `op kind ${kind} reconciles after ambiguous failures but its handler has no reconcile()`);
      }
    }
    this.deps.outbox.sweepInFlightToUnknown();
    this.state = 'running';
    this.pump();
  }

  /** Stops claiming new ops and resolves once every op in flight has been settled. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    while (this.inProgress.size > 0) await Promise.all([...this.inProgress.values()].map((p) => p.done));
    this.state = 'stopped';
  }

  /** Look for due work now (call after enqueueing). Cheap: one read, no write. */
  kick(): void {
    this.pump();
  }

  private emit(event: RunnerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not stop payments; listeners log their own failures.
      }
    }
  }

  private pump(): void {
    if (this.state !== 'running') return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    let ops: OutboxOp[];
    try {
      ops = this.deps.outbox.listRunnable();
    } catch (error) {
      this.emit({ type: 'error', opId: undefined, error });
      return;
    }
    const now = this.deps.clock.monoMs();
    // Counted afresh for every op: runOne's listeners may re-enter pump() and start ops meanwhile.
    const running = (): Array<{ saleId: string | undefined; lane: number }> => [...this.inProgress.values()];
    let nextDue = Number.POSITIVE_INFINITY;
    const due: Array<{ op: OutboxOp; lane: number }> = [];
    for (const op of ops) {
      if (this.inProgress.has(op.id) || this.poisoned.has(op.id)) continue;
      if (op.dueMonoMs > now) {
        nextDue = Math.min(nextDue, op.dueMonoMs);
        continue;
      }
      due.push({ op, lane: this.laneOf(op.kind) });
    }
    // Most urgent lane first; within a lane, in the order the ops were queued (sort is stable).
    due.sort((a, b) => a.lane - b.lane);
    for (const { op, lane } of due) {
      if (this.inProgress.has(op.id)) continue;
      // Ops of one sale run one after another: each may depend on the previous one's outcome.
      if (op.saleId !== undefined && running().some((p) => p.saleId === op.saleId)) continue;
      // Lane full: a finishing op pumps again.
      if (running().filter((p) => p.lane === lane).length >= (this.lanes[lane]?.concurrency ?? 1)) continue;
      // Registered BEFORE runOne: its claim emits events synchronously, and a listener that
      // kicks the runner re-enters pump(), which must already count this op (lane, sale).
      const entry = { saleId: op.saleId, kind: op.kind, lane, done: Promise.resolve() };
      this.inProgress.set(op.id, entry);
      entry.done = this.runOne(op).finally(() => {
        this.inProgress.delete(op.id);
        this.pump();
      });
    }
    if (Number.isFinite(nextDue)) {
      // A re-entered pump may have set one meanwhile (TS cannot see that through the calls above).
      (this.cancelTimer as (() => void) | undefined)?.();
      this.cancelTimer = this.deps.clock.setTimeout(() => this.pump(), Math.max(0, nextDue - now));
    }
  }

  private laneOf(kind: string): number {
    const named = this.lanes.findIndex((lane) => lane.kinds?.includes(kind) === true);
    return named >= 0 ? named : this.lanes.findIndex((lane) => lane.kinds === undefined);
  }

  private async runOne(op: OutboxOp): Promise<void> {
    // Everything up to the first await runs synchronously inside pump(), so the claim is
    // committed before any other pump can look at this op again.
    const policy = this.deps.policies[op.kind];
    const handler = this.deps.handlers[op.kind];
    if (policy === undefined || handler === undefined) return this.escalate(op, 'no_handler');
    const reading = readPayload(handler.payload, op.payload);
    if (!reading.ok) return this.escalate(op, PAYLOAD_INVALID, `${op.kind} payload ${reading.problem}`);
    if (op.ageMs >= policy.maxAgeMs) return this.escalate(op, 'max_age_exceeded');
    if (policy.maxAttempts !== undefined && op.attempts >= policy.maxAttempts) return this.escalate(op, 'max_attempts_exceeded');

    let row: OutboxOp | undefined;
    try {
      row = this.deps.outbox.claim(op.id);
    } catch (error) {
      this.emit({ type: 'error', opId: op.id, error });
      return;
    }
    if (row === undefined) return; // no longer claimable: someone settled it meanwhile
    // The payload column never changes after the enqueue: the one read above is this row's.
    const claimed: OutboxOp = { ...row, payload: reading.payload };
    const reconcile = handler.reconcile;
    const mode: RunnerMode = claimed.claimedFrom === 'unknown' && policy.onAmbiguous === 'reconcile' && reconcile !== undefined ? 'reconcile' : 'execute';
    this.emit({ type: 'transition', op: claimed, from: op.state, to: 'in_flight', mode });

    let settlement: Settlement;
    try {
      if (mode === 'reconcile' && reconcile !== undefined) {
        settlement = this.fromReconcile(claimed, await reconcile.call(handler, claimed), policy);
      } else {
        settlement = this.fromFinal(claimed, await handler.execute(claimed));
      }
    } catch (error) {
      settlement = this.fromError(claimed, mode, error, policy, handler);
    }
    this.commit(claimed, settlement, mode);
  }

  private needsHumanEffects(op: OutboxOp, reason: string, effects?: StoreEffects): StoreEffects | undefined {
    if (op.saleId === undefined || effects?.sale !== undefined) return effects;
    return { ...effects, sale: { saleId: op.saleId, event: { type: 'needsHuman', reason: `${op.kind}:${reason}` }, onlyIfLegal: true } };
  }

  private fromFinal(op: OutboxOp, outcome: FinalOutcome): Settlement {
    switch (outcome.status) {
      case 'done':
        return { to: 'done', result: outcome.result, effects: outcome.effects };
      case 'failed':
        return { to: 'failed', errorCode: outcome.code, httpStatus: outcome.httpStatus, result: outcome.result, effects: outcome.effects };
      case 'needs_human':
        return { to: 'needs_human', errorCode: outcome.code, result: outcome.result, effects: this.needsHumanEffects(op, outcome.code, outcome.effects) };
    }
  }

  private fromReconcile(op: OutboxOp, outcome: ReconcileOutcome, policy: RetryPolicy): Settlement {
    switch (outcome.status) {
      case 'not_applied':
        // Proven absent: back to pending, due now; the next claim executes (a fresh request).
        return { to: 'pending', errorCode: 'reconciled_not_applied', delayMs: 0 };
      case 'retry':
        return { to: 'unknown', errorCode: outcome.code, delayMs: this.delay(op, policy, outcome.retryAfterMs) };
      default:
        return this.fromFinal(op, outcome);
    }
  }

  private fromError(op: OutboxOp, mode: RunnerMode, thrown: unknown, policy: RetryPolicy, handler: OpHandler): Settlement {
    // A handler that throws something unclassified: during execute we cannot know whether the
    // effect happened, so it is treated as ambiguous (the safe reading).
    const error: OpError = isOpError(thrown) ? thrown : { code: 'handler_error', ambiguous: mode === 'execute', retryable: true };
    const base = { errorCode: error.code, httpStatus: error.status };
    if (mode === 'reconcile') {
      // Reads are safe to repeat, and the effect is still unknown: stay unknown.
      return { ...base, to: 'unknown', delayMs: this.delay(op, policy, error.retryAfterMs) };
    }
    if (error.ambiguous) {
      return { ...base, to: policy.onAmbiguous === 'reconcile' ? 'unknown' : 'pending', delayMs: this.delay(op, policy, error.retryAfterMs) };
    }
    if (error.retryable) {
      return { ...base, to: 'pending', delayMs: this.delay(op, policy, error.retryAfterMs) };
    }
    let effects: StoreEffects | undefined;
    try {
      effects = handler.onFailed?.(op, error);
    } catch (hookError) {
      this.emit({ type: 'error', opId: op.id, error: hookError });
    }
    return { ...base, to: 'failed', effects: effects ?? this.needsHumanEffects(op, error.code) };
  }

  private delay(op: OutboxOp, policy: RetryPolicy, retryAfterMs: number | undefined): number {
    return retryDelayMs(Math.max(0, op.attempts - 1), policy, this.deps.random, retryAfterMs);
  }

  private commit(claimed: OutboxOp, settlement: Settlement, mode: RunnerMode): void {
    try {
      const op = this.deps.outbox.settle(claimed.id, settlement);
      this.emit({ type: 'transition', op, from: 'in_flight', to: op.state, mode, code: settlement.errorCode, delayMs: settlement.delayMs });
      return;
    } catch (error) {
      this.emit({ type: 'error', opId: claimed.id, error });
    }
    // The outcome's effects were refused (the sale moved on, a uniqueness rule fired). The
    // remote effect may well have happened: keep its result and ask a person.
    try {
      const op = this.deps.outbox.settle(claimed.id, {
        to: 'needs_human',
        errorCode: 'effects_rejected',
        result: settlement.result,
        effects: this.needsHumanEffects(claimed, 'effects_rejected'),
      });
      this.emit({ type: 'transition', op, from: 'in_flight', to: op.state, mode, code: 'effects_rejected' });
    } catch (error) {
      // Cannot write at all (disk): leave the row in_flight; the start sweep makes it unknown.
      this.poisoned.add(claimed.id);
      this.emit({ type: 'error', opId: claimed.id, error });
    }
  }

  private escalate(op: OutboxOp, reason: string, detail?: string): void {
    try {
      const escalated = this.deps.outbox.escalate(op.id, reason, this.needsHumanEffects(op, reason), detail === undefined ? undefined : { detail });
      this.emit({ type: 'transition', op: escalated, from: op.state, to: 'needs_human', code: reason, detail });
    } catch (error) {
      this.poisoned.add(op.id);
      this.emit({ type: 'error', opId: op.id, error });
    }
  }
}
