import type { Key } from '../../devices/keypad/keypad-port.js';
import { amountMinor, checkAmount, popDigit, pushDigit } from '../amount-digits.js';
import { amountText } from '../screens/common.js';
import { MENU_ITEMS } from '../screens/menu.js';
import { tableByNumber } from '../tables.js';
import type { Text } from '../text.js';
import type { Screen } from '../ui-state.js';
import { runPrint } from './busy-work.js';
import { keyRefund, openRefund } from './refund-steps.js';
import { askCancel, backFromQuestion, chooseOrderToCancel, chooseTable, confirmCancel, startSale } from './sale-steps.js';
import { clearFlash, command, flash, go, notice, sound, texts, type Step } from './step.js';

/**
 * What each key does on each screen. A key that does nothing on a screen is answered with the
 * keys that do (a hint over the first line, with the refusal's beep): never dropped in silence.
 */

/** A key press: the click, a refusal on show goes, then what the key does here (or the hint). */
export function pressKey(s: Step, key: Key): Step {
  const clicked = clearFlash(sound(s, 'click'));
  return keyOn(clicked, key) ?? flash(clicked, keyHint(clicked.state.screen, clicked));
}

/** Does what `key` does on the screen; undefined when it does nothing there. */
function keyOn(s: Step, key: Key): Step | undefined {
  const screen = s.state.screen;
  switch (screen.name) {
    case 'idle':
      return keyIdle(s, key);
    case 'table-entry':
      return keyTableEntry(s, screen, key);
    case 'amount-entry':
      return keyAmountEntry(s, screen, key);
    case 'scan-code':
      if (key !== 'D' && key !== '*') return undefined;
      return go(s, { name: 'confirm-cancel', sale: screen.sale, back: screen });
    case 'waiting':
      // * leaves the sale going on without the screen: idle counts it as pending and announces its end.
      if (key === '*') return go(s, { name: 'idle' });
      return key === 'D' ? askCancel(s, screen) : undefined;
    case 'confirm-cancel':
      if (key === '*') return backFromQuestion(s, screen.back);
      return key === '#' ? confirmCancel(s, screen) : undefined;
    case 'result':
      // Staff type ahead: right after PAID the next sale's key starts it (or D opens the menu)
      // as on idle. Any other key only dismisses the result.
      if (key === 'A' || key === 'B' || key === 'C' || key === 'D') return keyIdle(s, key);
      return go(s, { name: 'idle' });
    case 'menu':
      return keyMenu(s, key);
    case 'status':
      if (key === '#') return command(go(s, { name: 'status', page: screen.page + 1 }), { type: 'checkPrinter' });
      if (key === '*') return go(s, { name: 'menu' });
      if (key === 'D') return go(s, { name: 'idle' });
      return undefined;
    case 'busy':
      // A menu action is at work; its outcome replaces this screen.
      return undefined;
    case 'closed':
      // Keys are no longer listened to once the terminal has stopped.
      return s;
    case 'refund-pin':
    case 'refund-number':
    case 'refund-confirm':
    case 'refund-waiting':
      return keyRefund(s, screen, key);
  }
}

/** What the keys do on `screen`, for a key that does nothing there. */
function keyHint(screen: Screen, s: Step): Text {
  const hints = texts(s.state).keyHints;
  switch (screen.name) {
    case 'table-entry':
      return hints.tableEntry;
    case 'amount-entry':
      return hints.amountEntry;
    case 'scan-code':
      return hints.scanCode;
    case 'waiting':
      return hints.waiting;
    case 'confirm-cancel':
      return hints.confirmCancel;
    case 'menu':
      return hints.menu;
    case 'status':
      return hints.status;
    case 'busy':
      return hints.busy;
    case 'refund-pin':
      return hints.refundPin;
    case 'refund-number':
      return hints.refundNumber;
    case 'refund-confirm':
      return hints.refundConfirm;
    case 'refund-waiting':
      return hints.refundWaiting;
    default:
      return hints.idle;
  }
}

function keyIdle(s: Step, key: Key): Step | undefined {
  if (key === 'A') return go(s, { name: 'table-entry', purpose: 'sale', digits: '' });
  if (key === 'B') return go(s, { name: 'amount-entry', purpose: { kind: 'code' }, digits: '' });
  if (key === 'C') {
    const { notices } = texts(s.state);
    if (!s.state.settings.centrapay) return notice(s, notices.centrapay, notices.notConfigured, 'failure');
    return go(s, { name: 'amount-entry', purpose: { kind: 'centrapay' }, digits: '' });
  }
  if (key === 'D') return go(s, { name: 'menu' });
  return undefined;
}

function keyTableEntry(s: Step, screen: Extract<Screen, { name: 'table-entry' }>, key: Key): Step | undefined {
  if (/^\d$/.test(key)) {
    // Six digits is more than any counter has tables; beyond that a key is a slip.
    if (screen.digits.length >= 6 || (screen.digits === '' && key === '0')) return undefined;
    return go(s, { ...screen, digits: screen.digits + key });
  }
  if (key === '*') {
    if (screen.digits.length > 0) return go(s, { ...screen, digits: popDigit(screen.digits) });
    return go(s, screen.purpose === 'cancel' ? { name: 'menu' } : { name: 'idle' });
  }
  if (key === 'D') return go(s, { name: 'idle' });
  if (key !== '#') return undefined;
  const t = texts(s.state);
  if (screen.digits.length === 0) return flash(s, t.refusals.typeTable);
  const number = Number.parseInt(screen.digits, 10);
  const table = tableByNumber(s.state.ctx.tables, number);
  if (table === undefined) {
    // Another counter's table (paysera.otherTables): said in one line, nothing sent.
    const other = tableByNumber(s.state.ctx.otherTables ?? [], number);
    return flash(s, other === undefined ? t.refusals.noTable(number) : t.refusals.otherTill(number));
  }
  return screen.purpose === 'cancel' ? chooseOrderToCancel(s, table, screen) : chooseTable(s, table, number);
}

function keyAmountEntry(s: Step, screen: Extract<Screen, { name: 'amount-entry' }>, key: Key): Step | undefined {
  if (/^\d$/.test(key)) {
    const digits = pushDigit(screen.digits, key);
    // A leading zero, or a digit past the longest amount, changes nothing.
    if (digits === screen.digits) return undefined;
    return go(s, { ...screen, digits });
  }
  if (key === '*') {
    if (screen.digits.length > 0) return go(s, { ...screen, digits: popDigit(screen.digits) });
    return go(s, screen.purpose.kind === 'table' ? { name: 'table-entry', purpose: 'sale', digits: '' } : { name: 'idle' });
  }
  if (key === 'D') return go(s, { name: 'idle' });
  if (key !== '#') return undefined;
  const minor = amountMinor(screen.digits);
  const max = s.state.ctx.maxAmountMinor;
  const refusal = checkAmount(minor, max);
  const t = texts(s.state);
  if (refusal === 'zero') return flash(s, t.refusals.typeAmount);
  if (refusal === 'over_max') return flash(s, t.refusals.overMax(amountText(max, s.state.ctx)));
  return startSale(s, screen.purpose, minor);
}

function keyMenu(s: Step, key: Key): Step | undefined {
  if (key === '*' || key === 'D') return go(s, { name: 'idle' });
  const item = (MENU_ITEMS as Record<string, (typeof MENU_ITEMS)[keyof typeof MENU_ITEMS] | undefined>)[key];
  if (item === 'reprint') return runPrint(s, 'reprintLast');
  if (item === 'table-cards') return runPrint(s, 'printTableCards');
  if (item === 'day-report') return runPrint(s, 'printDayReport');
  // The status pages show the printer as it answers now, not as it did at the last print.
  if (item === 'status') return command(go(s, { name: 'status', page: 0 }), { type: 'checkPrinter' });
  if (item === 'cancel-order') return go(s, { name: 'table-entry', purpose: 'cancel', digits: '' });
  if (item === 'refund') return openRefund(s);
  return undefined;
}
