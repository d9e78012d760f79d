import { describe, expect, it } from 'vitest';
import type { TableConfig } from '../../config/load-config.js';
import type { Key } from '../../devices/keypad/keypad-port.js';
import { language } from '../../i18n/messages.js';
import type { SaleRecord } from '../../store/types.js';
import type { Screen, TerminalState, UiContext, UiSettings } from '../ui-state.js';
import type { UiCommand, UiEvent } from './events.js';
import { initialState, reduce } from './reduce.js';
import type { Step } from './step.js';

/**
 * The UI reducer on its own: a state and an event in, the next state and the commands out. No
 * shell, no ports, no clock: what TerminalUi would do is read from the commands.
 */

const t = language('en').t.display;

const tables: TableConfig[] = [
  { id: 'TABLE7', number: 7, name: 'TABLE7' },
  { id: 'TABLE12', number: 12, name: 'TABLE12' },
];
const table12 = tables[1]!;

const settings: UiSettings = { resultHoldMs: 4_000, flashMs: 2_500, inactivityMs: 60_000, actions: true, centrapay: false, codeScanMs: 120_000 };

function ctx(patch: Partial<UiContext> = {}): UiContext {
  return {
    lang: language('en'),
    wallMs: 0,
    timeZone: 'UTC',
    currency: 'EUR',
    maxAmountMinor: 50_000,
    tables,
    waiting: [{ table: table12, spotId: 1000 }],
    status: { online: true, queue: {}, needsHuman: 0, openSales: 0, clockSynced: true },
    printer: { state: 'ok' },
    scannerConnected: true,
    buzzer: undefined,
    openSales: [],
    ...patch,
  };
}

function sale(patch: Partial<SaleRecord> = {}): SaleRecord {
  return {
    id: 'sale-1',
    kind: 'table',
    state: 'created',
    amount: { minor: 1299, currency: 'EUR' },
    tableId: 'TABLE12',
    spotId: 1000,
    version: 1,
    createdWallMs: 0,
    updatedWallMs: 0,
    closedWallMs: undefined,
    ...patch,
  };
}

function on(screen: Screen, patch: Partial<TerminalState> = {}, context: Partial<UiContext> = {}): TerminalState {
  return { ...initialState(ctx(context), settings), screen, ...patch };
}

/** Feeds the events in turn, as the shell would; the commands of every step, in order. */
function run(state: TerminalState, ...events: UiEvent[]): Step {
  return events.reduce<Step>((s, event) => {
    const next = reduce(s.state, event);
    return { state: next.state, commands: [...s.commands, ...next.commands] };
  }, { state, commands: [] });
}

const press = (key: Key): UiEvent => ({ type: 'key', key });
const sounds = (commands: readonly UiCommand[]): string[] => commands.flatMap((c) => (c.type === 'sound' ? [c.signal] : []));
const engineCalls = (commands: readonly UiCommand[]): unknown[] => commands.flatMap((c) => (c.type === 'engine' ? [c.request] : []));

describe('the UI reducer', () => {
  it('a key that leads on: the click, the new screen, and the new screen\'s own timer', () => {
    const { state, commands } = reduce(on({ name: 'idle' }), press('A'));
    expect(state.screen).toEqual({ name: 'table-entry', purpose: 'sale', digits: '' });
    expect(state.generation).toBe(1);
    expect(commands).toEqual([
      { type: 'sound', signal: 'click' },
      { type: 'cancelTimer', timer: 'flash' },
      { type: 'setTimer', timer: 'screen', ms: 60_000, fire: { type: 'screenTimeout', generation: 1 } },
    ]);
  });

  it('a key that does nothing: the same screen, the hint over it, a refusal beep and the hint\'s timer', () => {
    const before = on({ name: 'idle' });
    const { state, commands } = reduce(before, press('5'));
    expect(state.screen).toBe(before.screen);
    expect(state.generation).toBe(before.generation);
    expect(state.flash).toEqual(t.keyHints.idle);
    expect(commands).toEqual([
      { type: 'sound', signal: 'click' },
      { type: 'sound', signal: 'failure' },
      { type: 'setTimer', timer: 'flash', ms: 2_500, fire: { type: 'flashTimeout' } },
    ]);
  });

  it('another counter\'s table (paysera.otherTables) is refused in one line and asks nothing of the engine', () => {
    const other: TableConfig = { id: 'TABLE3', number: 3, name: 'TABLE3' };
    const { state, commands } = run(on({ name: 'table-entry', purpose: 'sale', digits: '' }, {}, { otherTables: [other] }), press('3'), press('#'));
    expect(state.flash).toEqual(t.refusals.otherTill(3));
    expect(engineCalls(commands)).toEqual([]);
    expect(sounds(commands)).toContain('failure');
    // A number that is nobody's is still "no table".
    expect(run(on({ name: 'table-entry', purpose: 'sale', digits: '' }, {}, { otherTables: [other] }), press('7'), press('7'), press('#')).state.flash).toEqual(t.refusals.noTable(77));
  });

  it('a step never changes the state it was given', () => {
    const before = on({ name: 'amount-entry', purpose: { kind: 'table', table: table12, ref: 12 }, digits: '129' });
    const copy = JSON.stringify({ ...before, ctx: { ...before.ctx, lang: undefined } });
    run(before, press('9'), press('#'), { type: 'engineAnswered', request: { call: 'startTableSale', table: 12, minor: 1299 }, sale: sale() });
    expect(JSON.stringify({ ...before, ctx: { ...before.ctx, lang: undefined } })).toBe(copy);
  });

  it('# on an amount asks the engine; its answer shows the sale', () => {
    const typed = on({ name: 'amount-entry', purpose: { kind: 'table', table: table12, ref: 12 }, digits: '1299' });
    const asked = reduce(typed, press('#'));
    expect(engineCalls(asked.commands)).toEqual([{ call: 'startTableSale', table: 12, minor: 1299 }]);
    // Nothing is shown as started before the engine has journaled it.
    expect(asked.state.screen.name).toBe('amount-entry');
    const answered = reduce(asked.state, { type: 'engineAnswered', request: { call: 'startTableSale', table: 12, minor: 1299 }, sale: sale() });
    expect(answered.state.screen).toEqual({ name: 'waiting', sale: sale() });
  });

  it('offline, the answer is QUEUED, and no beep', () => {
    const typed = on({ name: 'amount-entry', purpose: { kind: 'table', table: table12, ref: 12 }, digits: '1299' }, {}, { status: { online: false, queue: {}, needsHuman: 0, openSales: 0, clockSynced: true } });
    const { state, commands } = run(typed, press('#'), { type: 'engineAnswered', request: { call: 'startTableSale', table: 12, minor: 1299 }, sale: sale() });
    expect(state.screen).toEqual({ name: 'result', outcome: { kind: 'queued', sale: sale() } });
    expect(sounds(commands)).toEqual(['click']);
  });

  it('a refusal from the engine: one line, logged only when it has no code', () => {
    const typed = on({ name: 'amount-entry', purpose: { kind: 'code' }, digits: '500' });
    const request = { call: 'startCodeSale', minor: 500 } as const;
    const coded = reduce(typed, { type: 'engineRefused', request, error: { code: 'invalid_amount' } });
    expect(coded.state.screen).toBe(typed.screen);
    expect(coded.state.flash).toEqual(t.errors['invalid_amount']);
    expect(coded.commands.some((c) => c.type === 'log')).toBe(false);
    const bug = new TypeError('boom');
    const uncoded = reduce(typed, { type: 'engineRefused', request, error: bug });
    expect(uncoded.state.flash).toEqual(t.errors.other);
    expect(uncoded.commands).toContainEqual({ type: 'log', error: bug, during: 'start code sale' });
  });

  it('a refused cancel goes back to the sale, reads it afresh, and says why', () => {
    const reserved = sale({ state: 'reserved' });
    const waiting: Screen = { name: 'waiting', sale: sale({ state: 'order_created' }) };
    const asking = on({ name: 'confirm-cancel', sale: waiting.sale, back: waiting });
    const asked = reduce(asking, press('#'));
    expect(engineCalls(asked.commands)).toEqual([{ call: 'cancelSale', saleId: 'sale-1', back: waiting }]);
    const refused = reduce(asked.state, { type: 'engineRefused', request: { call: 'cancelSale', saleId: 'sale-1', back: waiting }, error: { code: 'cancel_too_late' } });
    expect(refused.state.screen).toEqual(waiting);
    expect(refused.state.flash).toEqual(t.errors['cancel_too_late']);
    expect(engineCalls(refused.commands)).toEqual([{ call: 'getSale', saleId: 'sale-1' }]);
    const read = reduce(refused.state, { type: 'saleRead', sale: reserved });
    expect(read.state.screen).toEqual({ name: 'waiting', sale: reserved });
    // The refusal stays up: fresher data is not a new screen.
    expect(read.state.flash).toEqual(t.errors['cancel_too_late']);
    expect(read.commands).toEqual([]);
  });

  it('a timer of an older screen changes nothing', () => {
    const typing = reduce(on({ name: 'idle' }), press('D')).state;
    const stale = reduce(typing, { type: 'screenTimeout', generation: typing.generation - 1 });
    expect(stale.state).toBe(typing);
    expect(stale.commands).toEqual([]);
    expect(reduce(typing, { type: 'screenTimeout', generation: typing.generation }).state.screen).toEqual({ name: 'idle' });
  });

  it('a sale that ends while the counter is idle is announced there, once', () => {
    const paid = sale({ state: 'confirmed' });
    const first = reduce(on({ name: 'idle' }), { type: 'saleChanged', change: { sale: paid, previous: 'reserved' } });
    expect(first.state.screen).toEqual({ name: 'result', outcome: { kind: 'paid', sale: paid } });
    expect(sounds(first.commands)).toEqual(['success']);
    const back = reduce(first.state, { type: 'screenTimeout', generation: first.state.generation }).state;
    // A late event with the same outcome (the engine went on from an earlier state) is not shown again.
    const again = reduce(back, { type: 'saleChanged', change: { sale: sale({ state: 'done' }), previous: 'receipt_queued' } });
    expect(again.state.screen).toEqual({ name: 'idle' });
    expect(again.commands).toEqual([]);
    const late = reduce(back, { type: 'saleChanged', change: { sale: paid, previous: 'order_created' } });
    expect(late.state.screen).toEqual({ name: 'idle' });
  });

  it('a sale that ends while staff type is counted, not announced', () => {
    const typing = on({ name: 'amount-entry', purpose: { kind: 'code' }, digits: '12' });
    const open = reduce(typing, { type: 'saleChanged', change: { sale: sale({ state: 'order_created' }), previous: 'created' } });
    expect(open.state.ctx.openSales).toEqual([sale({ state: 'order_created' })]);
    const paid = reduce(open.state, { type: 'saleChanged', change: { sale: sale({ state: 'confirmed' }), previous: 'reserved' } });
    expect(paid.state.screen).toBe(typing.screen);
    expect(paid.commands).toEqual([]);
    const done = reduce(paid.state, { type: 'saleChanged', change: { sale: sale({ state: 'done' }), previous: 'receipt_queued' } });
    expect(done.state.ctx.openSales).toEqual([]);
  });

  it('scans: a code before B, a second code, a card of ours, and noise where nothing is scanned for', () => {
    const code = { kind: 'paysera-reservation', code: '1234567890123456' } as const;
    expect(reduce(on({ name: 'idle' }), { type: 'scan', classification: code }).state.flash).toEqual(t.refusals.pressBFirst);
    expect(reduce(on({ name: 'waiting', sale: sale({ kind: 'code' }) }), { type: 'scan', classification: code }).state.flash).toEqual(t.refusals.codeAlreadySent);
    const card = { kind: 'paysera-spot', code: 'PAYSERA*77:table12', locationId: 77, identifier: 'table12', ours: true } as const;
    expect(reduce(on({ name: 'idle' }), { type: 'scan', classification: card }).state.screen).toEqual({ name: 'amount-entry', purpose: { kind: 'table', table: table12, ref: 'TABLE12' }, digits: '' });
    const menu = on({ name: 'menu' });
    const ignored = reduce(menu, { type: 'scan', classification: card });
    expect(ignored.state).toBe(menu);
    expect(ignored.commands).toEqual([]);
  });

  it('a code scanned for the code sale goes to the engine', () => {
    const scanning = on({ name: 'scan-code', sale: sale({ kind: 'code', tableId: undefined }) });
    const { commands } = reduce(scanning, { type: 'scan', classification: { kind: 'paysera-reservation', code: '1234567890123456' } });
    expect(engineCalls(commands)).toEqual([{ call: 'submitReservationCode', saleId: 'sale-1', code: '1234567890123456' }]);
  });

  it('a print action: the busy screen and the work, then its outcome on that screen only', () => {
    const started = reduce(on({ name: 'menu' }), press('1'));
    expect(started.state.screen).toEqual({ name: 'busy', title: t.notices.copy, detail: t.notices.sendingToPrinter });
    const generation = started.state.generation;
    expect(started.commands).toContainEqual({ type: 'work', work: { kind: 'print', action: 'reprintLast' }, generation });
    const late = reduce(started.state, { type: 'printed', generation: generation - 1, action: 'reprintLast' });
    expect(late.state).toBe(started.state);
    const done = reduce(started.state, { type: 'printed', generation, action: 'reprintLast' });
    expect(done.state.screen).toEqual({ name: 'result', outcome: { kind: 'notice', title: t.notices.copy, detail: t.notices.sentToPrinter } });
    const failed = reduce(started.state, { type: 'workFailed', generation, work: { kind: 'print', action: 'reprintLast' }, error: { code: 'printer_paper_out' } });
    expect(failed.state.screen).toEqual({ name: 'result', outcome: { kind: 'notice', title: t.notices.copy, detail: t.printer['printer_paper_out'] } });
    expect(sounds(failed.commands)).toEqual(['failure']);
  });

  it('without the capability, C and the print items say Not configured and start nothing', () => {
    const bare = on({ name: 'idle' }, { settings: { ...settings, actions: false, centrapay: false } });
    const c = reduce(bare, press('C'));
    expect(c.state.screen).toEqual({ name: 'result', outcome: { kind: 'notice', title: t.notices.centrapay, detail: t.notices.notConfigured } });
    const print = run(bare, press('D'), press('2'));
    expect(print.state.screen).toEqual({ name: 'result', outcome: { kind: 'notice', title: t.notices.tableCards, detail: t.notices.notConfigured } });
    expect(print.commands.some((command) => command.type === 'work')).toBe(false);
  });

  it('a step that failed (a bug) leaves one line; stopping leaves Closed and ends the timers', () => {
    expect(reduce(on({ name: 'idle' }), { type: 'stepFailed', error: new Error('bug') }).state.flash).toEqual(t.errors.other);
    const stopped = reduce(on({ name: 'menu' }, { flash: 'x' }), { type: 'stopped' });
    expect(stopped.state.screen).toEqual({ name: 'closed' });
    expect(stopped.state.flash).toBeUndefined();
    expect(stopped.commands).toEqual([
      { type: 'cancelTimer', timer: 'flash' },
      { type: 'cancelTimer', timer: 'screen' },
    ]);
  });

  it('a code sale with no code scanned is cancelled at its deadline, through the same engine call as D then #, with a line saying why', () => {
    const codeSale = sale({ id: 'code-1', kind: 'code', tableId: undefined, spotId: undefined, state: 'created' });
    const started = run(on({ name: 'amount-entry', purpose: { kind: 'code' }, digits: '500' }), press('#'));
    expect(engineCalls(started.commands)).toEqual([{ call: 'startCodeSale', minor: 500 }]);
    const waiting = run(started.state, { type: 'engineAnswered', request: { call: 'startCodeSale', minor: 500 }, sale: codeSale });
    expect(waiting.state.screen).toEqual({ name: 'scan-code', sale: codeSale });
    expect(waiting.commands).toContainEqual({ type: 'setTimer', timer: 'screen', ms: 120_000, fire: { type: 'screenTimeout', generation: waiting.state.generation } });

    const timedOut = run(waiting.state, { type: 'screenTimeout', generation: waiting.state.generation });
    const request = { call: 'cancelSale', saleId: 'code-1', back: { name: 'scan-code', sale: codeSale }, noCode: true } as const;
    expect(engineCalls(timedOut.commands)).toEqual([request]);
    const cancelled = sale({ ...codeSale, state: 'cancelled', closedWallMs: 1 });
    const shown = run(timedOut.state, { type: 'engineAnswered', request, sale: cancelled });
    expect(shown.state.screen).toMatchObject({ name: 'result', outcome: { kind: 'cancelled' } });
    expect(shown.state.flash).toEqual(t.notices.noCodeCancelled);

    // A stale timer (the screen moved on) does nothing; the question left open over the sale ends the same way.
    expect(engineCalls(run(waiting.state, { type: 'screenTimeout', generation: waiting.state.generation - 1 }).commands)).toEqual([]);
    const asked = run(waiting.state, press('D'));
    expect(asked.state.screen).toMatchObject({ name: 'confirm-cancel' });
    expect(asked.commands).toContainEqual(expect.objectContaining({ type: 'setTimer', timer: 'screen', ms: 120_000 }));
    expect(engineCalls(run(asked.state, { type: 'screenTimeout', generation: asked.state.generation }).commands)).toEqual([request]);
  });

  it('opening the status pages, and each page, asks the printer', () => {
    const opened = run(on({ name: 'menu' }), press('4'));
    expect(opened.commands).toContainEqual({ type: 'checkPrinter' });
    expect(run(opened.state, press('#')).commands).toContainEqual({ type: 'checkPrinter' });
  });
});

