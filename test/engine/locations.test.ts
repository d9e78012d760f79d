import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { applied, startHarness, TABLES, type Harness } from '../support/engine-harness.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One merchant, two locations, a terminal at each, one emulator: the same table identifiers at
 * both. Neither terminal closes, counts or sells at the other's spots, whether or not spots carry
 * `location_id` and whether or not the server honours the `location_id` filter.
 */

let emu: Emulator | undefined;
let here: Harness | undefined;
let there: Harness | undefined;
afterEach(async () => {
  await here?.stop();
  await there?.stop();
  await emu?.stop();
  here = there = emu = undefined;
});

const HERE = 3;
const THERE = 4;

describe.each(variationCases('paysera-wallet'))('two locations sharing one merchant, $label', (variation) => {
  async function start(): Promise<{ emu: Emulator; here: Harness; there: Harness }> {
    emu = await startEmulator({ port: 0, seed: 21, variations: variation.variations, centrapayCurrencies: ['EUR'] });
    here = await startHarness({ emu, locationId: HERE, tables: TABLES });
    there = await startHarness({ emu, locationId: THERE, tables: TABLES });
    return { emu, here, there };
  }

  const closesOf = (e: Emulator, spotId: number): number => applied(e, 'PUT', new RegExp(`^/rest/v1/spot/${spotId}/close$`));

  it('each terminal sees and sells only its own waiting tables; fabricated codes are closed only by their own location', async () => {
    const { emu, here, there } = await start();
    const aliceHere = emu.wallet.checkInByCode(`PAYSERA*${HERE}:TABLE1`, 'alice');
    const bobThere = emu.wallet.checkInByCode(`PAYSERA*${THERE}:TABLE2`, 'bob');
    const fakeThere = emu.wallet.checkInByCode(`PAYSERA*${THERE}:FREEBEER`, 'mallory');

    await waitFor(() => here.engine.waitingTables().length === 1 && there.engine.waitingTables().length === 1, 'both terminals see their table');
    // Each asks for its own location's waiting spots (as Paysera's quick start shows).
    const polled = (location: number): boolean => emu.requests.list({ service: 'paysera-wallet' }).some((r) => r.path.startsWith(`/rest/v1/spots?status=waiting&location_id=${location}&`));
    expect([polled(HERE), polled(THERE)]).toEqual([true, true]);
    expect(here.engine.waitingTables().map((w) => [w.table.id, w.spotId])).toEqual([['TABLE1', aliceHere.id]]);
    expect(there.engine.waitingTables().map((w) => [w.table.id, w.spotId])).toEqual([['TABLE2', bobThere.id]]);

    // The fabricated code at the other location is closed there, never here.
    await waitFor(() => emu.wallet.getSpot(fakeThere.id).status === 'closed', 'the fabricated spot closed by its own terminal');
    expect(here.store.outbox.list({}).filter((op) => op.spotId === fakeThere.id)).toEqual([]);
    expect(there.store.outbox.list({}).filter((op) => op.spotId === fakeThere.id)).toHaveLength(1);

    // Neither can sell at the other's table, though both have a TABLE2 and a TABLE1.
    expect(() => here.engine.startTableSale(2, 500)).toThrow(expect.objectContaining({ code: 'table_not_waiting' }));
    expect(() => there.engine.startTableSale(1, 500)).toThrow(expect.objectContaining({ code: 'table_not_waiting' }));

    // Each sells at its own: paid, confirmed once, its spot (and only its spot) closed.
    const saleHere = here.engine.startTableSale(1, 700);
    const saleThere = there.engine.startTableSale(2, 900);
    const keyHere = await waitFor(() => here.store.sales.get(saleHere.id)?.transactionKey, 'order here');
    const keyThere = await waitFor(() => there.store.sales.get(saleThere.id)?.transactionKey, 'order there');
    emu.wallet.customerReserve(keyHere, { customer: 'alice' });
    emu.wallet.customerReserve(keyThere, { customer: 'bob' });
    await waitFor(() => here.store.sales.get(saleHere.id)?.state === 'done' && there.store.sales.get(saleThere.id)?.state === 'done', 'both sales done');
    expect(emu.wallet.getSpot(aliceHere.id).status).toBe('closed');
    expect(emu.wallet.getSpot(bobThere.id).status).toBe('closed');
    const spotsTouched = (h: Harness): number[] => [...new Set(h.store.outbox.list({}).flatMap((op) => (op.spotId === undefined ? [] : [op.spotId])))].sort((a, b) => a - b);
    expect(spotsTouched(here)).toEqual([aliceHere.id]);
    expect(spotsTouched(there)).toEqual([bobThere.id, fakeThere.id].sort((a, b) => a - b));
    expect(closesOf(emu, aliceHere.id)).toBe(1);
    expect(closesOf(emu, bobThere.id)).toBe(1);
  });

  it('a customer waiting at the other location is never closed as fabricated, nor counted as waiting here', async () => {
    const { emu, here } = await start();
    // An identifier this terminal does not know, at the other location: fabricated only there.
    const elsewhere = emu.wallet.checkInByCode(`PAYSERA*${THERE}:TERRACE9`, 'carol');
    const mine = emu.wallet.checkInByCode(`PAYSERA*${HERE}:TABLE3`, 'dave');
    await waitFor(() => here.engine.waitingTables().some((w) => w.spotId === mine.id), 'my table waiting');
    // Several polls of this terminal have passed the other location's spot by.
    const pollsBefore = emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.startsWith(`/rest/v1/spots?status=waiting&location_id=${HERE}`)).length;
    await waitFor(
      () => emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.startsWith(`/rest/v1/spots?status=waiting&location_id=${HERE}`)).length >= pollsBefore + 3,
      'three more polls here',
    );
    expect(here.store.outbox.list({}).some((op) => op.spotId === elsewhere.id)).toBe(false);
    expect(here.engine.waitingTables().map((w) => w.spotId)).toEqual([mine.id]);
  });
});
