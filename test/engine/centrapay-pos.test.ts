import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OP_KINDS } from '../../src/domain/operation-kind.js';
import { EngineError } from '../../src/engine/engine-error.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import type { SaleRecord } from '../../src/store/types.js';
import { startHarness, type Harness } from '../support/engine-harness.js';
import { variationCases } from '../support/variation-cases.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Centrapay sales and the POS back-office sync through the real engine, store and clients against
 * the emulator over loopback: paid (slip with the exact url, then the receipt), declined, expired
 * by Centrapay, the terminal's own deadline, a staff cancel (void), a lost create response ending
 * with exactly one live request, a restart while waiting, POS records surviving lost responses
 * with exactly one order per sale, and a long POS outage that delays no sale.
 */

let h: Harness | undefined;
let emu: Emulator | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  await emu?.stop();
  emu = undefined;
});

const harness = (): Harness => {
  if (h === undefined) throw new Error('no harness');
  return h;
};
const sale = (id: string): SaleRecord | undefined => h?.store.sales.get(id);
const stateOf = (id: string): string | undefined => sale(id)?.state;

/** The payment requests the emulator holds, counted from its state: a create held by `create-answered-late` is applied long before its log entry. */
function requestsCreated(e: Emulator): number {
  return e.centrapay.list().length;
}

function centrapayApplied(e: Emulator, method: string, path: RegExp): number {
  return e.requests.list({ service: 'centrapay' }).filter((r) => r.method === method && path.test(r.path) && r.applied).length;
}

async function awaitingPayment(id: string): Promise<string> {
  await waitFor(() => stateOf(id) === 'awaiting_payment', 'awaiting payment');
  return sale(id)?.paymentRequestId ?? '';
}

describe.each(variationCases('centrapay'))('Centrapay sale, $label', (variation) => {
  it('paid: one request with our sale id, the slip carries the url exactly as returned and the short code, then the receipt', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    const started = h.engine.startCentrapaySale(250);
    expect(started).toMatchObject({ kind: 'centrapay', state: 'created' });
    const prId = await awaitingPayment(started.id);
    const remote = await harness().centrapay?.getPaymentRequest(prId);
    expect(remote).toMatchObject({ externalRef: started.id, value: { amount: '250', currency: 'EUR' }, status: 'new' });
    expect(sale(started.id)).toMatchObject({ shortCode: remote?.shortCode, expirySeconds: 120 });

    const [slip] = h.store.printJobs.listBySale(started.id);
    expect(slip?.kind).toBe('centrapay-slip');
    expect(slip?.payload).toMatchObject({ saleId: started.id, url: remote?.url, shortCode: remote?.shortCode, amountMinor: 250, currency: 'EUR', expiresWallMs: Date.parse(remote?.expiresAt ?? '') });

    h.emu.centrapay.pay(prId);
    await waitFor(() => stateOf(started.id) === 'done', 'done');
    expect(h.store.printJobs.listBySale(started.id).map((j) => j.kind)).toEqual(['centrapay-slip', 'receipt']);
    expect(h.store.printJobs.listBySale(started.id)[1]?.payload).toMatchObject({ kind: 'centrapay', amountMinor: 250, transactionKey: prId });
    expect(h.changes.filter((c) => c.sale.id === started.id).map((c) => c.sale.state)).toEqual(['created', 'awaiting_payment', 'paid', 'receipt_queued', 'done']);
    expect(requestsCreated(h.emu)).toBe(1);
    expect(centrapayApplied(h.emu, 'POST', /\/void$/)).toBe(0);
    // Without a pos section no sync op is ever enqueued.
    expect(h.store.outbox.list({ kind: OP_KINDS.posRecordOrder })).toHaveLength(0);
  });

  it('polls the request while it awaits payment and stops polling it once paid', async () => {
    // The rate and the one-at-a-time rule are tested on a fake clock (centrapay-watcher.test.ts);
    // here the same watcher runs over loopback, and "stopped" is shown by order, not by a pause:
    // while a second sale is polled three times, the paid one is not polled again.
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: { pollIntervalMs: 100 } });
    const pollsOf = (prId: string): number[] =>
      harness()
        .emu.requests.list({ service: 'centrapay' })
        .filter((r) => r.method === 'GET' && r.path.endsWith(prId))
        .map((r) => r.seq);
    const first = h.engine.startCentrapaySale(100);
    const firstId = await awaitingPayment(first.id);
    await waitFor(() => pollsOf(firstId).length >= 3, 'three polls of the waiting request');
    h.emu.centrapay.pay(firstId);
    await waitFor(() => stateOf(first.id) === 'done', 'done');
    const lastPollOfPaid = Math.max(...pollsOf(firstId));
    const second = h.engine.startCentrapaySale(200);
    const secondId = await awaitingPayment(second.id);
    await waitFor(() => pollsOf(secondId).filter((seq) => seq > lastPollOfPaid).length >= 3, 'three polls of the second request');
    expect(pollsOf(firstId).filter((seq) => seq > lastPollOfPaid)).toEqual([]);
  });

  it('declined by the customer: cancelled with their reason, no receipt, no void', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    const started = h.engine.startCentrapaySale(700);
    const prId = await awaitingPayment(started.id);
    h.emu.centrapay.decline(prId, 'PAYMENT_DECLINED');
    await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
    expect(sale(started.id)?.declineReason).toBe('PAYMENT_DECLINED');
    expect(h.store.printJobs.listBySale(started.id).map((j) => j.kind)).toEqual(['centrapay-slip']);
    expect(centrapayApplied(h.emu, 'POST', /\/void$/)).toBe(0);
  });

  it('expired by Centrapay: the sale ends expired and nothing is voided', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    const started = h.engine.startCentrapaySale(300);
    const prId = await awaitingPayment(started.id);
    h.emu.centrapay.expireNow(prId);
    await waitFor(() => stateOf(started.id) === 'expired', 'expired');
    expect(centrapayApplied(h.emu, 'POST', /\/void$/)).toBe(0);
    expect(h.store.printJobs.listBySale(started.id).map((j) => j.kind)).toEqual(['centrapay-slip']);
  });

  it("the terminal's deadline: expiry plus grace on the monotonic clock, then a last read, then the void; the sale ends expired", async () => {
    // Centrapay's clock stands still, so the request stays `new`: only the terminal's deadline can end it.
    emu = await startEmulator({ port: 0, seed: 3, clock: new FakeClock({ wallMs: Date.now() }), centrapayCurrencies: ['EUR'], variations: variation.variations });
    h = await startHarness({ emu, centrapay: { expirySeconds: 1, deadlineGraceMs: 500, pollIntervalMs: 100 } });
    const times = new Map<string, number>();
    h.engine.onSaleChanged((c) => {
      if (!times.has(c.sale.state)) times.set(c.sale.state, performance.now());
    });
    const started = h.engine.startCentrapaySale(400);
    const prId = await awaitingPayment(started.id);
    await waitFor(() => stateOf(started.id) === 'expired', 'expired by the deadline');
    expect((times.get('voiding') ?? 0) - (times.get('awaiting_payment') ?? Infinity)).toBeGreaterThanOrEqual(1500 - 50);
    expect(sale(started.id)?.declineReason).toBe('deadline');
    expect(h.emu.centrapay.get(prId)).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' });
    expect(centrapayApplied(h.emu, 'POST', /\/void$/)).toBe(1);
    // The void was preceded by a read of the request.
    const log = h.emu.requests.list({ service: 'centrapay' });
    const voidAt = log.findIndex((r) => r.method === 'POST' && r.path.endsWith('/void'));
    expect(log[voidAt - 1]).toMatchObject({ method: 'GET', path: `/api/payment-requests/${prId}` });
  });

  it('cancelled by staff while waiting: the request is voided once, the customer can no longer pay it', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    const started = h.engine.startCentrapaySale(900);
    const prId = await awaitingPayment(started.id);
    expect(h.engine.cancelSale(started.id).state).toBe('voiding');
    await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
    expect(sale(started.id)?.declineReason).toBe('staff');
    expect(h.emu.centrapay.get(prId)).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' });
    expect(centrapayApplied(h.emu, 'POST', /\/void$/)).toBe(1);
    expect(() => harness().emu.centrapay.pay(prId)).toThrow();
    try {
      harness().engine.cancelSale(started.id);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('wrong_sale_state');
    }
  });

  it('cancelled while the create is under way: the request it made is voided, no slip is printed', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    h.emu.faults.add({ kind: 'latency', method: 'POST', path: '/api/payment-requests', latencyMs: 400, when: 'after', count: 1 });
    const started = h.engine.startCentrapaySale(800);
    await waitFor(() => h?.emu.centrapay.byExternalRef(started.id).length === 1, 'request applied');
    expect(h.engine.cancelSale(started.id).state).toBe('voiding');
    await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
    expect(h.emu.centrapay.byExternalRef(started.id).map((r) => [r.status, r.cancellationReason])).toEqual([['cancelled', 'CANCELLED_BY_MERCHANT']]);
    expect(h.store.printJobs.listBySale(started.id)).toHaveLength(0);
  });

  it('a cancel that races a payment: the last read finds it paid, nothing is refunded, the sale is paid', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    const started = h.engine.startCentrapaySale(650);
    const prId = await awaitingPayment(started.id);
    h.emu.centrapay.pay(prId);
    h.engine.cancelSale(started.id);
    await waitFor(() => stateOf(started.id) === 'done', 'done');
    expect(h.emu.centrapay.get(prId)).toMatchObject({ status: 'paid', refunded: false });
    expect(centrapayApplied(h.emu, 'POST', /\/void$/)).toBe(0);
  });

  it('create response lost (apply-then-drop): found by externalRef, exactly one adopted, the extra voided, then paid', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    h.emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/api/payment-requests', count: 1 });
    const started = h.engine.startCentrapaySale(1250);
    // A second request for the same sale already exists (as if an earlier create had applied too).
    h.emu.centrapay.create({ configId: 'mc_test', value: { amount: '1250', currency: 'EUR' }, externalRef: started.id, expirySeconds: 120 });
    const prId = await awaitingPayment(started.id);
    await waitFor(() => h?.emu.centrapay.byExternalRef(started.id).filter((r) => r.status === 'new').length === 1, 'extra voided');
    const requests = h.emu.centrapay.byExternalRef(started.id);
    expect(requests).toHaveLength(2);
    expect(requests.filter((r) => r.status === 'new').map((r) => r.id)).toEqual([prId]);
    expect(requests.find((r) => r.id !== prId)).toMatchObject({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' });
    // The test's own extra request and the terminal's one: never re-POSTed.
    expect(requestsCreated(h.emu)).toBe(2);
    expect(h.store.printJobs.listBySale(started.id).map((j) => j.payload)).toEqual([expect.objectContaining({ url: `https://app.centrapay.com/pay/${prId}` })]);
    h.emu.centrapay.pay(prId);
    await waitFor(() => stateOf(started.id) === 'done', 'done');
  });

  it('create response lost and nothing else: the one request it made is adopted, never re-POSTed', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {} });
    h.emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/api/payment-requests', count: 1 });
    const started = h.engine.startCentrapaySale(1250);
    const prId = await awaitingPayment(started.id);
    expect(h.emu.centrapay.byExternalRef(started.id).map((r) => [r.id, r.status])).toEqual([[prId, 'new']]);
    // A re-POST would be a second request in the emulator.
    expect(requestsCreated(h.emu)).toBe(1);
  });

  it('a restart while waiting: the new engine reads the request again and finishes the sale; the slip is not printed twice', async () => {
    emu = await startEmulator({ port: 0, seed: 4, centrapayCurrencies: ['EUR'], variations: variation.variations });
    const first = await startHarness({ emu, centrapay: {} });
    h = first;
    const started = first.engine.startCentrapaySale(555);
    const prId = await awaitingPayment(started.id);
    await first.stop();
    h = undefined;
    emu.centrapay.pay(prId); // paid while the terminal was down
    h = await startHarness({ emu, dataDir: first.dataDir, centrapay: {} });
    await waitFor(() => stateOf(started.id) === 'done', 'done after restart');
    expect(h.store.printJobs.listBySale(started.id).map((j) => j.kind)).toEqual(['centrapay-slip', 'receipt']);
    expect(requestsCreated(emu)).toBe(1);
  });

  it('a restart while waiting with the request still new: after its deadline it is voided', async () => {
    emu = await startEmulator({ port: 0, seed: 5, clock: new FakeClock({ wallMs: Date.now() }), centrapayCurrencies: ['EUR'], variations: variation.variations });
    const first = await startHarness({ emu, centrapay: { expirySeconds: 1, deadlineGraceMs: 300 } });
    h = first;
    const started = first.engine.startCentrapaySale(555);
    const prId = await awaitingPayment(started.id);
    await first.stop();
    h = await startHarness({ emu, dataDir: first.dataDir, centrapay: { expirySeconds: 1, deadlineGraceMs: 300 } });
    await waitFor(() => stateOf(started.id) === 'expired', 'voided after restart');
    expect(emu.centrapay.get(prId).status).toBe('cancelled');
  });

  it('a currency the merchant config does not accept: 403 NO_AVAILABLE_PAYMENT_OPTIONS ends the sale cancelled with that reason, nothing created', async () => {
    h = await startHarness({ emulator: { variations: variation.variations, centrapayCurrencies: ['NZD'] }, centrapay: {} });
    const started = h.engine.startCentrapaySale(250);
    await waitFor(() => stateOf(started.id) === 'cancelled', 'cancelled');
    expect(sale(started.id)?.declineReason).toBe('create_failed:no_available_payment_options');
    expect(h.emu.centrapay.list()).toEqual([]);
    expect(h.emu.requests.list({ service: 'centrapay' }).filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(h.store.printJobs.listBySale(started.id)).toEqual([]);
  });

  it('without a centrapay section the engine refuses with not_configured', async () => {
    h = await startHarness({ emulator: { variations: variation.variations } });
    expect(() => harness().engine.startCentrapaySale(100)).toThrow(expect.objectContaining({ code: 'not_configured' }));
  });
});

describe.each(variationCases('paysera-pos'))('POS back-office sync, $label', (variation) => {
  async function paidCentrapaySale(amount: number): Promise<SaleRecord> {
    const hh = harness();
    const started = hh.engine.startCentrapaySale(amount);
    const prId = await awaitingPayment(started.id);
    hh.emu.centrapay.pay(prId);
    await waitFor(() => stateOf(started.id) === 'done', 'done');
    return sale(started.id) as SaleRecord;
  }

  const ordersFor = (id: string) => h?.emu.pos.allOrders().filter((o) => o.number === `T1-${id}`) ?? [];

  it('names the terminal in the record (several counters at one venue)', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {}, pos: true, terminalName: 'terrace' });
    const sale = await paidCentrapaySale(250);
    await waitFor(() => ordersFor(sale.id).length === 1, 'the POS record');
    expect(ordersFor(sale.id)[0]?.positions[0]?.title).toBe('Counter sale (terrace)');
  });

  it('records every paid sale once although every first create response is lost (apply-then-drop)', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {}, pos: true });
    h.emu.faults.add({ kind: 'applyThenDrop', method: 'POST', path: '/eapi/v1/orders', count: 3 });
    const sales = [await paidCentrapaySale(100), await paidCentrapaySale(200), await paidCentrapaySale(300)];
    await waitFor(() => h?.store.outbox.list({ kind: OP_KINDS.posRecordOrder }).every((op) => op.state === 'done') === true, 'POS ops done');
    for (const s of sales) {
      const orders = ordersFor(s.id);
      expect(orders).toHaveLength(1);
    }
    expect(h.emu.pos.allOrders()).toHaveLength(3);
    expect(h.store.outbox.list({ kind: OP_KINDS.posRecordOrder })).toHaveLength(3);
    const posts = h.emu.requests.list({ service: 'paysera-pos' }).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3); // never re-POSTed: each was found by number
  });

  it('a Paysera code sale is recorded too', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, pos: true });
    const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
    const started = h.engine.startCodeSale(1299);
    h.engine.submitReservationCode(started.id, code);
    await waitFor(() => stateOf(started.id) === 'done', 'done');
    await waitFor(() => ordersFor(started.id).length === 1, 'order recorded');
  });

  it('a hanging POS delays no sale; the orders appear once it answers, one per sale', async () => {
    // The emulator's timers run on a fake clock: every POS request hangs until the test moves
    // that clock, so "no sale waits behind the POS" is shown by order, not by a stopwatch.
    const emuClock = new FakeClock({ wallMs: Date.now() });
    emu = await startEmulator({ port: 0, seed: 9, clock: emuClock, centrapayCurrencies: ['EUR'], variations: variation.variations });
    h = await startHarness({ emu, centrapay: {}, pos: { headersTimeoutMs: 600_000, bodyTimeoutMs: 600_000 } });
    const hanging = h.emu.faults.add({ kind: 'latency', path: '/eapi/v1/**', latencyMs: 60_000 });
    const sales: SaleRecord[] = [];
    sales.push(await paidCentrapaySale(110));
    await waitFor(() => h?.store.outbox.list({ kind: OP_KINDS.posRecordOrder }).some((op) => op.state === 'in_flight'), 'the first POS call on the wire');
    // Two more sales are paid and done while that call still hangs (the sync runs in the
    // runner's background lane).
    for (const amount of [220, 330]) sales.push(await paidCentrapaySale(amount));
    expect(h.emu.pos.allOrders()).toHaveLength(0);
    expect(h.store.outbox.list({ kind: OP_KINDS.posRecordOrder }).some((op) => op.state === 'in_flight')).toBe(true);
    for (const s of sales) expect(stateOf(s.id)).toBe('done');

    h.emu.faults.remove(hanging.id);
    await emuClock.advance(60_000);
    await waitFor(() => sales.every((s) => ordersFor(s.id).length === 1), 'orders recorded');
    expect(h.emu.pos.allOrders()).toHaveLength(3);
  });

  it('a POS outage (503) is retried until it ends; a 429 Retry-After is honoured before the next POS request', async () => {
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {}, pos: true });
    const outage = h.emu.faults.add({ kind: 'serverError', path: '/eapi/v1/**', status: 503 });
    const sales = [await paidCentrapaySale(110), await paidCentrapaySale(220)];
    await waitFor(() => (h?.emu.requests.list({ service: 'paysera-pos' }).length ?? 0) >= 3, 'POS retried');
    expect(h.emu.pos.allOrders()).toHaveLength(0);
    for (const op of h.store.outbox.list({ kind: OP_KINDS.posRecordOrder })) expect(['pending', 'unknown', 'in_flight']).toContain(op.state);

    h.emu.faults.remove(outage.id);
    h.emu.faults.add({ kind: 'rateLimit', path: '/eapi/v1/**', count: 1, retryAfterS: 1 });
    await waitFor(() => sales.every((s) => ordersFor(s.id).length === 1), 'orders recorded');
    const log = h.emu.requests.list({ service: 'paysera-pos' });
    const limited = log.findIndex((r) => r.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    // No POS request at all (for any sale) before the Retry-After had passed (log times are wall
    // ms; a lower bound, so a busy machine only makes the gap longer).
    const limitedAtMs = log[limited]?.atMs ?? 0;
    // (The log is in completion order: a request received before the 429 may be logged after it.)
    const receivedAfter = log.filter((r, i) => i !== limited && r.atMs >= limitedAtMs);
    expect(receivedAfter.length).toBeGreaterThan(0);
    for (const later of receivedAfter) expect(later.atMs - limitedAtMs).toBeGreaterThanOrEqual(1000 - 20);
    expect(h.emu.pos.allOrders()).toHaveLength(2);
    for (const s of sales) expect(stateOf(s.id)).toBe('done');
  });

  it('422 from the POS: not retried, the op waits for a person, the sale stays done', async () => {
    // The emulator refuses a language code that is not ISO 639-1 with 422 validation_error.
    h = await startHarness({ emulator: { variations: variation.variations }, centrapay: {}, pos: { languageCode: 'xx1' } });
    const s = await paidCentrapaySale(100);
    await waitFor(() => h?.store.outbox.list({ kind: OP_KINDS.posRecordOrder })[0]?.state === 'needs_human', 'needs a person');
    expect(h.store.outbox.list({ kind: OP_KINDS.posRecordOrder })[0]).toMatchObject({ lastErrorCode: 'pos_validation_failed' });
    expect(h.emu.requests.list({ service: 'paysera-pos' })).toHaveLength(1);
    expect(stateOf(s.id)).toBe('done');
    expect(h.emu.pos.allOrders()).toHaveLength(0);
  });
});
