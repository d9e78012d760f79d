import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { tempStore } from '../../test/support/temp-store.js';
import type { Store } from './store.js';

const EUR = (minor: number) => money(minor, 'EUR');
let env: ReturnType<typeof tempStore>;

beforeEach(() => {
  env = tempStore();
});

afterEach(() => {
  env.cleanup();
});

function paidCodeSale(store: Store, id: string, minor: number): void {
  store.sales.create({ id, kind: 'code', amount: EUR(minor) });
  store.sales.apply(id, { type: 'codeSubmitted', reservationCode: `1234567890123456${id.length}` });
  store.sales.apply(id, { type: 'transactionCreated', transactionKey: `key-${id}` });
  store.sales.apply(id, { type: 'reservedByCode' });
  store.sales.apply(id, { type: 'confirmed' });
  store.sales.apply(id, { type: 'receiptQueued' });
  store.sales.apply(id, { type: 'completed' });
}

const byOutcome = (store: Store): Record<string, { sales: number; amountMinor: number }> =>
  Object.fromEntries(store.totals.list().map((t) => [`${t.kind}/${t.outcome}/${t.currency}`, { sales: t.sales, amountMinor: t.amountMinor }]));

describe('sale totals (the metrics counters)', () => {
  it('count each sale once under its outcome, paid ones with their amount; needs_human when handed to a person', () => {
    const store = env.make();
    store.open();
    expect(store.totals.list()).toEqual([]);
    paidCodeSale(store, 'a', 1299);
    paidCodeSale(store, 'bb', 500);
    store.sales.create({ id: 'd', kind: 'code', amount: EUR(100) });
    store.sales.apply('d', { type: 'transactionCreated', transactionKey: 'key-d' });
    store.sales.apply('d', { type: 'declined', reason: 'not_enough_funds' });
    store.sales.create({ id: 'c', kind: 'code', amount: EUR(100) });
    store.sales.apply('c', { type: 'cancelRequested' });
    store.sales.apply('c', { type: 'cancelCompleted' });
    store.sales.create({ id: 'h', kind: 'code', amount: EUR(700) });
    store.sales.apply('h', { type: 'needsHuman', reason: 'confirm_unknown' });
    // A sale in progress counts nowhere yet.
    store.sales.create({ id: 'open', kind: 'code', amount: EUR(100) });
    expect(byOutcome(store)).toEqual({
      'code/cancelled/EUR': { sales: 1, amountMinor: 0 },
      'code/declined/EUR': { sales: 1, amountMinor: 0 },
      'code/needs_human/EUR': { sales: 1, amountMinor: 0 },
      'code/paid/EUR': { sales: 2, amountMinor: 1799 },
    });
    // Resolved as paid by a person: now counted as paid too (and still once as handed over).
    store.sales.apply('h', { type: 'humanResolved', paid: true });
    expect(byOutcome(store)['code/paid/EUR']).toEqual({ sales: 3, amountMinor: 2499 });
    expect(byOutcome(store)['code/needs_human/EUR']).toEqual({ sales: 1, amountMinor: 0 });
  });

  it('paid counts at the confirm, before the receipt; a sale confirmed, then handed to a person and resolved paid, counts once', () => {
    const store = env.make();
    store.open();
    store.sales.create({ id: 'p', kind: 'code', amount: EUR(900) });
    store.sales.apply('p', { type: 'codeSubmitted', reservationCode: '12345678901234567' });
    store.sales.apply('p', { type: 'transactionCreated', transactionKey: 'key-p' });
    store.sales.apply('p', { type: 'reservedByCode' });
    store.sales.apply('p', { type: 'confirmed' });
    expect(byOutcome(store)['code/paid/EUR']).toEqual({ sales: 1, amountMinor: 900 });
    store.sales.apply('p', { type: 'needsHuman', reason: 'receipt_failed' });
    store.sales.apply('p', { type: 'humanResolved', paid: true });
    expect(byOutcome(store)).toEqual({ 'code/needs_human/EUR': { sales: 1, amountMinor: 0 }, 'code/paid/EUR': { sales: 1, amountMinor: 900 } });
  });

  it('never drop when old sales are pruned, and read the same after a restart', () => {
    const store = env.make({ retentionDays: 7 });
    store.open();
    paidCodeSale(store, 'a', 1299);
    const before = store.totals.list();
    env.clock.setWallMs(env.clock.wallMs() + 30 * 86_400_000);
    expect(store.prune().sales).toBe(1);
    expect(store.sales.get('a')).toBeUndefined();
    expect(store.totals.list()).toEqual(before);
    store.close();
    const again = env.make({ retentionDays: 7 });
    again.open();
    expect(again.totals.list()).toEqual(before);
    paidCodeSale(again, 'b', 1);
    expect(byOutcome(again)['code/paid/EUR']).toEqual({ sales: 2, amountMinor: 1300 });
  });

  it('the schema refuses to delete them', () => {
    const store = env.make();
    store.open();
    paidCodeSale(store, 'a', 1299);
    store.close();
    const raw = new Database(store.path);
    try {
      expect(() => raw.prepare('DELETE FROM sale_totals').run()).toThrow(/not_deletable/);
    } finally {
      raw.close();
    }
  });
});
