import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CENTRAPAY_API_KEY, DEFAULT_MERCHANT_ACCOUNT_ID, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { CentrapayClient, type CentrapayClientOptions } from '../../src/gateways/centrapay/centrapay-client.js';
import { CentrapayError } from '../../src/gateways/centrapay/centrapay-error.js';
import type { PaymentRequest } from '../../src/gateways/centrapay/centrapay-types.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';
import { rejectionOf } from '../support/rejection.js';

/**
 * The real Centrapay client against the emulator over loopback HTTP: every call, the documented
 * error body mapped to stable codes, 429, expiry on the emulator's clock, void of unpaid and paid
 * requests, and the lost create response (apply-then-drop) found again by externalRef. Once as
 * documented and once per Centrapay variation (lookup shape, extra fields). Amounts are NZD, the
 * currency of every Centrapay example and of the emulator's default merchant config.
 */

describe.each(variationCases('centrapay'))('Centrapay client, $label', (variation) => {
  let clock: FakeClock;
  let emu: Emulator;
  let client: CentrapayClient;

  function options(overrides: Partial<CentrapayClientOptions> = {}): CentrapayClientOptions {
    return {
      baseUrl: emu.centrapayUrl,
      apiKey: DEFAULT_CENTRAPAY_API_KEY,
      configId: 'mc_emulator',
      merchantAccountId: DEFAULT_MERCHANT_ACCOUNT_ID,
      terminalId: 'counter-1',
      deviceId: 'pi-1',
      expirySeconds: 85,
      clock,
      // Under `create-answered-late` every create ends in this timeout; kept short so the suite stays quick.
      headersTimeoutMs: variation.has('create-answered-late') ? 800 : 3000,
      ...overrides,
    };
  }

  beforeEach(async () => {
    clock = new FakeClock();
    emu = await startEmulator({ port: 0, seed: 11, clock, variations: variation.variations });
    client = new CentrapayClient(options());
    await client.start();
  });

  afterEach(async () => {
    await client.stop();
    await emu.stop();
  });

  const rejection = (promise: Promise<unknown>): Promise<CentrapayError> => rejectionOf(promise, CentrapayError);

  const sale = (externalRef: string, amountMinor = 1299) => ({ externalRef, amountMinor, currency: 'NZD' });

  /**
   * A create as the terminal sees it: answered, or, under `create-answered-late`, a timeout that
   * says it may have been applied (ambiguous), after which the lookup by externalRef finds it.
   */
  async function create(input: Parameters<CentrapayClient['createPaymentRequest']>[0]): Promise<PaymentRequest> {
    if (!variation.has('create-answered-late')) return client.createPaymentRequest(input);
    expect(await rejection(client.createPaymentRequest(input))).toMatchObject({ code: 'request_timeout', ambiguous: true, retryable: true });
    const found = await client.findByExternalRef(input.externalRef);
    const newest = found.at(-1);
    if (newest === undefined) throw new Error(`no request found for ${input.externalRef}`);
    return newest;
  }

  describe('payment requests', () => {
    it('create sends configId, value as a string of minor units, expiry, externalRef, terminal and device; get reads it back', async () => {
      const created = await create(sale('sale_1'));
      expect(created).toMatchObject({
        status: 'new',
        value: { amount: '1299', currency: 'NZD' },
        externalRef: 'sale_1',
        terminalId: 'counter-1',
        deviceId: 'pi-1',
        configId: 'mc_emulator',
        expirySeconds: 85,
      });
      expect(created.url).toBe(`https://app.centrapay.com/pay/${created.id}`);
      expect(created.shortCode).toMatch(/^CP-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
      expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(85_000);
      expect(created.createdAt).toBe(new Date(clock.wallMs()).toISOString());

      const read = await client.getPaymentRequest(created.id);
      expect(read).toEqual(created);
      const [log] = emu.requests.list({ service: 'centrapay' });
      // A held create is logged when it is answered, which a client that gave up never sees.
      if (variation.has('create-answered-late')) expect(emu.centrapay.list()).toHaveLength(1);
      else expect(log).toMatchObject({ method: 'POST', path: '/api/payment-requests', status: 200 });
    });

    it('paid by the customer: status paid with what was paid with', async () => {
      const created = await create(sale('sale_2'));
      emu.centrapay.pay(created.id);
      const paid = await client.getPaymentRequest(created.id);
      expect(paid.status).toBe('paid');
      expect(paid.paidBy?.assetTotals[0]).toMatchObject({ type: 'centrapay.nzd.test', total: { amount: '1299', currency: 'NZD' } });
    });

    it('declined through /_sim/centrapay/decline by the printed url: cancelled with the reason', async () => {
      const created = await create(sale('sale_3'));
      const res = await fetch(`${emu.url}/_sim/centrapay/decline`, { method: 'POST', body: JSON.stringify({ url: created.url }) });
      expect(res.status).toBe(200);
      const read = await client.getPaymentRequest(created.id);
      expect(read).toMatchObject({ status: 'cancelled', cancellationReason: 'PAYMENT_DECLINED' });
    });

    it('expires on the emulator clock at expiresAt, not before; then paying and voiding are refused', async () => {
      const created = await create({ ...sale('sale_4'), expirySeconds: 30 });
      await clock.advance(29_999);
      expect((await client.getPaymentRequest(created.id)).status).toBe('new');
      await clock.advance(1);
      const expired = await client.getPaymentRequest(created.id);
      expect(expired.status).toBe('expired');
      expect(expired.updatedAt).toBe(expired.expiresAt);
      expect(() => emu.centrapay.pay(created.id)).toThrow(expect.objectContaining({ code: 'REQUEST_EXPIRED', status: 403 }) as Error);
      expect(await rejection(client.voidPaymentRequest(created.id))).toMatchObject({ code: 'request_expired', status: 403, retryable: false, ambiguous: false });
    });

    it('void of an unpaid request cancels it (CANCELLED_BY_MERCHANT); a second void is request_cancelled', async () => {
      const created = await create(sale('sale_5'));
      const activity = await client.voidPaymentRequest(created.id);
      expect(activity).toMatchObject({ type: 'cancellation', paymentRequestId: created.id, value: { amount: '1299', currency: 'NZD' } });
      expect(await client.getPaymentRequest(created.id)).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' });
      expect(await rejection(client.voidPaymentRequest(created.id))).toMatchObject({ code: 'request_cancelled', status: 403 });
      expect(() => emu.centrapay.pay(created.id)).toThrow(expect.objectContaining({ code: 'REQUEST_CANCELLED' }) as Error);
    });

    it('void of a paid request refunds it (status stays paid); a second void is already_refunded', async () => {
      const created = await create(sale('sale_6', 500));
      emu.centrapay.pay(created.id);
      const activity = await client.voidPaymentRequest(created.id);
      expect(activity).toMatchObject({ type: 'refund', value: { amount: '500' } });
      expect((await client.getPaymentRequest(created.id)).status).toBe('paid');
      expect(emu.centrapay.get(created.id).refunded).toBe(true);
      expect(await rejection(client.voidPaymentRequest(created.id))).toMatchObject({ code: 'already_refunded', status: 403, retryable: false });
    });

    it('a paid request cannot be voided after 24 hours', async () => {
      const created = await create(sale('sale_7'));
      emu.centrapay.pay(created.id);
      await clock.advance(24 * 3600 * 1000 + 1);
      expect(await rejection(client.voidPaymentRequest(created.id))).toMatchObject({ code: 'void_window_exceeded', status: 403 });
    });

    it('find by externalRef follows pageKey to the end and returns only that ref', async () => {
      // Made in the emulator directly: this is about the lookup's pages, not the create.
      const made = (externalRef: string, amount: number): unknown => emu.centrapay.create({ configId: 'mc_emulator', value: { amount: String(amount), currency: 'NZD' }, externalRef });
      for (let i = 0; i < 12; i++) made('sale_many', 100 + i);
      made('sale_other', 1299);
      const found = await client.findByExternalRef('sale_many');
      expect(found).toHaveLength(12);
      expect(found.map((p) => p.value.amount)).toEqual(Array.from({ length: 12 }, (_, i) => String(100 + i)));
      const lookups = emu.requests.list({ service: 'centrapay' }).filter((r) => r.path.includes('/external-ref/'));
      expect(lookups).toHaveLength(2);
      expect(lookups[0]?.path).toBe(`/api/payment-requests/external-ref/sale_many?merchantAccountId=${DEFAULT_MERCHANT_ACCOUNT_ID}`);
      expect(lookups[1]?.path).toContain('&pageKey=');
      expect(await client.findByExternalRef('sale_none')).toEqual([]);
    });

    it('find by externalRef under another merchant account is forbidden', async () => {
      const other = new CentrapayClient(options({ merchantAccountId: 'someone-else' }));
      await other.start();
      try {
        expect(await rejection(other.findByExternalRef('sale_1'))).toMatchObject({ code: 'forbidden', status: 403, retryable: false });
      } finally {
        await other.stop();
      }
    });

    it('an unknown id is not_found; bad arguments are refused before sending', async () => {
      expect(await rejection(client.getPaymentRequest('nope'))).toMatchObject({ code: 'not_found', status: 404, retryable: false });
      expect(await rejection(client.createPaymentRequest(sale('x', 0)))).toMatchObject({ code: 'invalid_argument', ambiguous: false, retryable: false });
      expect(await rejection(client.createPaymentRequest({ ...sale('x'), currency: 'nzd' }))).toMatchObject({ code: 'invalid_argument' });
      expect(await rejection(client.createPaymentRequest(sale('x', 1.5)))).toMatchObject({ code: 'invalid_argument' });
      expect(emu.requests.list({ service: 'centrapay' }).filter((r) => r.method === 'POST')).toEqual([]);
    });
  });

  describe('merchant currencies', () => {
    it('a currency the merchant config does not accept is 403 no_available_payment_options, final, nothing created', async () => {
      const error = await rejection(client.createPaymentRequest({ ...sale('sale_eur'), currency: 'EUR' }));
      expect(error).toMatchObject({ code: 'no_available_payment_options', status: 403, retryable: false, ambiguous: false });
      expect(emu.centrapay.list()).toEqual([]);
      emu.centrapay.setAcceptedCurrencies(['NZD', 'EUR']);
      expect((await create({ ...sale('sale_eur'), currency: 'EUR' })).value).toEqual({ amount: '1299', currency: 'EUR' });
    });
  });

  describe('errors and faults', () => {
    it('wrong key: 401 in the documented body shape, unauthorized, final', async () => {
      const wrong = new CentrapayClient(options({ apiKey: 'not-the-key' }));
      await wrong.start();
      try {
        expect(await rejection(wrong.createPaymentRequest(sale('sale_auth')))).toMatchObject({ code: 'unauthorized', status: 401, retryable: false, ambiguous: false });
      } finally {
        await wrong.stop();
      }
      const raw = await fetch(`${emu.url}/api/payment-requests/anything`);
      expect(raw.status).toBe(401);
      expect(await raw.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'UNAUTHORIZED', reason: 'Missing authentication' });
      expect(emu.centrapay.list()).toEqual([]);
    });

    it('429 RATE_LIMIT_EXCEEDED with Retry-After in seconds', async () => {
      emu.faults.add({ kind: 'rateLimit', path: '/api/payment-requests/*', count: 1, retryAfterS: 7 });
      const created = await create(sale('sale_429'));
      const error = await rejection(client.getPaymentRequest(created.id));
      expect(error).toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryable: true, ambiguous: false, retryAfterMs: 7000, apiMessage: 'RATE_LIMIT_EXCEEDED' });
      expect((await client.getPaymentRequest(created.id)).status).toBe('new');
    });

    it('a 5xx on create is ambiguous (and, injected before handling, applied nothing); on a read it is not', async () => {
      emu.faults.add({ kind: 'serverError', method: 'POST', path: '/api/payment-requests', count: 1, status: 503 });
      expect(await rejection(client.createPaymentRequest(sale('sale_5xx')))).toMatchObject({ code: 'server_error', status: 503, ambiguous: true, retryable: true });
      expect(await client.findByExternalRef('sale_5xx')).toEqual([]);
      emu.faults.add({ kind: 'serverError', method: 'GET', count: 1 });
      expect(await rejection(client.findByExternalRef('sale_5xx'))).toMatchObject({ code: 'server_error', ambiguous: false, retryable: true });
    });

    it('apply-then-drop on create: ambiguous, and the lookup by externalRef finds exactly one live request', async () => {
      emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/api/payment-requests', count: 1 });
      // Under `create-answered-late` the answer is held until the client gives up: a timeout, just as ambiguous.
      const lost = variation.has('create-answered-late') ? 'request_timeout' : 'connection_reset';
      expect(await rejection(client.createPaymentRequest(sale('sale_drop')))).toMatchObject({ code: lost, ambiguous: true, retryable: true });
      const found = await client.findByExternalRef('sale_drop');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ status: 'new', externalRef: 'sale_drop', value: { amount: '1299' } });
      if (!variation.has('create-answered-late')) expect(emu.requests.list({ service: 'centrapay' })[0]).toMatchObject({ outcome: 'dropped', applied: true });
    });

    it('apply-then-drop on void: ambiguous; reading shows it cancelled', async () => {
      const created = await create(sale('sale_void_drop'));
      emu.faults.add({ kind: 'applyThenDrop', path: '/api/payment-requests/*/void', count: 1 });
      expect(await rejection(client.voidPaymentRequest(created.id))).toMatchObject({ ambiguous: true });
      expect((await client.getPaymentRequest(created.id)).status).toBe('cancelled');
    });

    it('connection refused: connect_failed, never ambiguous, even for a create', async () => {
      emu.faults.add({ kind: 'refuse', durationMs: 60_000 });
      expect(await rejection(client.createPaymentRequest(sale('sale_refused')))).toMatchObject({ code: 'connect_failed', ambiguous: false, retryable: true });
      expect(emu.centrapay.list()).toEqual([]);
    });

    it('no answer in time after the create was applied: request_timeout, ambiguous', async () => {
      const slow = new CentrapayClient(options({ headersTimeoutMs: 200 }));
      await slow.start();
      try {
        emu.faults.add({ kind: 'latency', method: 'POST', latencyMs: 1000, when: 'after', count: 1 });
        let gaveUp = false;
        const pending = rejection(slow.createPaymentRequest(sale('sale_slow'))).finally(() => (gaveUp = true));
        // The emulator's latency runs on the fake clock: the answer is held until the client has
        // given up by itself, then released.
        await waitFor(() => gaveUp, 'the client to give up');
        await clock.advance(1000);
        expect(await pending).toMatchObject({ code: 'request_timeout', ambiguous: true, retryable: true });
        expect(await client.findByExternalRef('sale_slow')).toHaveLength(1);
      } finally {
        await slow.stop();
      }
    });
  });
});
