import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../i18n/language.js';
import { language } from '../../i18n/messages.js';
import { transliterate } from '../../i18n/transliterate.js';
import { displayWidth } from '../text.js';
import type { TableConfig } from '../../config/load-config.js';
import type { SaleRecord } from '../../store/types.js';
import type { Screen, UiContext, UiState } from '../ui-state.js';
import { renderState } from './index.js';
import { MENU_ITEMS } from './menu.js';
import { listLine } from './table-entry.js';

const tables: TableConfig[] = [
  { id: 'TABLE3', number: 3, name: 'TABLE3' },
  { id: 'TABLE7', number: 7, name: 'TABLE7' },
  { id: 'TABLE12', number: 12, name: 'TABLE12' },
  { id: 'BAR', number: 20, name: 'Bar' },
  { id: 'PATIO', number: undefined, name: 'PATIO' },
];

function table(id: string): TableConfig {
  const found = tables.find((t) => t.id === id);
  if (found === undefined) throw new Error(id);
  return found;
}

function sale(patch: Partial<SaleRecord> = {}): SaleRecord {
  return {
    id: 's1',
    kind: 'table',
    state: 'order_created',
    amount: { minor: 1299, currency: 'EUR' },
    tableId: 'TABLE12',
    spotId: 5,
    version: 1,
    createdWallMs: 0,
    updatedWallMs: 0,
    closedWallMs: undefined,
    ...patch,
  };
}

const baseCtx: UiContext = {
  lang: language('en'),
  wallMs: Date.UTC(2026, 10, 21, 9, 5, 0),
  timeZone: 'UTC',
  currency: 'EUR',
  maxAmountMinor: 50_000,
  tables,
  waiting: [],
  status: { online: true, queue: {}, needsHuman: 0, openSales: 0, clockSynced: true },
  printer: { state: 'ok' },
  scannerConnected: true,
  buzzer: undefined,
  openSales: [],
};

function render(screen: Screen, width: number, ctx: Partial<UiContext> = {}, flash?: UiState['flash']): string[] {
  return [...renderState({ screen, ctx: { ...baseCtx, ...ctx }, flash }, width)];
}

/** The lines with trailing spaces dropped, as the eye reads them. */
function text(screen: Screen, width: number, ctx: Partial<UiContext> = {}, flash?: UiState['flash']): string[] {
  return render(screen, width, ctx, flash).map((l) => l.trimEnd());
}

const waitingAll = tables.map((t, i) => ({ table: t, spotId: i }));
const bigSale = sale({ amount: { minor: 4_999_999, currency: 'EUR' } });

/** One or more states of every screen, with the contexts that make their lines longest. */
const cases: { name: string; screen: Screen; ctx?: Partial<UiContext> }[] = [
  { name: 'idle', screen: { name: 'idle' } },
  { name: 'idle busy', screen: { name: 'idle' }, ctx: { waiting: waitingAll, openSales: [sale(), sale({ id: 's2' })] } },
  {
    name: 'idle all warnings',
    screen: { name: 'idle' },
    ctx: { waiting: waitingAll, openSales: [sale()], status: { online: false, queue: { pending: 123, unknown: 4 }, needsHuman: 12, openSales: 3, clockSynced: false }, printer: { state: 'problem', code: 'printer_paper_out' } },
  },
  { name: 'idle offline', screen: { name: 'idle' }, ctx: { openSales: [sale()], status: { ...baseCtx.status, online: false, queue: { pending: 2 } } } },
  { name: 'idle printer', screen: { name: 'idle' }, ctx: { printer: { state: 'problem', code: 'printer_something_new' } } },
  { name: 'idle scanner', screen: { name: 'idle' }, ctx: { scannerConnected: false } },
  { name: 'table entry', screen: { name: 'table-entry', purpose: 'sale', digits: '123456' }, ctx: { waiting: waitingAll } },
  { name: 'table entry none', screen: { name: 'table-entry', purpose: 'sale', digits: '' } },
  { name: 'cancel entry', screen: { name: 'table-entry', purpose: 'cancel', digits: '12' }, ctx: { openSales: [sale(), sale({ id: 's2', tableId: 'BAR' })] } },
  { name: 'amount table', screen: { name: 'amount-entry', purpose: { kind: 'table', table: table('TABLE12'), ref: 12 }, digits: '99999999' } },
  { name: 'amount named table', screen: { name: 'amount-entry', purpose: { kind: 'table', table: { id: 'T', number: 1, name: 'A very long table name' }, ref: 1 }, digits: '1' } },
  { name: 'amount code', screen: { name: 'amount-entry', purpose: { kind: 'code' }, digits: '' } },
  { name: 'amount centrapay', screen: { name: 'amount-entry', purpose: { kind: 'centrapay' }, digits: '1299' } },
  { name: 'scan code', screen: { name: 'scan-code', sale: { ...bigSale, kind: 'code', tableId: undefined } } },
  { name: 'waiting', screen: { name: 'waiting', sale: bigSale } },
  { name: 'waiting offline', screen: { name: 'waiting', sale: sale({ state: 'created' }) }, ctx: { status: { ...baseCtx.status, online: false } } },
  { name: 'waiting code', screen: { name: 'waiting', sale: sale({ kind: 'code', state: 'transaction_created', reservationCode: '1'.repeat(28), tableId: undefined }) } },
  { name: 'waiting cancelling', screen: { name: 'waiting', sale: sale({ state: 'cancelling' }) } },
  { name: 'confirm cancel', screen: { name: 'confirm-cancel', sale: bigSale, back: { name: 'idle' } } },
  { name: 'paid', screen: { name: 'result', outcome: { kind: 'paid', sale: bigSale } } },
  { name: 'declined', screen: { name: 'result', outcome: { kind: 'declined', sale: sale({ kind: 'code', state: 'declined', declineReason: 'beneficiary_account_inactive' }) } } },
  { name: 'cancelled', screen: { name: 'result', outcome: { kind: 'cancelled', sale: sale({ state: 'cancelled', declineReason: 'rejected' }) } } },
  { name: 'queued', screen: { name: 'result', outcome: { kind: 'queued', sale: bigSale } } },
  { name: 'needs human', screen: { name: 'result', outcome: { kind: 'needs_human', sale: bigSale } } },
  { name: 'notice', screen: { name: 'result', outcome: { kind: 'notice', title: 'Centrapay', detail: 'Not configured' } } },
  { name: 'menu', screen: { name: 'menu' } },
  { name: 'status 1', screen: { name: 'status', page: 0 }, ctx: { status: { ...baseCtx.status, online: undefined, clockSynced: false } } },
  { name: 'status 2', screen: { name: 'status', page: 1 }, ctx: { status: { ...baseCtx.status, queue: { pending: 1234 } }, printer: { state: 'problem', code: 'printer_timeout' } } },
  { name: 'status 3', screen: { name: 'status', page: 2 }, ctx: { status: { ...baseCtx.status, needsHuman: 120 } } },
  { name: 'status 4', screen: { name: 'status', page: 3 }, ctx: { scannerConnected: false, buzzer: 'failed' } },
  { name: 'busy', screen: { name: 'busy', title: 'Table cards', detail: ['Sending to printer', 'Printing...'] } },
  { name: 'closed', screen: { name: 'closed' } },
];

describe('every screen fits the display', () => {
  for (const code of LANGUAGES) {
    for (const width of [16, 20]) {
      for (const c of cases) {
        it(`${code}: ${c.name} at ${width} columns`, () => {
          const lines = render(c.screen, width, { lang: language(code), ...c.ctx });
          expect(lines).toHaveLength(2);
          // As an ASCII display shows them (the euro sign takes three columns there).
          for (const line of lines) expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
          expect(lines[0]!.trim().length + lines[1]!.trim().length).toBeGreaterThan(0);
        });
      }
    }
  }

  it('a flash replaces the first line and is fitted too', () => {
    const lines = render({ name: 'table-entry', purpose: 'sale', digits: '12' }, 16, {}, ['Table 12: no customer', 'T12: no customer']);
    expect(lines[0]).toBe('T12: no customer');
    expect(lines[1]).toContain('Table: 12');
  });
});

describe('idle', () => {
  it('shows the time, the waiting tables and how to start', () => {
    expect(text({ name: 'idle' }, 16)).toEqual(['09:05  0 waiting', 'A table  B code']);
    expect(text({ name: 'idle' }, 20, { waiting: waitingAll.slice(0, 1) })).toEqual(['09:05      1 waiting', '  A table  B code']);
    expect(text({ name: 'idle' }, 22, { waiting: waitingAll.slice(0, 1) })).toEqual(['09:05  1 table waiting', '   A table  B code']);
  });

  it('marks the time and warns (last of all) while the clock is not known to be right', () => {
    const unsynced = { status: { ...baseCtx.status, clockSynced: false } };
    expect(text({ name: 'idle' }, 16, unsynced)).toEqual(['09:05? 0 waiting', 'Clock not synced']);
    expect(text({ name: 'idle' }, 20, unsynced)).toEqual(['09:05?     0 waiting', 'Clock not synced']);
    // Anything more urgent comes first; the time keeps its mark.
    const offline = { status: { ...baseCtx.status, clockSynced: false, online: false } };
    expect(text({ name: 'idle' }, 16, offline)).toEqual(['09:05? 0 waiting', 'No network']);
  });

  it('shows pending sales on the second line', () => {
    expect(text({ name: 'idle' }, 16, { openSales: [sale()] })[1]).toBe(' 1 sale pending');
    expect(text({ name: 'idle' }, 16, { openSales: [sale(), sale({ id: 's2' })] })[1]).toBe('2 sales pending');
  });

  it('a warning takes the second line and the pending count moves beside the clock', () => {
    const ctx = { openSales: [sale()], waiting: waitingAll.slice(0, 2), status: { ...baseCtx.status, online: false, queue: { pending: 3 } } };
    expect(text({ name: 'idle' }, 16, ctx)).toEqual(['09:05      W2 P1', 'No net: 3 queued']);
    expect(text({ name: 'idle' }, 20, ctx)).toEqual(['09:05  2 wait 1 open', 'No net: 3 queued']);
  });

  it('while writes are failing, says what is retried and since when (oldest first), offline too', () => {
    const since = Date.UTC(2026, 10, 21, 8, 47, 0);
    const one = { status: { ...baseCtx.status, queue: { pending: 1 }, retrying: { kind: 'confirm', sinceWallMs: since, lastErrorCode: 'internal_server_error', count: 1 } } };
    expect(text({ name: 'idle' }, 20, one)[1]).toBe('Retry confirm 08:47');
    expect(text({ name: 'idle' }, 16, one)[1]).toBe('Retrying 08:47');
    const three = { status: { ...baseCtx.status, queue: { pending: 2, unknown: 1 }, retrying: { kind: 'pos_record_order', sinceWallMs: since, lastErrorCode: 'rate_limit_exceeded', count: 3 } } };
    expect(text({ name: 'idle' }, 20, three)[1]).toBe('Retry POS +2 08:47');
    expect(text({ name: 'idle' }, 24, three)[1]).toBe('Retry POS +2 since 08:47');
    const offline = { status: { ...three.status, online: false } };
    expect(text({ name: 'idle' }, 20, offline)[1]).toBe('No net since 08:47');
    expect(text({ name: 'idle' }, 16, offline)[1]).toBe('No net: 3 queued');
    // A person's matter comes first.
    expect(text({ name: 'idle' }, 20, { status: { ...one.status, needsHuman: 1 } })[1]).toBe('1 need a person');
  });

  it('warns about a sale needing a person before anything else', () => {
    const ctx = { status: { ...baseCtx.status, online: false, needsHuman: 1 }, printer: { state: 'problem', code: 'printer_paper_out' } } as const;
    expect(text({ name: 'idle' }, 16, ctx)[1]).toBe('1 need a person');
  });

  it('warns about the printer and queued operations', () => {
    expect(text({ name: 'idle' }, 16, { printer: { state: 'problem', code: 'printer_paper_out' } })[1]).toBe('Printer no paper');
    expect(text({ name: 'idle' }, 20, { printer: { state: 'problem', code: 'printer_paper_out' } })[1]).toBe('Printer: paper out');
    expect(text({ name: 'idle' }, 16, { status: { ...baseCtx.status, queue: { pending: 1, unknown: 1, done: 9 } } })[1]).toBe('2 ops queued');
    expect(text({ name: 'idle' }, 16, { scannerConnected: false })[1]).toBe('Scanner: cable?');
  });
});

describe('table entry', () => {
  it('lists the waiting tables by number, with + when they do not fit', () => {
    const waiting = [table('TABLE12'), table('TABLE3'), table('BAR')].map((t, i) => ({ table: t, spotId: i }));
    expect(text({ name: 'table-entry', purpose: 'sale', digits: '' }, 16, { waiting })).toEqual(['Waiting: 3 12 20', 'Table: _    # OK']);
    expect(text({ name: 'table-entry', purpose: 'sale', digits: '12' }, 16, { waiting: waitingAll })).toEqual(['Wait: 3 7 12 +', 'Table: 12   # OK']);
    expect(text({ name: 'table-entry', purpose: 'sale', digits: '' }, 16)[0]).toBe('No table waiting');
  });

  it('for cancelling lists the tables with an open order', () => {
    expect(text({ name: 'table-entry', purpose: 'cancel', digits: '' }, 16, { openSales: [sale({ tableId: 'TABLE7' }), sale({ id: 's3', tableId: 'TABLE3', state: 'confirmed' })] })).toEqual([
      'Orders: 7',
      'Cancel: _   # OK',
    ]);
  });

  it('listLine keeps the longest prefix unless a shorter one shows more', () => {
    expect(listLine(['Waiting:', 'Wait:'], ['1', '2'], 16)).toBe('Waiting: 1 2');
    expect(listLine(['Waiting:', 'Wait:'], ['10', '11', '12', '13'], 16)).toBe('Wait: 10 11 12 +');
    expect(listLine(['Waiting:', 'Wait:'], ['123456789012345'], 16)).toBe('Waiting: +');
  });
});

describe('amount entry', () => {
  it('shows the amount shifted in from the right', () => {
    const purpose = { kind: 'table', table: table('TABLE12'), ref: 12 } as const;
    expect(text({ name: 'amount-entry', purpose, digits: '' }, 16)).toEqual(['Table 12     EUR', 'Amount      0.00']);
    expect(text({ name: 'amount-entry', purpose, digits: '1299' }, 16)).toEqual(['Table 12     EUR', 'Amount     12.99']);
    expect(text({ name: 'amount-entry', purpose: { kind: 'code' }, digits: '5' }, 20)).toEqual(['Code sale        EUR', 'Amount          0.05']);
  });

  it('uses a configured name', () => {
    expect(text({ name: 'amount-entry', purpose: { kind: 'table', table: table('BAR'), ref: 20 }, digits: '' }, 16)[0]).toBe('Bar          EUR');
  });
});

describe('sale screens', () => {
  it('waiting shows the table, amount and progress, with the cancel hint where it fits', () => {
    expect(text({ name: 'waiting', sale: sale({ state: 'created' }) }, 16)).toEqual(['Table 12   12.99', 'Sending order']);
    expect(text({ name: 'waiting', sale: sale({ state: 'created' }) }, 20)).toEqual(['Table 12       12.99', 'Sending order']);
    expect(text({ name: 'waiting', sale: sale({ kind: 'code', state: 'created', tableId: undefined }) }, 20)[1]).toBe('Waiting for code');
    expect(text({ name: 'waiting', sale: sale() }, 16)[1]).toBe('Awaiting payment');
    expect(text({ name: 'waiting', sale: sale() }, 20)[1]).toBe('Waiting for payment');
    expect(text({ name: 'waiting', sale: sale({ state: 'reserved' }) }, 16)[1]).toBe('Confirming');
    expect(text({ name: 'waiting', sale: sale({ state: 'cancelling' }) }, 16)[1]).toBe('Cancelling...');
  });

  it('scan code asks for the code', () => {
    expect(text({ name: 'scan-code', sale: sale({ kind: 'code', state: 'created', tableId: undefined }) }, 16)).toEqual(['Code sale  12.99', 'Scan code']);
    expect(text({ name: 'scan-code', sale: sale({ kind: 'code', state: 'created', tableId: undefined }) }, 20)).toEqual(['Code sale      12.99', 'Scan code  D cancel']);
  });

  it('confirm cancel names the sale and the keys', () => {
    expect(text({ name: 'confirm-cancel', sale: sale(), back: { name: 'idle' } }, 16)).toEqual(['Cancel T12 12.99', '# yes       * no']);
    expect(text({ name: 'confirm-cancel', sale: sale(), back: { name: 'idle' } }, 20)).toEqual(['Cancel T12?    12.99', '# yes           * no']);
    expect(text({ name: 'confirm-cancel', sale: bigSale, back: { name: 'idle' } }, 16)).toEqual(['Cancel? 49999.99', '# yes       * no']);
  });
});

describe('results', () => {
  it('PAID with the amount and the table', () => {
    expect(text({ name: 'result', outcome: { kind: 'paid', sale: sale({ state: 'confirmed' }) } }, 16)).toEqual(['PAID 12.99 EUR', 'Table 12'].map((l) => centered(l, 16)));
    expect(text({ name: 'result', outcome: { kind: 'paid', sale: sale({ state: 'confirmed' }) } }, 20)[0]).toBe(centered('PAID 12.99 EUR', 20));
  });

  it('DECLINED with the reason, shorter at 16 columns', () => {
    const declined = sale({ kind: 'code', state: 'declined', declineReason: 'not_enough_funds', tableId: undefined });
    expect(text({ name: 'result', outcome: { kind: 'declined', sale: declined } }, 16)).toEqual([centered('DECLINED 12.99', 16), centered('Declined: funds', 16)]);
    expect(text({ name: 'result', outcome: { kind: 'declined', sale: declined } }, 20)[1]).toBe('Code declined: funds');
    expect(text({ name: 'result', outcome: { kind: 'declined', sale: { ...declined, declineReason: 'something_new' } } }, 16)[1]).toBe(centered('Code declined', 16));
  });

  it('CANCELLED, QUEUED and CHECK', () => {
    expect(text({ name: 'result', outcome: { kind: 'cancelled', sale: sale({ state: 'cancelled', declineReason: 'cancelled' }) } }, 16)).toEqual([centered('CANCELLED 12.99', 16), centered('Table 12', 16)]);
    expect(text({ name: 'result', outcome: { kind: 'cancelled', sale: sale({ state: 'cancelled', declineReason: 'rejected' }) } }, 16)[1]).toBe('Customer said no');
    expect(text({ name: 'result', outcome: { kind: 'cancelled', sale: sale({ state: 'cancelled', declineReason: 'order_refused:spot_closed' }) } }, 16)[1]).toBe(centered('Order refused', 16));
    expect(text({ name: 'result', outcome: { kind: 'queued', sale: sale() } }, 16)).toEqual([centered('QUEUED 12.99 EUR', 16), 'Offline - queued']);
    expect(text({ name: 'result', outcome: { kind: 'queued', sale: sale() } }, 20)[1]).toBe(centered('No network - queued', 20));
    expect(text({ name: 'result', outcome: { kind: 'needs_human', sale: sale() } }, 16)).toEqual([centered('CHECK 12.99 EUR', 16), centered('Ask manager', 16)]);
    // The reason a person is needed, by its stable code: a mismatch, an undocumented status, a setup problem.
    const checked = (needsHumanReason: string, width: number) => text({ name: 'result', outcome: { kind: 'needs_human', sale: sale({ state: 'needs_human', needsHumanReason }) } }, width)[1];
    expect(checked('amount_mismatch: transaction 13.99 EUR, sale 12.99 EUR', 20)).toBe(centered('Amount mismatch', 20));
    expect(checked('amount_mismatch: paid 1.00 EUR, sale 12.99 EUR', 16)).toBe(centered('Amount mismatch', 16));
    expect(checked('unknown_status:on_hold', 20)).toBe(centered('Status unclear: ask', 20));
    expect(checked('unknown_status:on_hold', 16)).toBe(centered('Status unclear', 16));
    expect(text({ name: 'waiting', sale: sale({ state: 'needs_human', needsHumanReason: 'amount_mismatch: x' }) }, 16)[1]).toBe('Amount mismatch');
    const setup = sale({ kind: 'code', state: 'cancelled', declineReason: 'config:reservation_code_field', tableId: undefined });
    expect(text({ name: 'result', outcome: { kind: 'cancelled', sale: setup } }, 16)[1]).toBe(centered('Setup: code fld', 16));
  });
});

describe('menu and status', () => {
  it('menu numbers its six items: what prints on the first line, status, cancel and refund on the second', () => {
    expect(text({ name: 'menu' }, 16)).toEqual(['1Copy 2Card 3Day', '4St 5Ca 6 Refund']);
    expect(text({ name: 'menu' }, 20)).toEqual(['1 Copy 2 Cards 3 Day', '4Stat 5Canc 6 Refund']);
    // Every language shows the keys of MENU_ITEMS, in order and whole.
    expect(Object.keys(MENU_ITEMS)).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const code of LANGUAGES) {
      for (const width of [16, 20]) {
        const lines = render({ name: 'menu' }, width, { lang: language(code) });
        expect(lines.every((line) => displayWidth(line) <= width)).toBe(true);
        expect(lines.join(' ').replace(/[^0-9]/g, ''), `${code} at ${width}`).toBe(Object.keys(MENU_ITEMS).join(''));
      }
    }
  });

  it('status pages show network, clock, queue, printer and sales', () => {
    expect(text({ name: 'status', page: 0 }, 16)).toEqual(['Net: online  1/4', 'Clock: synced']);
    expect(text({ name: 'status', page: 0 }, 20)).toEqual(['Network: online  1/4', 'Clock 09:05 synced']);
    expect(text({ name: 'status', page: 1 }, 16, { status: { ...baseCtx.status, queue: { pending: 2 } }, printer: { state: 'ok', paper: 'ok' } })).toEqual(['Queue: 2     2/4', 'Printer: OK']);
    expect(text({ name: 'status', page: 2 }, 16, { status: { ...baseCtx.status, needsHuman: 1 } })).toEqual(['Open: 0      3/4', 'Need a person: 1']);
    expect(text({ name: 'status', page: 3 }, 16)).toEqual(['Scanner: OK  4/4', 'Buzzer: none']);
    expect(text({ name: 'status', page: 3 }, 16, { scannerConnected: undefined, buzzer: 'ok' })).toEqual(['Scanner: none', 'Buzzer: OK']);
    expect(text({ name: 'status', page: 3 }, 20, { scannerConnected: false, buzzer: 'failed' })).toEqual(['Scanner: cable?  4/4', 'Buzzer: not working']);
    expect(text({ name: 'status', page: 4 }, 16)[0]).toContain('1/4');
  });

  it('the printer line says only what the printer answered: OK, paper low, paper out; else whether anything printed', () => {
    const line = (printer: UiContext['printer'], width = 20): string => text({ name: 'status', page: 1 }, width, { printer })[1]!;
    expect(line({ state: 'unknown' })).toBe('Printer: not checked');
    expect(line({ state: 'ok', paper: 'not_checked', printed: false })).toBe('Printer: not checked');
    // A file: printer after prints, or one that ignores DLE EOT: the jobs went out, nothing more is known.
    expect(line({ state: 'ok', paper: 'not_checked', printed: true })).toBe('Printed, not checked');
    expect(line({ state: 'ok', paper: 'unknown', printed: true }, 16)).toBe('Printed,no check');
    expect(line({ state: 'ok', paper: 'ok', printed: true })).toBe('Printer: OK');
    expect(line({ state: 'ok', paper: 'near_end', printed: true })).toBe('Printer: paper low');
    expect(line({ state: 'problem', code: 'printer_paper_out' })).toBe('Printer: paper out');
    expect(line({ state: 'problem', code: 'printer_cover_open' })).toBe('Printer: cover open');
    expect(text({ name: 'idle' }, 20, { printer: { state: 'ok', paper: 'near_end' } })[1]).toBe('Printer: paper low');
  });
});

function centered(line: string, width: number): string {
  return ' '.repeat(Math.floor((width - line.length) / 2)) + line;
}

describe('in Lithuanian', () => {
  const lt = { lang: language('lt') };

  it('idle, table and amount entry', () => {
    expect(text({ name: 'idle' }, 16, lt)).toEqual(['09:05  Laukia: 0', 'A stalas B kodas']);
    expect(text({ name: 'idle' }, 20, { ...lt, openSales: [sale(), sale({ id: 's2' })] })).toEqual(['09:05 Laukia 0 stalų', 'Vyksta 2 pardavimai']);
    expect(text({ name: 'table-entry', purpose: 'sale', digits: '12' }, 16, { ...lt, waiting: waitingAll.slice(0, 2) })).toEqual(['Laukia: 3 7', 'Stalas: 12  # OK']);
    expect(text({ name: 'amount-entry', purpose: { kind: 'table', table: table('TABLE12'), ref: 12 }, digits: '1299' }, 16, lt)).toEqual(['Stalas 12    €', 'Suma       12,99']);
    // The euro sign is laid out as an ASCII display shows it: "EUR", three columns.
    expect(transliterate(render({ name: 'amount-entry', purpose: { kind: 'code' }, digits: '1299' }, 16, lt)[0]!)).toBe('Kodo pard.   EUR');
  });

  it('a sale and its result, with the amount as Lithuanian writes it', () => {
    expect(text({ name: 'waiting', sale: sale() }, 20, lt)).toEqual(['Stalas 12      12,99', 'Laukiama mokėjimo']);
    expect(text({ name: 'result', outcome: { kind: 'paid', sale: sale({ state: 'confirmed' }) } }, 20, lt)).toEqual([' APMOKĖTA 12,99 €', centered('Stalas 12', 20)]);
    // On 16 columns "12,99 €" shows as "12,99 EUR" and does not fit: the amount goes alone.
    expect(text({ name: 'result', outcome: { kind: 'paid', sale: sale({ state: 'confirmed' }) } }, 16, lt)[0]).toBe(' APMOKĖTA 12,99');
    expect(text({ name: 'result', outcome: { kind: 'declined', sale: sale({ kind: 'code', state: 'declined', declineReason: 'not_enough_funds', tableId: undefined }) } }, 16, lt)).toEqual([
      centered('ATMESTA 12,99', 16),
      centered('Trūksta lėšų', 16),
    ]);
    expect(text({ name: 'confirm-cancel', sale: sale(), back: { name: 'idle' } }, 20, lt)).toEqual(['Atšaukti S12?  12,99', '# taip          * ne']);
  });

  it('menu and status', () => {
    expect(text({ name: 'menu' }, 16, lt)).toEqual(['1Kop. 2QR 3Diena', '4B 5At 6 Grąžint']);
    expect(text({ name: 'menu' }, 20, lt)).toEqual(['1Kopija  2QR  3Diena', '4Būs 5Atš 6 Grąžinti']);
    expect(text({ name: 'status', page: 0 }, 20, lt)).toEqual(['Ryšys: yra       1/4', 'Laikas 09:05 tikslus']);
  });
});
