import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_KINDS } from '../domain/operation-kind.js';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from './migrations.js';
import { DEFAULT_DB_FILE } from './store.js';
import { tempStore } from '../../test/support/temp-store.js';
import { codeOf } from '../../test/support/thrown-code.js';

/** Migration 3: the outbox and the event log rebuilt for fewer pages per commit, nothing lost. */

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

/** A version 2 file as the previous counterpay left it: a sale, ops in every state, events. */
function versionTwoFile(): void {
  const raw = new Database(join(env.dir, DEFAULT_DB_FILE));
  raw.pragma('journal_mode = WAL');
  migrate(
    raw,
    env.clock.wallMs(),
    MIGRATIONS.filter((m) => m.version <= 2),
  );
  raw
    .prepare(
      `INSERT INTO sales (id, kind, state, amount_minor, currency, transaction_key, created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run)
       VALUES ('s1', 'code', 'reserved', 500, 'EUR', 'tx1', 1, 1, 'old', 1, 1, 'old')`,
    )
    .run();
  const op = raw.prepare(
    `INSERT INTO outbox (id, sale_id, kind, state, spot_id, transaction_key, attempts, payload, result,
       created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run, final_wall_ms)
     VALUES (@id, @sale, @kind, @state, @spot, @tx, 1, '{"a":1}', @result, 10, 10, 'old', 20, 20, 'old', @final)`,
  );
  const rows = [
    { id: 'op_failed_confirm', sale: 's1', kind: OP_KINDS.confirm, state: 'failed', spot: null, tx: 'tx1', result: '{"e":1}', final: 20 },
    { id: 'op_confirm', sale: 's1', kind: OP_KINDS.confirm, state: 'in_flight', spot: null, tx: 'tx1', result: null, final: null },
    { id: 'op_close_done', sale: null, kind: OP_KINDS.closeSpot, state: 'done', spot: 7, tx: null, result: '{}', final: 20 },
    { id: 'op_close_human', sale: null, kind: OP_KINDS.closeSpot, state: 'needs_human', spot: 7, tx: null, result: null, final: null },
    { id: 'op_close_live', sale: null, kind: OP_KINDS.closeSpot, state: 'pending', spot: 7, tx: null, result: null, final: null },
    { id: 'op_other', sale: null, kind: 'delete_order', state: 'unknown', spot: null, tx: null, result: null, final: null },
  ];
  for (const row of rows) op.run(row);
  const event = raw.prepare(`INSERT INTO events (wall_ms, mono_ms, run, sale_id, op_id, type, data) VALUES (1, 1, 'old', ?, NULL, ?, '{}')`);
  for (let i = 0; i < 5; i++) event.run('s1', `sale.e${i}`);
  // AUTOINCREMENT never reuses a seq, even after the newest row is deleted: the new table must continue after 7.
  event.run(null, 'x.e5');
  event.run(null, 'x.e6');
  raw.prepare(`DELETE FROM events WHERE type = 'x.e6'`).run();
  raw.close();
}

describe('migration 3', () => {
  it('upgrades a version 2 file in place: every op, its slot and final stamp, every event and the seq order', () => {
    versionTwoFile();
    const store = env.make();
    const report = store.open();
    expect(report.migration).toMatchObject({ from: 2, to: LATEST_SCHEMA_VERSION });
    // The start sweep still finds the op that was in flight.
    expect(report.sweptInFlight).toBe(1);
    expect(store.outbox.get('op_confirm')).toMatchObject({ state: 'unknown', attempts: 1, payload: { a: 1 } });
    expect(store.outbox.get('op_failed_confirm')).toMatchObject({ state: 'failed', result: { e: 1 } });
    expect(store.outbox.list().map((o) => o.id)).toEqual(['op_failed_confirm', 'op_confirm', 'op_close_done', 'op_close_human', 'op_close_live', 'op_other']);
    expect(store.outbox.listRunnable().map((o) => o.id)).toEqual(['op_confirm', 'op_close_live', 'op_other']);
    store.close();

    const raw = new Database(store.path, { readonly: true });
    const slots = raw.prepare('SELECT id, holds_slot, final_wall_ms FROM outbox ORDER BY rowid').all();
    const indexes = (raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    const sequence = raw.prepare(`SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'events'`).get() as { n: number };
    raw.close();
    expect(slots).toEqual([
      { id: 'op_failed_confirm', holds_slot: null, final_wall_ms: 20 },
      { id: 'op_confirm', holds_slot: 1, final_wall_ms: null },
      { id: 'op_close_done', holds_slot: null, final_wall_ms: 20 },
      { id: 'op_close_human', holds_slot: null, final_wall_ms: null },
      { id: 'op_close_live', holds_slot: 1, final_wall_ms: null },
      { id: 'op_other', holds_slot: null, final_wall_ms: null },
    ]);
    expect(indexes).toContain('outbox_open');
    expect(indexes).toContain('outbox_one_live_confirm_per_tx');
    expect(indexes).not.toContain('outbox_live');
    expect(indexes).not.toContain('outbox_final_at');
    expect(sequence.n).toBe(0);

    const again = env.make();
    again.open();
    const events = again.events.list();
    expect(events.slice(0, 7).map((e) => [e.seq, e.type])).toEqual([
      [1, 'sale.e0'],
      [2, 'sale.e1'],
      [3, 'sale.e2'],
      [4, 'sale.e3'],
      [5, 'sale.e4'],
      [6, 'x.e5'],
      // seq 7 was handed out and pruned before: the migration's own event comes after it.
      [8, 'store.migrated'],
    ]);
    // First open: its run, then the sweep of the op that was in flight; then the second open.
    expect(events.slice(7).map((e) => e.type)).toEqual(['store.opened', 'op.unknown', 'store.opened']);
    expect(events.slice(7).every((e) => e.seq > 8)).toBe(true);
    // Stamped by the store's clock, not SQLite's 'now': a prune in the store's time must see it.
    expect(events[6]?.wallMs).toBe(env.clock.wallMs());
  });

  it('the invariants hold on the upgraded file: a second confirm or close is refused, a failed one does not block', () => {
    versionTwoFile();
    const store = env.make();
    store.open();
    expect(codeOf(() => store.outbox.enqueue({ saleId: 's1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }))).toBe('duplicate_live_op');
    expect(codeOf(() => store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 7, payload: {} }))).toBe('duplicate_live_op');
    expect(codeOf(() => store.outbox.rearm('op_close_human'))).toBe('duplicate_live_op');
    expect(codeOf(() => store.outbox.enqueue({ saleId: 's1', kind: OP_KINDS.revokeTransaction, transactionKey: 'tx1', payload: {} }))).toBe('conflicting_op');
    store.outbox.claim('op_close_live');
    store.outbox.settle('op_close_live', { to: 'done' });
    expect(store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 7, payload: {} }).state).toBe('pending');
  });
});
