import { describe, expect, it } from 'vitest';
import { applied, harnessPerTest, startHarness, type Harness } from '../support/engine-harness.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Answers the documents do not foresee decide nothing by themselves: a transaction in a status no
 * document lists stays awaited and goes to a person at the sale's deadline (never confirmed,
 * never declined); a reserve refused for its field name is the terminal's setup, shown as such,
 * never a declined code.
 */

const slot = harnessPerTest();
const sale = (id: string) => slot.get().store.sales.get(id);
const DEADLINE_MS = 1200;

describe.each(variationCases('paysera-wallet'))('undocumented answers, $label', (variation) => {
  const start = (options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> =>
    startHarness({ emulator: { variations: variation.variations }, unknownStatusDeadlineMs: DEADLINE_MS, ...options });

  it('table sale: a transaction in an undocumented status stays awaited, then goes to a person at the deadline; nothing confirmed or revoked', async () => {
    const h = (slot.h = await start());
    const spot = h.emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    await waitFor(() => h.engine.waitingTables().some((w) => w.spotId === spot.id), 'table 1 waiting');
    const started = h.engine.startTableSale(1, 800);
    const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');
    h.emu.wallet.hold(key);
    const heldAt = performance.now();
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'handed to a person', 15_000);
    // Awaited all along: it left order_created only for a person, after the deadline.
    expect(performance.now() - heldAt).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(h.changes.filter((c) => c.sale.id === started.id).map((c) => c.sale.state)).toEqual(['created', 'order_created', 'needs_human']);
    expect(sale(started.id)?.needsHumanReason).toBe('unknown_status:on_hold');
    expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(0);
    expect(applied(h.emu, 'DELETE', /^\/rest\/v1\/transaction\//)).toBe(0);
  });

  it('table sale: an undocumented status that resolves before the deadline is just a slow payment', async () => {
    const h = (slot.h = await start({ unknownStatusDeadlineMs: 60_000 }));
    const spot = h.emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'bob');
    await waitFor(() => h.engine.waitingTables().some((w) => w.spotId === spot.id), 'table 2 waiting');
    const started = h.engine.startTableSale(2, 450);
    const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');
    h.emu.wallet.hold(key);
    // Read at least once in that status (the watcher reads each awaited transaction every few polls).
    await waitFor(() => h.emu.requests.list({ service: 'paysera-wallet' }).some((r) => r.path === `/rest/v1/transaction/${key}`), 'the transaction read');
    h.emu.wallet.customerReserve(key, { customer: 'bob' });
    await waitFor(() => sale(started.id)?.state === 'done', 'paid');
    expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(1);
  });

  it('code sale: the reserve answers an undocumented status; the terminal reads again, then hands it to a person; never confirmed, never declined', async () => {
    const h = (slot.h = await start());
    const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
    const started = h.engine.startCodeSale(700);
    const key = await waitFor(() => sale(started.id)?.transactionKey, 'transaction created');
    h.emu.wallet.hold(key);
    h.engine.submitReservationCode(started.id, code);
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'handed to a person', 15_000);
    expect(sale(started.id)?.needsHumanReason).toMatch(/unknown_status:on_hold$/);
    const reads = h.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'GET' && r.path === `/rest/v1/transaction/${key}`);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(h.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(1);
    expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(0);
    expect(h.changes.filter((c) => c.sale.id === started.id).map((c) => c.sale.state)).not.toContain('declined');
  });

  it('the reserve field this server does not take: the sale is cancelled as a setup problem (not declined), its transaction revoked, the code sent once', async () => {
    const wrong = variation.has('reservation-code-field-code') ? 'reservation_code' : 'code';
    const h = (slot.h = await start({ reservationCodeField: wrong }));
    const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
    const started = h.engine.startCodeSale(999);
    h.engine.submitReservationCode(started.id, code);
    await waitFor(() => sale(started.id)?.state === 'cancelled', 'cancelled');
    expect(sale(started.id)?.declineReason).toBe('config:reservation_code_field');
    expect(h.changes.filter((c) => c.sale.id === started.id).map((c) => c.sale.state)).not.toContain('declined');
    expect(h.emu.wallet.getTransaction(sale(started.id)?.transactionKey ?? '').status).toBe('deleted');
    expect(h.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(1);
    // The code itself was never used: with the field set right, the same customer can pay.
    expect(h.emu.wallet.snapshot().reservation_codes[0]?.used_by).toBeUndefined();
  });
});
