import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.js';
import { LANGUAGES } from '../../src/i18n/language.js';
import { language } from '../../src/i18n/messages.js';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { buildDayReport } from '../../src/report/day-report.js';
import { localDayBounds, localDayOf } from '../../src/report/local-day.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../support/temp-store.js';
import { clockText } from '../../src/ui/screens/idle.js';

/**
 * The date-sensitive behaviours at the instant the machine says it is now, not at a date the
 * test picked. `npm test` runs them today; `npm run test:clock` runs them under libfaketime at
 * the instants that break naive code (both daylight-saving changes in Vilnius at 00:30, 02:30
 * and 03:30 local time, 29 February, the last second of a year, 400 days ahead).
 *
 * Expectations are computed independently of the code: a local time is read with
 * Intl's Swedish format ("2027-03-28 02:30:00"), and day bounds are checked by what the zone's
 * calendar says just before and at each bound.
 */

const ZONE = 'Europe/Vilnius';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.now();

const local = new Intl.DateTimeFormat('sv-SE', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** "2027-03-28 02:30:00" in Vilnius. */
const localTime = (ms: number): string => local.format(ms);
const localDate = (ms: number): string => localTime(ms).slice(0, 10);

let env: ReturnType<typeof tempStore>;
let store: Store;
let clock: FakeClock;

beforeEach(() => {
  env = tempStore();
  clock = new FakeClock({ wallMs: NOW });
});
afterEach(() => env.cleanup());

function openStore(retentionDays?: number): Store {
  store = env.make({ clock, ...(retentionDays === undefined ? {} : { retentionDays }) });
  store.open();
  return store;
}

let n = 0;
/** A code sale paid at the clock's wall time. */
function paidSale(): string {
  n += 1;
  const id = `sale_${n}`;
  store.sales.create({ id, kind: 'code', amount: money(100 * n, 'EUR') });
  store.sales.apply(id, { type: 'transactionCreated', transactionKey: `tx_${id}` });
  for (const event of [{ type: 'reservedByCode' }, { type: 'confirmed' }, { type: 'receiptQueued' }, { type: 'completed' }] as const) store.sales.apply(id, event);
  return id;
}

describe(`at the instant the machine calls now (${new Date(NOW).toISOString()}, ${localTime(NOW)} in ${ZONE})`, () => {
  // Set by `npm run test:clock` to the instant it asked libfaketime for: proves the run is really
  // at that instant (a faketime that did not take would silently test today).
  const expected = process.env['COUNTERPAY_TEST_INSTANT'];
  it.runIf(expected !== undefined)(`runs at the instant test:clock asked for (${expected ?? 'not under test:clock'})`, () => {
    expect(Math.abs(NOW - Date.parse(expected ?? ''))).toBeLessThan(10 * MINUTE);
  });

  it('the local day of now contains now and runs from local midnight to local midnight, 23, 24 or 25 hours', () => {
    const day = localDayOf(NOW, ZONE);
    expect(day).toBe(localDate(NOW));
    const { fromWallMs, toWallMs } = localDayBounds(day, ZONE);
    expect(fromWallMs).toBeLessThanOrEqual(NOW);
    expect(toWallMs).toBeGreaterThan(NOW);
    expect(localTime(fromWallMs)).toBe(`${day} 00:00:00`);
    expect(localDate(fromWallMs - 1000)).not.toBe(day);
    expect(localTime(toWallMs - 1000)).toBe(`${day} 23:59:59`);
    expect(localTime(toWallMs)).toMatch(/ 00:00:00$/);
    expect(localDate(toWallMs)).not.toBe(day);
    expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(toWallMs - fromWallMs);
  });

  it('a sale paid now is in today’s report, not in yesterday’s or tomorrow’s; the last second of the day is still today', () => {
    openStore();
    paidSale();
    const today = localDayOf(NOW, ZONE);
    const { fromWallMs, toWallMs } = localDayBounds(today, ZONE);
    const yesterday = localDayOf(fromWallMs - 1, ZONE);
    const tomorrow = localDayOf(toWallMs, ZONE);
    expect(buildDayReport(store, today, ZONE).paid).toBe(1);
    expect(buildDayReport(store, yesterday, ZONE).paid).toBe(0);
    expect(buildDayReport(store, tomorrow, ZONE).paid).toBe(0);

    clock.setWallMs(toWallMs - 1);
    paidSale();
    clock.setWallMs(toWallMs);
    paidSale();
    expect(buildDayReport(store, today, ZONE).paid).toBe(2);
    expect(buildDayReport(store, tomorrow, ZONE).paid).toBe(1);
  });

  it('receipts and the idle screen show the local time of now, in every language', () => {
    for (const code of LANGUAGES) {
      const lang = language(code);
      expect(lang.format.dateTime(NOW, ZONE)).toBe(localTime(NOW).slice(0, 16));
      expect(clockText({ wallMs: NOW, timeZone: ZONE, lang })).toBe(localTime(NOW).slice(11, 16));
      // Half an hour on, whatever the zone did meanwhile (a DST change moves the local time by 90 or -30 min).
      const later = NOW + 30 * MINUTE;
      expect(clockText({ wallMs: later, timeZone: ZONE, lang })).toBe(localTime(later).slice(11, 16));
    }
  });

  it('retention: a sale closed now is kept for the whole period and pruned after it; the newest event stays', () => {
    openStore(30);
    const id = paidSale();
    clock.setWallMs(NOW + 30 * DAY - MINUTE);
    expect(store.prune().sales).toBe(0);
    expect(store.sales.get(id)).toBeDefined();
    clock.setWallMs(NOW + 30 * DAY + MINUTE);
    expect(store.prune().sales).toBe(1);
    expect(store.sales.get(id)).toBeUndefined();
    const newest = store.events.lastSeq();
    expect(store.events.list().map((e) => e.seq)).toEqual([newest]);
  });

  it('a store opened on a clock far from the machine’s keeps only that clock’s time in its rows', () => {
    // The store's clock is a year behind the machine: every stamp it writes (the migration's
    // event included) must be on its clock, so a prune in its time sees them all as new.
    clock.setWallMs(NOW - 365 * DAY);
    openStore(1);
    paidSale();
    expect(store.events.list().every((e) => Math.abs(e.wallMs - clock.wallMs()) < DAY)).toBe(true);
    clock.setWallMs(clock.wallMs() + 2 * DAY);
    store.prune();
    expect(store.events.list()).toHaveLength(1);
  });
});
