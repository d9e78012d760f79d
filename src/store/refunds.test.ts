import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../test/support/temp-store.js';
import { codeOf as thrownCode } from '../../test/support/thrown-code.js';
import type { Store } from './store.js';

/** Schema 5: sale numbers given at payment, refunds as their own rows, refunds in the totals. */
describe('sale numbers and refunds', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  function open(): Store {
    const t = tempStore();
    cleanup = t.cleanup;
    const store = t.make();
    store.open();
    return store;
  }

  function paidCodeSale(store: Store, id: string, minor = 500): void {
    store.sales.create({ id, kind: 'code', amount: { minor, currency: 'EUR' } });
    store.sales.apply(id, { type: 'transactionCreated', transactionKey: `tx-${id}` });
    store.sales.apply(id, { type: 'reservedByCode' });
    store.sales.apply(id, { type: 'confirmed' });
    store.sales.apply(id, { type: 'receiptQueued' });
    store.sales.apply(id, { type: 'completed' });
  }

  it('numbers sales when they are paid, counting up, never an unpaid one', () => {
    const store = open();
    paidCodeSale(store, 's1');
    store.sales.create({ id: 's2', kind: 'code', amount: { minor: 100, currency: 'EUR' } });
    store.sales.apply('s2', { type: 'cancelRequested' });
    store.sales.apply('s2', { type: 'cancelCompleted' });
    paidCodeSale(store, 's3');
    expect(store.sales.get('s1')?.number).toBe(1);
    expect(store.sales.get('s2')?.number).toBeUndefined();
    expect(store.sales.get('s3')?.number).toBe(2);
    expect(store.sales.findByNumber(2)?.id).toBe('s3');
    expect(store.sales.lastNumbered()?.id).toBe('s3');
  });

  it('journals one refund per sale with its op, and counts it when refunded', () => {
    const store = open();
    paidCodeSale(store, 's1');
    const sale = store.sales.require('s1');
    const refund = store.refunds.create({ id: 'r1', sale }, { enqueue: [{ saleId: 's1', kind: 'cancel_payment', transactionKey: 'r1', payload: { refundId: 'r1' } }] });
    expect(refund).toMatchObject({ state: 'requested', method: 'code', amount: { minor: 500, currency: 'EUR' } });
    expect(store.outbox.list({ saleId: 's1' }).filter((op) => op.kind === 'cancel_payment')).toHaveLength(1);
    expect(thrownCode(() => store.refunds.create({ id: 'r2', sale }))).toBe('already_refunded');
    // One op per refund, ever.
    expect(thrownCode(() => store.outbox.enqueue({ saleId: 's1', kind: 'cancel_payment', transactionKey: 'r1', payload: {} }))).toBeDefined();
    store.refunds.apply('r1', { type: 'refunded' });
    expect(store.refunds.get('r1')?.state).toBe('refunded');
    expect(store.totals.list().find((t) => t.outcome === 'refunded')).toMatchObject({ kind: 'code', sales: 1, amountMinor: 500 });
    expect(store.totals.list().find((t) => t.outcome === 'paid')).toMatchObject({ sales: 1, amountMinor: 500 });
  });

  it('refuses a refund of a sale not paid, and allows another after a refused one', () => {
    const store = open();
    store.sales.create({ id: 's1', kind: 'code', amount: { minor: 100, currency: 'EUR' } });
    expect(thrownCode(() => store.refunds.create({ id: 'r0', sale: store.sales.require('s1') }))).toBe('not_refundable');
    paidCodeSale(store, 's2');
    store.refunds.create({ id: 'r1', sale: store.sales.require('s2') });
    store.refunds.apply('r1', { type: 'refused', reason: 'settled' });
    expect(store.refunds.create({ id: 'r2', sale: store.sales.require('s2') }).state).toBe('requested');
    expect(store.refunds.listForSale('s2').map((r) => r.state)).toEqual(['refused', 'requested']);
  });
});
