import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_KINDS } from '../domain/operation-kind.js';
import { migrate } from './migrations.js';
import { slotHeld } from './op-slots.js';
import { tempStore } from '../../test/support/temp-store.js';
import { codeOf } from '../../test/support/thrown-code.js';
import type { OpState } from './types.js';

/** The one-live slots (schema version 3): the store's rule, the schema's CHECK, and what a step writes. */

const STATES: readonly OpState[] = ['pending', 'in_flight', 'unknown', 'done', 'failed', 'needs_human'];
const KINDS = [...Object.values(OP_KINDS), 'some_future_kind'];

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

describe('slot rule', () => {
  it('the store and the schema agree for every kind and state: the CHECK takes the rule and refuses its opposite', () => {
    const db = new Database(':memory:');
    migrate(db, 0);
    const insert = db.prepare(
      `INSERT INTO outbox (id, kind, state, spot_id, transaction_key, payload, created_wall_ms, created_mono_ms, created_run,
         updated_wall_ms, updated_mono_ms, updated_run, final_wall_ms, holds_slot)
       VALUES (@id, @kind, @state, @n, 'tx' || @n, '{}', 1, 1, 'r', 1, 1, 'r', @final, @slot)`,
    );
    let n = 0;
    for (const kind of KINDS) {
      for (const state of STATES) {
        const final = state === 'done' || state === 'failed' ? 1 : null;
        const rule = slotHeld(kind, state);
        const opposite = rule === 1 ? null : 1;
        // Every row gets its own spot and transaction, so no slot is taken twice.
        expect(() => insert.run({ id: `wrong_${n}`, n, kind, state, final, slot: opposite }), `${kind}/${state} with ${String(opposite)}`).toThrow(/CHECK/);
        expect(() => insert.run({ id: `right_${n}`, n, kind, state, final, slot: rule }), `${kind}/${state} with ${String(rule)}`).not.toThrow();
        n += 1;
      }
    }
    db.close();
  });

  it('a final stamp that disagrees with the state is refused', () => {
    const db = new Database(':memory:');
    migrate(db, 0);
    const insert = (state: string, final: number | null) =>
      db
        .prepare(
          `INSERT INTO outbox (id, kind, state, payload, created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run, final_wall_ms)
           VALUES (?, 'k', ?, '{}', 1, 1, 'r', 1, 1, 'r', ?)`,
        )
        .run(`${state}_${String(final)}`, state, final);
    expect(() => insert('pending', 5)).toThrow(/CHECK/);
    expect(() => insert('done', null)).toThrow(/CHECK/);
    expect(() => insert('done', 5)).not.toThrow();
    db.close();
  });

  it('a close waiting for a person frees its spot; rearming it while another close is live is refused with a code', () => {
    const store = env.make();
    store.open();
    const first = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 9, payload: {} });
    store.outbox.escalate(first.id, 'too_old');
    const second = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 9, payload: {} });
    expect(codeOf(() => store.outbox.rearm(first.id))).toBe('duplicate_live_op');
    expect(store.outbox.get(first.id)?.state).toBe('needs_human');
    store.outbox.claim(second.id);
    store.outbox.settle(second.id, { to: 'done' });
    expect(store.outbox.rearm(first.id).state).toBe('unknown');
  });

  it('a done confirm keeps its slot: no second confirm of the sale or the transaction, ever', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 's1', kind: 'code', amount: { minor: 100, currency: 'EUR' } });
    const confirm = store.outbox.enqueue({ saleId: 's1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} });
    store.outbox.claim(confirm.id);
    store.outbox.settle(confirm.id, { to: 'done' });
    expect(codeOf(() => store.outbox.enqueue({ saleId: 's1', kind: OP_KINDS.confirm, transactionKey: 'tx2', payload: {} }))).toBe('duplicate_live_op');
    expect(codeOf(() => store.outbox.enqueue({ kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }))).toBe('duplicate_live_op');
  });
});

describe('what a step writes', () => {
  /** WAL frames (pages) one commit appends, starting from an empty WAL. */
  function framesOf(walPath: string, step: () => void): number {
    step();
    return (statSync(walPath).size - 32) / (24 + 4096);
  }

  it('a claim and a retry rewrite only the op row: the slot and open-ops indexes are not touched', () => {
    const store = env.make();
    store.open();
    const op = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 5, payload: { spotId: 5 } });
    const wal = `${store.path}-wal`;
    store.walCheckpoint();
    expect(framesOf(wal, () => store.outbox.claim(op.id))).toBe(1);
    store.walCheckpoint();
    // A retry writes its op row and its event (a failed attempt is news): two pages, no index.
    expect(framesOf(wal, () => store.outbox.settle(op.id, { to: 'pending', errorCode: 'timeout', delayMs: 100 }))).toBe(2);
    expect(store.events.list({ opId: op.id }).map((e) => e.type)).toEqual(['op.pending']);
  });

  it('the step that ends an op stamps it final with its own time, and frees a close slot', () => {
    const store = env.make();
    store.open();
    const op = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 5, payload: {} });
    store.outbox.claim(op.id);
    env.clock.setWallMs(env.clock.wallMs() + 60_000);
    const endedAt = env.clock.wallMs();
    store.outbox.settle(op.id, { to: 'done' });
    store.close();
    const raw = new Database(store.path, { readonly: true });
    const row = raw.prepare('SELECT state, final_wall_ms, holds_slot FROM outbox WHERE id = ?').get(op.id);
    raw.close();
    expect(row).toEqual({ state: 'done', final_wall_ms: endedAt, holds_slot: null });
  });
});
