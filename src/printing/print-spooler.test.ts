import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncoderOptions } from './escpos/escpos-document.js';
import { decodeEscPos, renderPng } from './escpos/escpos-decoder.js';
import type { PrinterPort, Printout } from '../devices/printer/printer-port.js';
import { CaptureTransport } from '../devices/printer/transports/capture.js';
import { jsQR } from '../../test/support/qr/jsqr.js';
import { money } from '../domain/money.js';
import type { Store } from '../store/store.js';
import { tempStore } from '../../test/support/temp-store.js';
import type { ReceiptJobPayload } from './job-payloads.js';
import type { SpoolerStatus } from './print-failures.js';
import { PrintSpooler, type SpoolerEvent } from './print-spooler.js';

const encoder: EncoderOptions = { type: 'epson', width: 48, codePage: 'PC858_EURO', qr: 'raster' };

let env: ReturnType<typeof tempStore>;
let store: Store;
let printer: CaptureTransport;
beforeEach(() => {
  env = tempStore();
  store = env.make();
  store.open();
  printer = new CaptureTransport();
});
afterEach(() => env.cleanup());

function spoolerOn(s: Store, port: PrinterPort = printer): { spooler: PrintSpooler; events: SpoolerEvent[]; statuses: SpoolerStatus[] } {
  const spooler = new PrintSpooler({ store: s, printer: port, clock: env.clock, encoder, venue: { name: 'Cafe Vilnius' }, timeZone: 'UTC' });
  const events: SpoolerEvent[] = [];
  const statuses: SpoolerStatus[] = [];
  spooler.on((e) => events.push(e));
  spooler.onStatus((s) => statuses.push(s));
  return { spooler, events, statuses };
}

function paidSale(s: Store, id = 'sale_1'): ReceiptJobPayload {
  // Distinct spots: the store allows one open sale per spot.
  s.sales.create({ id, kind: 'table', amount: money(1299, 'EUR'), tableId: 'TABLE4', spotId: 40 + s.sales.list().length });
  return {
    saleId: id,
    kind: 'table',
    amountMinor: 1299,
    currency: 'EUR',
    table: { id: 'TABLE4', name: 'Table 4' },
    transactionKey: 'tx_abc',
    paidWallMs: Date.UTC(2026, 10, 21, 14, 5),
    clockSynced: true,
  };
}

function enqueueReceipt(s: Store, id = 'sale_1'): string {
  return s.printJobs.enqueue({ saleId: id, kind: 'receipt', payload: paidSale(s, id) }).id;
}

const text = (job: Printout): string[] => decodeEscPos(job.bytes).lines.map((l) => l.replace(/ +/g, ' ').trim());

function qrOf(job: Printout): string | null {
  const doc = decodeEscPos(job.bytes);
  expect(doc.unknown).toEqual([]);
  const png = PNG.sync.read(renderPng(doc, { widthDots: 576 }));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

describe('PrintSpooler', () => {
  it('starts no job while a confirm is on its way, and prints it once the confirm is through', async () => {
    let confirming = true;
    const spooler = new PrintSpooler({ store, printer, clock: env.clock, encoder, venue: { name: 'Cafe Vilnius' }, timeZone: 'UTC', holdWhile: () => confirming, holdCheckMs: 50 });
    await spooler.start();
    // Queuing kicks the spooler (the store's listener).
    const jobId = enqueueReceipt(store);
    await env.clock.advance(500);
    expect(printer.jobs).toHaveLength(0);
    expect(store.printJobs.get(jobId)?.state).toBe('queued');
    confirming = false;
    await env.clock.advance(50);
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([jobId]);
    // Nothing queued: a hold sets no timer (idle stays free).
    confirming = true;
    spooler.kick();
    await spooler.idle();
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });

  it('prints a queued receipt once: claimed, sent, marked printed; the bytes carry amount and table, no QR', async () => {
    const jobId = enqueueReceipt(store);
    const { spooler, events } = spoolerOn(store);
    await spooler.start();
    await spooler.idle();
    expect(printer.jobs.map((j) => [j.id, j.kind])).toEqual([[jobId, 'receipt']]);
    const lines = text(printer.jobs[0]!);
    expect(lines).toContain('TOTAL 12.99 EUR');
    expect(lines).toContain('Table Table 4');
    expect(lines).toContain('Transaction tx_abc');
    expect(lines).toContain('Date 2026-11-21 14:05');
    expect(lines.join('\n')).not.toContain('COPY');
    expect(decodeEscPos(printer.jobs[0]!.bytes).rasters).toHaveLength(0);
    expect(qrOf(printer.jobs[0]!)).toBeNull();
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'printed', attempts: 1 });
    expect(events.map((e) => e.type)).toEqual(['printed']);
    // Kicking again, or time passing, prints nothing more.
    spooler.kick();
    await env.clock.advance(600_000);
    await spooler.idle();
    expect(printer.jobs).toHaveLength(1);
    await spooler.stop();
  });

  it('idle: no timer and no claim while nothing is queued; kick() after an enqueue prints', async () => {
    const { spooler } = spoolerOn(store);
    let claims = 0;
    const claimNext = store.printJobs.claimNext.bind(store.printJobs);
    store.printJobs.claimNext = () => {
      claims += 1;
      return claimNext();
    };
    await spooler.start();
    await spooler.idle();
    expect(claims).toBe(0);
    await env.clock.advance(3_600_000);
    expect(claims).toBe(0);
    expect(env.clock.pendingTimers()).toBe(0);
    const jobId = enqueueReceipt(store);
    spooler.kick();
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([jobId]);
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });

  it('prints what the store queues without being told: an enqueue, a sale transition with its receipt; nothing while stopped', async () => {
    const { spooler } = spoolerOn(store);
    await spooler.start();
    const first = enqueueReceipt(store, 'sale_1');
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([first]);
    // As the engine queues a receipt: with the sale's transition, in one commit.
    const payload = paidSale(store, 'sale_2');
    store.sales.apply('sale_2', { type: 'orderCreated', orderId: 1, transactionKey: 'tx_2' }, { printJobs: [{ saleId: 'sale_2', kind: 'receipt', payload }] });
    await spooler.idle();
    expect(printer.jobs).toHaveLength(2);
    await spooler.stop();
    const third = enqueueReceipt(store, 'sale_3');
    await env.clock.advance(0);
    expect(printer.jobs).toHaveLength(2);
    expect(store.printJobs.get(third)?.state).toBe('queued');
    await spooler.start();
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toContain(third);
    await spooler.stop();
  });

  it('paper out, then paper back: the SAME job is retried after the backoff and printed once', async () => {
    const jobId = enqueueReceipt(store);
    printer.failNext('printer_paper_out');
    const { spooler, events, statuses } = spoolerOn(store);
    await spooler.start();
    await spooler.idle();
    expect(printer.jobs).toHaveLength(0);
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'failed', lastErrorCode: 'printer_paper_out' });
    expect(spooler.status()).toMatchObject({ state: 'error', code: 'printer_paper_out', message: 'Printer: paper out', jobId, needsCheck: false });
    expect(env.clock.pendingTimers()).toBe(1);

    // A receipt enqueued meanwhile waits behind the failed one (no printing while paused).
    const second = enqueueReceipt(store, 'sale_2');
    spooler.kick();
    await spooler.idle();
    expect(printer.jobs).toHaveLength(0);

    await env.clock.advance(4_999);
    expect(printer.jobs).toHaveLength(0);
    await env.clock.advance(1);
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([jobId, second]);
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'printed', attempts: 2 });
    expect(store.printJobs.listBySale('sale_1').map((j) => j.kind)).toEqual(['receipt']);
    // First what the printer said before the job (a capture printer cannot be asked), then the failure and the print.
    expect(statuses.map((s) => [s.state, s.paper])).toEqual([
      ['ok', 'not_checked'],
      ['error', 'not_checked'],
      ['ok', 'not_checked'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['failed', 'requeued', 'printed', 'printed']);
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });

  it('backs off longer while the printer stays offline, and retryNow() skips the wait', async () => {
    const jobId = enqueueReceipt(store);
    printer.failNext('printer_offline');
    printer.failNext('printer_offline');
    printer.failNext('printer_offline');
    const { spooler, events } = spoolerOn(store);
    await spooler.start();
    await spooler.idle();
    await env.clock.advance(5_000);
    await spooler.idle();
    await env.clock.advance(10_000);
    await spooler.idle();
    expect(events.filter((e) => e.type === 'failed').map((e) => (e.type === 'failed' ? e.retryInMs : 0))).toEqual([5_000, 10_000, 20_000]);
    spooler.retryNow();
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([jobId]);
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });

  it('an ambiguous error (may have printed partly) is never retried: failed maybe_printed, left for a person', async () => {
    const jobId = enqueueReceipt(store);
    printer.failNext('printer_timeout', true);
    const { spooler } = spoolerOn(store);
    await spooler.start();
    await spooler.idle();
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'failed', lastErrorCode: 'maybe_printed:printer_timeout' });
    expect(spooler.status()).toMatchObject({ state: 'error', message: 'Printer: no reply', needsCheck: true });
    await env.clock.advance(3_600_000);
    await spooler.idle();
    expect(printer.jobs).toHaveLength(0);
    expect(store.printJobs.get(jobId)?.state).toBe('failed');
    // The person's remedy: a COPY of that receipt.
    const copy = spooler.reprintLast();
    await spooler.idle();
    expect(copy.kind).toBe('copy');
    expect(printer.jobs.map((j) => [j.id, j.kind])).toEqual([[copy.id, 'copy']]);
    await spooler.stop();
  });

  it('a job left printing by a crash is swept to failed/interrupted at start and never reprinted', async () => {
    const jobId = enqueueReceipt(store);
    expect(store.printJobs.claimNext()?.id).toBe(jobId); // the crash came right after the claim
    store.close();
    const restarted = env.make();
    restarted.open();
    const { spooler, events } = spoolerOn(restarted);
    await spooler.start();
    await spooler.idle();
    await env.clock.advance(3_600_000);
    expect(printer.jobs).toHaveLength(0);
    expect(restarted.printJobs.get(jobId)).toMatchObject({ state: 'failed', lastErrorCode: 'interrupted' });
    expect(events).toEqual([{ type: 'interrupted', count: 1 }]);
    expect(spooler.status()).toMatchObject({ state: 'error', code: 'interrupted', needsCheck: true });
    await spooler.stop();
  });

  it('a receipt failed with a plain printer error before a crash is requeued at the next start and printed once', async () => {
    const jobId = enqueueReceipt(store);
    printer.failNext('printer_offline');
    const first = spoolerOn(store).spooler;
    await first.start();
    await first.idle();
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'failed', lastErrorCode: 'printer_offline' });
    // Rows a restart must leave for a person: maybe on paper, interrupted, or bad in themselves.
    const maybe = enqueueReceipt(store, 'sale_2');
    const torn = enqueueReceipt(store, 'sale_3');
    const bad = enqueueReceipt(store, 'sale_4');
    for (const [id, code] of [
      [maybe, 'maybe_printed:printer_timeout'],
      [torn, 'interrupted'],
      [bad, 'print_payload_invalid'],
    ] as const) {
      store.printJobs.markFailed(id, code);
    }
    // The crash: no stop(), so the retry timer dies with the process and the row stays failed.
    store.close();
    expect(store.isOpen).toBe(false);

    const restarted = env.make();
    restarted.open();
    expect(restarted.printJobs.listFailed().map((j) => j.id)).toEqual([jobId, maybe, torn, bad]);
    const { spooler, events } = spoolerOn(restarted);
    await spooler.start();
    await spooler.idle();
    await env.clock.advance(3_600_000);
    await spooler.idle();
    expect(printer.jobs.map((j) => [j.id, j.kind])).toEqual([[jobId, 'receipt']]);
    expect(restarted.printJobs.get(jobId)).toMatchObject({ state: 'printed', attempts: 2 });
    expect(restarted.printJobs.listFailed().map((j) => [j.id, j.lastErrorCode])).toEqual([
      [maybe, 'maybe_printed:printer_timeout'],
      [torn, 'interrupted'],
      [bad, 'print_payload_invalid'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['requeued', 'printed']);
    await spooler.stop();
  });

  it('reprintLast() makes a copy job (payload copied, printed marked COPY), also after a restart', async () => {
    const { spooler } = spoolerOn(store);
    expect(() => spooler.reprintLast()).toThrow(expect.objectContaining({ code: 'no_receipt' }));
    const receiptId = enqueueReceipt(store);
    await spooler.start();
    await spooler.idle();
    const copy = spooler.reprintLast();
    expect(copy).toMatchObject({ saleId: 'sale_1', kind: 'copy', payload: { saleId: 'sale_1', amountMinor: 1299, copyOf: receiptId } });
    await spooler.idle();
    expect(printer.jobs.map((j) => j.kind)).toEqual(['receipt', 'copy']);
    const lines = text(printer.jobs[1]!);
    expect(lines.filter((l) => l === '*** COPY ***')).toHaveLength(2);
    expect(lines).toContain('TOTAL 12.99 EUR');
    await spooler.stop();

    // After a restart the last receipt is found through the sales journal.
    const again = spoolerOn(store).spooler;
    const second = again.reprintLast();
    expect(() => again.reprintLast()).toThrow(expect.objectContaining({ code: 'copy_pending' }));
    await again.start();
    await again.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([receiptId, copy.id, second.id]);
    expect(store.printJobs.listBySale('sale_1').map((j) => [j.kind, j.state])).toEqual([
      ['receipt', 'printed'],
      ['copy', 'printed'],
      ['copy', 'printed'],
    ]);
    await again.stop();
  });

  it('refuses a copy while the receipt itself has not printed yet', async () => {
    enqueueReceipt(store);
    const { spooler } = spoolerOn(store);
    expect(() => spooler.reprint('sale_1')).toThrow(expect.objectContaining({ code: 'receipt_pending' }));
  });

  it('table cards: one job per table, QR decodes to PAYSERA*{locationId}:{id}', async () => {
    const { spooler } = spoolerOn(store);
    await spooler.start();
    const jobs = spooler.printTableCards(
      [
        { id: 'TABLE4', name: 'Table 4' },
        { id: 'T-TERRACE', name: 'Terrace' },
      ],
      3,
    );
    await spooler.idle();
    expect(printer.jobs.map((j) => [j.id, j.kind])).toEqual(jobs.map((j) => [j.id, 'table-card']));
    expect(qrOf(printer.jobs[0]!)).toBe('PAYSERA*3:TABLE4');
    expect(qrOf(printer.jobs[1]!)).toBe('PAYSERA*3:T-TERRACE');
    expect(text(printer.jobs[1]!)).toContain('Terrace');
    await spooler.stop();
  });

  it('a day report prints its totals', async () => {
    const { spooler } = spoolerOn(store);
    await spooler.start();
    spooler.printReport({ day: '2026-11-21', rows: [{ kind: 'table', count: 2, totalMinor: 2500, currency: 'EUR' }], printedWallMs: Date.UTC(2026, 10, 21, 23), clockSynced: false });
    await spooler.idle();
    expect(printer.jobs.map((j) => j.kind)).toEqual(['day-report']);
    expect(text(printer.jobs[0]!)).toEqual(expect.arrayContaining(['TOTAL x2 25.00 EUR', '(time not synced)']));
    await spooler.stop();
  });

  it('refuses a second report of a day while the first has not printed (paper out), then prints it once', async () => {
    const { spooler } = spoolerOn(store);
    const report = { day: '2026-11-21', rows: [{ kind: 'table' as const, count: 1, totalMinor: 1299, currency: 'EUR' }], printedWallMs: Date.UTC(2026, 10, 21, 20), clockSynced: true };
    const first = spooler.printReport(report);
    // Queued (the spooler not yet started): the same day is refused, another day is not.
    expect(() => spooler.printReport(report)).toThrow(expect.objectContaining({ code: 'report_pending' }));
    printer.failNext('printer_paper_out');
    await spooler.start();
    await spooler.idle();
    expect(store.printJobs.get(first.id)).toMatchObject({ state: 'failed', lastErrorCode: 'printer_paper_out' });
    // Failed and waiting for its retry: still on its way.
    expect(() => spooler.printReport({ ...report, printedWallMs: Date.UTC(2026, 10, 21, 21) })).toThrow(expect.objectContaining({ code: 'report_pending' }));
    const otherDay = spooler.printReport({ ...report, day: '2026-11-20' });
    await env.clock.advance(5_000);
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([first.id, otherDay.id]);
    // Printed: a new report of the day may be asked for.
    const again = spooler.printReport(report);
    await spooler.idle();
    expect(printer.jobs.map((j) => j.id)).toEqual([first.id, otherDay.id, again.id]);
    await spooler.stop();
  });

  it('a row with a bad payload fails as print_payload_invalid, without retry, and the queue goes on', async () => {
    store.sales.create({ id: 'sale_x', kind: 'code', amount: money(5, 'EUR') });
    const bad = store.printJobs.enqueue({ saleId: 'sale_x', kind: 'receipt', payload: { saleId: 'sale_x' } }).id;
    const good = enqueueReceipt(store);
    const { spooler } = spoolerOn(store);
    await spooler.start();
    await spooler.idle();
    expect(store.printJobs.get(bad)).toMatchObject({ state: 'failed', lastErrorCode: 'print_payload_invalid' });
    expect(printer.jobs.map((j) => j.id)).toEqual([good]);
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });

  it('stop() waits for the job in flight, and requeues a job that waits for its retry', async () => {
    let release: () => void = () => {};
    const sent: string[] = [];
    const slow: PrinterPort = {
      description: 'slow',
      start: async () => {},
      stop: async () => {},
      send: (job) =>
        new Promise<void>((resolve) => {
          release = () => {
            sent.push(job.id);
            resolve();
          };
        }),
    };
    const jobId = enqueueReceipt(store);
    const { spooler } = spoolerOn(store, slow);
    await spooler.start();
    let stopped = false;
    const stopping = spooler.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(sent).toEqual([jobId]);
    expect(store.printJobs.get(jobId)?.state).toBe('printed');

    const waiting = enqueueReceipt(store, 'sale_2');
    printer.failNext('printer_offline');
    const next = spoolerOn(store).spooler;
    await next.start();
    await next.idle();
    expect(store.printJobs.get(waiting)?.state).toBe('failed');
    await next.stop();
    expect(store.printJobs.get(waiting)?.state).toBe('queued');
    expect(env.clock.pendingTimers()).toBe(0);
  });
});

describe('PrintSpooler asks the printer (DLE EOT) before each job', () => {
  it('paper out holds the job without claiming it; it prints once, when the printer says paper is back', async () => {
    const answering = new CaptureTransport({ paper: 'out' });
    const jobId = enqueueReceipt(store);
    const spooler = new PrintSpooler({ store, printer: answering, clock: env.clock, encoder, venue: { name: 'Cafe' }, timeZone: 'UTC', paperCheckMs: 3_000 });
    const statuses: SpoolerStatus[] = [];
    spooler.onStatus((s) => statuses.push(s));
    await spooler.start();
    await spooler.idle();
    // Held: still queued (no claim, no failed attempt), nothing sent, the reason shown.
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(answering.jobs).toHaveLength(0);
    expect(spooler.status()).toMatchObject({ state: 'error', code: 'printer_paper_out', message: 'Printer: paper out', held: true, paper: 'out' });

    // Asked again on the clock; still out: still held, still one status.
    await env.clock.advance(3_000);
    await spooler.idle();
    expect(answering.statusRequests).toBe(2);
    expect(answering.jobs).toHaveLength(0);

    answering.setState({ paper: 'ok' });
    await env.clock.advance(3_000);
    await spooler.idle();
    expect(answering.jobs.map((j) => j.id)).toEqual([jobId]);
    expect(store.printJobs.get(jobId)).toMatchObject({ state: 'printed', attempts: 1 });
    expect(spooler.status()).toEqual({ state: 'ok', paper: 'ok', printed: true });
    expect(statuses.filter((s) => s.code === 'printer_paper_out')).toHaveLength(1);
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });

  it('near end prints with a warning; a printer that ignores DLE EOT is printed to as before; the cover open holds', async () => {
    const answering = new CaptureTransport({ paper: 'near_end' });
    const spooler = new PrintSpooler({ store, printer: answering, clock: env.clock, encoder, venue: { name: 'Cafe' }, timeZone: 'UTC' });
    await spooler.start();
    enqueueReceipt(store, 'sale_1');
    await spooler.idle();
    expect(answering.jobs).toHaveLength(1);
    expect(spooler.status()).toEqual({ state: 'ok', paper: 'near_end', printed: true });

    answering.setState('silent');
    enqueueReceipt(store, 'sale_2');
    await spooler.idle();
    expect(answering.jobs).toHaveLength(2);
    expect(spooler.status()).toEqual({ state: 'ok', paper: 'unknown', printed: true });

    answering.setState({ paper: 'ok', coverOpen: true });
    const third = enqueueReceipt(store, 'sale_3');
    await spooler.idle();
    expect(answering.jobs).toHaveLength(2);
    expect(spooler.status()).toMatchObject({ state: 'error', code: 'printer_cover_open', held: true });
    // The status page asks: the cover is shut again, the held job prints at once.
    answering.setState({ paper: 'ok' });
    await spooler.checkPrinter();
    await spooler.idle();
    expect(answering.jobs.map((j) => j.id)).toEqual([expect.any(String), expect.any(String), third]);
    expect(spooler.status()).toEqual({ state: 'ok', paper: 'ok', printed: true });
    await spooler.stop();
  });

  it('the status page on an idle spooler asks the printer and shows paper out, with nothing to print', async () => {
    const answering = new CaptureTransport({ paper: 'out' });
    const spooler = new PrintSpooler({ store, printer: answering, clock: env.clock, encoder, venue: { name: 'Cafe' }, timeZone: 'UTC' });
    await spooler.start();
    await spooler.idle();
    expect(answering.statusRequests).toBe(0);
    await spooler.checkPrinter();
    expect(spooler.status()).toMatchObject({ state: 'error', code: 'printer_paper_out', printed: false });
    answering.setState({ paper: 'ok' });
    await spooler.checkPrinter();
    expect(spooler.status()).toEqual({ state: 'ok', paper: 'ok', printed: false });
    expect(env.clock.pendingTimers()).toBe(0);
    await spooler.stop();
  });
});
