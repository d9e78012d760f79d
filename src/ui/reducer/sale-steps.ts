import type { TableConfig } from '../../config/load-config.js';
import { isOpenSaleState, saleOutcome } from '../../domain/sale.js';
import { sameIdentifier } from '../../domain/spot-code.js';
import type { SaleChange } from '../../engine/engine-api.js';
import type { SaleRecord } from '../../store/types.js';
import { errorLine } from '../error-lines.js';
import { tablesWithOrders } from '../screens/table-entry.js';
import { cancellable } from '../screens/waiting.js';
import { tableLabels } from '../tables.js';
import type { AmountPurpose, Screen } from '../ui-state.js';
import { runBusy } from './busy-work.js';
import type { UiEvent } from './events.js';
import { announcedKey } from './outcomes.js';
import { announce, command, failed, flash, go, notice, replace, setContext, showSale, texts, withSale, type Step } from './step.js';

/**
 * A sale from the counter's side: picking the table, starting the sale, and what the engine
 * answers. The engine decides and journals; the UI only asks and shows the answer.
 */

/** From a table pick that happened on idle (a card scanned there), refusals show on table entry. */
function tableEntryIfIdle(s: Step): Step {
  return s.state.screen.name === 'idle' ? go(s, { name: 'table-entry', purpose: 'sale', digits: '' }) : s;
}

/** A table picked by number or card: it must have a customer and no sale under way. */
export function chooseTable(s: Step, table: TableConfig, ref: string | number): Step {
  const { ctx } = s.state;
  const t = texts(s.state);
  const labels = tableLabels(table, t);
  if (!ctx.waiting.some((w) => sameIdentifier(w.table.id, table.id))) return flash(tableEntryIfIdle(s), t.refusals.noCustomer(labels));
  if (ctx.openSales.some((sale) => sale.kind === 'table' && sale.tableId !== undefined && sameIdentifier(sale.tableId, table.id))) {
    return flash(tableEntryIfIdle(s), t.refusals.tableBusy(labels));
  }
  return go(s, { name: 'amount-entry', purpose: { kind: 'table', table, ref }, digits: '' });
}

/** A table picked to cancel its pending order (menu 5): the question, or why not. */
export function chooseOrderToCancel(s: Step, table: TableConfig, back: Extract<Screen, { name: 'table-entry' }>): Step {
  const sale = s.state.ctx.openSales.find((open) => open.kind === 'table' && open.tableId !== undefined && sameIdentifier(open.tableId, table.id));
  const t = texts(s.state);
  if (sale === undefined || !tablesWithOrders(s.state.ctx).includes(table)) {
    if (sale?.state === 'cancelling') return flash(s, t.refusals.alreadyCancelling);
    if (sale !== undefined) return flash(s, errorLine({ code: 'cancel_too_late' }, t));
    return flash(s, t.refusals.noOrder(tableLabels(table, t)));
  }
  return go(s, { name: 'confirm-cancel', sale, back: { ...back, digits: '' } });
}

/** The amount is accepted: the engine starts the sale (a Centrapay start waits on the busy screen). */
export function startSale(s: Step, purpose: AmountPurpose, minor: number): Step {
  if (purpose.kind === 'centrapay') {
    const { notices } = texts(s.state);
    if (!s.state.settings.centrapay) return notice(s, notices.centrapay, notices.notConfigured, 'failure');
    return runBusy(s, { kind: 'startCentrapaySale', minor });
  }
  if (purpose.kind === 'table') return command(s, { type: 'engine', request: { call: 'startTableSale', table: purpose.ref, minor } });
  return command(s, { type: 'engine', request: { call: 'startCodeSale', minor } });
}

/** A reservation code scanned for the code sale on screen: the engine records it and sends it once. */
export function submitCode(s: Step, sale: SaleRecord, code: string): Step {
  return command(s, { type: 'engine', request: { call: 'submitReservationCode', saleId: sale.id, code } });
}

/** D on a sale under way: the question when it can still be cancelled, else why not. */
export function askCancel(s: Step, screen: Extract<Screen, { name: 'waiting' }>): Step {
  const { sale } = screen;
  const t = texts(s.state);
  if (cancellable(sale)) return go(s, { name: 'confirm-cancel', sale, back: screen });
  if (sale.state === 'cancelling' || sale.state === 'voiding') return flash(s, t.refusals.alreadyCancelling);
  return flash(s, errorLine({ code: 'cancel_too_late' }, t));
}

/** # on the question: the engine cancels (or says it is too late). */
export function confirmCancel(s: Step, screen: Extract<Screen, { name: 'confirm-cancel' }>): Step {
  return command(s, { type: 'engine', request: { call: 'cancelSale', saleId: screen.sale.id, back: screen.back } });
}

/**
 * The code sale's deadline passed with no code scanned (on its screen, or with its cancel question
 * left open): it is cancelled as D then # would, and the display says why. Undefined on other screens.
 */
export function codeSaleTimedOut(s: Step): Step | undefined {
  const screen = s.state.screen;
  const back = screen.name === 'confirm-cancel' ? screen.back : screen;
  if (back.name !== 'scan-code') return undefined;
  return command(s, { type: 'engine', request: { call: 'cancelSale', saleId: back.sale.id, back, noCode: true } });
}

/** Back to the screen the question came from, with its sale as the engine has it now (it may have been kept a while). */
export function backFromQuestion(s: Step, back: Screen): Step {
  const shown = go(s, back);
  return 'sale' in back ? command(shown, { type: 'engine', request: { call: 'getSale', saleId: back.sale.id } }) : shown;
}

/** The engine's latest record of the sale on screen. */
export function saleRead(s: Step, sale: SaleRecord): Step {
  const screen = withSale(s.state.screen, sale);
  return screen === s.state.screen ? s : replace(s, screen);
}

/** What the engine answered to a start, a code or a cancel. */
export function engineAnswered(s: Step, event: Extract<UiEvent, { type: 'engineAnswered' }>): Step {
  const { request, sale } = event;
  switch (request.call) {
    case 'startCodeSale':
      return go(s, { name: 'scan-code', sale });
    case 'startTableSale':
      // Offline, the sale is journaled and the engine carries it on later: nothing to wait for here.
      return s.state.ctx.status.online === false ? announce(s, 'queued', sale) : showSale(s, sale);
    case 'submitReservationCode':
      // Offline, the code is journaled and sent once the transaction exists: nothing to wait for here.
      return saleOutcome(sale) === undefined && s.state.ctx.status.online === false ? announce(s, 'queued', sale) : showSale(s, sale);
    case 'cancelSale': {
      const shown = showSale(s, sale);
      return request.noCode === true ? flash(shown, texts(s.state).notices.noCodeCancelled) : shown;
    }
  }
}

/** The engine refused: one line over the screen, which stays for correcting (a refused cancel goes back). */
export function engineRefused(s: Step, event: Extract<UiEvent, { type: 'engineRefused' }>): Step {
  const { request, error } = event;
  switch (request.call) {
    case 'startTableSale':
      return failed(s, error, 'start table sale');
    case 'startCodeSale':
      return failed(s, error, 'start code sale');
    case 'submitReservationCode':
      return failed(s, error, 'submit code');
    case 'cancelSale':
      return failed(backFromQuestion(s, request.back), error, 'cancel sale');
    case 'getSale':
      // A read that fails is a bug (the store is local): logged whatever its code.
      return flash(command(s, { type: 'log', error, during: 'read sale' }), errorLine(error, texts(s.state)));
  }
}

/**
 * The engine changed a sale. Its screen follows it, and leaves for the result when it has an
 * outcome. A sale that ends while staff are not watching it (they pressed *, or the terminal
 * restarted mid-sale) is announced when the counter is idle; typing is never interrupted, and
 * no outcome is announced twice.
 */
export function saleChanged(s: Step, change: SaleChange): Step {
  const { sale, previous } = change;
  const others = s.state.ctx.openSales.filter((open) => open.id !== sale.id);
  const counted = setContext(s, { openSales: isOpenSaleState(sale.state) ? [...others, sale] : others });

  const outcome = saleOutcome(sale);
  const screen = counted.state.screen;
  if ('sale' in screen && screen.sale.id === sale.id) {
    // A refund's screens show a paid sale on purpose: its journal moving (the refund op) is not news.
    if (screen.name.startsWith('refund-')) return replace(counted, withSale(screen, sale));
    if (outcome !== undefined) return announce(counted, outcome, sale);
    if (screen.name === 'confirm-cancel') return replace(counted, { ...screen, sale, back: withSale(screen.back, sale) });
    return replace(counted, withSale(screen, sale));
  }
  const changedOutcome = outcome !== undefined && (previous === undefined || saleOutcome({ state: previous, resolvedPaid: undefined }) !== outcome);
  const fresh = changedOutcome && !counted.state.announced.includes(announcedKey(sale.id, outcome));
  return fresh && screen.name === 'idle' && counted.state.flash === undefined ? announce(counted, outcome, sale) : counted;
}
