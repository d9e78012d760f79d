import { afterEach, describe, expect, it } from 'vitest';
import type { TableConfig } from '../../src/config/load-config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SPOT_ID_PARAMETER, TERMINAL_PARAMETER } from '../../src/engine/paysera-wallet/shared-spots.js';
import type { SaleRecord } from '../../src/store/types.js';
import { applied, startHarness, waitForWaitingTable, type Harness } from '../support/engine-harness.js';
import { codeOf } from '../support/thrown-code.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Two terminals at one location, one emulator, nothing shared but Paysera's state
 * (docs/configuration.md#several-counters): split tables, shared tables, the race of two tills
 * ordering at one spot in the same instant, and an order closed elsewhere.
 */

const table = (n: number): TableConfig => ({ id: `TABLE${n}`, number: n, name: `Table ${n}` });
const BAR = [table(1), table(2)];
const TERRACE = [table(3)];

let emu: Emulator | undefined;
const harnesses: Harness[] = [];

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
  await emu?.stop();
  emu = undefined;
});

async function twoCounters(bar: Parameters<typeof startHarness>[0], terrace: Parameters<typeof startHarness>[0]): Promise<[Harness, Harness, Emulator]> {
  emu = await startEmulator({ port: 0, seed: 7, centrapayCurrencies: ['EUR'] });
  const a = await startHarness({ emu, seed: 11, terminalName: 'bar', ...bar });
  harnesses.push(a);
  const b = await startHarness({ emu, seed: 12, terminalName: 'terrace', ...terrace });
  harnesses.push(b);
  return [a, b, emu];
}

const closesOf = (e: Emulator, spotId: number): number => applied(e, 'PUT', new RegExp(`/spot/${spotId}/close$`));
const ordersAt = (e: Emulator, spotId: number): number => applied(e, 'POST', new RegExp(`/spot/${spotId}/order$`));
const sale = (h: Harness, id: string): SaleRecord | undefined => h.store.sales.get(id);

describe('split tables: each terminal sells its own, never closes the other\'s', () => {
  it('a customer at the terrace table is sold by the terrace, left alone by the bar; a fabricated spot is closed', async () => {
    const [bar, terrace, e] = await twoCounters({ tables: BAR, otherTables: TERRACE }, { tables: TERRACE, otherTables: BAR });
    const spot = e.wallet.checkInByCode('PAYSERA*3:TABLE3', 'carol');
    const fake = e.wallet.checkInByCode('PAYSERA*3:FREEBEER', 'mallory');
    await waitForWaitingTable(terrace, 3);
    // The fabricated spot is closed (by whichever terminal saw it first) ...
    await waitFor(() => closesOf(e, fake.id) >= 1, 'fabricated spot closed');
    // ... while the bar, polling all along, never closed the terrace's customer.
    await waitFor(() => e.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'GET' && r.path.startsWith('/rest/v1/spots')).length >= 10, 'both polled a few times');
    expect(closesOf(e, spot.id)).toBe(0);
    expect(bar.engine.waitingTables()).toEqual([]);
    expect(codeOf(() => bar.engine.startTableSale(3, 800))).toBe('table_other_till');

    const started = terrace.engine.startTableSale(3, 800);
    const key = await waitFor(() => sale(terrace, started.id)?.transactionKey, 'order created');
    const tx = e.wallet.getTransaction(key);
    expect(tx.payments[0]?.parameters).toMatchObject({ [TERMINAL_PARAMETER]: 'terrace', [SPOT_ID_PARAMETER]: spot.id });
    e.wallet.customerReserve(key, { customer: 'carol' });
    await waitFor(() => sale(terrace, started.id)?.state === 'done', 'terrace sale done');
    expect(closesOf(e, spot.id)).toBe(1);
  });
});

/**
 * Two counters sharing table 5 both order at it in the same instant: each reads the spot
 * `waiting` before either order is applied (the orders are held 300 ms at the emulator).
 */
async function bothOrderAtTable5(): Promise<{ bar: Harness; terrace: Harness; e: Emulator; spot: { id: number }; a: SaleRecord; b: SaleRecord }> {
  const [bar, terrace, e] = await twoCounters({ tables: [table(5)] }, { tables: [table(5)] });
  const spot = e.wallet.checkInByCode('PAYSERA*3:TABLE5', 'erin');
  await Promise.all([waitForWaitingTable(bar, 5), waitForWaitingTable(terrace, 5)]);
  e.faults.add({ kind: 'latency', method: 'POST', path: '/rest/v1/spot/*/order', latencyMs: 300 });
  const a = bar.engine.startTableSale(5, 800);
  const b = terrace.engine.startTableSale(5, 800);
  await waitFor(() => ordersAt(e, spot.id) === 2, 'both orders applied');
  return { bar, terrace, e, spot, a, b };
}

describe('shared tables: one order per customer', () => {
  it('a till whose list is stale reads the spot first and sends no second order', async () => {
    // The terrace polls its spot list rarely: it still shows table 5 waiting after the bar ordered.
    const [bar, terrace, e] = await twoCounters({ tables: [table(5)] }, { tables: [table(5)], pollIntervalMs: 60_000 });
    const spot = e.wallet.checkInByCode('PAYSERA*3:TABLE5', 'erin');
    await Promise.all([waitForWaitingTable(bar, 5), waitForWaitingTable(terrace, 5)]);
    const first = bar.engine.startTableSale(5, 800);
    await waitFor(() => sale(bar, first.id)?.state === 'order_created', 'bar order created');

    const second = terrace.engine.startTableSale(5, 800);
    const ended = await waitFor(() => (sale(terrace, second.id)?.state === 'cancelled' ? sale(terrace, second.id) : undefined), 'terrace sale refused');
    expect(ended?.declineReason).toBe('busy_elsewhere');
    expect(ordersAt(e, spot.id)).toBe(1);
    // The bar's customer still pays the one order; the terrace closed nothing.
    e.wallet.customerReserve(sale(bar, first.id)?.transactionKey ?? '', { customer: 'erin' });
    await waitFor(() => sale(bar, first.id)?.state === 'done', 'bar sale done');
    expect(closesOf(e, spot.id)).toBe(1);
    expect(applied(e, 'GET', new RegExp(`/spot/${spot.id}$`))).toBeGreaterThanOrEqual(2);
  });

  it('two tills ordering in the same instant: the later order is revoked before it can be paid, the earlier is paid', async () => {
    const { bar, terrace, e, spot, a, b } = await bothOrderAtTable5();
    const outcome = await waitFor(() => {
      const [sa, sb] = [sale(bar, a.id), sale(terrace, b.id)];
      if (sa?.state === 'cancelled' && sb?.state === 'order_created') return { loser: sa, winner: sb, winnerAt: terrace };
      if (sb?.state === 'cancelled' && sa?.state === 'order_created') return { loser: sb, winner: sa, winnerAt: bar };
      return undefined;
    }, 'one till gave way');
    // 'busy_elsewhere' when the loser's own check found the earlier order; 'closed_elsewhere'
    // when the winner's check came first and revoked the loser's order.
    expect(['busy_elsewhere', 'closed_elsewhere']).toContain(outcome.loser.declineReason);
    // Revoking a transaction nobody paid deletes it (docs/apis.md): either way it cannot be paid.
    await waitFor(() => ['revoked', 'deleted'].includes(e.wallet.getTransaction(outcome.loser.transactionKey ?? '').status), 'loser revoked');
    // The customer can pay only the order that kept the table.
    expect(() => e.wallet.customerReserve(outcome.loser.transactionKey ?? '', { customer: 'erin' })).toThrow();
    e.wallet.customerReserve(outcome.winner.transactionKey ?? '', { customer: 'erin' });
    await waitFor(() => outcome.winnerAt.store.sales.get(outcome.winner.id)?.state === 'done', 'winner done');
    // Only the winner closed the spot; no confirm for the loser.
    expect(closesOf(e, spot.id)).toBe(1);
    expect(applied(e, 'PUT', new RegExp(`/transaction/${outcome.loser.transactionKey ?? ''}/confirm$`))).toBe(0);
  });

  it('a customer who pays the later order at once: it is held, never confirmed, and released', async () => {
    const { bar, terrace, e, a, b } = await bothOrderAtTable5();
    const keys = await waitFor(() => {
      const [ka, kb] = [sale(bar, a.id)?.transactionKey, sale(terrace, b.id)?.transactionKey];
      return ka !== undefined && kb !== undefined ? [ka, kb] : undefined;
    }, 'both keys known');
    // The customer pays both at once, before any rival check ran.
    for (const key of keys) e.wallet.customerReserve(key, { customer: 'erin' });
    await waitFor(() => {
      const states = [sale(bar, a.id)?.state, sale(terrace, b.id)?.state];
      return states.includes('cancelled') && states.includes('done');
    }, 'one paid, one given way');
    const statuses = keys.map((k) => e.wallet.getTransaction(k).status).sort();
    expect(statuses).toEqual(['confirmed', 'revoked']);
  });
});

describe('closed elsewhere', () => {
  it.each([
    ['the spot closed by another till', (e: Emulator, s: SaleRecord) => e.wallet.closeSpot(s.spotId ?? 0)],
    ['the order deleted in the back office', (e: Emulator, s: SaleRecord) => e.wallet.deleteOrder(s.orderId ?? 0)],
  ])('%s ends the sale cancelled, "closed elsewhere", and the spot is not closed again', async (_name, closeElsewhere) => {
    const [bar, , e] = await twoCounters({ tables: BAR }, { tables: BAR, pollIntervalMs: 60_000 });
    const spot = e.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    await waitForWaitingTable(bar, 1);
    const started = bar.engine.startTableSale(1, 500);
    const open = await waitFor(() => (sale(bar, started.id)?.state === 'order_created' ? sale(bar, started.id) : undefined), 'order created');
    closeElsewhere(e, open);
    const closes = closesOf(e, spot.id);
    const ended = await waitFor(() => (sale(bar, started.id)?.state === 'cancelled' ? sale(bar, started.id) : undefined), 'sale ended');
    expect(ended.declineReason).toBe('closed_elsewhere');
    await waitFor(() => ['revoked', 'deleted'].includes(e.wallet.getTransaction(open.transactionKey ?? '').status), 'its transaction revoked');
    expect(closesOf(e, spot.id)).toBe(closes);
  });
});

describe('a counter whose tables are its own alone (paysera.sharedTables: false)', () => {
  it('sends no spot read before its order and lists no rivals: a sale is its order, confirm and close', async () => {
    emu = await startEmulator({ port: 0, seed: 9, centrapayCurrencies: ['EUR'] });
    const h = await startHarness({ emu, seed: 13, tables: BAR, sharedTables: false });
    harnesses.push(h);
    const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    await waitForWaitingTable(h, 1);
    const started = h.engine.startTableSale(1, 500);
    const key = await waitFor(() => sale(h, started.id)?.transactionKey, 'order created');
    emu.wallet.customerReserve(key, { customer: 'alice' });
    await waitFor(() => sale(h, started.id)?.state === 'done', 'sale done');
    expect(applied(emu, 'GET', new RegExp(`/spot/${spot.id}$`))).toBe(0);
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === 'GET' && r.path.includes('status=new'))).toHaveLength(0);
  });
});

