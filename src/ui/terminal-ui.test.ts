import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeDisplay } from '../devices/display/fake-display.js';
import { FakeKeypad } from '../devices/keypad/fake-keypad.js';
import { FakeClock } from '../platform/fake-clock.js';
import { TerminalUi, type UiActions } from './terminal-ui.js';
import { CODE, counter, LOCATION, stopCounters, tables, track, type Counter } from '../../test/support/ui/counter.js';
import { FakeEngine, FakeEngineError } from '../../test/support/ui/fake-engine.js';

afterEach(stopCounters);

/** A counter with a customer at table 12, a table sale started for 12.99 and on the waiting screen. */
async function tableSaleWaiting(columns = 16): Promise<Counter & { saleId: string }> {
  const c = await counter({ columns });
  c.engine.setWaiting(['TABLE12']);
  await c.type('A12#1299#');
  const [args] = c.engine.callsOf('startTableSale');
  expect(args).toEqual([12, 1299]);
  const sale = c.engine.openSales()[0];
  if (sale === undefined) throw new Error('no sale');
  return { ...c, saleId: sale.id };
}

describe('idle', () => {
  it('shows the clock, the waiting tables and the keys to start', async () => {
    const c = await counter();
    expect(c.screen()).toEqual(['12:34  0 waiting', 'A table  B code']);
    c.engine.setWaiting(['TABLE5', 'TABLE7']);
    await c.settle();
    expect(c.screen()[0]).toBe('12:34  2 waiting');
  });

  it('moves the clock on at the minute', async () => {
    const c = await counter();
    await c.clock.advance(49_999);
    expect(c.screen()[0]).toMatch(/^12:34/);
    await c.clock.advance(1);
    expect(c.screen()[0]).toMatch(/^12:35/);
    await c.clock.advance(60_000);
    expect(c.screen()[0]).toMatch(/^12:36/);
  });

  it('warns when offline, with operations queued, on a printer problem and when a person is needed', async () => {
    const c = await counter();
    c.engine.setStatus({ online: false, queue: { pending: 2, unknown: 1 } });
    await c.settle();
    expect(c.screen()[1]).toBe('No net: 3 queued');
    c.engine.setStatus({ online: true });
    await c.settle();
    expect(c.screen()[1]).toBe('3 ops queued');
    c.ui.setPrinterStatus({ state: 'problem', code: 'printer_paper_out' });
    await c.settle();
    expect(c.screen()[1]).toBe('Printer no paper');
    c.engine.setStatus({ needsHuman: 1 });
    await c.settle();
    expect(c.screen()[1]).toBe('1 need a person');
    c.engine.setStatus({ needsHuman: 0, queue: {} });
    c.ui.setPrinterStatus({ state: 'ok' });
    await c.settle();
    expect(c.screen()[1]).toBe('A table  B code');
  });

  it('warns while the scanner is unplugged', async () => {
    const c = await counter();
    c.scanner.unplug();
    await c.settle();
    expect(c.screen()[1]).toBe('Scanner: cable?');
    c.scanner.replug();
    await c.settle();
    expect(c.screen()[1]).toBe('A table  B code');
  });

  it('counts sales left open by an earlier run as pending', async () => {
    const clock = new FakeClock();
    const engine = new FakeEngine({ tables });
    engine.seed({ kind: 'table', state: 'order_created', tableId: 'TABLE7' });
    const display = new FakeDisplay({ columns: 16 });
    await display.start();
    const ui = new TerminalUi({ engine, display, keypad: new FakeKeypad(clock), clock, tables, currency: 'EUR', timeZone: 'UTC' });
    track(ui);
    await ui.start();
    await clock.advance(0);
    expect(display.lastText()?.[1]).toBe(' 1 sale pending');
  });
});

describe('table sale', () => {
  it('A 1 2 # 1 2 9 9 # starts the sale, waits, and shows PAID 12.99', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A');
    expect(c.screen()).toEqual(['Waiting: 12', 'Table: _    # OK']);
    await c.type('12');
    expect(c.screen()).toEqual(['Waiting: 12', 'Table: 12   # OK']);
    await c.type('#');
    expect(c.screen()).toEqual(['Table 12     EUR', 'Amount      0.00']);
    await c.type('1299');
    expect(c.screen()).toEqual(['Table 12     EUR', 'Amount     12.99']);
    await c.type('#');
    expect(c.engine.callsOf('startTableSale')).toEqual([[12, 1299]]);
    expect(c.screen()).toEqual(['Table 12   12.99', 'Sending order']);

    const saleId = c.engine.openSales()[0]!.id;
    c.engine.advance(saleId, 'order_created', { transactionKey: 'tk' });
    await c.settle();
    expect(c.screen()).toEqual(['Table 12   12.99', 'Awaiting payment']);
    c.engine.advance(saleId, 'reserved');
    await c.settle();
    expect(c.screen()[1]).toBe('Confirming');
    c.engine.advance(saleId, 'confirmed');
    await c.settle();
    expect(c.screen()).toEqual([' PAID 12.99 EUR', '    Table 12']);
    // The rest of the sale (spot closed, receipt) does not announce it again.
    c.engine.advance(saleId, 'spot_closed');
    c.engine.advance(saleId, 'receipt_queued');
    c.engine.advance(saleId, 'done');
    await c.clock.advance(4_000);
    expect(c.screen()).toEqual(['12:34  1 waiting', 'A table  B code']);
    expect(c.engine.listenerErrors).toEqual([]);
    expect(c.errors).toEqual([]);
  });

  it('uses the 20 columns it has', async () => {
    const c = await tableSaleWaiting(20);
    expect(c.screen()).toEqual(['Table 12       12.99', 'Sending order']);
    c.engine.advance(c.saleId, 'order_created');
    await c.settle();
    expect(c.screen()[1]).toBe('Waiting for payment');
    c.engine.advance(c.saleId, 'reserved');
    c.engine.advance(c.saleId, 'confirmed');
    await c.settle();
    expect(c.screen()).toEqual(['   PAID 12.99 EUR', '      Table 12']);
  });

  it('keeps a result a few seconds, or until a key', async () => {
    const c = await tableSaleWaiting();
    c.engine.advance(c.saleId, 'order_created');
    c.engine.advance(c.saleId, 'reserved');
    c.engine.advance(c.saleId, 'confirmed');
    await c.settle();
    await c.clock.advance(3_999);
    expect(c.screen()[0]).toContain('PAID');
    await c.type('5');
    expect(c.screen()[0]).toMatch(/^12:3\d/);
    // The key only dismissed the result: it did not start anything.
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });

  it('refuses a table that is not configured', async () => {
    const c = await counter();
    await c.type('A99#');
    expect(c.screen()).toEqual(['No table 99', 'Table: 99   # OK']);
    expect(c.engine.callsOf('startTableSale')).toEqual([]);
    // The refusal goes after a while; the typed number stays for correcting.
    await c.clock.advance(2_500);
    expect(c.screen()[0]).toBe('No table waiting');
    await c.type('**12');
    expect(c.screen()[1]).toBe('Table: 12   # OK');
  });

  it('refuses a table with no checked-in customer', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE7']);
    await c.type('A5#');
    expect(c.screen()).toEqual(['T5: no customer', 'Table: 5    # OK']);
    expect(c.ui.snapshot()?.screen.name).toBe('table-entry');
    expect(c.engine.callsOf('startTableSale')).toEqual([]);
  });

  it('refuses a table that already has a sale', async () => {
    const c = await tableSaleWaiting();
    await c.type('*A12#');
    expect(c.screen()[0]).toBe('Table 12 is busy');
    expect(c.engine.callsOf('startTableSale')).toHaveLength(1);
  });

  it('shows the engine refusing at the last moment (the customer left)', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#1299');
    c.engine.failNext('startTableSale', 'table_not_waiting');
    await c.type('#');
    expect(c.screen()).toEqual(['No customer', 'Amount     12.99']);
    expect(c.ui.snapshot()?.screen.name).toBe('amount-entry');
  });

  it('refuses zero and amounts over the maximum', async () => {
    const c = await counter({ ui: { maxAmountMinor: 10_000 } });
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#');
    await c.type('#');
    expect(c.screen()[0]).toBe('Type the amount');
    await c.type('000#');
    expect(c.screen()[0]).toBe('Type the amount');
    await c.type('10001#');
    expect(c.screen()).toEqual(['Over max 100.00', 'Amount    100.01']);
    expect(c.engine.callsOf('startTableSale')).toEqual([]);
    await c.type('*#');
    expect(c.engine.callsOf('startTableSale')).toEqual([[12, 1000]]);
  });

  it('the default maximum is 500.00', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#50001#');
    expect(c.screen()[0]).toBe('Over max 500.00');
    await c.type('*0#');
    expect(c.engine.callsOf('startTableSale')).toEqual([[12, 50_000]]);
  });

  it('* deletes digits, then goes back a screen', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    await c.type('A12#129');
    await c.type('*');
    expect(c.screen()[1]).toBe('Amount      0.12');
    await c.type('***');
    expect(c.ui.snapshot()?.screen.name).toBe('table-entry');
    await c.type('*');
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });

  it('a scanned table card of our location selects that table', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    await c.scan(`PAYSERA*${LOCATION}:TABLE12`);
    expect(c.screen()).toEqual(['Table 12     EUR', 'Amount      0.00']);
    await c.type('1299#');
    expect(c.engine.callsOf('startTableSale')).toEqual([['TABLE12', 1299]]);
    expect(c.screen()[1]).toBe('Sending order');
  });

  it('a card works on the table entry screen too, and names tables without a customer', async () => {
    const c = await counter();
    await c.type('A');
    await c.scan(`PAYSERA*${LOCATION}:table7`);
    expect(c.screen()).toEqual(['T7: no customer', 'Table: _    # OK']);
  });

  it('refuses cards of another location, unknown tables and other codes', async () => {
    const c = await counter();
    await c.scan('PAYSERA*78:TABLE12');
    expect(c.screen()[0]).toBe('Not our card');
    await c.scan(`PAYSERA*${LOCATION}:TABLE99`);
    expect(c.screen()[0]).toBe('Unknown card');
    await c.scan(CODE);
    expect(c.screen()[0]).toBe('Press B first');
    await c.scan('hello');
    expect(c.screen()[0]).toBe('Not a table card');
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });

  it('QUEUED when the network is down: the sale is journaled and goes on later', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    c.engine.setStatus({ online: false });
    await c.type('A12#1299#');
    expect(c.engine.callsOf('startTableSale')).toEqual([[12, 1299]]);
    expect(c.screen()).toEqual(['QUEUED 12.99 EUR', 'Offline - queued']);
    await c.clock.advance(4_000);
    expect(c.screen()).toEqual(['12:34      W1 P1', 'No network']);
  });

  it('* leaves a waiting sale; idle counts it and announces its end', async () => {
    const c = await tableSaleWaiting();
    await c.type('*');
    expect(c.screen()).toEqual(['12:34  1 waiting', ' 1 sale pending']);
    c.engine.advance(c.saleId, 'order_created');
    c.engine.advance(c.saleId, 'reserved');
    await c.settle();
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
    c.engine.advance(c.saleId, 'confirmed');
    await c.settle();
    expect(c.screen()[0]).toBe(' PAID 12.99 EUR');
    await c.clock.advance(4_000);
    // The receipt and the end of the sale are the same outcome: idle is not interrupted again.
    c.engine.advance(c.saleId, 'spot_closed');
    c.engine.advance(c.saleId, 'receipt_queued');
    c.engine.advance(c.saleId, 'done');
    await c.settle();
    expect(c.screen()).toEqual(['12:34  1 waiting', 'A table  B code']);
  });

  it('a printer status given before start shows on the first frame', async () => {
    const clock = new FakeClock();
    const display = new FakeDisplay({ columns: 16 });
    await display.start();
    const ui = new TerminalUi({ engine: new FakeEngine({ tables }), display, keypad: new FakeKeypad(clock), clock, tables, currency: 'EUR' });
    track(ui);
    ui.setPrinterStatus({ state: 'problem', code: 'printer_paper_out' });
    await ui.start();
    await clock.advance(0);
    expect(display.lastText()?.[1]).toBe('Printer no paper');
  });

  it('does not interrupt staff typing with another sale ending', async () => {
    const c = await tableSaleWaiting();
    await c.type('*B12');
    c.engine.advance(c.saleId, 'order_created');
    c.engine.advance(c.saleId, 'reserved');
    c.engine.advance(c.saleId, 'confirmed');
    await c.settle();
    expect(c.screen()).toEqual(['Code sale    EUR', 'Amount      0.12']);
  });
});

describe('cancel with D', () => {
  it('asks, then cancels on #', async () => {
    const c = await tableSaleWaiting();
    c.engine.advance(c.saleId, 'order_created');
    await c.type('D');
    expect(c.screen()).toEqual(['Cancel T12 12.99', '# yes       * no']);
    expect(c.engine.callsOf('cancelSale')).toEqual([]);
    await c.type('#');
    expect(c.engine.callsOf('cancelSale')).toEqual([[c.saleId]]);
    expect(c.screen()).toEqual(['Table 12   12.99', 'Cancelling...']);
    c.engine.advance(c.saleId, 'cancelled');
    await c.settle();
    expect(c.screen()).toEqual(['CANCELLED 12.99', '    Table 12']);
  });

  it('* on the question goes back to the sale', async () => {
    const c = await tableSaleWaiting();
    await c.type('D*');
    expect(c.screen()[1]).toBe('Sending order');
    expect(c.engine.callsOf('cancelSale')).toEqual([]);
  });

  it('the sale moving on while the question is up updates what * returns to', async () => {
    const c = await tableSaleWaiting();
    await c.type('D');
    c.engine.advance(c.saleId, 'order_created');
    await c.type('*');
    expect(c.screen()[1]).toBe('Awaiting payment');
  });

  it('a payment confirmed while asking is shown, not cancelled', async () => {
    const c = await tableSaleWaiting();
    c.engine.advance(c.saleId, 'order_created');
    c.engine.advance(c.saleId, 'reserved');
    await c.type('D');
    c.engine.advance(c.saleId, 'confirmed');
    await c.settle();
    expect(c.screen()[0]).toBe(' PAID 12.99 EUR');
  });

  it('too late: the engine refuses and the sale stays', async () => {
    const c = await tableSaleWaiting();
    c.engine.advance(c.saleId, 'order_created');
    c.engine.advance(c.saleId, 'reserved');
    c.engine.failNext('cancelSale', 'cancel_too_late');
    await c.type('D#');
    expect(c.screen()).toEqual(['Too late: paying', 'Confirming']);
  });

  it('the customer declining in the app ends as CANCELLED with the reason', async () => {
    const c = await tableSaleWaiting();
    c.engine.advance(c.saleId, 'order_created');
    c.engine.advance(c.saleId, 'cancelling', { declineReason: 'rejected' });
    await c.settle();
    expect(c.screen()[1]).toBe('Cancelling...');
    c.engine.advance(c.saleId, 'cancelled');
    await c.settle();
    expect(c.screen()).toEqual(['CANCELLED 12.99', 'Customer said no']);
  });
});

describe('code sale', () => {
  it('B, amount, #, scan the code, then PAID', async () => {
    const c = await counter();
    await c.type('B');
    expect(c.screen()).toEqual(['Code sale    EUR', 'Amount      0.00']);
    await c.type('1299#');
    expect(c.engine.callsOf('startCodeSale')).toEqual([[1299]]);
    expect(c.screen()).toEqual(['Code sale  12.99', 'Scan code']);
    const saleId = c.engine.openSales()[0]!.id;
    c.engine.advance(saleId, 'transaction_created', { transactionKey: 'tk' });
    await c.settle();
    expect(c.screen()[1]).toBe('Scan code');
    await c.scan(CODE);
    expect(c.engine.callsOf('submitReservationCode')).toEqual([[saleId, CODE]]);
    expect(c.screen()).toEqual(['Code sale  12.99', 'Checking code']);
    c.engine.advance(saleId, 'reserved');
    c.engine.advance(saleId, 'confirmed');
    await c.settle();
    expect(c.screen()).toEqual([' PAID 12.99 EUR', '   Code sale']);
  });

  it('DECLINED shows the reason', async () => {
    const c = await counter({ columns: 20 });
    await c.type('B1299#');
    const saleId = c.engine.openSales()[0]!.id;
    await c.scan(CODE);
    c.engine.advance(saleId, 'transaction_created');
    c.engine.advance(saleId, 'declined', { declineReason: 'not_enough_funds' });
    await c.settle();
    expect(c.screen()).toEqual([' DECLINED 12.99 EUR', 'Code declined: funds']);
  });

  it('DECLINED at 16 columns says it shorter', async () => {
    const c = await counter();
    await c.type('B500#');
    const saleId = c.engine.openSales()[0]!.id;
    await c.scan(CODE);
    c.engine.advance(saleId, 'declined', { declineReason: 'limits_exceeded' });
    await c.settle();
    expect(c.screen()).toEqual([' DECLINED 5.00', 'Declined: limit']);
  });

  it('refuses what is not a reservation code, and the engine refusing one', async () => {
    const c = await counter();
    await c.type('B1299#');
    await c.scan(`PAYSERA*${LOCATION}:TABLE12`);
    expect(c.screen()).toEqual(['Not a pay code', 'Scan code']);
    c.engine.failNext('submitReservationCode', 'invalid_code');
    await c.scan(CODE);
    expect(c.screen()).toEqual(['Not a pay code', 'Scan code']);
    expect(c.ui.snapshot()?.screen.name).toBe('scan-code');
  });

  it('a line the scanner could not read (1 MB, junk, an ANSI sequence) shows "Scan not read"; nothing is sent; the next scan works', async () => {
    const c = await counter();
    await c.type('B1299#');
    for (const junk of [Buffer.alloc(1024 * 1024, 0x31), Buffer.from([0x31, 0x00, 0x32]), Buffer.from('\u001b[2J1234567890123456')]) {
      c.scanner.scan(junk);
      await c.settle();
      expect(c.screen()).toEqual(['Scan not read', 'Scan code']);
      await c.clock.advance(5_000);
      expect(c.screen()).toEqual(['Code sale  12.99', 'Scan code']);
    }
    expect(c.engine.callsOf('submitReservationCode')).toEqual([]);
    await c.scan(CODE);
    expect(c.engine.callsOf('submitReservationCode')).toHaveLength(1);
  });

  it('D on the scan screen cancels the code sale after #', async () => {
    const c = await counter();
    await c.type('B1299#D');
    expect(c.screen()).toEqual(['Cancel?    12.99', '# yes       * no']);
    await c.type('#');
    const saleId = c.engine.callsOf('cancelSale')[0]?.[0];
    expect(typeof saleId).toBe('string');
    c.engine.advance(saleId as string, 'cancelled');
    await c.settle();
    expect(c.screen()[0]).toBe('CANCELLED 12.99');
  });

  it('QUEUED when the code is scanned while offline', async () => {
    const c = await counter();
    await c.type('B1299#');
    c.engine.setStatus({ online: false });
    await c.scan(CODE);
    expect(c.engine.callsOf('submitReservationCode')).toHaveLength(1);
    expect(c.screen()).toEqual(['QUEUED 12.99 EUR', 'Offline - queued']);
  });

  it('a second scan on the waiting screen is not sent', async () => {
    const c = await counter();
    await c.type('B1299#');
    await c.scan(CODE);
    await c.scan(CODE);
    expect(c.engine.callsOf('submitReservationCode')).toHaveLength(1);
    expect(c.screen()[0]).toBe('Code sent');
  });
});

describe('Centrapay', () => {
  it('C says Not configured without the capability', async () => {
    const c = await counter();
    await c.type('C');
    expect(c.screen()).toEqual(['   Centrapay', ' Not configured']);
    await c.clock.advance(4_000);
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });

  it('C, amount, # starts a Centrapay sale through the engine', async () => {
    const c = await counter({ actions: { reprintLast: () => {}, printTableCards: () => {}, printDayReport: () => {} }, centrapay: true });
    await c.type('C');
    expect(c.screen()[0]).toBe('Centrapay    EUR');
    await c.type('250#');
    await c.settle();
    expect(c.engine.callsOf('startCentrapaySale')).toEqual([[250]]);
    expect(c.screen()).toEqual(['Centrapay   2.50', 'Awaiting payment']);
    expect(c.ui.snapshot()?.screen.name).toBe('waiting');
  });
});

describe('menu', () => {
  function actions(overrides: Partial<UiActions> = {}): UiActions & { reprintLast: ReturnType<typeof vi.fn>; printTableCards: ReturnType<typeof vi.fn>; printDayReport: ReturnType<typeof vi.fn> } {
    return { reprintLast: vi.fn(async () => {}), printTableCards: vi.fn(async () => {}), printDayReport: vi.fn(async () => {}), ...overrides } as never;
  }

  it('D opens the menu with its five items, * closes it', async () => {
    const c = await counter();
    await c.type('D');
    expect(c.screen()).toEqual(['1Copy 2Card 3Day', '4St 5Ca 6 Refund']);
    await c.type('*');
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });

  it('1 reprints the last receipt through the action', async () => {
    let finish: () => void = () => {};
    const a = actions({ reprintLast: vi.fn(() => new Promise<void>((resolve) => (finish = resolve))) });
    const c = await counter({ actions: a });
    await c.type('D1');
    expect(a.reprintLast).toHaveBeenCalledTimes(1);
    expect(c.screen()).toEqual(['      COPY', '  Printing...']);
    await c.type('5');
    expect(c.ui.snapshot()?.screen.name).toBe('busy');
    finish();
    await c.settle();
    expect(c.screen()).toEqual(['      COPY', 'Sent to printer']);
  });

  it('a failing print says what is wrong in one line', async () => {
    const a = actions({ reprintLast: vi.fn(async () => Promise.reject(new FakeEngineError('printer_paper_out'))) });
    const c = await counter({ actions: a });
    await c.type('D1');
    await c.settle();
    expect(c.screen()).toEqual(['      COPY', 'Printer no paper']);
    const b = actions({ reprintLast: vi.fn(() => Promise.reject(new FakeEngineError('no_receipt'))) });
    const d = await counter({ actions: b });
    await d.type('D1');
    expect(d.screen()[1]).toBe(' No receipt yet');
  });

  it('2 prints the table cards', async () => {
    const a = actions();
    const c = await counter({ actions: a });
    await c.type('D2');
    expect(a.printTableCards).toHaveBeenCalledTimes(1);
    expect(c.screen()).toEqual(['  Table cards', 'Sent to printer']);
  });

  it("3 prints today's day report through the action: Printing..., then Sent to printer", async () => {
    let finish: () => void = () => {};
    const a = actions({ printDayReport: vi.fn(() => new Promise<void>((resolve) => (finish = resolve))) });
    const c = await counter({ actions: a });
    await c.type('D3');
    expect(a.printDayReport).toHaveBeenCalledTimes(1);
    expect(a.reprintLast).not.toHaveBeenCalled();
    expect(a.printTableCards).not.toHaveBeenCalled();
    expect(c.screen()).toEqual(['   Day report', '  Printing...']);
    finish();
    await c.settle();
    expect(c.screen()).toEqual(['   Day report', 'Sent to printer']);
    await c.clock.advance(4_000);
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });

  it('a day report that cannot be queued says why in one line, in the terminal language', async () => {
    const a = actions({ printDayReport: vi.fn(() => Promise.reject(new FakeEngineError('printer_paper_out'))) });
    const c = await counter({ actions: a });
    await c.type('D3');
    await c.settle();
    expect(c.screen()).toEqual(['   Day report', 'Printer no paper']);
    expect(c.errors).toEqual([]);
    const queued = await counter({ actions: actions({ printDayReport: vi.fn(() => Promise.reject(new FakeEngineError('report_pending'))) }) });
    await queued.type('D3');
    await queued.settle();
    expect(queued.screen()).toEqual(['   Day report', ' Report queued']);
    // A failure without a code is a bug: one line for staff, the error for the log.
    const b = actions({ printDayReport: vi.fn(() => { throw new TypeError('boom'); }) });
    const d = await counter({ actions: b, ui: { language: 'lt' } });
    await d.type('D3');
    await d.settle();
    expect(d.screen()).toEqual(['Dienos ataskaita', ' Bandykite vel']);
    expect(d.errors).toHaveLength(1);
  });

  it('20 columns show the menu in full words', async () => {
    const c = await counter({ columns: 20 });
    await c.type('D');
    expect(c.screen()).toEqual(['1 Copy 2 Cards 3 Day', '4Stat 5Canc 6 Refund']);
  });

  it('without actions the print items say Not configured', async () => {
    const c = await counter();
    await c.type('D2');
    expect(c.screen()[1]).toBe(' Not configured');
  });

  it('4 shows status pages; # pages on, * goes back to the menu', async () => {
    const c = await counter();
    c.engine.setStatus({ online: false, clockSynced: false, queue: { pending: 4 }, needsHuman: 1 });
    c.ui.setPrinterStatus({ state: 'problem', code: 'printer_offline' });
    await c.type('D4');
    expect(c.screen()).toEqual(['Net: offline 1/4', 'Clock: not sync']);
    await c.type('#');
    expect(c.screen()).toEqual(['Queue: 4     2/4', 'Printer: offline']);
    await c.type('#');
    expect(c.screen()).toEqual(['Open: 0      3/4', 'Need a person: 1']);
    await c.type('#');
    expect(c.screen()).toEqual(['Scanner: OK  4/4', 'Buzzer: none']);
    await c.type('#');
    expect(c.screen()[0]).toBe('Net: offline 1/4');
    await c.type('*');
    expect(c.ui.snapshot()?.screen.name).toBe('menu');
  });

  it('5 cancels the pending order of a typed table', async () => {
    const c = await tableSaleWaiting();
    c.engine.advance(c.saleId, 'order_created');
    await c.type('*D5');
    expect(c.screen()).toEqual(['Orders: 12', 'Cancel: _   # OK']);
    await c.type('7#');
    expect(c.screen()[0]).toBe('No order at T7');
    await c.type('*12#');
    expect(c.screen()).toEqual(['Cancel T12 12.99', '# yes       * no']);
    await c.type('#');
    expect(c.engine.callsOf('cancelSale')).toEqual([[c.saleId]]);
    expect(c.screen()[1]).toBe('Cancelling...');
  });

  it('5 with a scanned card picks that table', async () => {
    const c = await tableSaleWaiting();
    await c.type('*D5');
    await c.scan(`PAYSERA*${LOCATION}:TABLE12`);
    expect(c.ui.snapshot()?.screen.name).toBe('confirm-cancel');
  });

  it('returns to idle after a minute without a key', async () => {
    const c = await counter();
    await c.type('D4');
    await c.clock.advance(59_999);
    expect(c.ui.snapshot()?.screen.name).toBe('status');
    await c.clock.advance(1);
    expect(c.ui.snapshot()?.screen.name).toBe('idle');
  });
});

describe('failures', () => {
  it('an unexpected error is one line for staff and a log entry, never a trace', async () => {
    const c = await counter();
    c.engine.setWaiting(['TABLE12']);
    c.engine.failNext('startTableSale', new TypeError('Cannot read properties of undefined'));
    await c.type('A12#1299#');
    expect(c.screen()).toEqual(['Error: try again', 'Amount     12.99']);
    expect(c.errors).toHaveLength(1);
  });

  it('a display write failure does not stop the UI', async () => {
    const c = await counter();
    c.display.failNext(1);
    await c.type('A');
    await c.type('1');
    expect(c.screen()[1]).toBe('Table: 1    # OK');
  });
});

describe('stop', () => {
  it('shows Closed, unsubscribes and ignores later input', async () => {
    const c = await counter();
    expect(c.engine.listenerCount()).toBe(3);
    await c.ui.stop();
    expect(c.screen()).toEqual(['     Closed', '']);
    expect(c.engine.listenerCount()).toBe(0);
    c.engine.setWaiting(['TABLE12']);
    c.engine.setStatus({ online: false });
    c.keypad.type('A');
    await c.clock.advance(120_000);
    expect(c.screen()).toEqual(['     Closed', '']);
    expect(c.clock.pendingTimers()).toBe(0);
  });
});
