import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReportCommand, type ReportEnvironment } from '../../src/cli/commands/report.js';
import { decodeEscPos } from '../../src/printing/escpos/escpos-decoder.js';
import { money } from '../../src/domain/money.js';
import { localDayBounds } from '../../src/report/local-day.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../support/temp-store.js';
import { runCli, runCommand, type CliRun } from '../support/cli-run.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

let env: ReturnType<typeof tempStore>;
let store: Store;
let configPath: string;
let serviceActive: boolean;
let spot = 40;

beforeEach(() => {
  env = tempStore();
  store = env.make();
  store.open();
  serviceActive = false;
  configPath = join(env.dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      dataDir: env.dir,
      paysera: { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables: ['TABLE1'] },
      devices: { printer: { interface: `file:${join(env.dir, 'printed')}`, venue: { name: 'Cafe Vilnius' } } },
    }),
  );
});
afterEach(() => env.cleanup());

function report(tz: string, ...argv: string[]): Promise<CliRun> {
  const environment = (): ReportEnvironment => ({ clock: env.clock, random: env.random, serviceActive: async () => serviceActive, uid: 1000, clockSynced: async () => true });
  return runCommand(createReportCommand(environment), ['--config', configPath, ...argv], { TZ: tz });
}

const at = (iso: string): void => env.clock.setWallMs(Date.parse(iso));

function tableDone(id: string, minor: number): void {
  spot += 1;
  store.sales.create({ id, kind: 'table', amount: money(minor, 'EUR'), tableId: 'TABLE1', spotId: spot });
  for (const event of [
    { type: 'orderCreated', orderId: spot, transactionKey: `tx_${id}` },
    { type: 'reservationSeen' },
    { type: 'confirmed' },
    { type: 'spotClosed' },
    { type: 'receiptQueued' },
    { type: 'completed' },
  ] as const) {
    store.sales.apply(id, event);
  }
}

function tableCancelled(id: string): void {
  spot += 1;
  store.sales.create({ id, kind: 'table', amount: money(800, 'EUR'), tableId: 'TABLE1', spotId: spot });
  store.sales.apply(id, { type: 'cancelRequested', reason: 'staff' });
  store.sales.apply(id, { type: 'cancelCompleted' });
}

function code(id: string, minor: number, to: 'done' | 'declined' | 'needs_human' | 'resolved_paid' | 'open'): void {
  store.sales.create({ id, kind: 'code', amount: money(minor, 'EUR') });
  if (to === 'open') return;
  store.sales.apply(id, { type: 'transactionCreated', transactionKey: `tx_${id}` });
  if (to === 'declined') {
    store.sales.apply(id, { type: 'declined', reason: 'not_enough_funds' });
    return;
  }
  if (to === 'needs_human' || to === 'resolved_paid') {
    store.sales.apply(id, { type: 'needsHuman', reason: 'reserve_failed:internal_error' });
    if (to === 'resolved_paid') store.sales.apply(id, { type: 'humanResolved', paid: true });
    return;
  }
  for (const event of [{ type: 'reservedByCode' }, { type: 'confirmed' }, { type: 'receiptQueued' }, { type: 'completed' }] as const) store.sales.apply(id, event);
}

/** Two Vilnius days (UTC+2 in November): the 21st ends at 21:59:59.999Z. */
function seedTwoDays(): void {
  at('2026-11-21T08:00:00Z');
  tableDone('a', 1299);
  code('b', 500, 'done');
  code('c', 300, 'declined');
  tableCancelled('d');
  code('e', 4200, 'needs_human');
  code('f', 750, 'resolved_paid');
  at('2026-11-21T21:59:59Z');
  code('g', 100, 'done');
  at('2026-11-21T22:00:00Z');
  code('h', 2000, 'done');
  tableCancelled('i');
  code('j', 999, 'open');
  at('2026-11-22T10:00:00Z');
}

describe('local days', () => {
  it('a day is local midnight to local midnight, 23 or 25 hours on daylight-saving days', () => {
    expect(localDayBounds('2026-11-21', 'Europe/Vilnius')).toEqual({ fromWallMs: Date.parse('2026-11-20T22:00:00Z'), toWallMs: Date.parse('2026-11-21T22:00:00Z') });
    const spring = localDayBounds('2026-03-29', 'Europe/Vilnius');
    expect([spring.fromWallMs, spring.toWallMs]).toEqual([Date.parse('2026-03-28T22:00:00Z'), Date.parse('2026-03-29T21:00:00Z')]);
    const autumn = localDayBounds('2026-10-25', 'Europe/Vilnius');
    expect((autumn.toWallMs - autumn.fromWallMs) / 3_600_000).toBe(25);
    expect(localDayBounds('2026-11-21', 'UTC').fromWallMs).toBe(Date.parse('2026-11-21T00:00:00Z'));
  });
});

describe('counterpay report', { timeout: PROCESS_TEST_MS }, () => {
  it('totals per method, declined, cancelled and needs_human for the local day', async () => {
    seedTwoDays();
    const day1 = await report('Europe/Vilnius', '--date', '2026-11-21');
    expect(day1.err).toBe('');
    expect(day1.code).toBe(0);
    expect(day1.lines).toEqual([
      'Day report 2026-11-21 (Europe/Vilnius)',
      expect.stringMatching(/^Terminal \S+$/),
      'Method              Count          Total',
      'Paysera (table)         1      12.99 EUR',
      'Paysera (code)          3      13.50 EUR',
      'Centrapay               0              -',
      'TOTAL                   4      26.49 EUR',
      'Refunds                 0              -',
      'NET                            26.49 EUR',
      'Declined                1',
      'Cancelled               1',
      'Needs a person          1',
      'In progress             0',
      '(1 of the closed sales were decided by a person)',
    ]);
    // Default: today, here the 22nd in Vilnius.
    const day2 = await report('Europe/Vilnius');
    expect(day2.lines).toEqual([
      'Day report 2026-11-22 (Europe/Vilnius)',
      expect.stringMatching(/^Terminal \S+$/),
      'Method              Count          Total',
      'Paysera (table)         0              -',
      'Paysera (code)          1      20.00 EUR',
      'Centrapay               0              -',
      'TOTAL                   1      20.00 EUR',
      'Refunds                 0              -',
      'NET                            20.00 EUR',
      'Declined                0',
      'Cancelled               1',
      'Needs a person          0',
      'In progress             1',
    ]);
  });

  it('the day follows TZ: in UTC the sales of 22:00Z still belong to the 21st', async () => {
    seedTwoDays();
    const { lines } = await report('UTC', '--date', '2026-11-21');
    expect(lines).toContain('Paysera (code)          4      33.50 EUR');
    expect(lines).toContain('TOTAL                   5      46.49 EUR');
    expect(lines).toContain('Cancelled               2');
    expect(lines).toContain('In progress             1');
  });

  it('ui.timeZone in the config wins over TZ, so the CLI and the terminal menu agree on the day', async () => {
    seedTwoDays();
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, ui: { timeZone: 'Europe/Vilnius' } }));
    // TZ says UTC, where 22:00Z is still the 21st; the terminal's zone says it is the 22nd.
    const { lines } = await report('UTC', '--date', '2026-11-21');
    expect(lines[0]).toBe('Day report 2026-11-21 (Europe/Vilnius)');
    expect(lines).toContain('TOTAL                   4      26.49 EUR');
  });

  it('--out writes a PNG of the printed layout; the journal is only read', async () => {
    seedTwoDays();
    const seq = store.events.lastSeq();
    serviceActive = true; // reading works while the terminal runs
    const path = join(env.dir, 'report.png');
    const { code, lines } = await report('Europe/Vilnius', '--date', '2026-11-21', '--out', path);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe(`${path}: day report 2026-11-21`);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const png = PNG.sync.read(bytes);
    expect(png.width).toBeGreaterThanOrEqual(576);
    expect(png.height).toBeGreaterThan(100);
    expect(store.events.lastSeq()).toBe(seq);
    expect(existsSync(join(env.dir, 'printed'))).toBe(false);
  });

  it('--print sends the report layout to the configured printer; the decoded bytes carry the totals', async () => {
    seedTwoDays();
    store.close();
    const { code, lines, err } = await report('Europe/Vilnius', '--date', '2026-11-21', '--print');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/^printed day report 2026-11-21 on /);
    const printed = join(env.dir, 'printed');
    const files = readdirSync(printed);
    expect(files).toEqual(['000001-day-report.bin']);
    const text = decodeEscPos(readFileSync(join(printed, files[0]!))).lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(text).toEqual(
      expect.arrayContaining([
        'Cafe Vilnius',
        'Day report 2026-11-21',
        'Printed 2026-11-22 12:00',
        'Paysera (table) x1 12.99 EUR',
        'Paysera (code) x3 13.50 EUR',
        'TOTAL x4 26.49 EUR',
        'Declined 1',
        'Cancelled 1',
        'Needs a person 1',
      ]),
    );
  });

  it('--print is refused while counterpay.service runs (it owns the printer); bad dates and flags are usage errors', async () => {
    seedTwoDays();
    serviceActive = true;
    const refused = await report('Europe/Vilnius', '--print');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('print the day report from its menu (D 3, Day report), or write a PNG with --out FILE.png [service_running]');
    expect(refused.out).toBe('');
    expect((await report('Europe/Vilnius', '--date', '2026-02-30')).code).toBe(64);
    expect((await report('Europe/Vilnius', '--date', '21.11.2026')).code).toBe(64);
    expect((await report('Mars/Olympus', '--date', '2026-11-21')).err).toContain('TZ "Mars/Olympus" is not a time zone name');
    expect((await report('UTC', '--print', '--out', 'x.png')).code).toBe(64);
  });

  it('is registered, with --help', async () => {
    const { code, out } = await runCli(['report', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('counterpay report [--config PATH] [--date YYYY-MM-DD] [--print | --out FILE.png]');
  });
});
