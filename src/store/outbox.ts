import { slotHeld } from './op-slots.js';
import { StoreError } from './store-error.js';
import { appendEvent } from './event-rows.js';
import { applyEffects } from './store-effects.js';
import { getOpRow, insertOp, OP_COLUMNS, rowStamp, toOutboxOp, type OpRow } from './op-rows.js';
import { mapConstraint, type StoreContext } from './store-context.js';
import { FINAL_OP_STATES, type ClaimableOpState, type NewOp, type OpState, type OutboxOp, type Settlement, type StoreEffects } from './types.js';

/**
 * The compare-and-set of every step, in four variants: whether it stamps the op final and whether
 * it moves the slot. An UPDATE that names a column rewrites every index entry keyed on it, changed
 * or not; so only the steps that change them write final_wall_ms and holds_slot, and a claim or a
 * retry touches no index at all (schema version 3).
 */
const updateSql = (final: boolean, slot: boolean): string =>
  `UPDATE outbox SET state = ?, claimed_from = ?, attempts = ?, delay_ms = ?, age_ms = ?,
     last_error_code = ?, last_http_status = ?, result = ?,
     updated_wall_ms = ?, updated_mono_ms = ?, updated_run = ?${final ? ', final_wall_ms = ?' : ''}${slot ? ', holds_slot = ?' : ''}
   WHERE id = ? AND state = ? AND attempts = ?`;
const UPDATE_SQL = [
  [updateSql(false, false), updateSql(false, true)],
  [updateSql(true, false), updateSql(true, true)],
] as const;

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
 *
 * The event log gets a row for every transition that carries news: a failed or ambiguous
 * attempt, an escalation, a person's decision, the start sweep. The routine path (enqueue, claim,
 * settle to done) writes none: the op row already holds when it was created, how many attempts it
 * took, when it ended and with what result, and the sale's own event lands in the same commit.
 * So a routine step writes one page fewer (see migration 3 on why pages per commit matter).
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
   * `final_wall_ms IS NULL` is implied by the states; it is spelled out so the outbox_open index serves it.
   */
  listRunnable(): OutboxOp[] {
    const now = this.ctx.stamp();
    const rows = this.ctx.prepare(`SELECT ${OP_COLUMNS} FROM outbox WHERE final_wall_ms IS NULL AND state IN ('pending','unknown') ORDER BY rowid`).all() as OpRow[];
    return rows.map((row) => toOutboxOp(this.ctx, row, now));
  }

  list(filter: { states?: readonly OpState[]; saleId?: string; kind?: string } = {}): OutboxOp[] {
    const now = this.ctx.stamp();
    // Only open states asked for: the open ops' index, not every row ever written.
    const openOnly = filter.states !== undefined && filter.states.every((state) => !FINAL_OP_STATES.includes(state));
    const rows = (
      filter.saleId !== undefined
        ? this.ctx.prepare(`SELECT ${OP_COLUMNS} FROM outbox WHERE sale_id = ? ORDER BY rowid`).all(filter.saleId)
        : openOnly
          ? this.ctx.prepare(`SELECT ${OP_COLUMNS} FROM outbox WHERE final_wall_ms IS NULL ORDER BY rowid`).all()
          : this.ctx.prepare(`SELECT ${OP_COLUMNS} FROM outbox ORDER BY rowid`).all()
    ) as OpRow[];
    return rows
      .filter((r) => (filter.states === undefined || filter.states.includes(r.state)) && (filter.kind === undefined || r.kind === filter.kind))
      .map((row) => toOutboxOp(this.ctx, row, now));
  }

  /**
   * Ops not yet final (pending, in_flight, unknown, needs_human), by state: what the idle screen
   * counts after every change. Reads the open ops' index only, so it costs the same after a
   * year of sales as on the first day (countByState reads every row ever written).
   */
  countOpenByState(): Record<OpState, number> {
    const counts: Record<OpState, number> = { pending: 0, in_flight: 0, unknown: 0, done: 0, failed: 0, needs_human: 0 };
    const rows = this.ctx.prepare('SELECT state, count(*) AS n FROM outbox WHERE final_wall_ms IS NULL GROUP BY state').all() as Array<{ state: OpState; n: number }>;
    for (const row of rows) counts[row.state] = row.n;
    return counts;
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
    const ids = this.ctx.prepare(`SELECT id FROM outbox WHERE final_wall_ms IS NULL AND state = 'in_flight'`).all() as Array<{ id: string }>;
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

  /**
   * pending|unknown -> needs_human without an attempt (max age or attempts exceeded, a payload
   * that does not read); `result`, when given, keeps the details for the person.
   */
  escalate(id: string, errorCode: string, effects?: StoreEffects, result?: unknown): OutboxOp {
    return this.ctx.tx(() => {
      const row = this.requireRow(id, ['pending', 'unknown']);
      const op = this.write(row, 'needs_human', { errorCode, keepError: false, result });
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
    const resultJson = change.result === undefined ? null : JSON.stringify(change.result);
    // The new row is computed here rather than read back (no RETURNING): the compare-and-set
    // below writes exactly these values, and `changes === 1` proves the row was as read.
    const updated: OpRow = {
      ...row,
      state: to,
      claimed_from: change.claimedFrom ?? (to === 'in_flight' ? row.claimed_from : null),
      attempts: row.attempts + (change.attempt === true ? 1 : 0),
      delay_ms: Math.max(0, Math.round(change.delayMs ?? 0)),
      age_ms: Math.round(age),
      last_error_code: change.errorCode ?? (keep ? row.last_error_code : null),
      last_http_status: change.httpStatus ?? (keep && change.errorCode === undefined ? row.last_http_status : null),
      result: resultJson ?? row.result,
      updated_wall_ms: now.wallMs,
      updated_mono_ms: now.monoMs,
      updated_run: now.runId,
      holds_slot: slotHeld(row.kind, to),
    };
    const slotChanges = updated.holds_slot !== row.holds_slot;
    let changes = 0;
    try {
      ({ changes } = this.ctx
        .prepare(UPDATE_SQL[final ? 1 : 0][slotChanges ? 1 : 0])
        .run(
          // Positional, in the order of the SQL above: binding by name costs more than the write.
          updated.state,
          updated.claimed_from,
          updated.attempts,
          updated.delay_ms,
          updated.age_ms,
          updated.last_error_code,
          updated.last_http_status,
          updated.result,
          now.wallMs,
          now.monoMs,
          now.runId,
          ...(final ? [now.wallMs] : []),
          ...(slotChanges ? [updated.holds_slot] : []),
          row.id,
          row.state,
          row.attempts,
        ));
    } catch (error) {
      // A rearmed op can meet a newer live op of its kind (the one-live partial unique indexes).
      mapConstraint(error, 'duplicate_live_op', `outbox op ${row.id} cannot become ${to}: a live ${row.kind} already exists`, { opId: row.id, kind: row.kind });
    }
    if (changes !== 1) throw new StoreError('state_conflict', `outbox op ${row.id} changed underneath`, { opId: row.id });
    if (to !== 'in_flight' && to !== 'done') {
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
    }
    return toOutboxOp(this.ctx, updated, now);
  }
}
