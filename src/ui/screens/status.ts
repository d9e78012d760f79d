import { printerLine } from '../error-lines.js';
import { pick, twoColumn, type Lines, type Text } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';
import { clockText } from './idle.js';
import { pendingSales, queuedOperations } from './common.js';

/**
 * Status (menu 4): network, clock, queue and printer, sales, then the scanner and the buzzer;
 * `#` pages on, `*` goes back.
 *
 *   Network: online  1/4    Queue: 2         2/4    Open sales: 1    3/4    Scanner: OK      4/4
 *   Clock 12:34 synced      Printer: OK             Need person: 0          Buzzer: OK
 */

export const STATUS_PAGES = 4;

function network(ctx: UiContext): Text {
  const t = ctx.lang.t.display.status;
  if (ctx.status.online === undefined) return t.networkChecking;
  return ctx.status.online ? t.networkOnline : t.networkOffline;
}

function clock(ctx: UiContext): Text {
  const t = ctx.lang.t.display.status;
  const time = clockText(ctx);
  // "synced" means the signing clock has been set from Paysera's server time.
  return ctx.status.clockSynced ? t.clockSynced(time) : t.clockNotSynced(time);
}

/**
 * The printer as it last answered: OK or paper low only when it said so (DLE EOT); a printer that
 * cannot be asked (`file:`) or did not answer is "printed, not checked" once a job went out, and
 * "not checked" before.
 */
function printer(ctx: UiContext): Text {
  const t = ctx.lang.t.display.status;
  const p = ctx.printer;
  if (p.state === 'problem') return printerLine(p.code, ctx.lang.t.display);
  if (p.state === 'unknown') return t.printerUnknown;
  if (p.paper === 'near_end') return t.printerPaperLow;
  if (p.paper === 'ok') return t.printerOk;
  return p.printed === true ? t.printerPrintedNotChecked : t.printerUnknown;
}

export function pageLines(page: number, ctx: UiContext): [Text, Text] {
  const t = ctx.lang.t.display.status;
  if (page === 0) return [network(ctx), clock(ctx)];
  if (page === 1) return [t.queue(queuedOperations(ctx.status)), printer(ctx)];
  if (page === 2) return [t.openSales(pendingSales(ctx)), t.needPerson(ctx.status.needsHuman)];
  const scanner = ctx.scannerConnected === undefined ? t.scannerNone : ctx.scannerConnected ? t.scannerOk : t.scannerCable;
  const buzzer = ctx.buzzer === undefined ? t.buzzerNone : ctx.buzzer === 'ok' ? t.buzzerOk : t.buzzerFailed;
  return [scanner, buzzer];
}

export function render(state: ScreenState<'status'>, width: number): Lines {
  const page = ((state.screen.page % STATUS_PAGES) + STATUS_PAGES) % STATUS_PAGES;
  const [first, second] = pageLines(page, state.ctx);
  return [twoColumn(first, `${page + 1}/${STATUS_PAGES}`, width), pick(second, width)];
}
