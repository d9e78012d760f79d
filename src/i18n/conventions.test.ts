import { afterEach, describe, expect, it } from 'vitest';
import { CONVENTIONS, formatClock, formatWallTime } from './conventions.js';

/**
 * Without a zone, times are written from Date's local getters (no ICU locale data loaded); with
 * one, through Intl. Run in a process whose own zone is each of these, both must write the same
 * text for every quarter hour around the daylight-saving changes of two years.
 */
const ZONES = ['Europe/Vilnius', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];

/** Every quarter hour (7 minutes past) of months in which the offset changes in the zones above. */
const INSTANTS: readonly number[] = (() => {
  const instants: number[] = [];
  for (const [year, month] of [[2026, 2], [2026, 3], [2026, 9], [2026, 10], [2027, 2], [2027, 3], [2027, 9], [2027, 10]] as const) {
    const from = Date.UTC(year, month, 1);
    const to = Date.UTC(year, month + 1, 1);
    for (let at = from; at < to; at += 15 * 60_000) instants.push(at + 7 * 60_000);
  }
  return instants;
})();

describe('times without a zone (the process zone, from Date) and with it (Intl)', () => {
  const before = process.env['TZ'];
  afterEach(() => {
    if (before === undefined) delete process.env['TZ'];
    else process.env['TZ'] = before;
  });

  for (const zone of ZONES) {
    it(`write the same in ${zone}`, () => {
      process.env['TZ'] = zone;
      expect(INSTANTS.length).toBeGreaterThan(20_000);
      const differing: string[] = [];
      for (const at of INSTANTS) {
        const local = [formatWallTime(at), formatClock(at), CONVENTIONS.lt.dateTime(at), CONVENTIONS.lt.time(at)];
        const zoned = [formatWallTime(at, zone), formatClock(at, zone), CONVENTIONS.lt.dateTime(at, zone), CONVENTIONS.lt.time(at, zone)];
        if (local.join('|') !== zoned.join('|')) differing.push(`${new Date(at).toISOString()}: ${local.join(' ')} vs ${zoned.join(' ')}`);
      }
      expect(differing.slice(0, 5)).toEqual([]);
    });
  }

  it('follow the process zone: one instant is a different hour in Vilnius and in New York', () => {
    const at = Date.UTC(2026, 10, 21, 12, 5);
    process.env['TZ'] = 'Europe/Vilnius';
    expect(formatWallTime(at)).toBe('2026-11-21 14:05');
    process.env['TZ'] = 'America/New_York';
    expect(formatWallTime(at)).toBe('2026-11-21 07:05');
  });
});
