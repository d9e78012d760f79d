import { CodedError } from '../platform/coded-error.js';

/**
 * Calendar days in a time zone, for the day report: a day is [local midnight, next local
 * midnight), 23 or 25 hours long on daylight-saving days. Computed with Intl, so any IANA zone
 * works whatever the process's own zone is.
 */

export class LocalDayError extends CodedError {
  declare readonly code: 'invalid_day' | 'invalid_time_zone';
}

/** The process's own zone, the one printed times and the idle clock use when ui.timeZone is not set. */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The zone the report uses: TZ from the environment (a leading ":" as POSIX allows is dropped),
 * else the system's. Throws LocalDayError('invalid_time_zone') for a name Intl does not know.
 */
export function resolveTimeZone(env: NodeJS.ProcessEnv): string {
  const fromEnv = env['TZ']?.replace(/^:/, '');
  const zone = fromEnv === undefined || fromEnv === '' ? systemTimeZone() : fromEnv;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch (error) {
    throw new LocalDayError('invalid_time_zone', `TZ "${zone}" is not a time zone name (e.g. Europe/Vilnius)`, { cause: error });
  }
  return zone;
}

function fields(wallMs: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(wallMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** How far the zone's clock is ahead of UTC at `wallMs`. */
function offsetMs(wallMs: number, timeZone: string): number {
  const f = fields(wallMs, timeZone);
  const whole = wallMs - (((wallMs % 1000) + 1000) % 1000);
  return Date.UTC(f.y, f.m - 1, f.d, f.h, f.mi, f.s) - whole;
}

function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the first guess may differ from the one at midnight itself (DST).
  const first = utcMidnight - offsetMs(utcMidnight, timeZone);
  return utcMidnight - offsetMs(first, timeZone);
}

/** "2026-11-21": the calendar day of `wallMs` in the zone. */
export function localDayOf(wallMs: number, timeZone: string): string {
  const f = fields(wallMs, timeZone);
  return `${String(f.y).padStart(4, '0')}-${String(f.m).padStart(2, '0')}-${String(f.d).padStart(2, '0')}`;
}

/** [fromWallMs, toWallMs) of the day `day` (YYYY-MM-DD) in the zone. Throws LocalDayError('invalid_day'). */
export function localDayBounds(day: string, timeZone: string): { fromWallMs: number; toWallMs: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const [y, m, d] = match === null ? [NaN, NaN, NaN] : [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (match === null || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new LocalDayError('invalid_day', `"${day}" is not a date as YYYY-MM-DD`);
  }
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return { fromWallMs: localMidnight(y, m, d, timeZone), toWallMs: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone) };
}
