import { StoreError } from './store-error.js';
import { appendEvent, applyEffects, getOpRow, insertOp, rowStamp, toOutboxOp, type OpRow, type StoreContext } from './internal.js';
import type { ClaimableOpState, NewOp, OpState, OutboxOp, Settlement, StoreEffects } from './types.js';

/**
 * The outbox: one row per intended write to a payment API.
 *
 * Lifecycle (invariant: intent before effect, outcome after):
 *   pending --claim--> in_flight --settle--> done | failed | needs_human | pending | unknown
 *   unknown --claim--> in_flight (the handler reconciles by reading remote state first)
 *   pending | unknown --escalate--> needs_human (too old / too many attempts; never deleted)
 *   needs_human --rearm--> unknown (a person asked to try again: reconcile first)
 *   needs_human --closeByPerson--> failed/human_resolved (a person decided the sale instead)
 *   pending | unknown --dueNow--> same state, due at once (a person asked not to wait)
 *   pending --withdraw--> failed (never sent, so safe to drop the intent, e.g. on cancel)
 * `in_flight` means "this process may be sending it right now". A row found in_flight at start
 * was interrupted mid-effect, so sweepInFlightToUnknown() runs before any worker.
 *
 * Every transition is a compare-and-set on the current state inside an immediate transaction,
 * so a claim is committed (synchronous=FULL) before the handler's effect begins, and a stale
 * caller gets StoreError('state_conflict') instead of overwriting a newer state.
 */
export class Outbox {
  constructor(private readonly ctx: StoreContext) {}

  /** Adds a pending op. Throws StoreError duplicate_live_op / conflicting_op when the schema forbids it. */
  enqueue(op: NewOp): OutboxOp {
    return this.ctx.tx(() => insertOp(this.ctx, op));
  }

  get(id: string): OutboxOp | undefined {
    const row = getOpRow(this.ctx, id);
    return row === undefined ? undefined : toOutboxOp(this.ctx, row);
  }

  require(id: string): OutboxOp {
    const op = this.get(id);
    if (op === undefined) throw new StoreError('not_found', `no outbox op ${id}`, { opId: id });
    return op;
  }

  /**
   * Ops the runner may claim (pending and unknown), in insertion order (rowid: independent of
   * the wall clock; order is fairness only, never correctness). A read: writes nothing.
   */
  listRunnable(): OutboxOp[] {
    const now = this.ctx.stamp();
    const rows = this.ctx.prepare(`SELECT * FROM outbox WHERE state IN ('pending','unknown') ORDER BY rowid`).all() as OpRow[];
    return rows.map((row) => toOutboxOp(this.ctx, row, now));
  }

  list(filter: { states?: readonly OpState[]; saleId?: string; kind?: string } = {}): OutboxOp[] {
    const now = this.ctx.stamp();
    const rows = (
      filter.saleId === undefined
        ? this.ctx.prepare('SELECT * FROM outbox ORDER BY rowid').all()
        : this.ctx.prepare('SELECT * FROM outbox WHERE sale_id = ? ORDER BY rowid').all(filter.saleId)
    ) as OpRow[];
    return rows
      .filter((r) => (filter.states === undefined || filter.states.includes(r.state)) && (filter.kind === undefined || r.kind === filter.kind))
      .map((row) => toOutboxOp(this.ctx, row, now));
  }

  countByState(): Record<OpState, number> {
    const counts: Record<OpState, number> = { pending: 0, in_flight: 0, unknown: 0, done: 0, failed: 0, needs_human: 0 };
    const rows = this.ctx.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: OpState; n: number }>;
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  /**
   * At start, before any worker: every op left in_flight may or may not have taken effect, so it
   * becomes unknown and will be reconciled (read remote state) before anything is resent.
   * Due immediately. Returns how many rows moved; writes nothing when there are none.
   */
  sweepInFlightToUnknown(): number {
    const ids = this.ctx.prepare(`SELECT id FROM outbox WHERE state = 'in_flight'`).all() as Array<{ id: string }>;
    if (ids.length === 0) return 0;
    return this.ctx.tx(() => {
      let moved = 0;
      for (const { id } of ids) {
        const row = getOpRow(this.ctx, id);
        if (row?.state !== 'in_flight') continue;
        this.write(row, 'unknown', { errorCode: 'interrupted', delayMs: 0, keepError: false });
        moved += 1;
      }
      return moved;
    });
  }

  /**
   * pending|unknown -> in_flight, attempts + 1, committed before returning (so before the
   * caller's effect). Returns undefined when the op is no longer claimable (nothing written).
   */
  claim(id: string): OutboxOp | undefined {
    return this.ctx.tx(() => {
      const row = getOpRow(this.ctx, id);
      if (row === undefined || (row.state !== 'pending' && row.state !== 'unknown')) return undefined;
      return this.write(row, 'in_flight', { claimedFrom: row.state, attempt: true });
    });
  }

  /**
   * Records the outcome of a claimed op, with its effects, in one transaction. Throws
   * state_conflict if the op is not in_flight (nothing written); if the effects throw, nothing
   * is written either and the op stays in_flight for the caller to settle differently.
   */
  settle(id: string, settlement: Settlement): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['in_flight']);
      const op = this.write(row, settlement.to, {
        errorCode: settlement.errorCode,
        httpStatus: settlement.httpStatus,
        result: settlement.result,
        delayMs: settlement.delayMs,
      });
      applyEffects(this.ctx, settlement.effects, id);
      return op;
    });
  }

  /** pending|unknown -> needs_human without an attempt (max age or attempts exceeded). */
  escalate(id: string, errorCode: string, effects?: StoreEffects): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['pending', 'unknown']);
      const op = this.write(row, 'needs_human', { errorCode, keepError: false });
      applyEffects(this.ctx, effects, id);
      return op;
    });
  }

  /** needs_human -> unknown, age reset: a person asked to try again; reconcile comes first. */
  rearm(id: string): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['needs_human']);
      return this.write(row, 'unknown', { delayMs: 0, resetAge: true });
    });
  }

  /**
   * pending|unknown, due at once (the backoff is skipped; attempts and age are kept, so the
   * policy's limits still apply). A person asked to try now; the state (and so whether the next
   * attempt reconciles first) is unchanged.
   */
  dueNow(id: string): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['pending', 'unknown']);
      return this.write(row, row.state, { delayMs: 0 });
    });
  }

  /**
   * needs_human -> failed with code `human_resolved`, the reason kept in `result`: a person
   * decided the op's sale themselves (counterpay queue --resolve), so the op is not pursued any
   * more. Whether its effect happened remotely stays unknown; the row and its history stay.
   */
  closeByPerson(id: string, reason: string, effects?: StoreEffects): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['needs_human']);
      const op = this.write(row, 'failed', { errorCode: 'human_resolved', result: {
          humanResolved: true,
          reason,
          previousErrorCode: row.last_error_code,
          previousResult: row.result === null ? null : (JSON.parse(row.result) as unknown),
        },
      });
      applyEffects(this.ctx, effects, id);
      return op;
    });
  }

  /** pending -> failed/withdrawn. Only a never-sent op can be dropped; anything else throws state_conflict. */
  withdraw(id: string, reason: string, effects?: StoreEffects): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['pending']);
      const op = this.write(row, 'failed', { errorCode: 'withdrawn', result: { reason } });
      applyEffects(this.ctx, effects, id);
      return op;
    });
  }

  private requireRow(id: string, states: readonly OpState[]): OpRow {
    const row = getOpRow(this.ctx, id);
    if (row === undefined) throw new StoreError('not_found', `no outbox op ${id}`, { opId: id });
    if (!states.includes(row.state)) {
      throw new StoreError('state_conflict', `outbox op ${id} is ${row.state}, not ${states.join('|')}`, { opId: id, state: row.state, expected: states });
    }
    return row;
  }

  private write(
    row: OpRow,
    to: OpState,
    change: {
      claimedFrom?: ClaimableOpState;
      attempt?: boolean;
      errorCode?: string | undefined;
      httpStatus?: number | undefined;
      /** Keep the previous error code/status when none is given (default true). */
      keepError?: boolean;
      result?: unknown;
      delayMs?: number | undefined;
      resetAge?: boolean;
    },
  ): OutboxOp {
    const now = this.ctx.stamp();
    const age = change.resetAge === true ? 0 : row.age_ms + this.ctx.elapsedSince(rowStamp(row), now);
    const final = to === 'done' || to === 'failed';
    const keep = change.keepError ?? true;
    // Compare-and-set; RETURNING gives the updated row without a second read.
    const updated = this.ctx
      .prepare(
        `UPDATE outbox SET state = @to, claimed_from = @claimedFrom, attempts = attempts + @inc,
           delay_ms = @delayMs, age_ms = @age,
           last_error_code = @errorCode, last_http_status = @httpStatus,
           result = COALESCE(@result, result),
           updated_wall_ms = @wallMs, updated_mono_ms = @monoMs, updated_run = @runId,
           final_wall_ms = CASE WHEN @final = 1 THEN @wallMs ELSE NULL END
         WHERE id = @id AND state = @from
         RETURNING *`,
      )
      .get({
        id: row.id,
        from: row.state,
        to,
        claimedFrom: change.claimedFrom ?? (to === 'in_flight' ? row.claimed_from : null),
        inc: change.attempt === true ? 1 : 0,
        delayMs: Math.max(0, Math.round(change.delayMs ?? 0)),
        age: Math.round(age),
        errorCode: change.errorCode ?? (keep ? row.last_error_code : null),
        httpStatus: change.httpStatus ?? (keep && change.errorCode === undefined ? row.last_http_status : null),
        result: change.result === undefined ? null : JSON.stringify(change.result),
        final: final ? 1 : 0,
        ...now,
      }) as OpRow | undefined;
    if (updated === undefined) throw new StoreError('state_conflict', `outbox op ${row.id} changed underneath`, { opId: row.id });
    appendEvent(
      this.ctx,
      {
        type: `op.${to}`,
        saleId: row.sale_id ?? undefined,
        opId: row.id,
        data: { kind: row.kind, from: row.state, errorCode: change.errorCode, httpStatus: change.httpStatus, delayMs: change.delayMs },
      },
      now,
    );
    return toOutboxOp(this.ctx, updated, now);
  }
}
