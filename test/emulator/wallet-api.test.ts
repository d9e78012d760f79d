import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { EXAMPLE_CREDENTIAL } from '../../src/emulator/paysera-wallet/mac-verifier.js';
import { sim, TestWalletClient } from '../support/emulator/wallet-test-client.js';

const txBody = (price: number, orderId: string) => ({
  payments: [{ description: `Sale ${orderId}`, price, currency: 'EUR', parameters: { orderid: orderId, nested: { a: [1, 'x/y'] } } }],
});

describe('Paysera Wallet emulator: the documented API over loopback HTTP', () => {
  let emu: Emulator;
  let api: TestWalletClient;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: 7 });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL);
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('GET /rest/v1/server needs no auth and returns unix seconds', async () => {
    const res = await sim(emu.url, 'GET', '/rest/v1/server');
    expect(res.status).toBe(200);
    expect(Math.abs(res.json.time - Date.now() / 1000)).toBeLessThan(5);
    expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
  });

  it('runs the whole table flow: check in, order with transaction inside, customer reserve, confirm, close', async () => {
    // The customer scans the table card (over /_sim/) and checks in: the spot is auto-registered and waiting.
    const checkIn = await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:TABLE1', customer: 'alice' });
    expect(checkIn.status).toBe(200);
    expect(checkIn.json).toEqual({ id: 1, status: 'waiting', identifier: 'table1', place_info: { title: 'Location 3', location_id: 3 } });

    const waiting = await api.send('GET', '/rest/v1/spots?status=waiting&limit=3');
    expect(waiting.status).toBe(200);
    expect(waiting.json).toEqual({
      spots: [{ id: 1, status: 'waiting', identifier: 'table1', place_info: { title: 'Location 3', location_id: 3 } }],
      _metadata: { total: 1, offset: 0, limit: 3 },
    });

    const order = await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: txBody(1299, 'sale-1') } });
    expect(order.status).toBe(200);
    expect(order.json).toMatchObject({ id: 1, status: 'pending' });
    const key: string = order.json.transaction_key;
    expect(key).toMatch(/^[A-Za-z0-9]{32}$/);

    const spot = await api.send('GET', '/rest/v1/spot/1');
    expect(spot.json.status).toBe('opened');
    // The merchant is not checked in, so the documented `orders` array is not shown to it.
    expect(spot.json.orders).toBeUndefined();
    const customerView = await sim(emu.url, 'GET', '/_sim/spots/1?customer=alice');
    expect(customerView.json.orders).toEqual([{ id: 1, transaction_key: key, status: 'pending' }]);

    const fresh = await api.send('GET', `/rest/v1/transaction/${key}`);
    expect(fresh.json).toMatchObject({ transaction_key: key, status: 'new', location_id: 3 });
    expect(fresh.json.type).toBeUndefined();
    expect(fresh.json.wallet).toBeUndefined();
    expect(fresh.json.payments[0]).toMatchObject({
      transaction_key: key,
      status: 'new',
      price: 1299,
      currency: 'EUR',
      price_decimal: '12.99',
      description: 'Sale sale-1',
      parameters: { orderid: 'sale-1', nested: { a: [1, 'x/y'] } },
    });
    expect(fresh.text).not.toContain('null');

    const reserved = await sim(emu.url, 'POST', `/_sim/transactions/${key}/reserve`, { customer: 'alice' });
    expect(reserved.status).toBe(200);
    expect(reserved.json).toMatchObject({ status: 'reserved', type: 'mobile_app', wallet: expect.any(Number) });
    expect((await api.send('GET', '/rest/v1/order/1')).json.status).toBe('reserved');
    expect((await api.send('GET', '/rest/v1/transactions?status=reserved')).json._metadata.total).toBe(1);

    const confirmed = await api.send('PUT', `/rest/v1/transaction/${key}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toMatchObject({ status: 'confirmed', confirmed_at: expect.any(Number) });
    expect(confirmed.json.payments[0]).toMatchObject({ status: 'confirmed', price: 1299 });
    expect((await api.send('GET', '/rest/v1/order/1')).json.status).toBe('confirmed');

    const closed = await api.send('PUT', '/rest/v1/spot/1/close');
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe('closed');
    expect((await api.send('GET', '/rest/v1/spots?status=waiting')).json._metadata.total).toBe(0);
    // A confirmed order stays confirmed when the spot closes.
    expect((await api.send('GET', '/rest/v1/order/1')).json.status).toBe('confirmed');
  });

  it('closing a spot closes its pending orders, and the next check-in starts a new session', async () => {
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:TABLE2' });
    const order = await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: txBody(500, 'a') } });
    await api.send('PUT', '/rest/v1/spot/1/close');
    expect((await api.send('GET', `/rest/v1/order/${order.json.id}`)).json.status).toBe('closed');
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:TABLE2' });
    const view = await sim(emu.url, 'GET', '/_sim/spots/1');
    expect(view.json.status).toBe('waiting');
    expect(view.json.orders).toBeUndefined();
  });

  it('spot status is spelled open under the variation spot-status-open', async () => {
    await emu.stop();
    emu = await startEmulator({ port: 0, variations: ['spot-status-open'] });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL);
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:T' });
    await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: txBody(100, 'x') } });
    expect((await api.send('GET', '/rest/v1/spot/1')).json.status).toBe('open');
    // Both spellings select open spots.
    expect((await api.send('GET', '/rest/v1/spots?status=opened')).json._metadata.total).toBe(1);
    expect((await api.send('GET', '/rest/v1/spots?status=open')).json._metadata.total).toBe(1);
  });

  it('customer-side endpoints work MAC-signed: spot by code auto-registers (other locations too), check-in, check-out', async () => {
    const byCode = await api.send('GET', '/rest/v1/spot?code=PAYSERA*3%3ATABLE1');
    expect(byCode.json).toMatchObject({ id: 1, status: 'closed', identifier: 'table1' });
    const other = await api.send('GET', `/rest/v1/spot?code=${encodeURIComponent('PAYSERA*77:BAR 2')}`);
    expect(other.json).toMatchObject({ id: 2, identifier: 'bar 2', place_info: { location_id: 77 } });
    // Same code, other case: the same spot.
    expect((await api.send('GET', '/rest/v1/spot?code=PAYSERA*3%3Atable1')).json.id).toBe(1);

    expect((await api.send('PUT', '/rest/v1/spot/2/check-in')).json.status).toBe('waiting');
    // One client, one spot: checking in at spot 1 checks out of spot 2, which closes.
    expect((await api.send('PUT', '/rest/v1/spot/1/check-in')).json.status).toBe('waiting');
    expect((await api.send('GET', '/rest/v1/spot/2')).json.status).toBe('closed');
    expect((await api.send('PUT', '/rest/v1/spot/1/check-out')).json.status).toBe('closed');
    const again = await api.send('PUT', '/rest/v1/spot/1/check-out');
    expect(again.status).toBe(409);
    expect(again.json.error).toBe('invalid_state');

    const all = await api.send('GET', '/rest/v1/spots?status=closed');
    expect(all.json.spots.map((s: { place_info: { location_id: number } }) => s.place_info.location_id)).toEqual([3, 77]);
    expect((await api.send('GET', '/rest/v1/spots?status=closed&location_id=77')).json._metadata.total).toBe(1);
  });

  it('runs the reservation-code flow: not_enough_funds keeps the code, success uses it, reuse is refused', async () => {
    const issued = await sim(emu.url, 'POST', '/_sim/reservation-codes', { balance: 1000 });
    expect(issued.status).toBe(200);
    const code: string = issued.json.code;
    expect(code).toMatch(/^\d{28}$/);

    const big = await api.send('POST', '/rest/v1/transaction', { body: txBody(1299, 'big') });
    const poor = await api.send('PUT', `/rest/v1/transaction/${big.json.transaction_key}/reserve`, { body: { reservation_code: code } });
    expect(poor.status).toBe(400);
    expect(poor.json).toEqual({ error: 'not_enough_funds', error_description: 'Not enough funds' });
    expect((await api.send('GET', `/rest/v1/transaction/${big.json.transaction_key}`)).json.status).toBe('new');

    const small = await api.send('POST', '/rest/v1/transaction', { body: txBody(999, 'small') });
    const key: string = small.json.transaction_key;
    const reserved = await api.send('PUT', `/rest/v1/transaction/${key}/reserve`, { body: { reservation_code: code } });
    expect(reserved.status).toBe(200);
    expect(reserved.json).toMatchObject({ status: 'reserved', type: 'reservation_code', wallet: issued.json.wallet });

    const other = await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'other') });
    const reused = await api.send('PUT', `/rest/v1/transaction/${other.json.transaction_key}/reserve`, { body: { reservation_code: code } });
    expect(reused.status).toBe(400);
    expect(reused.json.error).toBe('invalid_parameters');
    const unknown = await api.send('PUT', `/rest/v1/transaction/${other.json.transaction_key}/reserve`, { body: { reservation_code: '0155567464130298871198969060' } });
    expect(unknown.json.error).toBe('invalid_parameters');
    // The newer pages' `code` field is not the documented one.
    const wrongField = await api.send('PUT', `/rest/v1/transaction/${other.json.transaction_key}/reserve`, { body: { code } });
    expect(wrongField.status).toBe(400);

    // Confirm may lower a payment's price, never raise it.
    const paymentId = reserved.json.payments[0].id;
    const raised = await api.send('PUT', `/rest/v1/transaction/${key}/confirm`, { body: { [paymentId]: { price: 1000, currency: 'EUR' } } });
    expect(raised.status).toBe(400);
    const lowered = await api.send('PUT', `/rest/v1/transaction/${key}/confirm`, { body: { [paymentId]: { price: 900, currency: 'EUR' } } });
    expect(lowered.json.payments[0]).toMatchObject({ price: 900, price_decimal: '9.00', status: 'confirmed' });
  });

  it('accepts the PHP client\'s "[]" confirm body and a price_decimal payment', async () => {
    const created = await api.send('POST', '/rest/v1/transaction', {
      body: { payments: [{ description: 'd', price_decimal: '3.5', currency: 'EUR' }] },
    });
    expect(created.json.payments[0]).toMatchObject({ price: 350, price_decimal: '3.50' });
    await sim(emu.url, 'POST', `/_sim/transactions/${created.json.transaction_key}/reserve`, {});
    const confirmed = await api.send('PUT', `/rest/v1/transaction/${created.json.transaction_key}/confirm`, { body: '[]' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.status).toBe('confirmed');
  });

  it('paginates transactions over 3+ pages with _metadata', async () => {
    for (let i = 0; i < 7; i++) await api.send('POST', '/rest/v1/transaction', { body: txBody(100 + i, `p${i}`) });
    const seen: string[] = [];
    const metas: unknown[] = [];
    for (let offset = 0; offset < 7; offset += 3) {
      const page = await api.send('GET', `/rest/v1/transactions?status=new,reserved&limit=3&offset=${offset}`);
      expect(page.status).toBe(200);
      metas.push(page.json._metadata);
      seen.push(...page.json.transactions.map((t: { payments: { parameters: { orderid: string } }[] }) => t.payments[0]?.parameters.orderid));
    }
    expect(metas).toEqual([
      { total: 7, offset: 0, limit: 3 },
      { total: 7, offset: 3, limit: 3 },
      { total: 7, offset: 6, limit: 3 },
    ]);
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect((await api.send('GET', '/rest/v1/transactions?status=confirmed')).json._metadata).toEqual({ total: 0, offset: 0, limit: 20 });
  });

  it('paginates waiting spots over 3 pages', async () => {
    for (let i = 1; i <= 5; i++) await sim(emu.url, 'POST', '/_sim/check-in', { code: `PAYSERA*3:T${i}`, customer: `c${i}` });
    const ids: number[] = [];
    for (const offset of [0, 2, 4]) {
      const page = await api.send('GET', `/rest/v1/spots?status=waiting&limit=2&offset=${offset}`);
      expect(page.json._metadata).toEqual({ total: 5, offset, limit: 2 });
      ids.push(...page.json.spots.map((s: { id: number }) => s.id));
    }
    expect(ids).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers 409 invalid_state on illegal transitions and applies nothing', async () => {
    const created = await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'x') });
    const key = created.json.transaction_key;
    const confirmNew = await api.send('PUT', `/rest/v1/transaction/${key}/confirm`);
    expect(confirmNew.status).toBe(409);
    expect(confirmNew.json.error).toBe('invalid_state');
    expect(typeof confirmNew.json.error_description).toBe('string');

    await sim(emu.url, 'POST', `/_sim/transactions/${key}/reserve`, {});
    await api.send('PUT', `/rest/v1/transaction/${key}/confirm`);
    const code = (await sim(emu.url, 'POST', '/_sim/reservation-codes', { balance: 10_000 })).json.code;
    const reserveConfirmed = await api.send('PUT', `/rest/v1/transaction/${key}/reserve`, { body: { reservation_code: code } });
    expect(reserveConfirmed.status).toBe(409);
    expect((await api.send('PUT', `/rest/v1/transaction/${key}/confirm`)).status).toBe(409);
    expect((await api.send('DELETE', `/rest/v1/transaction/${key}`)).status).toBe(409);
    expect(emu.wallet.getTransaction(key).status).toBe('confirmed');
    // The code was not consumed by the refused reserve.
    expect(emu.wallet.snapshot().reservation_codes[0]?.used_by).toBeUndefined();

    // An order cannot be created in a closed spot.
    await api.send('GET', '/rest/v1/spot?code=PAYSERA*3%3AT9');
    const inClosed = await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: txBody(1, 'y') } });
    expect(inClosed.status).toBe(409);
  });

  it('revokes: a new transaction becomes deleted, a reserved one revoked; a customer decline is rejected', async () => {
    const a = (await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'a') })).json.transaction_key;
    const b = (await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'b') })).json.transaction_key;
    const c = (await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'c') })).json.transaction_key;
    expect((await api.send('DELETE', `/rest/v1/transaction/${a}`)).json.status).toBe('deleted');
    await sim(emu.url, 'POST', `/_sim/transactions/${b}/reserve`, {});
    expect((await api.send('DELETE', `/rest/v1/transaction/${b}`)).json.status).toBe('revoked');
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${c}/reject`)).json.status).toBe('rejected');
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${c}/reserve`, {})).status).toBe(409);
  });

  it('a customer can leave a transaction waiting, pay it from there, or let it fail', async () => {
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:W' });
    const order = (await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: txBody(100, 'w') } })).json;
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${order.transaction_key}/accept`)).json.status).toBe('waiting');
    expect((await api.send('GET', `/rest/v1/order/${order.id}`)).json.status).toBe('pending');
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${order.transaction_key}/reserve`, {})).json.status).toBe('reserved');
    const other = (await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'f') })).json.transaction_key;
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${other}/fail`)).json.status).toBe('failed');
    expect((await sim(emu.url, 'POST', `/_sim/transactions/${other}/accept`)).status).toBe(409);
  });

  it('orders: create by transaction_key, edit while pending, delete, and 404 afterwards', async () => {
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:T1' });
    const t1 = (await api.send('POST', '/rest/v1/transaction', { body: txBody(100, 'a') })).json.transaction_key;
    const t2 = (await api.send('POST', '/rest/v1/transaction', { body: txBody(200, 'b') })).json.transaction_key;
    const order = await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction_key: t1 } });
    expect(order.json).toEqual({ id: 1, transaction_key: t1, status: 'pending' });
    expect((await api.send('GET', `/rest/v1/transaction/${t1}`)).json.location_id).toBe(3);
    // The same transaction cannot back a second open order.
    expect((await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction_key: t1 } })).status).toBe(409);
    const edited = await api.send('PUT', '/rest/v1/order/1', { body: { transaction_key: t2 } });
    expect(edited.json).toEqual({ id: 1, transaction_key: t2, status: 'pending' });
    const deleted = await api.send('DELETE', '/rest/v1/order/1');
    expect(deleted.json).toEqual({ id: 1, transaction_key: t2, status: 'closed' });
    expect((await api.send('GET', '/rest/v1/order/1')).status).toBe(404);
  });

  it('answers 404 not_found for unknown resources and paths', async () => {
    for (const [method, target] of [
      ['GET', '/rest/v1/spot/99'],
      ['GET', '/rest/v1/order/99'],
      ['GET', '/rest/v1/transaction/nope'],
      ['PUT', '/rest/v1/transaction/nope/confirm'],
      ['DELETE', '/rest/v1/order/99'],
      ['GET', '/rest/v1/spot/abc'],
      ['GET', '/rest/v1/nothing-here'],
    ] as const) {
      const res = await api.send(method, target);
      expect(res.status, `${method} ${target}`).toBe(404);
      expect(res.json.error).toBe('not_found');
    }
  });

  it('answers 400 on bad parameters and bodies', async () => {
    const cases: [string, string, unknown][] = [
      ['GET', '/rest/v1/spots?status=waiting&limit=0', undefined],
      ['GET', '/rest/v1/spots?status=waiting&limit=201', undefined],
      ['GET', '/rest/v1/spots?status=waiting&offset=-1', undefined],
      ['GET', '/rest/v1/spots?status=bogus', undefined],
      ['GET', '/rest/v1/transactions?status=paid', undefined],
      ['GET', '/rest/v1/transactions?limit=abc', undefined],
      ['GET', '/rest/v1/spot?code=TABLE1', undefined],
      ['GET', '/rest/v1/spot', undefined],
      ['POST', '/rest/v1/transaction', { payments: [] }],
      ['POST', '/rest/v1/transaction', { payments: [{ description: 'x', price: 10, price_decimal: '0.10', currency: 'EUR' }] }],
      ['POST', '/rest/v1/transaction', { payments: [{ description: 'x', price: 12.5, currency: 'EUR' }] }],
      ['POST', '/rest/v1/transaction', { payments: [{ description: 'x', price: 100 }] }],
    ];
    for (const [method, target, body] of cases) {
      const res = await api.send(method, target, body === undefined ? {} : { body });
      expect(res.status, `${method} ${target} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json.error).toBe('invalid_parameters');
    }
    const notJson = await api.send('POST', '/rest/v1/transaction', { body: '{"payments": [' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toBe('invalid_request');
    expect((await api.send('GET', '/rest/v1/spots?status=waiting&limit=200')).status).toBe(200);
  });

  it('honours location_id sent in ext when creating a transaction', async () => {
    const body = JSON.stringify(txBody(100, 'ext'));
    const { extForBody } = await import('../../src/gateways/paysera-wallet/mac-signature.js');
    const res = await api.send('POST', '/rest/v1/transaction', { body, ext: `${extForBody(Buffer.from(body))}&project_id=5&location_id=45` });
    expect(res.status).toBe(200);
    expect(res.json.location_id).toBe(45);
  });
});
