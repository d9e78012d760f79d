import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import type { Store } from './store.js';
import { tempStore } from '../../test/support/temp-store.js';
import { codeOf } from '../../test/support/thrown-code.js';

/** The reads and person-driven writes behind `counterpay queue` and `counterpay report`. */

let env: ReturnType<typeof tempStore>;
let store: Store;
beforeEach(() => {
  env = tempStore();
  store = env.make();
  store.open();
});
afterEach(() => env.cleanup());

function codeSale(id: string, minor = 500) {
  return store.sales.create({ id, kind: 'code', amount: money(minor, 'EUR') });
}

describe('sales.listClosedBetween', () => {
  it('returns sales closed in [from, to) by wall time, in closing order; open sales never', async () => {
    const t0 = env.clock.wallMs();
    codeSale('a');
    codeSale('b');
    codeSale('c');
    codeSale('open');
    store.sales.apply('b', { type: 'transactionCreated', transactionKey: 'tx_b' });
    store.sales.apply('b', { type: 'declined', reason: 'not_enough_funds' }); // closed at t0
    await env.clock.advance(1_000);
    store.sales.apply('a', { type: 'cancelRequested' });
    store.sales.apply('a', { type: 'cancelCompleted' }); // closed at t0 + 1000
    await env.clock.advance(1_000);
    store.sales.apply('c', { type: 'needsHuman', reason: 'confirm:max_age_exceeded' });
    store.sales.apply('c', { type: 'humanResolved', paid: true }); // closed at t0 + 2000

    expect(store.sales.listClosedBetween(t0, t0 + 3_000).map((s) => [s.id, s.state, s.closedWallMs])).toEqual([
      ['b', 'declined', t0],
      ['a', 'cancelled', t0 + 1_000],
      ['c', 'done', t0 + 2_000],
    ]);
    expect(store.sales.listClosedBetween(t0 + 1, t0 + 2_000).map((s) => s.id)).toEqual(['a']);
    expect(store.sales.listClosedBetween(t0 + 2_000, t0 + 2_001)[0]).toMatchObject({ id: 'c', resolvedPaid: true });
    expect(store.sales.listClosedBetween(t0 + 3_000, t0 + 9_000)).toEqual([]);
  });
});

describe('printJobs.listFailed', () => {
  it('lists failed jobs of any code, oldest first', () => {
    codeSale('s1');
    codeSale('s2');
    const a = store.printJobs.enqueue({ saleId: 's1', kind: 'receipt', payload: {} });
    const b = store.printJobs.enqueue({ saleId: 's2', kind: 'receipt', payload: {} });
    const c = store.printJobs.enqueue({ kind: 'report', payload: {} });
    store.printJobs.markFailed(b.id, 'printer_offline');
    store.printJobs.markFailed(a.id, 'maybe_printed:printer_timeout');
    expect(store.printJobs.listFailed().map((j) => [j.id, j.lastErrorCode])).toEqual([
      [a.id, 'maybe_printed:printer_timeout'],
      [b.id, 'printer_offline'],
    ]);
    store.printJobs.requeue(b.id);
    expect(store.printJobs.listFailed().map((j) => j.id)).toEqual([a.id]);
    expect(store.printJobs.get(c.id)?.state).toBe('queued');
  });
});

describe('outbox.dueNow and outbox.closeByPerson', () => {
  it('dueNow skips the backoff of a pending or unknown op, keeping state, attempts and error', async () => {
    const op = store.outbox.enqueue({ kind: 'close_spot', spotId: 7, payload: { spotId: 7 } });
    store.outbox.claim(op.id);
    const waiting = store.outbox.settle(op.id, { to: 'unknown', errorCode: 'timeout', delayMs: 60_000 });
    expect(waiting.dueMonoMs).toBe(env.clock.monoMs() + 60_000);
    await env.clock.advance(5);
    const now = store.outbox.dueNow(op.id);
    expect(now).toMatchObject({ state: 'unknown', attempts: 1, lastErrorCode: 'timeout', dueMonoMs: env.clock.monoMs() });
    store.outbox.escalate(op.id, 'max_age_exceeded');
    expect(codeOf(() => store.outbox.dueNow(op.id))).toBe('state_conflict');
  });

  it('closeByPerson: needs_human -> failed/human_resolved with the reason, the old error and result kept', () => {
    codeSale('s1');
    const op = store.outbox.enqueue({ saleId: 's1', kind: 'create_transaction', payload: {} });
    store.outbox.claim(op.id);
    store.outbox.settle(op.id, { to: 'needs_human', errorCode: 'create_not_found', result: { found: 0 } });
    const closed = store.outbox.closeByPerson(op.id, 'checked the back office: no transaction');
    expect(closed).toMatchObject({
      state: 'failed',
      lastErrorCode: 'human_resolved',
      result: { humanResolved: true, reason: 'checked the back office: no transaction', previousErrorCode: 'create_not_found', previousResult: { found: 0 } },
    });
    // Enqueue and claim are routine and write no event; the escalation and the person's decision do.
    expect(store.events.list({ opId: op.id }).map((e) => e.type)).toEqual(['op.needs_human', 'op.failed']);
    expect(codeOf(() => store.outbox.closeByPerson(op.id, 'again'))).toBe('state_conflict');
  });
});

describe('Store.openReadOnly', () => {
  it('reads alongside the writer, writes nothing (no run row, no in_flight sweep), and refuses writes', () => {
    codeSale('s1');
    const op = store.outbox.enqueue({ saleId: 's1', kind: 'create_transaction', payload: {} });
    store.outbox.claim(op.id); // the running terminal is sending it right now
    const runs = (): number => {
      const db = new Database(store.path, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = { runs: runs(), seq: store.events.lastSeq() };

    const reader = env.make();
    expect(reader.openReadOnly()).toEqual({ path: store.path, schema: expect.any(Number) });
    expect(reader.sales.listOpen().map((s) => s.id)).toEqual(['s1']);
    expect(reader.outbox.get(op.id)?.state).toBe('in_flight');
    expect(reader.events.lastSeq()).toBe(before.seq);
    expect(runs()).toBe(before.runs);
    expect(() => reader.events.append({ type: 'x' })).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
    // The writer's later commits are visible to the reader.
    store.outbox.settle(op.id, { to: 'done' });
    expect(reader.outbox.get(op.id)?.state).toBe('done');
    expect(codeOf(() => reader.openReadOnly())).toBe('already_open');
  });

  it('open_failed without a file, schema_too_old on a file not yet migrated', () => {
    const other = tempStore();
    try {
      expect(codeOf(() => other.make().openReadOnly())).toBe('open_failed');
      new Database(other.make().path).close();
      expect(codeOf(() => other.make().openReadOnly())).toBe('schema_too_old');
    } finally {
      other.cleanup();
    }
  });
});
