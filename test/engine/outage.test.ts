import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus } from '../../src/engine/engine-api.js';
import type { SaleRecord } from '../../src/store/types.js';
import { PAYSERA_RETRY_POLICIES } from '../../src/engine/paysera-wallet/paysera-ops.js';
import { applied, startHarness, type Harness } from '../support/engine-harness.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Outage: the emulator's listener is closed (fault `refuse` with durationMs: every connection
 * attempt gets ECONNREFUSED) and reopened on the same port when the test removes the rule. Sales started before and during the
 * outage complete afterwards, each with exactly one effect, proven from the emulator's request log.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Longer than any test waits: each outage ends when the test removes its rule. */
const OUTAGE_MS = 600_000;

function harness(): Harness {
  if (h === undefined) throw new Error('no harness');
  return h;
}
const sale = (id: string): SaleRecord | undefined => harness().store.sales.get(id);
const stateOf = (id: string): string | undefined => sale(id)?.state;
const liveOps = (status: EngineStatus): number => (status.queue.pending ?? 0) + (status.queue.in_flight ?? 0) + (status.queue.unknown ?? 0);
const walletRequests = (): ReturnType<Harness['emu']['requests']['list']> => harness().emu.requests.list({ service: 'paysera-wallet' });

async function waitingAt(table: number): Promise<void> {
  await waitFor(() => harness().engine.waitingTables().some((w) => w.table.number === table), `table ${table} waiting`);
}

/** Every paid sale: done, one transaction carrying its id, one applied confirm, spot closed, one receipt. */
function expectPaidOnce(id: string): void {
  const { emu, store } = harness();
  const s = sale(id);
  expect(s?.state, `sale ${id}`).toBe('done');
  const key = s?.transactionKey ?? '';
  expect(emu.wallet.getTransaction(key).status).toBe('confirmed');
  const confirms = walletRequests().filter((r) => r.method === 'PUT' && r.path === `/rest/v1/transaction/${key}/confirm` && r.applied);
  expect(confirms, `applied confirms of ${id}`).toHaveLength(1);
  const ours = emu.wallet.snapshot().transactions.filter((t) => JSON.stringify(t.payments).includes(id));
  expect(ours, `transactions carrying ${id}`).toHaveLength(1);
  if (s?.kind === 'table') expect(emu.wallet.getSpot(s.spotId ?? -1).status).toBe('closed');
  expect(store.printJobs.listBySale(id).filter((j) => j.kind === 'receipt'), `receipts of ${id}`).toHaveLength(1);
}

describe.each(variationCases('paysera-wallet'))('Paysera outages, $label', (variation) => {
  describe('outage: Paysera unreachable for a while', () => {
    it('sales started before and during the outage complete afterwards, once each; the engine reports offline and queued ops meanwhile', async () => {
      h = await startHarness({ seed: 11, emulator: { variations: variation.variations } });
      const { emu, engine } = h;
      const statuses: EngineStatus[] = [];
      engine.onStatus((s) => statuses.push(s));

      // Before: table 1 has its order (the customer has not paid yet); a customer sits at table 2.
      emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
      emu.wallet.checkInByCode('PAYSERA*3:TABLE2', 'bob');
      await waitingAt(1);
      await waitingAt(2);
      const before = engine.startTableSale(1, 1250);
      const key1 = await waitFor(() => sale(before.id)?.transactionKey, 'table 1 order created');
      expect(engine.status().online).toBe(true);

      // The outage: the listener closes (ECONNREFUSED) until the test ends it, on the same port.
      // The test decides when it ends, so what happens "during" never races the machine's speed.
      const outage = emu.faults.add({ kind: 'refuse', durationMs: OUTAGE_MS });
      await waitFor(() => engine.status().online === false, 'engine offline');
      // From here on no connection can be accepted; a request already on the wire started before.
      const offlineAt = Date.now();

      // During: the customer at table 1 pays (on the customer's side, not through our link); a table
      // sale and a code sale are started and their first writes queue up.
      emu.wallet.customerReserve(key1, { customer: 'alice' });
      const during = engine.startTableSale(2, 800);
      const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
      const codeSale = engine.startCodeSale(450);
      engine.submitReservationCode(codeSale.id, code);
      const queued = await waitFor(() => {
        const s = engine.status();
        return s.online === false && liveOps(s) >= 2 ? s : undefined;
      }, 'queued ops while offline');
      expect(queued.openSales).toBe(3);
      // Nothing could reach Paysera: the sales have not moved past what was journaled locally.
      expect(stateOf(before.id)).toBe('order_created');
      expect(stateOf(during.id)).toBe('created');
      expect(stateOf(codeSale.id)).toBe('created');

      // After: the queued writes go out by themselves. The customer at table 2 pays once the order
      // exists (it could not be created before); everything completes without staff touching it.
      const reopenedAt = Date.now();
      emu.faults.remove(outage.id);
      const key2 = await waitFor(() => sale(during.id)?.transactionKey, 'table 2 order created after the outage');
      emu.wallet.customerReserve(key2, { customer: 'bob' });
      for (const id of [before.id, during.id, codeSale.id]) await waitFor(() => stateOf(id) === 'done', `sale ${id} done`);
      // Online again at the spot watcher's next poll (the runner may have got through first).
      await waitFor(() => engine.status().online === true, 'engine online again');

      // The request log proves the outage was real: no request reached the emulator inside it, and
      // the work done after it (table 2's order) was sent after it.
      const inside = walletRequests().filter((r) => r.atMs > offlineAt && r.atMs < reopenedAt);
      expect(inside).toEqual([]);
      const orders = walletRequests().filter((r) => r.method === 'POST' && /^\/rest\/v1\/spot\/\d+\/order$/.test(r.path) && r.applied);
      expect(orders.at(-1)?.atMs).toBeGreaterThanOrEqual(reopenedAt);
      // And the engine said so while it lasted.
      expect(statuses.some((s) => s.online === false && liveOps(s) > 0)).toBe(true);

      for (const id of [before.id, during.id, codeSale.id]) expectPaidOnce(id);
      // No sale lost, none invented; no confirm beyond one per paid sale; one order per table sale.
      expect(harness().store.sales.list({}).map((s) => s.id).sort()).toEqual([before.id, during.id, codeSale.id].sort());
      expect(applied(emu, 'PUT', /\/confirm$/)).toBe(3);
      expect(applied(emu, 'POST', /^\/rest\/v1\/spot\/\d+\/order$/)).toBe(2);
      expect(applied(emu, 'PUT', /\/reserve$/)).toBe(1);
      expect(engine.status().queue).toEqual({});
    }, 120_000);

    it('a table sale whose customer pays during the outage is confirmed once, after it', async () => {
      h = await startHarness({ seed: 12, emulator: { variations: variation.variations } });
      const { emu, engine } = h;
      emu.wallet.checkInByCode('PAYSERA*3:TABLE3', 'carol');
      await waitingAt(3);
      const started = engine.startTableSale(3, 990);
      const key = await waitFor(() => sale(started.id)?.transactionKey, 'order created');

      const outage = emu.faults.add({ kind: 'refuse', durationMs: OUTAGE_MS });
      await waitFor(() => engine.status().online === false, 'engine offline');
      // The customer pays; the terminal cannot see it yet. Two reservation polls fail after the
      // payment, and the sale is still waiting: nothing is lost or guessed.
      const polls = vi.spyOn(h.client, 'listTransactions');
      emu.wallet.customerReserve(key, { customer: 'carol' });
      await waitFor(async () => {
        const failed = await Promise.all(polls.mock.results.map((r) => Promise.resolve(r.value).then(() => false, () => true)));
        return failed.filter(Boolean).length >= 2;
      }, 'two reservation polls refused after the payment');
      expect(stateOf(started.id)).toBe('order_created');
      expect(engine.status().online).toBe(false);

      const reopenedAt = Date.now();
      emu.faults.remove(outage.id);
      await waitFor(() => stateOf(started.id) === 'done', 'sale done after the outage');
      const confirms = walletRequests().filter((r) => r.method === 'PUT' && r.path === `/rest/v1/transaction/${key}/confirm`);
      expect(confirms.filter((r) => r.applied)).toHaveLength(1);
      expect(confirms[0]?.atMs).toBeGreaterThanOrEqual(reopenedAt);
      expectPaidOnce(started.id);
      expect(applied(emu, 'PUT', /\/close$/)).toBe(1);
    }, 120_000);
  });

  describe('back online', () => {
    it('operations that failed for want of a connection resume at once, not after their backoff', async () => {
      // Production-shaped policy with a long backoff, and jitter at its top: a create refused by
      // the outage would next be tried ten minutes later if nothing resumed it, far beyond the wait
      // below, so the order appearing at all proves the resume.
      const slow = Object.fromEntries(Object.entries(PAYSERA_RETRY_POLICIES).map(([kind, p]) => [kind, { ...p, baseMs: 600_000, capMs: 600_000 }]));
      h = await startHarness({ policies: slow, jitter: () => 0.99, emulator: { variations: variation.variations } });
      h.emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
      await waitingAt(1);
      const outage = h.emu.faults.add({ kind: 'refuse', durationMs: OUTAGE_MS });
      const id = h.engine.startTableSale(1, 1500).id;
      await waitFor(() => h?.store.outbox.list({ saleId: id }).some((op) => op.lastErrorCode === 'connect_failed'), 'the create refused by the outage');
      await waitFor(() => h?.engine.status().online === false, 'the outage noticed');
      h.emu.faults.remove(outage.id);
      await waitFor(() => sale(id)?.transactionKey, 'the order, once Paysera answers again');
      expect(applied(h.emu, 'POST', /^\/rest\/v1\/spot\/\d+\/order$/)).toBe(1);
    }, 120_000);
  });
});
