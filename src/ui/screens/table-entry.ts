import type { TableConfig } from '../../config/load-config.js';
import { tableById, tableKey } from '../tables.js';
import { displayWidth, fit, pick, twoColumn, variants, type Lines } from '../text.js';
import type { ScreenState, UiContext } from '../ui-state.js';

/**
 * Table number entry (A, then the number, then #), also used by the menu to pick the table whose
 * pending order is to be cancelled. The first line lists the tables that can be picked, so staff
 * see at a glance which tables have a customer checked in.
 *
 *   Waiting: 3 7 12       Orders: 12
 *   Table: 12      # OK   Cancel table: 12
 */

/** The prefix and as many items as fit in `width`; a trailing "+" says some were left out. */
export function listLine(prefixes: readonly string[], items: readonly string[], width: number): string {
  let best: { line: string; shown: number } | undefined;
  for (const prefix of prefixes) {
    let line = prefix;
    let shown = 0;
    for (const item of items) {
      const next = `${line} ${item}`;
      const roomForMore = shown + 1 < items.length ? 2 : 0;
      if (displayWidth(next) + roomForMore > width) break;
      line = next;
      shown += 1;
    }
    if (shown < items.length) line += ' +';
    // A shorter prefix is only worth it when it makes room for more tables.
    if (best === undefined || shown > best.shown) best = { line, shown };
  }
  return fit(best?.line ?? '', width);
}

function byNumber(a: TableConfig, b: TableConfig): number {
  return (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) || a.id.localeCompare(b.id);
}

/** Tables with a table sale that can still be cancelled. */
export function tablesWithOrders(ctx: UiContext): TableConfig[] {
  const out: TableConfig[] = [];
  for (const sale of ctx.openSales) {
    if (sale.kind !== 'table' || sale.tableId === undefined) continue;
    if (sale.state !== 'created' && sale.state !== 'order_created' && sale.state !== 'reserved') continue;
    const table = tableById(ctx.tables, sale.tableId);
    if (table !== undefined && !out.includes(table)) out.push(table);
  }
  return out.sort(byNumber);
}

export function render(state: ScreenState<'table-entry'>, width: number): Lines {
  const { screen, ctx } = state;
  const t = ctx.lang.t.display.tableEntry;
  const typed = screen.digits.length > 0 ? screen.digits : '_';
  if (screen.purpose === 'cancel') {
    const orders = tablesWithOrders(ctx).map(tableKey);
    const first = orders.length === 0 ? pick(t.noOrders, width) : listLine(variants(t.orders), orders, width);
    return [first, twoColumn(t.cancelTyped(typed), t.ok, width)];
  }
  const waiting = [...ctx.waiting.map((w) => w.table)].sort(byNumber).map(tableKey);
  const first = waiting.length === 0 ? pick(t.noneWaiting, width) : listLine(variants(t.waiting), waiting, width);
  return [first, twoColumn(t.typed(typed), t.ok, width)];
}
