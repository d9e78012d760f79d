import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/engine-error.js';
import type { SaleRecord } from '../../src/store/types.js';
import { applied, payTableSale, startHarness, waitForWaitingTable, type Harness } from '../support/engine-harness.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const sale = (id: string): SaleRecord | undefined => h?.store.sales.get(id);
const stateOf = (id: string): string | undefined => sale(id)?.state;

function harness(): Harness {
  if (!h) throw new Error('no harness');
  return h;
}
const waitingAt = (table: number): Promise<void> => waitForWaitingTable(harness(), table);
const paidTableSale = (table: number, amount: number, customer = 'alice'): Promise<SaleRecord> => payTableSale(harness(), table, amount, customer);

function expectError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe(code);
    return;
  }
  throw new Error(`expected EngineError ${code}`);
}

/** Table and code sales, once as documented and once per Wallet variation (the fault matrix: fault-matrix.test.ts). */
describe.each(variationCases('paysera-wallet'))('Paysera engine, $label', (variation) => {
  const start = (): Promise<Harness> => startHarness({ emulator: { variations: variation.variations } });

  describe('table sale (Scan and Pay)', () => {
    it('is paid: order with the transaction inside, reserved by the customer, confirmed once, spot closed, one receipt', async () => {
      h = await start();
      const done = await paidTableSale(1, 1299);
      const tx = h.emu.wallet.getTransaction(done.transactionKey ?? '');
      expect(tx.status).toBe('confirmed');
      expect(tx.payments[0]?.price).toBe(1299);
      expect(h.emu.wallet.getSpot(done.spotId ?? -1).status).toBe('closed');
      expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(1);
      expect(applied(h.emu, 'POST', /^\/rest\/v1\/spot\/\d+\/order$/)).toBe(1);
      const jobs = h.store.printJobs.listBySale(done.id);
      expect(jobs.map((j) => j.kind)).toEqual(['receipt']);
      expect(jobs[0]?.payload).toMatchObject({ saleId: done.id, amountMinor: 1299, currency: 'EUR', table: { id: 'TABLE1', name: 'Table 1' } });
      expect(h.changes.filter((c) => c.sale.id === done.id).map((c) => c.sale.state)).toEqual([
        'created',
        'order_created',
        'reserved',
        'confirmed',
        'spot_closed',
        'receipt_queued',
        'done',
      ]);
    });

    it('two customers one after the other at the same table', async () => {
      h = await start();
      const first = await paidTableSale(2, 500, 'alice');
      const second = await paidTableSale(2, 700, 'bob');
      expect(first.spotId).toBe(second.spotId);
      expect(first.transactionKey).not.toBe(second.transactionKey);
      expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(2);
    });

    it('refuses an unknown table, a table with nobody checked in, a zero amount, a busy table', async () => {
      h = await start();
      const engine = h.engine;
      expectError(() => engine.startTableSale(99, 100), 'table_unknown');
      expectError(() => engine.startTableSale(3, 100), 'table_not_waiting');
      h.emu.wallet.checkInByCode('PAYSERA*3:TABLE3', 'carol');
      await waitingAt(3);
      expectError(() => engine.startTableSale(3, 0), 'invalid_amount');
      engine.startTableSale('table3', 100);
      expectError(() => engine.startTableSale(3, 100), 'table_busy');
    });

    it('closes a fabricated table at once and never attaches an order; ignores other locations', async () => {
      h = await start();
      const fake = h.emu.wallet.checkInByCode('PAYSERA*3:FREEBEER', 'mallory');
      const elsewhere = h.emu.wallet.checkInByCode('PAYSERA*99:TABLE1', 'bob');
      await waitFor(() => h?.emu.wallet.getSpot(fake.id).status === 'closed', 'fabricated spot closed');
      expect(h.emu.wallet.snapshot().orders).toHaveLength(0);
      expect(h.emu.wallet.getSpot(elsewhere.id).status).toBe('waiting');
      expect(applied(h.emu, 'PUT', new RegExp(`/spot/${elsewhere.id}/close$`))).toBe(0);
    });

    it('cancel after the order: the transaction is revoked, the spot closed, nothing confirmed', async () => {
      h = await start();
      h.emu.wallet.checkInByCode('PAYSERA*3:TABLE4', 'dave');
      await waitingAt(4);
      const started = h.engine.startTableSale(4, 900);
      const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');
      h.engine.cancelSale(started.id);
      await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
      expect(['revoked', 'deleted']).toContain(h.emu.wallet.getTransaction(key).status);
      expect(h.emu.wallet.getSpot(started.spotId ?? -1).status).toBe('closed');
      expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(0);
      // The customer can no longer pay the revoked transaction.
      expect(() => h?.emu.wallet.customerReserve(key, { customer: 'dave' })).toThrow();
    });

    it.each([
      // Every connection refused: the terminal is offline and retries nothing until the fault is
      // lifted; a refused attempt never reached the server, so lifting it at once is safe.
      { label: 'refused (never sent): the retry', fault: { kind: 'refuse' as const, durationMs: 600_000 }, liftAfterCreateEnds: false },
      // Only order creation fails: the fault stays until the create has ended, because an attempt
      // already on its way when staff cancelled would otherwise reach a server without the fault
      // and create the order (then revoked: right, but not the skip under test). With the fault
      // still there, only a create that sends nothing (the skip) can end.
      { label: 'answered 500 (maybe applied): the read-back', fault: { kind: 'serverError' as const, status: 500, method: 'POST', path: '/rest/v1/spot/*/order' }, liftAfterCreateEnds: true },
    ])('cancel while the order has failed, $label makes no order and closes the spot', async ({ fault, liftAfterCreateEnds }) => {
      h = await start();
      h.emu.wallet.checkInByCode('PAYSERA*3:TABLE4', 'dave');
      await waitingAt(4);
      const rule = h.emu.faults.add(fault);
      const started = h.engine.startTableSale(4, 900);
      await waitFor(() => h?.store.outbox.list({ saleId: started.id }).some((op) => op.kind === 'create_order' && op.lastErrorCode !== undefined), 'the create failed once');
      h.engine.cancelSale(started.id);
      if (liftAfterCreateEnds) {
        await waitFor(() => h?.store.outbox.list({ saleId: started.id }).find((op) => op.kind === 'create_order')?.state === 'done', 'the create ended without sending');
      }
      h.emu.faults.remove(rule.id);
      await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
      expect(h.emu.wallet.snapshot().orders).toHaveLength(0);
      expect(h.emu.wallet.getSpot(started.spotId ?? -1).status).toBe('closed');
      expect(sale(started.id)?.transactionKey).toBeUndefined();
    });

    it('the customer declines: the sale ends declined with the reason and the spot is closed', async () => {
      h = await start();
      h.emu.wallet.checkInByCode('PAYSERA*3:TABLE5', 'erin');
      await waitingAt(5);
      const started = h.engine.startTableSale(5, 400);
      const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');
      h.emu.wallet.customerReject(key);
      await waitFor(() => stateOf(started.id) === 'declined', 'declined', 15_000);
      expect(sale(started.id)?.declineReason).toBe('rejected');
      expect(h.emu.wallet.getSpot(started.spotId ?? -1).status).toBe('closed');
    });
  });

  describe('code sale (reservation code)', () => {
    it('is paid: transaction, reserve by the scanned code, confirm, receipt', async () => {
      h = await start();
      const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
      const started = h.engine.startCodeSale(1299);
      h.engine.submitReservationCode(started.id, `${code}\r\n`);
      await waitFor(() => stateOf(started.id) === 'done', 'done');
      expect(h.emu.wallet.getTransaction(sale(started.id)?.transactionKey ?? '').status).toBe('confirmed');
      expect(h.store.printJobs.listBySale(started.id)).toHaveLength(1);
    });

    it('declined for funds: final, the code is sent once, nothing confirmed', async () => {
      h = await start();
      const { code } = h.emu.wallet.issueReservationCode({ balance: 100 });
      const started = h.engine.startCodeSale(1299);
      h.engine.submitReservationCode(started.id, code);
      await waitFor(() => stateOf(started.id) === 'declined', 'declined');
      expect(sale(started.id)?.declineReason).toBe('not_enough_funds');
      expect(h.emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(1);
      expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(0);
      expectError(() => h?.engine.submitReservationCode(started.id, code), 'wrong_sale_state');
    });

    it('refuses a code that is not 16-40 digits', async () => {
      h = await start();
      const started = h.engine.startCodeSale(100);
      expectError(() => h?.engine.submitReservationCode(started.id, '12345'), 'invalid_code');
      expectError(() => h?.engine.submitReservationCode(started.id, 'PAYSERA*3:TABLE1'), 'invalid_code');
    });

    it('cancel before the code: the transaction is revoked', async () => {
      h = await start();
      const started = h.engine.startCodeSale(100);
      const key = await waitFor(() => sale(started.id)?.transactionKey, 'transaction created');
      h.engine.cancelSale(started.id);
      await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
      expect(h.emu.wallet.getTransaction(key).status).toBe('deleted');
    });
  });
});
