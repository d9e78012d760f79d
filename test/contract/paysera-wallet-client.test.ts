import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { PayseraWalletClient } from '../../src/gateways/paysera-wallet/wallet-client.js';
import { WalletError } from '../../src/gateways/paysera-wallet/wallet-error.js';
import type { Transaction } from '../../src/gateways/paysera-wallet/wallet-types.js';
import { SystemClock } from '../../src/platform/clock.js';
import { recordingLogger } from '../support/recording-logger.js';
import { variationCases } from '../support/variation-cases.js';
import { rejectionOf } from '../support/rejection.js';

/**
 * The real client against the emulator over loopback HTTP: every merchant call a terminal makes,
 * the documented errors, pagination, and the faults that matter for money. Once as documented and
 * once per Wallet variation (spot status and location, undocumented statuses, extra fields, the
 * reserve field); where a variation changes what the client reports, the expectation says so.
 */

const EXAMPLE = { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU' };

const rejection = (promise: Promise<unknown>): Promise<WalletError> => rejectionOf(promise, WalletError);

const tx = (price: number, sale: string) => ({
  payments: [{ description: `Sale ${sale}`, price, currency: 'EUR', parameters: { sale_id: sale } }],
  callbackUri: false as const,
});

describe.each(variationCases('paysera-wallet'))('Paysera Wallet client, $label', (variation) => {
  let emu: Emulator;
  let client: PayseraWalletClient;
  let warnings: unknown[];
  /** The reserve field the terminal is configured with to match the emulator. */
  const reservationCodeField = variation.has('reservation-code-field-code') ? 'code' : 'reservation_code';
  /** Transactions other than the variation's undocumented one. */
  const documented = (txs: Transaction[]): Transaction[] => txs.filter((t) => t.status !== 'unknown');

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: 7, variations: variation.variations });
    warnings = [];
    client = new PayseraWalletClient({ baseUrl: emu.url, ...EXAMPLE, clock: new SystemClock(), headersTimeoutMs: 3000, reservationCodeField, logger: recordingLogger(warnings) });
    await client.start();
  });

  afterEach(async () => {
    await client.stop();
    await emu.stop();
  });

  describe('spots and orders', () => {
    it('table flow: waiting spot, order with the transaction inside, reserved by the customer, confirmed, closed', async () => {
      const checkedIn = emu.wallet.checkInByCode('PAYSERA*3:TABLE1');
      const waiting = await client.listSpots({ status: 'waiting', locationId: 3 });
      expect(waiting.map((s) => [s.id, s.identifier?.toLowerCase(), s.status, s.locationId])).toEqual([[checkedIn.id, 'table1', 'waiting', variation.has('spots-without-location') ? undefined : 3]]);

      const order = await client.createOrder(checkedIn.id, { transaction: tx(1299, 's_1') });
      expect(order.status).toBe('pending');
      expect((await client.getSpot(checkedIn.id)).status).toBe('opened');

      const created = await client.getTransaction(order.transactionKey);
      expect(created.status).toBe('new');
      expect(created.payments[0]).toMatchObject({ price: 1299, currency: 'EUR', parameters: { sale_id: 's_1' } });

      emu.wallet.customerReserve(order.transactionKey);
      const reserved = await client.listTransactions({ statuses: ['reserved'] });
      expect(documented(reserved).map((t) => t.key)).toEqual([order.transactionKey]);
      expect((await client.getOrder(order.id)).status).toBe('reserved');

      const confirmed = await client.confirmTransaction(order.transactionKey);
      expect(confirmed.status).toBe('confirmed');
      expect((await client.getOrder(order.id)).status).toBe('confirmed');

      const closed = await client.closeSpot(checkedIn.id);
      expect(closed.status).toBe('closed');
      expect(await client.listSpots({ status: 'waiting' })).toEqual([]);
    });

    it('closing a spot closes its pending order', async () => {
      const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE2');
      const order = await client.createOrder(spot.id, { transaction: tx(500, 's_2') });
      await client.closeSpot(spot.id);
      expect((await client.getOrder(order.id)).status).toBe('closed');
    });

    it('order by transaction key; edit; delete', async () => {
      const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE3');
      const first = await client.createTransaction(tx(100, 's_3'));
      const second = await client.createTransaction(tx(200, 's_3b'));
      const order = await client.createOrder(spot.id, { transactionKey: first.key });
      expect(order.transactionKey).toBe(first.key);
      const edited = await client.editOrder(order.id, { transactionKey: second.key });
      expect(edited.transactionKey).toBe(second.key);
      const deleted = await client.deleteOrder(order.id);
      expect(deleted.id).toBe(order.id);
      expect(await rejection(client.getOrder(order.id))).toMatchObject({ code: 'not_found', status: 404, retryable: false });
    });

    it('follows pagination to the end over more than three pages', async () => {
      for (let i = 1; i <= 11; i++) emu.wallet.checkInByCode(`PAYSERA*3:TABLE${i}`, `customer-${i}`);
      const spots = await client.listSpots({ status: 'waiting', pageSize: 3 });
      expect(spots).toHaveLength(11);
      expect(new Set(spots.map((s) => s.id)).size).toBe(11);
      const pages = emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.startsWith('/rest/v1/spots'));
      expect(pages.map((r) => r.path)).toEqual([0, 3, 6, 9].map((o) => `/rest/v1/spots?status=waiting&limit=3&offset=${o}`));
    });

    it('asks for one location; a spot of another comes back only where the server ignores the filter, and then says whose it is', async () => {
      const ours = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'a');
      const theirs = emu.wallet.checkInByCode('PAYSERA*99:TABLE1', 'b');
      const spots = await client.listSpots({ status: 'waiting', locationId: 3 });
      expect(emu.requests.list({ service: 'paysera-wallet' }).at(-1)?.path).toBe('/rest/v1/spots?status=waiting&location_id=3&limit=100&offset=0');
      if (variation.has('spots-location-filter-ignored')) expect(spots.map((s) => [s.id, s.locationId])).toEqual([[ours.id, 3], [theirs.id, 99]]);
      else expect(spots.map((s) => s.id)).toEqual([ours.id]);
    });

    it('a spot in a status no document lists is left out of the list with one warning, the rest kept', async () => {
      const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE1');
      for (let poll = 0; poll < 3; poll++) expect((await client.listSpots({ status: 'waiting', locationId: 3 })).map((s) => s.id)).toEqual([spot.id]);
      const leftOut = warnings.filter((w) => JSON.stringify(w).includes('"problem":"unknown spot status'));
      expect(leftOut).toHaveLength(variation.has('unknown-statuses') ? 1 : 0);
    });
  });

  describe('transactions and reservation codes', () => {
    it('code sale: create, reserve by code, confirm', async () => {
      const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
      const created = await client.createTransaction(tx(1299, 's_4'));
      const reserved = await client.reserveTransaction(created.key, code);
      expect(reserved.status).toBe('reserved');
      expect(emu.requests.list({ service: 'paysera-wallet' }).at(-1)).toMatchObject({ path: `/rest/v1/transaction/${created.key}/reserve`, status: 200 });
      expect((await client.confirmTransaction(created.key)).status).toBe('confirmed');
      expect(emu.wallet.snapshot().transactions.find((t) => t.transaction_key === created.key)?.status).toBe('confirmed');
    });

    it('declined code: not_enough_funds, final, and a used code is refused', async () => {
      const { code } = emu.wallet.issueReservationCode({ balance: 1000 });
      const big = await client.createTransaction(tx(1299, 's_5'));
      expect(await rejection(client.reserveTransaction(big.key, code))).toMatchObject({ code: 'not_enough_funds', status: 400, retryable: false, ambiguous: false });
      const small = await client.createTransaction(tx(999, 's_6'));
      expect((await client.reserveTransaction(small.key, code)).status).toBe('reserved');
      const other = await client.createTransaction(tx(1, 's_7'));
      expect(await rejection(client.reserveTransaction(other.key, code))).toMatchObject({ code: 'invalid_parameters', status: 400 });
    });

    it('the reserve field the server does not take is invalid_parameters naming the field (a configuration problem, not a decline)', async () => {
      const wrongField = reservationCodeField === 'code' ? 'reservation_code' : 'code';
      const misconfigured = new PayseraWalletClient({ baseUrl: emu.url, ...EXAMPLE, clock: new SystemClock(), reservationCodeField: wrongField });
      await misconfigured.start();
      try {
        const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
        const created = await client.createTransaction(tx(100, 's_field'));
        const error = await rejection(misconfigured.reserveTransaction(created.key, code));
        expect(error).toMatchObject({ code: 'invalid_parameters', status: 400, retryable: false });
        expect(error.fields).toContain(reservationCodeField);
        expect(emu.wallet.getTransaction(created.key).status).toBe('new');
      } finally {
        await misconfigured.stop();
      }
    });

    it('a transaction in a status no document lists reads as unknown, with the raw status kept', async () => {
      const created = await client.createTransaction(tx(100, 's_hold'));
      emu.wallet.hold(created.key);
      expect(await client.getTransaction(created.key)).toMatchObject({ status: 'unknown', rawStatus: 'on_hold', payments: [{ price: 100 }] });
    });

    it('confirm can lower a price', async () => {
      const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
      const created = await client.createTransaction(tx(1000, 's_8'));
      await client.reserveTransaction(created.key, code);
      const paymentId = created.payments[0]?.id ?? -1;
      const confirmed = await client.confirmTransaction(created.key, new Map([[paymentId, { price: 800, currency: 'EUR' }]]));
      expect(confirmed.payments[0]?.price).toBe(800);
    });

    it('revoke a reserved transaction; a new one is deleted', async () => {
      const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
      const a = await client.createTransaction(tx(100, 's_9'));
      await client.reserveTransaction(a.key, code);
      expect((await client.revokeTransaction(a.key)).status).toBe('revoked');
      const b = await client.createTransaction(tx(100, 's_10'));
      expect((await client.revokeTransaction(b.key)).status).toBe('deleted');
    });

    it('409 invalid_state on an illegal transition', async () => {
      const created = await client.createTransaction(tx(100, 's_11'));
      expect(await rejection(client.confirmTransaction(created.key))).toMatchObject({ code: 'invalid_state', status: 409, retryable: false, ambiguous: false });
    });

    it('transactions by status, all pages', async () => {
      for (let i = 0; i < 7; i++) {
        const t = await client.createTransaction(tx(100 + i, `s_l${i}`));
        emu.wallet.customerReserve(t.key);
      }
      await client.createTransaction(tx(1, 's_new'));
      const reserved = await client.listTransactions({ statuses: ['reserved', 'confirmed'], pageSize: 2 });
      expect(documented(reserved)).toHaveLength(7);
      expect(documented(reserved).every((t) => t.status === 'reserved')).toBe(true);
      // A transaction in an undocumented status is kept (it might be ours), marked unknown.
      expect(reserved.filter((t) => t.status === 'unknown').map((t) => t.rawStatus)).toEqual(variation.has('unknown-statuses') ? ['on_hold'] : []);
      // The documented waiting_* statuses are valid filters; the emulator never produces them.
      expect(documented(await client.listTransactions({ statuses: ['waiting_funds', 'waiting_password'] }))).toEqual([]);
    });

    it('server time', async () => {
      const time = await client.serverTime();
      expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(5);
      expect(client.timeSynced).toBe(true);
    });
  });

  describe('faults', () => {
    it('429 carries the parsed Retry-After', async () => {
      emu.faults.add({ kind: 'rateLimit', path: '/rest/v1/spots', count: 1, retryAfterS: 12 });
      expect(await rejection(client.listSpots({ status: 'waiting' }))).toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryable: true, retryAfterMs: 12_000 });
      expect(await client.listSpots({ status: 'waiting' })).toEqual([]);
    });

    it('apply-then-drop on confirm: reported as ambiguous, and the confirm did apply', async () => {
      const { code } = emu.wallet.issueReservationCode({ balance: 5000 });
      const created = await client.createTransaction(tx(700, 's_12'));
      await client.reserveTransaction(created.key, code);
      emu.faults.add({ kind: 'applyThenDrop', method: 'PUT', path: '/rest/v1/transaction/*/confirm', count: 1 });
      expect(await rejection(client.confirmTransaction(created.key))).toMatchObject({ code: 'connection_reset', ambiguous: true, retryable: true });
      expect((await client.getTransaction(created.key)).status).toBe('confirmed');
    });

    it('a write answered with a truncated body: ambiguous, and the create did apply', async () => {
      emu.faults.add({ kind: 'truncate', method: 'POST', path: '/rest/v1/transaction', count: 1 });
      const error = await rejection(client.createTransaction(tx(300, 's_14')));
      expect(error).toMatchObject({ ambiguous: true, retryable: true });
      expect(emu.wallet.snapshot().transactions).toHaveLength(1);
    });

    it('a 500 before apply on a write is ambiguous to the client and applied nothing', async () => {
      const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE5');
      emu.faults.add({ kind: 'serverError', method: 'POST', path: '/rest/v1/spot/*/order', count: 1 });
      expect(await rejection(client.createOrder(spot.id, { transaction: tx(100, 's_13') }))).toMatchObject({ status: 500, ambiguous: true });
      expect(emu.wallet.snapshot().orders).toHaveLength(0);
    });

    it('invalid_timestamp with the emulator clock 10 minutes off: re-syncs, re-signs, succeeds', async () => {
      emu.faults.setClockSkewSeconds(600);
      const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE6');
      const closed = await client.closeSpot(spot.id);
      expect(closed.status).toBe('closed');
      const log = emu.requests.list({ service: 'paysera-wallet' }).map((r) => [r.method, r.path, r.status, r.error]);
      expect(log).toEqual([
        ['PUT', `/rest/v1/spot/${spot.id}/close`, 401, 'invalid_timestamp'],
        ['GET', '/rest/v1/server', 200, undefined],
        ['PUT', `/rest/v1/spot/${spot.id}/close`, 200, undefined],
      ]);
      expect(client.systemSkewMs).toBeLessThan(-590_000);
      // Later requests use the offset straight away: no more invalid_timestamp.
      await client.getSpot(spot.id);
      expect(emu.requests.list({ service: 'paysera-wallet' })).toHaveLength(4);
    });

    it('wrong key: 401 unauthorized, not retryable', async () => {
      const wrong = new PayseraWalletClient({ baseUrl: emu.url, macId: EXAMPLE.macId, macKey: 'not-the-key', clock: new SystemClock() });
      await wrong.start();
      try {
        expect(await rejection(wrong.getSpot(1))).toMatchObject({ code: 'unauthorized', status: 401, retryable: false });
      } finally {
        await wrong.stop();
      }
    });

    it('a baseUrl path prefix is signed and sent', async () => {
      const prefixed = new PayseraWalletClient({ baseUrl: `${emu.url}/`, ...EXAMPLE, clock: new SystemClock() });
      await prefixed.start();
      try {
        expect(await prefixed.listSpots({ status: 'waiting' })).toEqual([]);
      } finally {
        await prefixed.stop();
      }
    });
  });
});
