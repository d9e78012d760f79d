import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/start-emulator.js';
import { EXAMPLE_CREDENTIAL } from '../../src/emulator/paysera-wallet/mac-verifier.js';
import { VARIATIONS } from '../../src/emulator/variations.js';
import { rawRequest, sim, TestWalletClient, type TestResponse } from '../support/emulator/wallet-test-client.js';

/**
 * Each variation on the wire: what the emulator answers differently with it on, and that the
 * documented default comes back without it. The clients' handling of each is proven in
 * test/contract and test/engine, which run once per variation.
 */

let emu: Emulator | undefined;
let api: TestWalletClient;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const started = await startEmulator({ port: 0, seed: 5, ...options });
  emu = started;
  api = new TestWalletClient(started.url, EXAMPLE_CREDENTIAL);
  return started;
}

const CP = { 'x-api-key': 'emulator-centrapay-key', 'content-type': 'application/json' };
const POS = { authorization: 'Bearer emulator-pos-token', 'content-type': 'application/json' };
const tx = (price: number) => ({ payments: [{ description: 'd', price, currency: 'EUR', parameters: { sale: 's1' } }] });

describe('the variation list', () => {
  it('GET /_sim/variations lists the active ones and all there are; POST switches them at run time', async () => {
    const emu = await start({ variations: ['spots-without-location'] });
    const listed = await sim(emu.url, 'GET', '/_sim/variations');
    expect(listed.json.active).toEqual(['spots-without-location']);
    expect(listed.json.available.map((v: { name: string }) => v.name)).toEqual(VARIATIONS.map((v) => v.name));
    expect((await sim(emu.url, 'POST', '/_sim/variations', { variations: ['spot-status-open', 'extra-fields'] })).json.active).toEqual(['spot-status-open', 'extra-fields']);
    expect((await sim(emu.url, 'GET', '/_sim/state')).json.variations).toEqual(['spot-status-open', 'extra-fields']);
  });
});

describe('Paysera Wallet variations', () => {
  it('spots-without-location: place_info has no location_id; without it, it does', async () => {
    const emu = await start();
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1');
    expect((await api.send('GET', '/rest/v1/spots?status=waiting')).json.spots[0].place_info.location_id).toBe(3);
    await sim(emu.url, 'POST', '/_sim/variations', { variations: ['spots-without-location'] });
    const spot = (await api.send('GET', '/rest/v1/spots?status=waiting')).json.spots[0];
    expect(spot.place_info).not.toHaveProperty('location_id');
    expect((await api.send('GET', '/rest/v1/spot/1')).json.place_info).not.toHaveProperty('location_id');
  });

  it('spots-location-filter-ignored: location_id filters nothing; without it, it filters', async () => {
    const emu = await start();
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'a');
    emu.wallet.checkInByCode('PAYSERA*4:TABLE1', 'b');
    expect((await api.send('GET', '/rest/v1/spots?status=waiting&location_id=3')).json._metadata.total).toBe(1);
    await sim(emu.url, 'POST', '/_sim/variations', { variations: ['spots-location-filter-ignored'] });
    expect((await api.send('GET', '/rest/v1/spots?status=waiting&location_id=3')).json._metadata.total).toBe(2);
  });

  it('unknown-statuses: one more spot and one more transaction in undocumented statuses, counted in the metadata, 404 by id', async () => {
    const emu = await start({ variations: ['unknown-statuses'] });
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1');
    const spots = (await api.send('GET', '/rest/v1/spots?status=waiting&location_id=3&limit=1&offset=1')).json;
    expect(spots._metadata).toEqual({ total: 2, offset: 1, limit: 1 });
    expect(spots.spots).toEqual([{ id: 900001, status: 'active', identifier: 'undocumented', place_info: { title: 'Location 3', location_id: 3 } }]);
    expect((await api.send('GET', '/rest/v1/spot/900001')).status).toBe(404);
    await api.send('POST', '/rest/v1/transaction', { body: tx(100) });
    const txs = (await api.send('GET', '/rest/v1/transactions?status=reserved')).json;
    expect(txs.transactions.map((t: { status: string }) => t.status)).toEqual(['on_hold']);
    expect(txs._metadata.total).toBe(1);
  });

  it('a transaction put on hold over /_sim/ reads in an undocumented status until the customer acts', async () => {
    const emu = await start();
    const created = (await api.send('POST', '/rest/v1/transaction', { body: tx(100) })).json;
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${created.transaction_key}/hold`)).json.status).toBe('on_hold');
    expect((await api.send('GET', `/rest/v1/transaction/${created.transaction_key}`)).json).toMatchObject({ status: 'on_hold', payments: [{ status: 'on_hold' }] });
    emu.wallet.customerReserve(created.transaction_key);
    expect((await api.send('GET', `/rest/v1/transaction/${created.transaction_key}`)).json.status).toBe('reserved');
  });

  it('extra-fields: every object of a success carries x_undocumented, except inside parameters; errors and /_sim/ do not', async () => {
    const emu = await start({ variations: ['extra-fields'] });
    const created = (await api.send('POST', '/rest/v1/transaction', { body: tx(100) })).json;
    expect(created.x_undocumented).toBeDefined();
    expect(created.reserve.x_undocumented).toBeDefined();
    expect(created.payments[0].x_undocumented).toBeDefined();
    expect(created.payments[0].parameters).toEqual({ sale: 's1' });
    expect((await api.send('GET', '/rest/v1/transaction/nope')).json).toEqual({ error: 'not_found', error_description: 'Transaction not found' });
    expect((await sim(emu.url, 'GET', '/_sim/variations')).json.x_undocumented).toBeUndefined();
    const pr = await rawRequest(emu.url, 'POST', '/api/payment-requests', { headers: CP, body: JSON.stringify({ configId: 'c', value: { amount: '100', currency: 'NZD' } }) });
    expect(pr.json.value.x_undocumented).toBeDefined();
  });

  it('reservation-code-field-code: reserve reads `code`; `reservation_code` is invalid_parameters naming the fields', async () => {
    const emu = await start();
    const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
    const a = (await api.send('POST', '/rest/v1/transaction', { body: tx(100) })).json.transaction_key;
    const refused = await api.send('PUT', `/rest/v1/transaction/${a}/reserve`, { body: { code } });
    expect([refused.status, refused.json.error, refused.json.errors, refused.json.error_properties]).toEqual([
      400,
      'invalid_parameters',
      [{ code: 'invalid', message: 'This value should not be blank.', field: 'reservation_code' }],
      { reservation_code: ['This value should not be blank.'] },
    ]);
    await sim(emu.url, 'POST', '/_sim/variations', { variations: ['reservation-code-field-code'] });
    const wrongName = await api.send('PUT', `/rest/v1/transaction/${a}/reserve`, { body: { reservation_code: code } });
    expect([wrongName.status, wrongName.json.errors[0].field]).toEqual([400, 'code']);
    expect((await api.send('PUT', `/rest/v1/transaction/${a}/reserve`, { body: { code } })).json.status).toBe('reserved');
  });

  it('spot-status-open spells an open spot `open`', async () => {
    const emu = await start({ variations: ['spot-status-open'] });
    emu.wallet.checkInByCode('PAYSERA*3:T');
    await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: tx(100) } });
    expect((await api.send('GET', '/rest/v1/spot/1')).json.status).toBe('open');
  });
});

describe('the alterAmount fault and /_sim/ alter-amount', () => {
  it('a create under the fault is stored and answered with the altered amount or currency; the next create is not', async () => {
    const emu = await start();
    emu.faults.add({ kind: 'alterAmount', method: 'POST', path: '/rest/v1/transaction', count: 1, deltaMinor: 100 });
    const altered = (await api.send('POST', '/rest/v1/transaction', { body: tx(1299) })).json;
    expect(altered.payments[0]).toMatchObject({ price: 1399, price_decimal: '13.99', currency: 'EUR' });
    expect(emu.wallet.getTransaction(altered.transaction_key).payments[0]?.price).toBe(1399);
    expect((await api.send('POST', '/rest/v1/transaction', { body: tx(1299) })).json.payments[0].price).toBe(1299);
    emu.faults.add({ kind: 'alterAmount', path: '/rest/v1/spot/*/order', count: 1, currency: 'USD' });
    emu.wallet.checkInByCode('PAYSERA*3:T');
    const order = (await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: tx(500) } })).json;
    expect(emu.wallet.getTransaction(order.transaction_key).payments[0]).toMatchObject({ price: 501, currency: 'USD' });
    expect(emu.requests.list({ service: 'paysera-wallet' }).at(-1)?.faults).toEqual([expect.stringMatching(/^alterAmount#/)]);
  });

  it('on reserve: the transaction is reserved with another amount; on a Centrapay create the request gets another value', async () => {
    const emu = await start({ centrapayCurrencies: ['EUR'] });
    const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
    const key = (await api.send('POST', '/rest/v1/transaction', { body: tx(1000) })).json.transaction_key;
    emu.faults.add({ kind: 'alterAmount', path: '/rest/v1/transaction/*/reserve', count: 1, deltaMinor: -1 });
    expect((await api.send('PUT', `/rest/v1/transaction/${key}/reserve`, { body: { reservation_code: code } })).json).toMatchObject({ status: 'reserved', payments: [{ price: 999 }] });
    emu.faults.add({ kind: 'alterAmount', path: '/api/payment-requests', count: 1, deltaMinor: 5 });
    const pr: TestResponse = await rawRequest(emu.url, 'POST', '/api/payment-requests', { headers: CP, body: JSON.stringify({ configId: 'c', value: { amount: '100', currency: 'EUR' } }) });
    expect(pr.json.value).toEqual({ amount: '105', currency: 'EUR' });
  });

  it('/_sim/transactions/:key/alter-amount changes an existing transaction; a bad body is 400', async () => {
    const emu = await start();
    const key = (await api.send('POST', '/rest/v1/transaction', { body: tx(1000) })).json.transaction_key;
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${key}/alter-amount`, { deltaMinor: 250, currency: 'GBP' })).json.payments[0]).toMatchObject({ price: 1250, currency: 'GBP' });
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${key}/alter-amount`, {})).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/faults', { kind: 'alterAmount', deltaMinor: 0 })).status).toBe(400);
  });
});

describe('Centrapay and POS variations', () => {
  it('external-ref-example-shape: items like the documented example, cursor named pageKey', async () => {
    const emu = await start({ variations: ['external-ref-example-shape'] });
    for (let i = 0; i < 3; i++) await rawRequest(emu.url, 'POST', '/api/payment-requests', { headers: CP, body: JSON.stringify({ configId: 'c', value: { amount: '100', currency: 'NZD' }, externalRef: 'r' }) });
    const page = (await rawRequest(emu.url, 'GET', '/api/payment-requests/external-ref/r?merchantAccountId=emulator-merchant-account&paginationLimit=2', { headers: CP })).json;
    expect(Object.keys(page).sort()).toEqual(['items', 'pageKey']);
    expect(Object.keys(page.items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'liveness', 'merchantName', 'paymentOptions', 'status', 'url', 'value']);
    const last = (await rawRequest(emu.url, 'GET', `/api/payment-requests/external-ref/r?merchantAccountId=emulator-merchant-account&paginationLimit=2&pageKey=${page.pageKey}`, { headers: CP })).json;
    expect(last.items).toHaveLength(1);
    expect(last.pageKey).toBeUndefined();
  });

  it('POS money as cents, decimal numbers or decimal strings; create answers 201 or (pos-create-200) 200', async () => {
    const emu = await start();
    const body = JSON.stringify({ number: 'n1', currency: 'EUR', orderPositions: [{ title: 't', quantity: 1, unitPrice: { regular: 12.99 } }], payments: [{ paymentMethod: 'card', amount: '12.99' }] });
    const created = await rawRequest(emu.url, 'POST', '/eapi/v1/orders', { headers: POS, body });
    expect([created.status, created.json.totalPrice, created.json.payments[0].amount]).toEqual([201, 1299, 1299]);
    await sim(emu.url, 'POST', '/_sim/variations', { variations: ['pos-money-decimal-numbers'] });
    const numbers = (await rawRequest(emu.url, 'GET', `/eapi/v1/orders/${String(created.json.id)}`, { headers: POS })).json;
    expect([numbers.totalPrice, numbers.payments[0].amount, numbers.orderPositions[0].price]).toEqual([12.99, 12.99, 12.99]);
    await sim(emu.url, 'POST', '/_sim/variations', { variations: ['pos-money-decimal-strings', 'pos-create-200'] });
    const strings = (await rawRequest(emu.url, 'GET', '/eapi/v1/orders', { headers: POS })).json.data[0];
    expect([strings.totalPrice, strings.payments[0].amount]).toEqual(['12.99', '12.99']);
    const second = await rawRequest(emu.url, 'POST', '/eapi/v1/orders', { headers: POS, body: body.replace('"n1"', '"n2"') });
    expect([second.status, second.json.totalPrice]).toEqual([200, '12.99']);
  });
});
