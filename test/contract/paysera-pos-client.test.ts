import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CASH_REGISTER, DEFAULT_POS_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { PayseraPosClient, type PosClientOptions } from '../../src/gateways/paysera-pos/pos-client.js';
import { PosError } from '../../src/gateways/paysera-pos/pos-error.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { variationCases } from '../support/variation-cases.js';
import { rejectionOf } from '../support/rejection.js';

/**
 * The real Paysera POS eapi client against the emulator over loopback HTTP: orders recorded with
 * unique numbers (409 on a duplicate), lookup by number, pagination through root-relative links,
 * 429 with Retry-After as seconds and as an HTTP date, the lost create response ending with
 * exactly one order, and the cash register health check. Once as documented and once per POS
 * variation (list key, money form, create status, extra fields).
 */

describe.each(variationCases('paysera-pos'))('Paysera POS client, $label', (variation) => {
  let clock: FakeClock;
  let emu: Emulator;
  let client: PayseraPosClient;

  function options(overrides: Partial<PosClientOptions> = {}): PosClientOptions {
    return {
      baseUrl: emu.posUrl,
      token: DEFAULT_POS_TOKEN,
      cashRegisterNumber: DEFAULT_CASH_REGISTER,
      orderNumberPrefix: 'T1-',
      languageCode: 'lt',
      paymentMethod: { table: 'bankTransfer', code: 'bankTransfer', centrapay: 'card' },
      positionTitle: 'Counter sale',
      clock,
      headersTimeoutMs: 3000,
      ...overrides,
    };
  }

  beforeEach(async () => {
    // A wall clock on a whole second, so an HTTP-date Retry-After converts exactly.
    clock = new FakeClock({ wallMs: Date.UTC(2026, 10, 21, 12, 0, 0) });
    emu = await startEmulator({ port: 0, seed: 5, clock, variations: variation.variations });
    client = new PayseraPosClient(options());
    await client.start();
  });

  afterEach(async () => {
    await client.stop();
    await emu.stop();
  });

  const rejection = (promise: Promise<unknown>): Promise<PosError> => rejectionOf(promise, PosError);

  const sale = (saleId: string, amountMinor = 1299) => ({ saleId, amountMinor, currency: 'EUR', kind: 'table' as const, paidAt: '2026-11-21T11:59:30.250Z' });

  describe('orders', () => {
    it('records a paid sale: number = prefix + sale id, one position, one payment of the amount', async () => {
      const order = await client.createOrder(sale('sale_1'));
      expect(order).toMatchObject({ number: 'T1-sale_1', status: 'completed', currency: 'EUR', totalPriceMinor: 1299 });
      expect(order.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(order.payments).toEqual([{ paymentMethod: 'bankTransfer', amountMinor: 1299, status: 'completed' }]);
      const [stored] = emu.pos.allOrders();
      expect(stored?.positions).toMatchObject([{ title: 'Counter sale', quantity: 1, unitPriceCents: 1299, measureUnit: 'unit' }]);
      expect(stored?.createdAt).toBe('2026-11-21T11:59:30Z');
      expect(stored?.languageCode).toBe('lt');
      expect(emu.requests.list({ service: 'paysera-pos' })[0]).toMatchObject({ method: 'POST', path: '/eapi/v1/orders', status: variation.has('pos-create-200') ? 200 : 201 });
      expect(await client.getOrder(order.id)).toEqual(order);
    });

    it('amounts are exact decimals on the wire (no float drift)', async () => {
      for (const [i, minor] of [1, 10, 99, 100, 1005, 123456789, 29].entries()) {
        const order = await client.createOrder(sale(`sale_m${i}`, minor));
        expect(order.totalPriceMinor).toBe(minor);
      }
    });

    it('records the payment method of the sale kind: bankTransfer for Paysera sales, card for Centrapay', async () => {
      await client.createOrder(sale('sale_t'));
      await client.createOrder({ ...sale('sale_c'), kind: 'centrapay' });
      expect(emu.pos.allOrders().map((o) => [o.number, o.payments[0]?.paymentMethod])).toEqual([
        ['T1-sale_t', 'bankTransfer'],
        ['T1-sale_c', 'card'],
      ]);
    });

    it('a duplicate number is 409 conflict (final, not ambiguous); the lookup finds exactly one', async () => {
      await client.createOrder(sale('sale_dup'));
      expect(await rejection(client.createOrder(sale('sale_dup')))).toMatchObject({ code: 'conflict', status: 409, ambiguous: false, retryable: false });
      const found = await client.findOrdersForSale('sale_dup');
      expect(found.map((o) => o.number)).toEqual(['T1-sale_dup']);
      expect(emu.pos.allOrders()).toHaveLength(1);
    });

    it('the lookup sends numbers[] and returns nothing for a sale never recorded', async () => {
      await client.createOrder(sale('sale_a'));
      expect(await client.findOrdersForSale('sale_b')).toEqual([]);
      const last = emu.requests.list({ service: 'paysera-pos' }).at(-1);
      expect(last?.path).toBe('/eapi/v1/orders?numbers%5B%5D=T1-sale_b&pageSize=100');
    });

    it('422 validation_failed is distinct and final', async () => {
      const bad = new PayseraPosClient(options({ tax: { taxRate: 150, taxClassifier: 'PVM1' } }));
      await bad.start();
      try {
        expect(await rejection(bad.createOrder(sale('sale_422')))).toMatchObject({ code: 'validation_failed', status: 422, ambiguous: false, retryable: false });
      } finally {
        await bad.stop();
      }
      expect(emu.pos.allOrders()).toEqual([]);
    });

    it('sends the configured tax with the position', async () => {
      const taxed = new PayseraPosClient(options({ tax: { taxRate: 21, taxClassifier: 'PVM1' } }));
      await taxed.start();
      try {
        await taxed.createOrder(sale('sale_tax'));
      } finally {
        await taxed.stop();
      }
      expect(emu.pos.allOrders()[0]?.positions[0]?.tax).toEqual({ taxRate: 21, taxClassifier: 'PVM1' });
    });

    it('bad arguments are refused before sending', async () => {
      expect(await rejection(client.createOrder(sale('x', 0)))).toMatchObject({ code: 'invalid_argument', retryable: false, ambiguous: false });
      expect(await rejection(client.createOrder({ ...sale('x'), paidAt: 'yesterday' }))).toMatchObject({ code: 'invalid_argument' });
      expect(await rejection(client.findOrdersForSale(''))).toMatchObject({ code: 'invalid_argument' });
      expect(emu.requests.list({ service: 'paysera-pos' })).toEqual([]);
    });
  });

  describe('pagination', () => {
    it('follows links.next resolved against the origin, whichever the envelope key', async () => {
      // Not whole amounts: a whole amount written as a JSON number (1.00 -> 1) reads as cents in a list.
      for (let i = 0; i < 7; i++) await client.createOrder(sale(`sale_p${i}`, 101 + i));
      const orders = await client.listOrders({ pageSize: 2 });
      expect(orders.map((o) => o.totalPriceMinor)).toEqual([101, 102, 103, 104, 105, 106, 107]);
      const pages = emu.requests.list({ service: 'paysera-pos' }).filter((r) => r.method === 'GET');
      expect(pages.map((r) => r.path)).toEqual([
        '/eapi/v1/orders?pageSize=2',
        '/eapi/v1/orders?pageSize=2&page=2',
        '/eapi/v1/orders?pageSize=2&page=3',
        '/eapi/v1/orders?pageSize=2&page=4',
      ]);
    });

    it('keeps the filter on every page', async () => {
      for (let i = 0; i < 3; i++) await client.createOrder(sale(`sale_f${i}`));
      const orders = await client.listOrders({ numbers: ['T1-sale_f0', 'T1-sale_f2'], pageSize: 1 });
      expect(orders.map((o) => o.number)).toEqual(['T1-sale_f0', 'T1-sale_f2']);
    });
  });

  describe('errors and faults', () => {
    it('wrong token: 401 unauthorized, final', async () => {
      const wrong = new PayseraPosClient(options({ token: 'not-the-token' }));
      await wrong.start();
      try {
        expect(await rejection(wrong.cashRegisterStatus())).toMatchObject({ code: 'unauthorized', status: 401, retryable: false, apiError: 'unauthorized' });
        expect(await rejection(wrong.createOrder(sale('sale_auth')))).toMatchObject({ code: 'unauthorized', ambiguous: false });
      } finally {
        await wrong.stop();
      }
      expect(emu.pos.allOrders()).toEqual([]);
    });

    it('429 with Retry-After in seconds; a burst of three, then through', async () => {
      emu.faults.add({ kind: 'rateLimit', path: '/eapi/v1/**', count: 3, retryAfterS: 9 });
      for (let i = 0; i < 3; i++) {
        expect(await rejection(client.cashRegisterStatus())).toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryable: true, ambiguous: false, retryAfterMs: 9000 });
      }
      expect((await client.cashRegisterStatus()).status).toBe('online');
    });

    it('429 with Retry-After as an HTTP date', async () => {
      emu.faults.add({ kind: 'rateLimit', path: '/eapi/v1/orders', count: 1, retryAfterS: 30, retryAfterFormat: 'date' });
      const error = await rejection(client.createOrder(sale('sale_date')));
      expect(error).toMatchObject({ code: 'rate_limit_exceeded', retryAfterMs: 30_000, ambiguous: false });
      const raw = emu.requests.list({ service: 'paysera-pos' })[0];
      expect(raw?.status).toBe(429);
      expect(emu.pos.allOrders()).toEqual([]);
    });

    it('Retry-After is clamped to 1..120 s', async () => {
      emu.faults.add({ kind: 'rateLimit', count: 1, retryAfterS: 86_400 });
      emu.faults.add({ kind: 'rateLimit', count: 1, retryAfterS: 0 });
      expect((await rejection(client.cashRegisterStatus())).retryAfterMs).toBe(120_000);
      expect((await rejection(client.cashRegisterStatus())).retryAfterMs).toBe(1000);
    });

    it('apply-then-drop on create: ambiguous; lookup by number finds exactly one; a re-POST would be 409', async () => {
      emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/eapi/v1/orders', count: 1 });
      expect(await rejection(client.createOrder(sale('sale_drop')))).toMatchObject({ code: 'connection_reset', ambiguous: true, retryable: true });
      const found = await client.findOrdersForSale('sale_drop');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ number: 'T1-sale_drop', totalPriceMinor: 1299 });
      expect(await rejection(client.createOrder(sale('sale_drop')))).toMatchObject({ code: 'conflict' });
      expect(emu.pos.allOrders()).toHaveLength(1);
    });

    it('a 5xx on create is ambiguous; on a read it is not', async () => {
      emu.faults.add({ kind: 'serverError', method: 'POST', count: 1 });
      expect(await rejection(client.createOrder(sale('sale_500')))).toMatchObject({ code: 'server_error', status: 500, ambiguous: true, retryable: true });
      emu.faults.add({ kind: 'serverError', method: 'GET', count: 1, status: 502 });
      expect(await rejection(client.findOrdersForSale('sale_500'))).toMatchObject({ code: 'server_error', status: 502, ambiguous: false });
      expect(await client.findOrdersForSale('sale_500')).toEqual([]);
    });

    it('an unknown order is not_found', async () => {
      expect(await rejection(client.getOrder('00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 'not_found', status: 404, retryable: false });
    });

    it('connection refused: connect_failed, not ambiguous', async () => {
      emu.faults.add({ kind: 'refuse', durationMs: 60_000 });
      expect(await rejection(client.createOrder(sale('sale_refused')))).toMatchObject({ code: 'connect_failed', ambiguous: false, retryable: true });
    });
  });

  describe('cash register status (health check)', () => {
    it('reads the configured register; offline and closed fiscal day are reported as data', async () => {
      expect(await client.cashRegisterStatus()).toMatchObject({ number: '123', status: 'online', fiscalDayStarted: true, fiscalDayNumber: 1, currency: 'EUR' });
      const res = await fetch(`${emu.url}/_sim/pos/cash-registers/123`, { method: 'POST', body: JSON.stringify({ status: 'offline', fiscalDayStarted: false }) });
      expect(res.status).toBe(200);
      expect(await client.cashRegisterStatus()).toMatchObject({ status: 'offline', fiscalDayStarted: false });
    });

    it('an unknown register is not_found', async () => {
      const other = new PayseraPosClient(options({ cashRegisterNumber: '999' }));
      await other.start();
      try {
        expect(await rejection(other.cashRegisterStatus())).toMatchObject({ code: 'not_found', status: 404 });
      } finally {
        await other.stop();
      }
    });
  });
});
