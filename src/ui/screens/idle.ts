import { printerLine } from '../error-lines.js';
import { center, pick, twoColumn, type Lines, type Text } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';
import { pendingSales, queuedOperations } from './common.js';

/**
 * Idle: the clock and the number of tables waiting on the first line; the second line shows the
 * most urgent warning, else the pending sales, else which keys start a sale.
 *
 *   12:34  2 waiting      12:34  W2 P1
 *   1 sale pending        No net: 3 queued
 */

/** "HH:MM" on a 24-hour clock, in the language's convention. */
export function clockText(ctx: Pick<UiContext, 'wallMs' | 'timeZone' | 'lang'>): string {
  return ctx.lang.format.time(ctx.wallMs, ctx.timeZone);
}

/** The retried write's kind as staff say it (`confirm`, `POS`), in the display's language. */
function writeLabel(ctx: UiContext, kind: string): string {
  const writes: Readonly<Record<string, Text>> = ctx.lang.t.display.writes;
  const label = writes[kind] ?? writes['other'];
  return typeof label === 'string' ? label : (label?.[0] ?? kind);
}

/**
 * The warning idle shows, most urgent first: a sale a person has to look at (its payment state
 * is unclear), no network (sales wait in the journal; since when, where it fits), the printer,
 * the scanner, a write being retried (what and since when), other work still queued, then a
 * clock not known to be right (no RTC: receipts say so too). Undefined when all is well.
 */
export function idleWarning(ctx: UiContext): Text | undefined {
  const w = ctx.lang.t.display.warnings;
  const human = ctx.status.needsHuman;
  if (human > 0) return w.needPerson(human);
  const queued = queuedOperations(ctx.status);
  const retrying = ctx.status.retrying;
  const since = retrying === undefined ? undefined : ctx.lang.format.time(retrying.sinceWallMs, ctx.timeZone);
  if (ctx.status.online === false) {
    if (queued === 0) return w.offline;
    return since === undefined ? w.offlineQueued(queued) : w.offlineQueuedSince(queued, since);
  }
  if (ctx.printer.state === 'problem') return printerLine(ctx.printer.code, ctx.lang.t.display);
  if (ctx.scannerConnected === false) return w.scannerCable;
  if (ctx.printer.state === 'ok' && ctx.printer.paper === 'near_end') return w.paperLow;
  if (retrying !== undefined && since !== undefined) return w.retrying(writeLabel(ctx, retrying.kind), since, retrying.count);
  if (queued > 0) return w.queued(queued);
  if (!ctx.status.clockSynced) return w.clockNotSynced;
  return undefined;
}

export function render(state: ScreenState<'idle'>, width: number): Lines {
  const { ctx } = state;
  const t = ctx.lang.t.display.idle;
  // A time not known to be right is marked wherever it shows.
  const time = `${clockText(ctx)}${ctx.status.clockSynced ? '' : '?'}`;
  const waiting = ctx.waiting.length;
  const pending = pendingSales(ctx);
  const warning = idleWarning(ctx);

  const waitingText = t.tablesWaiting(waiting);
  if (warning !== undefined) {
    // The warning takes the second line, so the pending count moves up beside the clock.
    const right = pending === 0 ? waitingText : t.waitingAndOpen(waiting, pending);
    return [twoColumn(time, right, width), pick(warning, width)];
  }
  const second: Text = pending > 0 ? t.salesPending(pending) : t.startHint;
  return [twoColumn(time, waitingText, width), center(second, width)];
}
