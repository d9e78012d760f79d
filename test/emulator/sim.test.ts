import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { EXAMPLE_CREDENTIAL } from '../../src/emulator/paysera-wallet/mac-verifier.js';
import { isLoopbackPeer } from '../../src/emulator/server.js';
import { sim, TestWalletClient } from '../support/emulator/wallet-test-client.js';

describe('Emulator /_sim/ endpoints, request log and in-process API', () => {
  let emu: Emulator;
  let api: TestWalletClient;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: 3 });
    api = new TestWalletClient(emu.url, EXAMPLE_CREDENTIAL);
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('GET /_sim/state shows spots, orders, transactions and codes of every service', async () => {
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:TABLE1', customer: 'bob' });
    const order = await api.send('POST', '/rest/v1/spot/1/order', { body: { transaction: { payments: [{ description: 'd', price: 100, currency: 'EUR' }] } } });
    await sim(emu.url, 'POST', '/_sim/reservation-codes', { balance: 5000, length: 16 });
    const state = await sim(emu.url, 'GET', '/_sim/state');
    expect(state.status).toBe(200);
    const wallet = state.json.services['paysera-wallet'];
    expect(wallet.spots).toEqual([
      expect.objectContaining({ id: 1, status: 'opened', location_id: 3, checked_in: ['bob'], session_order_ids: [1] }),
    ]);
    expect(wallet.orders).toEqual([{ id: 1, transaction_key: order.json.transaction_key, status: 'pending', spot_id: 1, deleted: false }]);
    expect(wallet.transactions).toHaveLength(1);
    expect(wallet.reservation_codes[0].code).toMatch(/^\d{16}$/);
    expect(wallet.reservation_codes[0].balance).toBe(5000);
    expect(state.json.faults).toEqual({ clockSkewS: 0, rules: [] });
    expect((await sim(emu.url, 'GET', '/_sim/orders')).json.orders).toHaveLength(1);
    expect((await sim(emu.url, 'GET', '/_sim/transactions')).json.transactions).toHaveLength(1);
  });

  it('check-out over /_sim/ closes the spot when the last customer leaves', async () => {
    await sim(emu.url, 'POST', '/_sim/check-in', { code: 'PAYSERA*3:T', customer: 'a' });
    await sim(emu.url, 'POST', '/_sim/check-in', { spotId: 1, customer: 'b' });
    expect((await sim(emu.url, 'POST', '/_sim/check-out', { spotId: 1, customer: 'a' })).json.status).toBe('waiting');
    expect((await sim(emu.url, 'POST', '/_sim/check-out', { code: 'PAYSERA*3:T', customer: 'b' })).json.status).toBe('closed');
    expect((await sim(emu.url, 'POST', '/_sim/check-in', {})).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/reservation-codes', {})).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/reservation-codes', { balance: 1, length: 41 })).status).toBe(400);
    expect((await sim(emu.url, 'GET', '/_sim/nothing')).status).toBe(404);
  });

  it('logs every request with its verdict, filterable by service and sequence', async () => {
    await api.send('GET', '/rest/v1/spots?status=waiting');
    await api.send('GET', '/rest/v1/transaction/missing');
    await api.send('GET', '/rest/v1/spots', { macKey: 'wrong' });
    const all = (await sim(emu.url, 'GET', '/_sim/requests?service=paysera-wallet')).json.requests;
    expect(all.map((e: { method: string; path: string; status: number; error?: string; applied: boolean; outcome: string }) => [e.method, e.path, e.status, e.error, e.applied, e.outcome])).toEqual([
      ['GET', '/rest/v1/spots?status=waiting', 200, undefined, true, 'responded'],
      ['GET', '/rest/v1/transaction/missing', 404, 'not_found', false, 'responded'],
      ['GET', '/rest/v1/spots', 401, 'unauthorized', false, 'responded'],
    ]);
    const since = (await sim(emu.url, 'GET', `/_sim/requests?since=${all[1].seq}`)).json.requests;
    expect(since[0].seq).toBe(all[2].seq);
    // /_sim/ requests are logged too, under their own service name.
    expect(emu.requests.list({ service: 'sim' }).length).toBeGreaterThan(0);
  });

  it('POST /_sim/reset forgets state, log and nonces but keeps fault rules; it repeats keys', async () => {
    const first = emu.wallet.createTransaction({ payments: [{ description: 'd', price: 1, currency: 'EUR' }] }).transaction_key;
    emu.faults.add({ kind: 'latency', latencyMs: 1, path: '/nowhere' });
    expect((await sim(emu.url, 'POST', '/_sim/reset')).json).toEqual({ reset: true });
    const state = (await sim(emu.url, 'GET', '/_sim/state')).json;
    expect(state.services['paysera-wallet'].transactions).toEqual([]);
    expect(state.faults.rules).toHaveLength(1);
    expect(emu.requests.list().map((e) => e.path)).toEqual(['/_sim/reset', '/_sim/state']);
    // Same seed after reset: the same key again, so reruns are reproducible.
    expect(emu.wallet.createTransaction({ payments: [{ description: 'd', price: 1, currency: 'EUR' }] }).transaction_key).toBe(first);
  });

  it('offers the same operations in-process', () => {
    const spot = emu.wallet.checkInByCode('PAYSERA*9:TERRACE 1', 'carol');
    expect(spot).toMatchObject({ status: 'waiting', identifier: 'terrace 1', place_info: { location_id: 9 } });
    const order = emu.wallet.createOrder(spot.id, { transaction: { payments: [{ description: 'd', price: 700, currency: 'EUR', parameters: { saleId: 's-1' } }] } });
    const code = emu.wallet.issueReservationCode({ balance: 100 });
    expect(code.code).toHaveLength(28);
    expect(() => emu.wallet.reserveWithCode(order.transaction_key, { reservation_code: code.code })).toThrow(expect.objectContaining({ code: 'not_enough_funds', status: 400 }));
    emu.wallet.customerReserve(order.transaction_key, { wallet: 555 });
    expect(emu.wallet.getTransaction(order.transaction_key)).toMatchObject({ status: 'reserved', wallet: 555 });
    expect(emu.wallet.getSpot(spot.id, 'carol').orders).toEqual([{ id: order.id, transaction_key: order.transaction_key, status: 'reserved' }]);
  });

  it('serves /_sim/ to loopback peers only and refuses to listen off loopback', async () => {
    expect(isLoopbackPeer('127.0.0.1')).toBe(true);
    expect(isLoopbackPeer('::1')).toBe(true);
    expect(isLoopbackPeer('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackPeer('192.168.1.20')).toBe(false);
    expect(isLoopbackPeer('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopbackPeer('')).toBe(false);
    await expect(startEmulator({ host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'EMULATOR_HOST_NOT_LOOPBACK' });
  });
});
