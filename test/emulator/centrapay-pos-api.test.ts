import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { rawRequest, sim, type TestResponse } from '../support/emulator/wallet-test-client.js';

/** The Centrapay and POS services on the wire: body shapes, /_sim/ endpoints, faults in each service's own error shape. */

const CP = { 'x-api-key': 'emulator-centrapay-key', 'content-type': 'application/json' };
const POS = { authorization: 'Bearer emulator-pos-token', 'content-type': 'application/json' };

let clock: FakeClock;
let emu: Emulator;

beforeEach(async () => {
  clock = new FakeClock({ wallMs: Date.UTC(2026, 10, 21, 12, 0, 0) });
  emu = await startEmulator({ port: 0, seed: 9, clock });
});
afterEach(async () => {
  await emu.stop();
});

const json = (r: TestResponse): Record<string, unknown> => r.json as Record<string, unknown>;

async function createPr(externalRef = 's1', amount = '250', currency = 'NZD'): Promise<Record<string, unknown>> {
  const res = await rawRequest(emu.url, 'POST', '/api/payment-requests', {
    headers: CP,
    body: JSON.stringify({ configId: 'mc_1', value: { amount, currency }, externalRef, expirySeconds: 60 }),
  });
  expect(res.status).toBe(200);
  return json(res);
}

describe('Centrapay service', () => {
  it('create answers 200 (never 201) with the documented fields', async () => {
    const pr = await createPr();
    expect(pr).toMatchObject({
      status: 'new',
      value: { amount: '250', currency: 'NZD' },
      paymentOptions: [{ assetType: 'centrapay.nzd.test', amount: '250' }],
      liveness: 'test',
      createdAt: '2026-11-21T12:00:00.000Z',
      expiresAt: '2026-11-21T12:01:00.000Z',
      expirySeconds: 60,
      externalRef: 's1',
    });
  });

  it('the merchant config accepts NZD by default; another currency is 403 NO_AVAILABLE_PAYMENT_OPTIONS until configured', async () => {
    const refused = await rawRequest(emu.url, 'POST', '/api/payment-requests', {
      headers: CP,
      body: JSON.stringify({ configId: 'mc_1', value: { amount: '250', currency: 'EUR' }, externalRef: 'eur' }),
    });
    expect([refused.status, json(refused)]).toEqual([403, { statusCode: 403, error: 'Forbidden', message: 'NO_AVAILABLE_PAYMENT_OPTIONS', reason: 'No payment options for EUR' }]);
    expect(emu.centrapay.list()).toEqual([]);
    expect(json(await sim(emu.url, 'GET', '/_sim/centrapay/merchant'))).toMatchObject({ acceptedCurrencies: ['NZD'] });
    expect(json(await sim(emu.url, 'POST', '/_sim/centrapay/merchant', { acceptedCurrencies: ['NZD', 'EUR'] }))).toMatchObject({ acceptedCurrencies: ['NZD', 'EUR'] });
    const eur = await createPr('eur', '250', 'EUR');
    expect(eur.paymentOptions).toEqual([{ assetType: 'centrapay.eur.test', amount: '250' }]);
    expect((await sim(emu.url, 'POST', '/_sim/centrapay/merchant', { acceptedCurrencies: ['eur'] })).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/centrapay/merchant', { acceptedCurrencies: [] })).status).toBe(400);
  });

  it('validation errors are 400 in {statusCode, error, message, reason}', async () => {
    for (const body of [{ value: { amount: '1', currency: 'EUR' } }, { configId: 'c', value: { amount: 1, currency: 'EUR' } }, { configId: 'c', value: { amount: '0', currency: 'EUR' } }, { configId: 'c', value: { amount: '100000000', currency: 'EUR' } }]) {
      const res = await rawRequest(emu.url, 'POST', '/api/payment-requests', { headers: CP, body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(json(res)).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'BAD_REQUEST' });
    }
    expect(emu.centrapay.list()).toEqual([]);
  });

  it('injected faults and unknown paths answer in the Centrapay shape', async () => {
    emu.faults.add({ kind: 'serverError', path: '/api/**', count: 1 });
    emu.faults.add({ kind: 'rateLimit', path: '/api/**', count: 1, retryAfterS: 4 });
    const failed = await rawRequest(emu.url, 'GET', '/api/payment-requests/x', { headers: CP });
    expect([failed.status, json(failed)]).toEqual([500, { statusCode: 500, error: 'Internal Server Error', message: 'INTERNAL_SERVER_ERROR', reason: 'Injected server error' }]);
    const limited = await rawRequest(emu.url, 'GET', '/api/payment-requests/x', { headers: CP });
    expect([limited.status, limited.headers['retry-after'], json(limited).message]).toEqual([429, '4', 'RATE_LIMIT_EXCEEDED']);
    const unknown = await rawRequest(emu.url, 'GET', '/api/nothing', { headers: CP });
    expect(json(unknown)).toMatchObject({ statusCode: 404, message: 'NOT_FOUND' });
    expect(emu.requests.list({ service: 'centrapay' }).map((r) => r.error)).toEqual(['INTERNAL_SERVER_ERROR', 'RATE_LIMIT_EXCEEDED', 'NOT_FOUND']);
  });

  it('/_sim/centrapay/pay by shortCode, decline with a reason, expire, list; state rules apply', async () => {
    const a = await createPr('a');
    const b = await createPr('b');
    const c = await createPr('c');
    expect(json(await sim(emu.url, 'POST', '/_sim/centrapay/pay', { shortCode: a.shortCode })).status).toBe('paid');
    const again = await sim(emu.url, 'POST', '/_sim/centrapay/pay', { id: a.id });
    expect([again.status, json(again).error]).toEqual([403, 'REQUEST_PAID']);
    expect(json(await sim(emu.url, 'POST', '/_sim/centrapay/decline', { id: b.id, reason: 'CANCELLED_BY_PATRON' }))).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_PATRON' });
    expect(json(await sim(emu.url, 'POST', '/_sim/centrapay/expire', { url: c.url })).status).toBe('expired');
    expect((await sim(emu.url, 'POST', '/_sim/centrapay/pay', { id: 'a', shortCode: 'b' })).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/centrapay/decline', { id: c.id, reason: 'BECAUSE' })).status).toBe(400);
    const list = json(await sim(emu.url, 'GET', '/_sim/centrapay/payment-requests')).items as { status: string }[];
    expect(list.map((p) => p.status)).toEqual(['paid', 'cancelled', 'expired']);
  });

  it('activities newest first, and /_sim/state and reset cover the service', async () => {
    const pr = await createPr();
    await sim(emu.url, 'POST', '/_sim/centrapay/pay', { id: pr.id });
    await rawRequest(emu.url, 'POST', `/api/payment-requests/${String(pr.id)}/void`, { headers: CP });
    const activities = await rawRequest(emu.url, 'GET', `/api/payment-requests/${String(pr.id)}/activities`, { headers: CP });
    expect((json(activities).items as { type: string }[]).map((a) => a.type)).toEqual(['refund', 'payment', 'request']);
    const state = json(await sim(emu.url, 'GET', '/_sim/state')).services as Record<string, { paymentRequests?: unknown[]; orders?: unknown[] }>;
    expect(state['centrapay']?.paymentRequests).toHaveLength(1);
    await sim(emu.url, 'POST', '/_sim/reset');
    expect(emu.centrapay.list()).toEqual([]);
  });
});

describe('POS service', () => {
  const order = (number: string | undefined, amount = '12.34') => ({
    ...(number === undefined ? {} : { number }),
    currency: 'EUR',
    orderPositions: [{ title: 'Sale', quantity: 1, unitPrice: { regular: Number(amount) }, measureUnit: 'unit' }],
    payments: [{ paymentMethod: 'bankTransfer', amount, advancePayment: 0 }],
  });
  const post = (body: unknown, headers: Record<string, string> = POS): Promise<TestResponse> => rawRequest(emu.url, 'POST', '/eapi/v1/orders', { headers, body: JSON.stringify(body) });

  it('201 with cents in the response; 409 on a duplicate number; 422 on business rules; auto-number when absent', async () => {
    const created = await post(order('N-1'));
    expect(created.status).toBe(201);
    expect(json(created)).toMatchObject({ number: 'N-1', status: 'completed', totalPrice: 1234, payments: [{ amount: 1234 }] });
    const dup = await post(order('N-1'));
    expect([dup.status, json(dup).error]).toEqual([409, 'conflict']);
    for (const bad of [{ ...order('N-2'), orderPositions: [] }, order('N-3', '1.234'), { ...order('N-4'), payments: [{ paymentMethod: 'x', amount: '99.00' }] }, { ...order('N-5'), currency: 'euro' }]) {
      const res = await post(bad);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(json(res).error).toBe('validation_error');
    }
    const auto = await post(order(undefined));
    expect(json(auto).number).toBe('EMU-000001');
    const unpaid = await post({ ...order('N-6'), payments: [] });
    expect(json(unpaid).status).toBe('waitingPayment');
    const cancelled = await rawRequest(emu.url, 'POST', `/eapi/v1/orders/${String(json(unpaid).id)}/cancel`, { headers: POS });
    expect(json(cancelled)).toEqual({ status: 'cancelled', message: 'Order cancelled' });
    const twice = await rawRequest(emu.url, 'POST', `/eapi/v1/orders/${String(json(unpaid).id)}/cancel`, { headers: POS });
    expect(twice.status).toBe(409);
    expect(emu.pos.allOrders().map((o) => o.number)).toEqual(['N-1', 'EMU-000001', 'N-6']);
  });

  it('lists: root-relative links, itemsTotal/pagesTotal, numbers[] and comma-joined numbers', async () => {
    for (let i = 1; i <= 5; i++) await post(order(`L-${i}`));
    const page2 = json(await rawRequest(emu.url, 'GET', '/eapi/v1/orders?pageSize=2&page=2', { headers: POS }));
    expect(page2).toMatchObject({ itemsTotal: 5, pagesTotal: 3 });
    expect((page2.data as { number: string }[]).map((o) => o.number)).toEqual(['L-3', 'L-4']);
    expect(page2.links).toEqual({
      first: '/eapi/v1/orders?pageSize=2&page=1',
      last: '/eapi/v1/orders?pageSize=2&page=3',
      self: '/eapi/v1/orders?pageSize=2&page=2',
      next: '/eapi/v1/orders?pageSize=2&page=3',
      prev: '/eapi/v1/orders?pageSize=2&page=1',
    });
    const byBracket = json(await rawRequest(emu.url, 'GET', '/eapi/v1/orders?numbers%5B%5D=L-2&numbers%5B%5D=L-5', { headers: POS }));
    expect((byBracket.data as { number: string }[]).map((o) => o.number)).toEqual(['L-2', 'L-5']);
    const byComma = json(await rawRequest(emu.url, 'GET', '/eapi/v1/orders?numbers=L-1,L-4', { headers: POS }));
    expect((byComma.data as { number: string }[]).map((o) => o.number)).toEqual(['L-1', 'L-4']);
    expect((await rawRequest(emu.url, 'GET', '/eapi/v1/orders?pageSize=101', { headers: POS })).status).toBe(400);
  });

  it('auth before routing: 401 for a missing or wrong token, unknown paths included', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'emulator-pos-token' }] as Record<string, string>[]) {
      const res = await rawRequest(emu.url, 'GET', '/eapi/v1/nothing', { headers });
      expect([res.status, json(res).error]).toEqual([401, 'unauthorized']);
    }
    expect((await rawRequest(emu.url, 'GET', '/eapi/v1/nothing', { headers: POS })).status).toBe(404);
  });

  it('429 with an HTTP-date Retry-After on the emulator clock', async () => {
    emu.faults.add({ kind: 'rateLimit', path: '/eapi/v1/**', count: 1, retryAfterS: 15, retryAfterFormat: 'date' });
    const res = await rawRequest(emu.url, 'GET', '/eapi/v1/orders', { headers: POS });
    expect([res.status, res.headers['retry-after']]).toEqual([429, 'Sat, 21 Nov 2026 12:00:15 GMT']);
  });

  it('/_sim/variations switches the envelope (and back with []); unknown names and fields are 400', async () => {
    expect(json(await sim(emu.url, 'POST', '/_sim/variations', { variations: ['pos-list-items'] }))).toEqual({ active: ['pos-list-items'] });
    expect(json(await rawRequest(emu.url, 'GET', '/eapi/v1/orders', { headers: POS }))).toMatchObject({ items: [] });
    expect((await sim(emu.url, 'POST', '/_sim/variations', { variations: ['pos-list-rows'] })).status).toBe(400);
    expect((await sim(emu.url, 'POST', '/_sim/variations', { other: 1 })).status).toBe(400);
    // A reset forgets the state, not the variations.
    await sim(emu.url, 'POST', '/_sim/reset');
    expect(emu.variations.list()).toEqual(['pos-list-items']);
    await sim(emu.url, 'POST', '/_sim/variations', { variations: [] });
    expect(json(await rawRequest(emu.url, 'GET', '/eapi/v1/orders', { headers: POS }))).toMatchObject({ data: [] });
  });
});
