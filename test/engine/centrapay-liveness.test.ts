import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import type { SaleRecord } from '../../src/store/types.js';
import { startHarness, type Harness } from '../support/engine-harness.js';
import { recordingLogger } from '../support/recording-logger.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Centrapay faults that used to leave a sale silent or stuck, through the real engine, store and
 * client against the emulator: a create answered after the client gave up, found again by its
 * externalRef in a lookup whose items are summaries (no shortCode, url or expiresAt), adopted
 * with its slip, or voided when the sale was cancelled meanwhile; and a status no document lists,
 * which goes to a person at the terminal's deadline instead of "Cancelling..." for a day.
 */

let h: Harness | undefined;
let emu: Emulator | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  await emu?.stop();
  emu = undefined;
});

const LATE = { variations: ['create-answered-late', 'external-ref-summary-items'] as const };

function harness(): Harness {
  if (h === undefined) throw new Error('no harness');
  return h;
}
const sale = (id: string): SaleRecord | undefined => harness().store.sales.get(id);

describe('a create answered after the client gave up, found in a lookup of summaries', () => {
  it('adopts the one request (read in full by id), prints its slip with the server expiry, and a paid customer ends PAID', async () => {
    h = await startHarness({ emulator: { centrapayCurrencies: ['EUR'], variations: [...LATE.variations] }, centrapay: {} });
    const started = h.engine.startCentrapaySale(1250);
    await waitFor(() => sale(started.id)?.state === 'awaiting_payment', 'awaiting payment after the lookup');
    const [request, ...others] = h.emu.centrapay.byExternalRef(started.id);
    expect(others).toEqual([]);
    expect(request).toBeDefined();
    const prId = request?.id ?? '';
    expect(sale(started.id)).toMatchObject({ paymentRequestId: prId, shortCode: request?.shortCode });
    const [slip, ...moreSlips] = h.store.printJobs.listBySale(started.id);
    expect(moreSlips).toEqual([]);
    expect(slip?.payload).toMatchObject({ url: `https://app.centrapay.com/pay/${prId}`, shortCode: request?.shortCode, expiresWallMs: request?.expiresAtMs });
    // The summary had no shortCode or expiresAt: the request was read by id before it was adopted.
    const paths = h.emu.requests.list({ service: 'centrapay' }).map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
    expect(paths.indexOf(`GET /api/payment-requests/${prId}`)).toBeGreaterThan(paths.indexOf(`GET /api/payment-requests/external-ref/${started.id}`));

    h.emu.centrapay.pay(prId);
    await waitFor(() => sale(started.id)?.state === 'done', 'done');
    expect(h.store.printJobs.listBySale(started.id).map((j) => j.kind)).toEqual(['centrapay-slip', 'receipt']);
    expect(h.emu.centrapay.list().map((r) => r.status)).toEqual(['paid']);
  });

  it('cancelled while the create was held: the request it finds is voided, the sale ends cancelled, nothing is left live', async () => {
    h = await startHarness({ emulator: { centrapayCurrencies: ['EUR'], variations: [...LATE.variations] }, centrapay: {} });
    const started = h.engine.startCentrapaySale(900);
    await waitFor(() => harness().emu.centrapay.byExternalRef(started.id).length === 1, 'the create applied');
    h.engine.cancelSale(started.id);
    await waitFor(() => sale(started.id)?.state === 'cancelled', 'cancelled');
    expect(h.emu.centrapay.byExternalRef(started.id)).toEqual([expect.objectContaining({ status: 'cancelled', cancellationReason: 'CANCELLED_BY_MERCHANT' })]);
    expect(h.store.printJobs.listBySale(started.id)).toEqual([]);
  });
});

describe('a status no document lists', () => {
  it('is logged once with its value, the sale goes to a person at expiry + grace, and nothing is voided', async () => {
    const logs: Array<Record<string, unknown>> = [];
    // Centrapay's clock stands still, so only the reported status changes.
    emu = await startEmulator({ port: 0, seed: 5, clock: new FakeClock({ wallMs: Date.now() }), centrapayCurrencies: ['EUR'] });
    h = await startHarness({ emu, logger: recordingLogger(logs), centrapay: { expirySeconds: 1, deadlineGraceMs: 500, pollIntervalMs: 100 } });
    const started = h.engine.startCentrapaySale(400);
    await waitFor(() => sale(started.id)?.state === 'awaiting_payment', 'awaiting payment');
    const awaitingAt = performance.now();
    const prId = sale(started.id)?.paymentRequestId ?? '';
    h.emu.centrapay.reportStatus(prId, 'refunded');
    await waitFor(() => sale(started.id)?.state === 'needs_human', 'needs_human at the deadline');
    // Not before the terminal's deadline: 1 s expiry + 0.5 s grace after it saw the sale awaiting.
    expect(performance.now() - awaitingAt).toBeGreaterThanOrEqual(1400);
    expect(sale(started.id)?.needsHumanReason).toBe('unknown_status:refunded');
    const warnings = logs.filter((l) => l['code'] === 'centrapay_unknown_status');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ status: 'refunded', saleId: started.id, paymentRequestId: prId });
    expect(h.emu.requests.list({ service: 'centrapay' }).filter((r) => r.path.endsWith('/void'))).toEqual([]);
  });
});
