import { printerLine } from '../messages.js';
import { pick, twoColumn, type Lines, type Text } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';
import { clockText } from './idle.js';
import { pendingSales, queuedOperations } from './common.js';

/**
 * Status (menu 3): network, clock, queue and printer, then sales; `#` pages on, `*` goes back.
 *
 *   Network: online  1/3    Queue: 2         2/3    Open sales: 1    3/3
 *   Clock 12:34 synced      Printer: OK             Need person: 0
 */

export const STATUS_PAGES = 3;

function network(online: boolean | undefined): Text {
  if (online === undefined) return ['Network: checking', 'Net: checking'];
  return online ? ['Network: online', 'Net: online'] : ['Network: offline', 'Net: offline'];
}

function clock(ctx: UiContext): Text {
  const time = clockText(ctx.wallMs, ctx.timeZone);
  // "synced" means the signing clock has been set from Paysera's server time.
  return ctx.status.clockSynced ? [`Clock ${time} synced`, 'Clock: synced'] : [`Clock ${time} not sync`, 'Clock: not sync'];
}

function printer(ctx: UiContext): Text {
  if (ctx.printer.state === 'ok') return 'Printer: OK';
  if (ctx.printer.state === 'unknown') return ['Printer: not checked', 'Printer: ?'];
  return printerLine(ctx.printer.code);
}

export function pageLines(page: number, ctx: UiContext): [Text, Text] {
  if (page === 0) return [network(ctx.status.online), clock(ctx)];
  if (page === 1) {
    const queued = queuedOperations(ctx.status);
    return [[`Queue: ${queued} to send`, `Queue: ${queued}`], printer(ctx)];
  }
  return [[`Open sales: ${pendingSales(ctx)}`, `Open: ${pendingSales(ctx)}`], [`Need a person: ${ctx.status.needsHuman}`, `Need person: ${ctx.status.needsHuman}`, `Person: ${ctx.status.needsHuman}`]];
}

export function render(state: ScreenState<'status'>, width: number): Lines {
  const page = ((state.screen.page % STATUS_PAGES) + STATUS_PAGES) % STATUS_PAGES;
  const [first, second] = pageLines(page, state.ctx);
  return [twoColumn(first, `${page + 1}/${STATUS_PAGES}`, width), pick(second, width)];
}
