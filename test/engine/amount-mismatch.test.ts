import { describe, expect, it } from 'vitest';
import { applied, harnessPerTest, startHarness, type Harness } from '../support/engine-harness.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Never confirm what does not match the sale. A transaction whose payments do not add up to the
 * sale's amount in its currency (changed behind the terminal's back, or created wrong: the
 * emulator's `alterAmount` fault) is never confirmed, never PAID, gets no receipt; it is revoked
 * and the sale waits for a person with the reason. Likewise a Centrapay request found paid for
 * another amount.
 */

const slot = harnessPerTest();
const sale = (id: string) => slot.get().store.sales.get(id);
const confirms = (): number => applied(slot.get().emu, 'PUT', /\/confirm$/);

/** Nothing paid: no confirm sent, no receipt journaled, the sale with a person for this reason. */
function expectHeldForAPerson(saleId: string, reason: RegExp): void {
  expect(sale(saleId)).toMatchObject({ state: 'needs_human', needsHumanReason: expect.stringMatching(reason) });
  expect(slot.get().store.printJobs.listBySale(saleId).filter((j) => j.kind === 'receipt')).toEqual([]);
  expect(slot.get().changes.filter((c) => c.sale.id === saleId).map((c) => c.sale.state)).not.toContain('confirmed');
}

describe.each(variationCases('paysera-wallet'))('a Paysera transaction that does not match its sale, $label', (variation) => {
  const start = (): Promise<Harness> => startHarness({ emulator: { variations: variation.variations } });

  it('table sale: the transaction is changed before the customer pays; reserved, it is revoked, never confirmed, the spot closed', async () => {
    const h = (slot.h = await start());
    const spot = h.emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    await waitFor(() => h.engine.waitingTables().some((w) => w.spotId === spot.id), 'table 1 waiting');
    const started = h.engine.startTableSale(1, 1299);
    const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');
    h.emu.wallet.alterAmount(key, { deltaMinor: 100 });
    h.emu.wallet.customerReserve(key, { customer: 'alice' });
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'held for a person');
    expectHeldForAPerson(started.id, /^amount_mismatch: transaction 13\.99 EUR, sale 12\.99 EUR$/);
    await waitFor(() => h.emu.wallet.getTransaction(key).status === 'revoked', 'the transaction revoked (funds released)');
    await waitFor(() => h.emu.wallet.getSpot(spot.id).status === 'closed', 'the spot closed');
    expect(confirms()).toBe(0);
  });

  it('table sale: a currency other than the sale\'s is a mismatch too', async () => {
    const h = (slot.h = await start());
    const spot = h.emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'bob');
    await waitFor(() => h.engine.waitingTables().some((w) => w.spotId === spot.id), 'table 2 waiting');
    const started = h.engine.startTableSale(2, 500);
    const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');
    h.emu.wallet.alterAmount(key, { deltaMinor: 0, currency: 'USD' });
    h.emu.wallet.customerReserve(key, { customer: 'bob' });
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'held for a person');
    expectHeldForAPerson(started.id, /^amount_mismatch: transaction 5\.00 USD, sale 5\.00 EUR$/);
    expect(confirms()).toBe(0);
  });

  it('code sale: the create answers another amount (alterAmount fault); revoked at once, the customer\'s code never sent', async () => {
    const h = (slot.h = await start());
    h.emu.faults.add({ kind: 'alterAmount', method: 'POST', path: '/rest/v1/transaction', count: 1, deltaMinor: -299 });
    const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
    const started = h.engine.startCodeSale(1299);
    h.engine.submitReservationCode(started.id, code);
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'held for a person');
    expectHeldForAPerson(started.id, /^amount_mismatch: transaction 10\.00 EUR, sale 12\.99 EUR$/);
    const [tx] = h.emu.wallet.snapshot().transactions;
    await waitFor(() => h.emu.wallet.getTransaction(tx?.transaction_key ?? '').status === 'deleted', 'the new transaction deleted');
    expect(h.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toEqual([]);
    expect(confirms()).toBe(0);
  });

  it('code sale: the reserve answers another amount (alterAmount fault); revoked, never confirmed', async () => {
    const h = (slot.h = await start());
    h.emu.faults.add({ kind: 'alterAmount', method: 'PUT', path: '/rest/v1/transaction/*/reserve', count: 1, deltaMinor: 1 });
    const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
    const started = h.engine.startCodeSale(1299);
    h.engine.submitReservationCode(started.id, code);
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'held for a person');
    expectHeldForAPerson(started.id, /^amount_mismatch: transaction 13\.00 EUR, sale 12\.99 EUR$/);
    const key = sale(started.id)?.transactionKey ?? '';
    await waitFor(() => h.emu.wallet.getTransaction(key).status === 'revoked', 'the reserved transaction revoked');
    expect(confirms()).toBe(0);
  });
});

describe.each(variationCases('centrapay'))('a Centrapay request paid for another amount, $label', (variation) => {
  it('is not PAID: no receipt, the sale with a person for the reason; nothing is voided or refunded by itself', async () => {
    const h = (slot.h = await startHarness({ centrapay: {}, emulator: { variations: variation.variations } }));
    h.emu.faults.add({ kind: 'alterAmount', method: 'POST', path: '/api/payment-requests', count: 1, deltaMinor: 50 });
    const started = h.engine.startCentrapaySale(1250);
    const prId = await waitFor(() => sale(started.id)?.paymentRequestId, 'the payment request');
    h.emu.centrapay.pay(prId);
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'held for a person');
    expectHeldForAPerson(started.id, /^amount_mismatch: request 13\.00 EUR, sale 12\.50 EUR$/);
    expect(h.changes.filter((c) => c.sale.id === started.id).map((c) => c.sale.state)).not.toContain('paid');
    expect(h.emu.centrapay.get(prId)).toMatchObject({ status: 'paid', refunded: false });
    expect(h.store.outbox.list({ kind: 'pos_record_order' })).toEqual([]);
  });
});
