import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { OP_KINDS } from '../domain/operation-kind.js';
import { SaleTransitionError } from '../domain/sale.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import type { Store } from './store.js';
import { StoreError } from './store-error.js';
import { tempStore } from '../../test/support/temp-store.js';

const EUR = (minor: number) => money(minor, 'EUR');

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

function codedError(fn: () => unknown): { code?: unknown } {
  try {
    fn();
  } catch (error) {
    return error as { code?: unknown };
  }
  throw new Error('expected a throw');
}

function tableSale(store: Store, id = 'sale_1', spotId = 42) {
  return store.sales.create({ id, kind: 'table', amount: EUR(1299), tableId: 'TABLE1', spotId });
}

describe('open: pragmas', () => {
  it('reads back WAL, synchronous=FULL, busy_timeout and foreign_keys; a 128 KiB page cache', () => {
    const store = env.make({ busyTimeoutMs: 4321 });
    const report = store.open();
    expect(report.pragmas).toEqual({ journalMode: 'wal', synchronous: 2, busyTimeoutMs: 4321, foreignKeys: true, cacheSize: -128 });
    expect(store.pragmas()).toEqual(report.pragmas);
  });

  it('refuses to start when synchronous is not FULL after the sequence', () => {
    const store = env.make({ unsafeExtraPragmas: ['synchronous = NORMAL'] });
    const error = codedError(() => store.open());
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'pragma_mismatch', detail: { pragma: 'synchronous', expected: 2, actual: 1 } });
    expect(store.isOpen).toBe(false);
  });

  it('refuses to start when the journal is not WAL', () => {
    const store = env.make({ unsafeExtraPragmas: ['journal_mode = DELETE'] });
    expect(codedError(() => store.open())).toMatchObject({ code: 'pragma_mismatch', detail: { pragma: 'journal_mode' } });
  });

  it('refuses foreign_keys off', () => {
    const store = env.make({ unsafeExtraPragmas: ['foreign_keys = OFF'] });
    expect(codedError(() => store.open())).toMatchObject({ code: 'pragma_mismatch', detail: { pragma: 'foreign_keys' } });
  });

  it('the trap is real: a re-opened WAL file is NORMAL in raw better-sqlite3, FULL through the store', () => {
    const first = env.make();
    first.open();
    first.close();
    const raw = new Database(first.path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('synchronous', { simple: true })).toBe(1);
    raw.close();
    const again = env.make();
    expect(again.open().pragmas.synchronous).toBe(2);
  });
});

describe('migrations', () => {
  it('migrate an empty file to the latest version with STRICT tables', () => {
    const store = env.make();
    const report = store.open();
    expect(report.migration).toMatchObject({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(report.migration.applied).toHaveLength(LATEST_SCHEMA_VERSION);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    store.close();
    const raw = new Database(store.path, { readonly: true });
    const tables = raw.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string; sql: string }>;
    raw.close();
    expect(tables.map((t) => t.name)).toEqual(['counters', 'events', 'outbox', 'print_jobs', 'refund_totals', 'refunds', 'runs', 'sale_totals', 'sales']);
    for (const table of tables) expect(table.sql, table.name).toMatch(/\)\s*STRICT$/);
  });

  it('re-opening is idempotent and keeps the data', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.close();
    const again = env.make();
    const report = again.open();
    expect(report.migration).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
    expect(again.sales.get('sale_1')?.state).toBe('created');
    expect(again.integrityCheck()).toEqual(['ok']);
  });

  it('refuses a file from a newer counterpay', () => {
    const store = env.make();
    store.open();
    store.close();
    const raw = new Database(store.path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(codedError(() => env.make().open())).toMatchObject({ code: 'schema_too_new' });
  });
});

describe('sales journal', () => {
  it('applies named transitions with their effects atomically and logs them', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    const sale = store.sales.apply(
      'sale_1',
      { type: 'orderCreated', orderId: 5, transactionKey: 'tx1' },
      { enqueue: [{ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: { key: 'tx1' } }] },
    );
    expect(sale).toMatchObject({ state: 'order_created', orderId: 5, transactionKey: 'tx1', version: 2 });
    expect(store.outbox.list({ saleId: 'sale_1' })).toHaveLength(1);
    const types = store.events.list({ saleId: 'sale_1' }).map((e) => e.type);
    // The enqueue itself writes no event (routine step); the op row records it.
    expect(types).toEqual(['sale.created', 'sale.orderCreated']);
  });

  it('an illegal transition writes nothing, not even its effects', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    const seq = store.events.lastSeq();
    expect(() =>
      store.sales.apply('sale_1', { type: 'confirmed' }, { enqueue: [{ saleId: 'sale_1', kind: OP_KINDS.closeSpot, spotId: 42, payload: {} }] }),
    ).toThrow(SaleTransitionError);
    expect(store.sales.get('sale_1')?.state).toBe('created');
    expect(store.outbox.list()).toHaveLength(0);
    expect(store.events.lastSeq()).toBe(seq);
  });

  it('a failing effect rolls back the transition', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} });
    expect(
      codedError(() =>
        store.sales.apply('sale_1', { type: 'orderCreated', orderId: 5, transactionKey: 'tx1' }, { enqueue: [{ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }] }),
      ),
    ).toMatchObject({ code: 'duplicate_live_op' });
    expect(store.sales.get('sale_1')?.state).toBe('created');
  });

  it('rejects a second open table sale on one spot, a reused reservation code, and stale expectations', () => {
    const store = env.make();
    store.open();
    tableSale(store, 'sale_1', 42);
    expect(codedError(() => tableSale(store, 'sale_2', 42))).toMatchObject({ code: 'sale_conflict' });
    store.sales.create({ id: 'c1', kind: 'code', amount: EUR(100) });
    store.sales.create({ id: 'c2', kind: 'code', amount: EUR(100) });
    store.sales.apply('c1', { type: 'codeSubmitted', reservationCode: '123456' });
    expect(codedError(() => store.sales.apply('c2', { type: 'codeSubmitted', reservationCode: '123456' }))).toMatchObject({ code: 'sale_conflict' });
    expect(codedError(() => store.sales.apply('c1', { type: 'cancelRequested' }, undefined, 'transaction_created'))).toMatchObject({ code: 'state_conflict' });
  });

  it('lists open sales and stamps the close time', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'c1', kind: 'code', amount: EUR(100) });
    store.sales.apply('c1', { type: 'transactionCreated', transactionKey: 'k' });
    store.sales.apply('c1', { type: 'declined', reason: 'not_enough_funds' });
    tableSale(store);
    expect(store.sales.listOpen().map((s) => s.id)).toEqual(['sale_1']);
    expect(store.sales.get('c1')).toMatchObject({ state: 'declined', declineReason: 'not_enough_funds', closedWallMs: env.clock.wallMs() });
    expect(store.sales.findByTransactionKey('k')?.id).toBe('c1');
  });

  it('list: newest first, filtered by state and kind and limited, as before', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'c1', kind: 'code', amount: EUR(100) });
    store.sales.apply('c1', { type: 'transactionCreated', transactionKey: 'k' });
    tableSale(store, 't1', 1);
    tableSale(store, 't2', 2);
    store.sales.apply('t2', { type: 'orderCreated', orderId: 2, transactionKey: 'k2' });
    store.sales.create({ id: 'c2', kind: 'code', amount: EUR(200) });
    expect(store.sales.list().map((s) => s.id)).toEqual(['c2', 't2', 't1', 'c1']);
    expect(store.sales.list({ limit: 2 }).map((s) => s.id)).toEqual(['c2', 't2']);
    expect(store.sales.list({ kind: 'table' }).map((s) => s.id)).toEqual(['t2', 't1']);
    expect(store.sales.list({ states: ['created'] }).map((s) => s.id)).toEqual(['c2', 't1']);
    expect(store.sales.list({ states: ['created', 'transaction_created'], kind: 'code', limit: 1 }).map((s) => s.id)).toEqual(['c2']);
    expect(store.sales.list({ states: [] })).toEqual([]);
  });
});

describe('the database rejects duplicates (partial unique indexes)', () => {
  it('a second live confirm for one sale', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    const first = store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} });
    // A different key isolates the per-sale index from the per-transaction one.
    expect(codedError(() => store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1-other', payload: {} }))).toMatchObject({ code: 'duplicate_live_op' });
    // done is still "live" for this purpose: a paid sale is never confirmed again.
    store.outbox.claim(first.id);
    store.outbox.settle(first.id, { to: 'done' });
    expect(codedError(() => store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }))).toMatchObject({ code: 'duplicate_live_op' });
  });

  it('a second live confirm for one transaction key, even from another sale', () => {
    const store = env.make();
    store.open();
    tableSale(store, 'sale_1', 1);
    tableSale(store, 'sale_2', 2);
    store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} });
    expect(codedError(() => store.outbox.enqueue({ saleId: 'sale_2', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }))).toMatchObject({ code: 'duplicate_live_op' });
  });

  it('allows a new confirm only after the previous one failed', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    const first = store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} });
    store.outbox.withdraw(first.id, 'test');
    expect(store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }).state).toBe('pending');
  });

  it('never a confirm and a revoke of one transaction together', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.revokeTransaction, transactionKey: 'tx1', payload: {} });
    expect(codedError(() => store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} }))).toMatchObject({ code: 'conflicting_op' });
  });

  it('one open close per spot; a new one once the last is done', () => {
    const store = env.make();
    store.open();
    const first = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 9, payload: {} });
    expect(codedError(() => store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 9, payload: {} }))).toMatchObject({ code: 'duplicate_live_op' });
    store.outbox.claim(first.id);
    store.outbox.settle(first.id, { to: 'done' });
    expect(store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 9, payload: {} }).state).toBe('pending');
  });

  it('a second receipt print job for one sale; copies are fine', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    const receipt = store.printJobs.enqueue({ saleId: 'sale_1', kind: 'receipt', payload: { lines: [] } });
    expect(codedError(() => store.printJobs.enqueue({ saleId: 'sale_1', kind: 'receipt', payload: {} }))).toMatchObject({ code: 'duplicate_receipt' });
    store.printJobs.claimNext();
    store.printJobs.markFailed(receipt.id, 'paper_out');
    expect(codedError(() => store.printJobs.enqueue({ saleId: 'sale_1', kind: 'receipt', payload: {} }))).toMatchObject({ code: 'duplicate_receipt' });
    store.printJobs.enqueue({ saleId: 'sale_1', kind: 'copy', payload: {} });
    store.printJobs.enqueue({ saleId: 'sale_1', kind: 'copy', payload: {} });
    expect(store.printJobs.listBySale('sale_1').map((j) => j.kind)).toEqual(['receipt', 'copy', 'copy']);
  });
});

describe('print jobs', () => {
  it('queued -> printing -> printed; a job interrupted while printing is never printed again automatically', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    const a = store.printJobs.enqueue({ saleId: 'sale_1', kind: 'receipt', payload: {} });
    const b = store.printJobs.enqueue({ kind: 'table-card', payload: { table: 'T1' } });
    expect(store.printJobs.claimNext()).toMatchObject({ id: a.id, state: 'printing', attempts: 1 });
    expect(store.printJobs.markPrinted(a.id).state).toBe('printed');
    expect(store.printJobs.claimNext()?.id).toBe(b.id);
    store.close();
    const again = env.make();
    again.open();
    expect(again.printJobs.sweepInterrupted()).toBe(1);
    expect(again.printJobs.get(b.id)).toMatchObject({ state: 'failed', lastErrorCode: 'interrupted' });
    expect(again.printJobs.claimNext()).toBeUndefined();
    expect(again.printJobs.requeue(b.id).state).toBe('queued');
    expect(codedError(() => again.printJobs.markPrinted(b.id))).toMatchObject({ code: 'state_conflict' });
  });

  it('onQueued: told once per commit that queued jobs, after it committed, whoever queued them; never for a rollback', () => {
    const store = env.make();
    store.open();
    const seen: string[] = [];
    const unsubscribe = store.printJobs.onQueued(() => seen.push(store.printJobs.listQueued().map((j) => j.kind).join(',')));
    tableSale(store);
    expect(seen).toEqual([]);
    store.printJobs.enqueue({ kind: 'table-card', payload: {} });
    expect(seen).toEqual(['table-card']);
    // As the effects of a sale transition, two in one commit: one notice, both rows visible.
    store.sales.apply('sale_1', { type: 'orderCreated', orderId: 1, transactionKey: 'tx1' }, {
      printJobs: [
        { saleId: 'sale_1', kind: 'receipt', payload: {} },
        { kind: 'report', payload: {} },
      ],
    });
    expect(seen).toEqual(['table-card', 'table-card,receipt,report']);
    // Nested: told when the outermost transaction commits, not at the savepoint.
    store.transaction(() => {
      store.printJobs.enqueue({ kind: 'table-card', payload: {} });
      expect(seen).toHaveLength(2);
    });
    expect(seen).toHaveLength(3);
    // Rolled back: nobody is told.
    expect(
      codedError(() =>
        store.transaction(() => {
          store.printJobs.enqueue({ kind: 'table-card', payload: {} });
          throw new StoreError('state_conflict', 'changed my mind');
        }),
      ),
    ).toMatchObject({ code: 'state_conflict' });
    store.printJobs.claimNext();
    expect(seen).toHaveLength(3);
    unsubscribe();
    store.printJobs.enqueue({ kind: 'table-card', payload: {} });
    expect(seen).toHaveLength(3);
  });
});

describe('outbox lifecycle', () => {
  it('an op for a sale that does not exist is refused with a coded error', () => {
    const store = env.make();
    store.open();
    expect(codedError(() => store.outbox.enqueue({ saleId: 'nope', kind: 'k', payload: {} }))).toMatchObject({ code: 'not_found' });
  });

  it('claim is a compare-and-set: a second claim gets nothing', () => {
    const store = env.make();
    store.open();
    const op = store.outbox.enqueue({ kind: 'anything', payload: { a: 1 } });
    const claimed = store.outbox.claim(op.id);
    expect(claimed).toMatchObject({ state: 'in_flight', claimedFrom: 'pending', attempts: 1, payload: { a: 1 } });
    expect(store.outbox.claim(op.id)).toBeUndefined();
    expect(codedError(() => store.outbox.escalate(op.id, 'x'))).toMatchObject({ code: 'state_conflict' });
  });

  it('start sweep: every in_flight op becomes unknown before anything runs', () => {
    const store = env.make();
    store.open();
    const a = store.outbox.enqueue({ kind: 'k', payload: {} });
    const b = store.outbox.enqueue({ kind: 'k', payload: {} });
    const c = store.outbox.enqueue({ kind: 'k', payload: {} });
    store.outbox.claim(a.id);
    store.outbox.claim(b.id);
    store.close(); // a "crash": nothing settled
    const again = env.make();
    expect(again.open().sweptInFlight).toBe(2);
    expect(again.outbox.get(a.id)).toMatchObject({ state: 'unknown', lastErrorCode: 'interrupted' });
    expect(again.outbox.get(b.id)?.state).toBe('unknown');
    expect(again.outbox.get(c.id)?.state).toBe('pending');
    expect(again.outbox.sweepInFlightToUnknown()).toBe(0);
  });

  it('due times survive a restart without trusting the wall clock', async () => {
    const store = env.make();
    store.open();
    const op = store.outbox.enqueue({ kind: 'k', payload: {} });
    store.outbox.claim(op.id);
    store.outbox.settle(op.id, { to: 'pending', delayMs: 10_000, errorCode: 'rate_limit_exceeded', httpStatus: 429 });
    expect(store.outbox.get(op.id)?.dueMonoMs).toBe(env.clock.monoMs() + 10_000);
    store.close();
    env.clock.setWallMs(env.clock.wallMs() - 86_400_000); // the clock jumped back a day meanwhile
    await env.clock.advance(3_000);
    const again = env.make();
    again.open();
    // Re-based on this run's open: the full delay again from now (conservative, never early).
    expect(again.outbox.get(op.id)).toMatchObject({ dueMonoMs: env.clock.monoMs() + 10_000, lastErrorCode: 'rate_limit_exceeded', lastHttpStatus: 429 });
  });

  it('age grows on the monotonic clock and is reset by rearm', async () => {
    const store = env.make();
    store.open();
    const op = store.outbox.enqueue({ kind: 'k', payload: {} });
    await env.clock.advance(5_000);
    expect(store.outbox.get(op.id)?.ageMs).toBe(5_000);
    store.outbox.escalate(op.id, 'max_age_exceeded');
    expect(store.outbox.get(op.id)).toMatchObject({ state: 'needs_human', lastErrorCode: 'max_age_exceeded' });
    expect(store.outbox.rearm(op.id)).toMatchObject({ state: 'unknown', ageMs: 0 });
  });

  it('withdraw only drops a never-sent op', () => {
    const store = env.make();
    store.open();
    const op = store.outbox.enqueue({ kind: 'k', payload: {} });
    store.outbox.claim(op.id);
    expect(codedError(() => store.outbox.withdraw(op.id, 'cancel'))).toMatchObject({ code: 'state_conflict' });
  });

  it('settle commits the outcome with its effects, or nothing', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.sales.apply('sale_1', { type: 'orderCreated', orderId: 1, transactionKey: 'tx1' });
    store.sales.apply('sale_1', { type: 'reservationSeen' });
    const confirm = store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.confirm, transactionKey: 'tx1', payload: {} });
    store.outbox.claim(confirm.id);
    // Illegal effect: nothing is written, the op stays in flight.
    expect(() => store.outbox.settle(confirm.id, { to: 'done', effects: { sale: { saleId: 'sale_1', event: { type: 'spotClosed' } } } })).toThrow(SaleTransitionError);
    expect(store.outbox.get(confirm.id)?.state).toBe('in_flight');
    store.outbox.settle(confirm.id, {
      to: 'done',
      result: { status: 'confirmed' },
      effects: { sale: { saleId: 'sale_1', event: { type: 'confirmed' } }, enqueue: [{ saleId: 'sale_1', kind: OP_KINDS.closeSpot, spotId: 42, payload: {} }] },
    });
    expect(store.sales.get('sale_1')?.state).toBe('confirmed');
    expect(store.outbox.get(confirm.id)).toMatchObject({ state: 'done', result: { status: 'confirmed' } });
    expect(store.outbox.list({ kind: OP_KINDS.closeSpot })).toHaveLength(1);
  });

  it('counts the ops not yet final by state, as countByState does for them', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.sales.apply('sale_1', { type: 'orderCreated', orderId: 1, transactionKey: 'tx1' });
    const done = store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.closeSpot, spotId: 42, payload: {} });
    store.outbox.claim(done.id);
    store.outbox.settle(done.id, { to: 'done' });
    const human = store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.closeSpot, spotId: 42, payload: {} });
    store.outbox.escalate(human.id, 'max_age_exceeded');
    store.outbox.enqueue({ saleId: 'sale_1', kind: OP_KINDS.revokeTransaction, transactionKey: 'tx1', payload: {} });
    const all = store.outbox.countByState();
    expect(all).toMatchObject({ done: 1, needs_human: 1, pending: 1 });
    expect(store.outbox.countOpenByState()).toEqual({ ...all, done: 0, failed: 0 });
    expect(store.outbox.list({ states: ['pending', 'needs_human'] }).map((op) => op.kind)).toEqual([OP_KINDS.closeSpot, OP_KINDS.revokeTransaction]);
  });
});

describe('idle is quiet', () => {
  it('reads write nothing (the WAL does not grow)', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.outbox.enqueue({ kind: 'k', payload: {} });
    store.walCheckpoint();
    const wal = `${store.path}-wal`;
    const before = statSync(wal).size;
    const mtime = statSync(store.path).mtimeMs;
    for (let i = 0; i < 50; i++) {
      store.sales.listOpen();
      store.outbox.listRunnable();
      store.outbox.countByState();
      store.events.list({ afterSeq: 0 });
      store.printJobs.listQueued();
      store.outbox.sweepInFlightToUnknown();
    }
    expect(statSync(wal).size).toBe(before);
    expect(before).toBe(0);
    expect(statSync(store.path).mtimeMs).toBe(mtime);
  });
});

describe('retention', () => {
  it('prunes only final rows older than the retention period', async () => {
    const store = env.make({ retentionDays: 1 });
    store.open();
    store.sales.create({ id: 'old_done', kind: 'code', amount: EUR(100) });
    store.sales.apply('old_done', { type: 'transactionCreated', transactionKey: 'k1' });
    store.sales.apply('old_done', { type: 'declined', reason: 'not_enough_funds' });
    store.sales.create({ id: 'old_open', kind: 'code', amount: EUR(100) });
    store.sales.create({ id: 'old_human', kind: 'code', amount: EUR(100) });
    store.sales.apply('old_human', { type: 'needsHuman', reason: 'x' });
    const closeOp = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 3, payload: {} });
    store.outbox.claim(closeOp.id);
    store.outbox.settle(closeOp.id, { to: 'done' });
    const liveOp = store.outbox.enqueue({ kind: OP_KINDS.closeSpot, spotId: 4, payload: {} });
    env.clock.setWallMs(env.clock.wallMs() + 2 * 86_400_000);
    const report = store.prune();
    expect(report.sales).toBe(1);
    expect(report.ops).toBe(1);
    expect(store.sales.get('old_done')).toBeUndefined();
    expect(store.sales.get('old_open')).toBeDefined();
    expect(store.sales.get('old_human')).toBeDefined();
    expect(store.outbox.get(liveOp.id)).toBeDefined();
    expect(store.events.list({ saleId: 'old_done' })).toHaveLength(0);
    expect(store.events.list({ saleId: 'old_open' }).length).toBeGreaterThan(0);
  });

  it('keeps the newest event, so seq keeps growing after everything old is pruned', () => {
    const store = env.make({ retentionDays: 1 });
    store.open();
    store.events.append({ type: 'test.first' });
    const newest = store.events.append({ type: 'test.second' });
    env.clock.setWallMs(env.clock.wallMs() + 2 * 86_400_000);
    store.prune();
    expect(store.events.list().map((e) => e.seq)).toEqual([newest]);
    expect(store.events.append({ type: 'test.third' })).toBe(newest + 1);
  });

  it('nothing recent is pruned', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 's', kind: 'code', amount: EUR(100) });
    store.sales.apply('s', { type: 'cancelRequested' });
    store.sales.apply('s', { type: 'cancelCompleted' });
    expect(store.prune()).toEqual({ sales: 0, ops: 0, printJobs: 0, events: 0 });
  });

  it('the schema itself refuses to delete money that is not final', () => {
    const store = env.make();
    store.open();
    tableSale(store);
    store.outbox.enqueue({ saleId: 'sale_1', kind: 'k', payload: {} });
    store.close();
    const raw = new Database(store.path);
    expect(() => raw.prepare('DELETE FROM outbox').run()).toThrow(/not_deletable/);
    expect(() => raw.prepare('DELETE FROM sales').run()).toThrow(/not_deletable/);
    expect(() => raw.prepare(`UPDATE events SET type = 'x'`).run()).toThrow(/append-only/);
    raw.close();
    expect(existsSync(store.path)).toBe(true);
  });
});

describe('lifecycle', () => {
  it('repository calls before open throw not_open; a second open throws already_open', () => {
    const store = env.make();
    expect(codedError(() => store.sales.listOpen())).toMatchObject({ code: 'not_open' });
    store.open();
    expect(codedError(() => store.open())).toMatchObject({ code: 'already_open' });
  });
});
