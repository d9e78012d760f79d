import { afterEach, describe, expect, it } from 'vitest';
import { KEYS, type Key } from '../devices/keypad/keypad-port.js';
import { language } from '../i18n/messages.js';
import { pick, type Text } from './text.js';
import type { UiActions } from './terminal-ui.js';
import { counter, stopCounters, type Counter } from '../../test/support/ui/counter.js';
import type { ScreenName } from './ui-state.js';

/**
 * Every key on every screen: what it does there, or, where it does nothing, a hint that says
 * which keys do. A key is never dropped in silence: after every press the display shows
 * something else than before (the hint when nothing else changed).
 */

afterEach(stopCounters);

const hints = language('en').t.display.keyHints;
const refusals = language('en').t.display.refusals;
const refundTexts = language('en').t.display.refund;

/** What a key leads to: a screen (with no refusal showing), a hint over the same screen, or a refusal. */
type Outcome = ScreenName | { hint: Text } | { refusal: Text; on: ScreenName };

/** Menu actions that never finish, so the busy screen stays up. */
const actions: UiActions = {
  reprintLast: () => new Promise<void>(() => {}),
  printTableCards: () => new Promise<void>(() => {}),
  printDayReport: () => new Promise<void>(() => {}),
};

async function setUp(screen: ScreenName): Promise<Counter> {
  const c = await counter({ actions, centrapay: true, ui: { supervisorPin: '4321' } });
  c.engine.setWaiting(['TABLE12']);
  c.engine.addPaidSale(1, 500);
  const to: Record<Exclude<ScreenName, 'closed'>, string> = {
    idle: '',
    'table-entry': 'A',
    'amount-entry': 'A12#',
    'scan-code': 'B1299#',
    waiting: 'A12#1299#',
    'confirm-cancel': 'A12#1299#D',
    result: 'A12#1299#',
    menu: 'D',
    status: 'D4',
    busy: 'D1',
    'refund-pin': 'D6',
    'refund-number': 'D64321#',
    'refund-confirm': 'D64321##',
    'refund-waiting': 'D64321###',
  };
  if (screen === 'closed') {
    await c.ui.stop();
    return c;
  }
  await c.type(to[screen]);
  if (screen === 'result') {
    const sale = c.engine.openSales()[0]!;
    c.engine.advance(sale.id, 'order_created');
    c.engine.advance(sale.id, 'reserved');
    c.engine.advance(sale.id, 'confirmed');
    await c.settle();
  }
  expect(c.ui.snapshot()?.screen.name).toBe(screen);
  return c;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** The table: for each screen, what each key does (keys not listed give that screen's hint). */
const TABLE: { screen: ScreenName; hint: Text | undefined; keys: Partial<Record<Key, Outcome>> }[] = [
  {
    screen: 'idle',
    hint: hints.idle,
    keys: { A: 'table-entry', B: 'amount-entry', C: 'amount-entry', D: 'menu' },
  },
  {
    screen: 'table-entry',
    hint: hints.tableEntry,
    // 0 cannot start a table number.
    keys: { ...Object.fromEntries(DIGITS.map((d) => [d, 'table-entry'])), D: 'idle', '*': 'idle', '#': { refusal: refusals.typeTable, on: 'table-entry' } },
  },
  {
    screen: 'amount-entry',
    hint: hints.amountEntry,
    keys: { ...Object.fromEntries(DIGITS.map((d) => [d, 'amount-entry'])), D: 'idle', '*': 'table-entry', '#': { refusal: refusals.typeAmount, on: 'amount-entry' } },
  },
  { screen: 'scan-code', hint: hints.scanCode, keys: { D: 'confirm-cancel', '*': 'confirm-cancel' } },
  { screen: 'waiting', hint: hints.waiting, keys: { D: 'confirm-cancel', '*': 'idle' } },
  { screen: 'confirm-cancel', hint: hints.confirmCancel, keys: { '#': 'waiting', '*': 'waiting' } },
  {
    screen: 'result',
    hint: undefined,
    // As on idle for A-D (staff type ahead); every other key dismisses the result.
    keys: { ...Object.fromEntries(KEYS.map((k) => [k, 'idle'])), A: 'table-entry', B: 'amount-entry', C: 'amount-entry', D: 'menu' },
  },
  { screen: 'menu', hint: hints.menu, keys: { '1': 'busy', '2': 'busy', '3': 'busy', '4': 'status', '5': 'table-entry', '6': 'refund-pin', '*': 'idle', D: 'idle' } },
  { screen: 'status', hint: hints.status, keys: { '#': 'status', '*': 'menu', D: 'idle' } },
  { screen: 'busy', hint: hints.busy, keys: {} },
  {
    screen: 'refund-pin',
    hint: hints.refundPin,
    keys: { ...Object.fromEntries([...DIGITS, '0'].map((d) => [d, 'refund-pin'])), D: 'idle', '*': 'menu', '#': { refusal: refundTexts.pinLength, on: 'refund-pin' } },
  },
  {
    screen: 'refund-number',
    hint: hints.refundNumber,
    // 0 cannot start a receipt number; # alone takes the last paid sale.
    keys: { ...Object.fromEntries(DIGITS.map((d) => [d, 'refund-number'])), D: 'idle', '*': 'menu', '#': 'refund-confirm' },
  },
  { screen: 'refund-confirm', hint: hints.refundConfirm, keys: { '#': 'refund-waiting', '*': 'refund-number', D: 'idle' } },
  { screen: 'refund-waiting', hint: hints.refundWaiting, keys: { '*': 'idle', D: 'idle' } },
];

describe('every key on every screen', () => {
  for (const row of TABLE) {
    for (const key of KEYS) {
      const expected: Outcome = row.keys[key] ?? { hint: row.hint ?? [] };
      const name = typeof expected === 'string' ? expected : 'hint' in expected ? 'a hint' : `a refusal on ${expected.on}`;
      it(`${row.screen}: ${key} -> ${name}`, async () => {
        const c = await setUp(row.screen);
        const before = c.screen();
        await c.type(key);
        const state = c.ui.snapshot()!;
        if (typeof expected === 'string') {
          expect(state.screen.name).toBe(expected);
          expect(state.flash).toBeUndefined();
        } else if ('hint' in expected) {
          expect(state.screen.name).toBe(row.screen);
          expect(state.flash).toEqual(expected.hint);
          expect(c.screen()[0]).toBe(pick(expected.hint, 16));
        } else {
          expect(state.screen.name).toBe(expected.on);
          expect(state.flash).toEqual(expected.refusal);
        }
        // Something visible happened.
        expect(c.screen()).not.toEqual(before);
        expect(c.errors).toEqual([]);
      });
    }
  }

  it('closed: the terminal has stopped and no key reaches it', async () => {
    const c = await setUp('closed');
    for (const key of KEYS) await c.type(key);
    expect(c.screen()).toEqual(['     Closed', '']);
  });

  it('the table covers every screen', () => {
    const covered = new Set<ScreenName>([...TABLE.map((r) => r.screen), 'closed']);
    const all: ScreenName[] = ['idle', 'table-entry', 'amount-entry', 'scan-code', 'waiting', 'confirm-cancel', 'result', 'menu', 'status', 'busy', 'closed', 'refund-pin', 'refund-number', 'refund-confirm', 'refund-waiting'];
    expect([...covered].sort()).toEqual([...all].sort());
  });
});

describe('typing ahead', () => {
  it('B500# right after PAID starts the code sale: B is not used up dismissing the result', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#1299#');
    const sale = c.engine.openSales()[0]!;
    c.engine.advance(sale.id, 'order_created');
    c.engine.advance(sale.id, 'reserved');
    c.engine.advance(sale.id, 'confirmed');
    await c.settle();
    expect(c.screen()[0]).toContain('PAID 12.99');
    await c.type('B500#');
    expect(c.engine.callsOf('startCodeSale')).toEqual([[500]]);
    expect(c.screen()).toEqual(['Code sale   5.00', 'Scan code']);
  });

  it('digits on idle are not lost in silence: the hint says how to start', async () => {
    const c = await counter();
    await c.type('500#');
    expect(c.screen()[0]).toBe('ABC sale  D menu');
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });
});
