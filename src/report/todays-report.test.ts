import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../printing/escpos/escpos-decoder.js';
import { CaptureTransport } from '../devices/printer/transports/capture.js';
import { money } from '../domain/money.js';
import type { ReportJobPayload } from '../printing/job-payloads.js';
import { PrintSpooler } from '../printing/print-spooler.js';
import type { Store } from '../store/store.js';
import { tempStore } from '../../test/support/temp-store.js';
import { printTodaysReport } from './todays-report.js';

/**
 * The menu's day report, from the journal to paper: today's sales in the terminal's zone, one
 * journaled `report` job, printed once through the spooler.
 */

let env: ReturnType<typeof tempStore>;
let store: Store;
let printer: CaptureTransport;
let spot = 40;

beforeEach(() => {
  env = tempStore();
  store = env.make();
  store.open();
  printer = new CaptureTransport();
});
afterEach(() => env.cleanup());

const at = (iso: string): void => env.clock.setWallMs(Date.parse(iso));

/** A table sale paid and closed at `closedAt`. */
function paidTableSale(id: string, minor: number, closedAt: string): void {
  spot += 1;
  store.sales.create({ id, kind: 'table', amount: money(minor, 'EUR'), tableId: 'TABLE1', spotId: spot });
  store.sales.apply(id, { type: 'orderCreated', orderId: spot, transactionKey: `tx_${id}` });
  store.sales.apply(id, { type: 'reservationSeen' });
  store.sales.apply(id, { type: 'confirmed' });
  store.sales.apply(id, { type: 'spotClosed' });
  store.sales.apply(id, { type: 'receiptQueued' });
  at(closedAt);
  store.sales.apply(id, { type: 'completed' });
}

function spooler(language: 'en' | 'lt' = 'en'): PrintSpooler {
  return new PrintSpooler({ store, printer, clock: env.clock, encoder: { type: 'epson', width: 48, codePage: 'PC858_EURO', qr: 'raster' }, venue: { name: 'Cafe Vilnius' }, timeZone: 'Europe/Vilnius', language });
}

const lines = (bytes: Buffer): string[] => decodeEscPos(bytes).lines.map((l) => l.replace(/ +/g, ' ').trim());

describe('printTodaysReport', () => {
  it("journals one report job with today's totals in the terminal's zone and prints it once", async () => {
    // 23:30 Vilnius on the 21st (yesterday there), then 00:30 and 01:00 on the 22nd.
    paidTableSale('sale_yesterday', 700, '2026-11-21T21:30:00Z');
    paidTableSale('sale_1', 1299, '2026-11-21T22:30:00Z');
    paidTableSale('sale_2', 1201, '2026-11-21T23:00:00Z');
    at('2026-11-21T23:30:00Z');
    const s = spooler();
    await s.start();

    const job = printTodaysReport(store, s, { wallMs: env.clock.wallMs(), timeZone: 'Europe/Vilnius', clockSynced: true });
    await s.idle();

    expect(store.printJobs.get(job.id)).toMatchObject({ kind: 'report', state: 'printed', attempts: 1 });
    const payload = store.printJobs.get(job.id)?.payload as ReportJobPayload;
    expect(payload).toMatchObject({ day: '2026-11-22', rows: [{ kind: 'table', count: 2, totalMinor: 2500, currency: 'EUR' }], clockSynced: true });
    expect(printer.jobs.map((j) => j.id)).toEqual([job.id]);
    const printed = lines(printer.jobs[0]!.bytes);
    expect(printed).toEqual(expect.arrayContaining(['Day report 2026-11-22', 'Printed 2026-11-22 01:30', 'Paysera (table) x2 25.00 EUR', 'TOTAL x2 25.00 EUR']));
    expect(printed).not.toContain('(time not synced)');

    // Nothing prints again by itself.
    await env.clock.advance(120_000);
    await s.idle();
    expect(printer.jobs).toHaveLength(1);
    await s.stop();
  });

  it('speaks the terminal language and marks a time the clock was not sure of; an empty day says so', async () => {
    at('2026-11-22T10:00:00Z');
    const s = spooler('lt');
    await s.start();
    printTodaysReport(store, s, { wallMs: env.clock.wallMs(), timeZone: 'Europe/Vilnius', clockSynced: false });
    await s.idle();
    const printed = lines(printer.jobs[0]!.bytes);
    expect(printed).toEqual(expect.arrayContaining(['Dienos ataskaita 2026-11-22', '(laikas nesuderintas)', 'Pardavimų nėra']));
    await s.stop();
  });
});
