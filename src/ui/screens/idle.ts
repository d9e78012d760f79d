import { printerLine } from '../messages.js';
import { center, pick, twoColumn, type Lines, type Text } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';
import { pendingSales, plural, queuedOperations } from './common.js';

/**
 * Idle: the clock and the number of tables waiting on the first line; the second line shows the
 * most urgent warning, else the pending sales, else which keys start a sale.
 *
 *   12:34  2 waiting      12:34  W2 P1
 *   1 sale pending        No net: 3 queued
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let found = formatters.get(key);
  if (found === undefined) {
    const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      found = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      // An unknown zone name must not take the terminal down: fall back to the system's zone.
      found = new Intl.DateTimeFormat('en-GB', options);
    }
    formatters.set(key, found);
  }
  return found;
}

/** "HH:MM" on a 24-hour clock. */
export function clockText(wallMs: number, timeZone: string | undefined): string {
  return formatter(timeZone).format(wallMs);
}

/**
 * The warning idle shows, most urgent first: a sale a person has to look at (its payment state
 * is unclear), no network (sales wait in the journal), the printer, the scanner, work still
 * queued, then a clock not known to be right (no RTC: receipts say so too). Undefined when all is
 * well.
 */
export function idleWarning(ctx: UiContext): Text | undefined {
  const human = ctx.status.needsHuman;
  if (human > 0) return [`${plural(human, 'sale needs', 'sales need')} a person`, `${human} need a person`, `Check: ${human} sale`];
  const queued = queuedOperations(ctx.status);
  if (ctx.status.online === false) {
    return queued > 0 ? [`No network - ${queued} queued`, `No net: ${queued} queued`, 'No network'] : ['No network', 'No network'];
  }
  if (ctx.printer.state === 'problem') return printerLine(ctx.printer.code);
  if (ctx.scannerConnected === false) return ['Scanner: check cable', 'Scanner: cable?'];
  if (queued > 0) return [`${plural(queued, 'operation', 'operations')} queued`, `${queued} ops queued`, `${queued} queued`];
  if (!ctx.status.clockSynced) return ['Clock not synced', 'Clock not set', 'Clock?'];
  return undefined;
}

export function render(state: ScreenState<'idle'>, width: number): Lines {
  const { ctx } = state;
  // A time not known to be right is marked wherever it shows.
  const time = `${clockText(ctx.wallMs, ctx.timeZone)}${ctx.status.clockSynced ? '' : '?'}`;
  const waiting = ctx.waiting.length;
  const pending = pendingSales(ctx);
  const warning = idleWarning(ctx);

  const waitingText = [waiting === 1 ? '1 table waiting' : `${waiting} tables waiting`, `${waiting} waiting`, `W${waiting}`];
  if (warning !== undefined) {
    // The warning takes the second line, so the pending count moves up beside the clock.
    const right = pending === 0 ? waitingText : [`${waiting} wait ${pending} open`, `W${waiting} P${pending}`];
    return [twoColumn(time, right, width), pick(warning, width)];
  }
  const second: Text = pending > 0 ? [plural(pending, 'sale pending', 'sales pending'), `${pending} pending`] : ['A table  B code', 'A table B code'];
  return [twoColumn(time, waitingText, width), center(second, width)];
}
