import { describe, expect, it } from 'vitest';
import { displayWidth, fits, pick, variants, type Text } from '../ui/text.js';
import { LANGUAGES, type LanguageCode } from './language.js';
import { language, messageTables, type Language } from './messages.js';

/**
 * The language tables: every language has every text, and every display text fits the smallest
 * display (2x16) in some variant, measured as an ASCII display shows it ("€" is "EUR" there).
 * A new text with parameters needs its worst-case arguments below; the test names it otherwise.
 */

type Args = readonly unknown[];

/** The longest arguments each parameterized text meets in practice, per language where it matters. */
const WORST_CASE_ARGS: Record<string, (lang: Language) => readonly Args[]> = {
  'display.idle.tablesWaiting': () => [[0], [1], [2], [10], [21], [999]],
  'display.idle.waitingAndOpen': () => [[1, 1], [99, 99]],
  'display.idle.salesPending': () => [[1], [2], [10], [999]],
  'display.warnings.needPerson': () => [[1], [2], [999]],
  'display.warnings.offlineQueued': () => [[1], [9999]],
  'display.warnings.offlineQueuedSince': () => [[1, '23:59'], [9999, '23:59']],
  'display.warnings.retrying': (lang) => Object.values(lang.t.display.writes).flatMap((write) => [[write, '23:59', 1], [write, '23:59', 999]]),
  'display.warnings.queued': () => [[1], [21], [9999]],
  'display.sale.table': () => [[1], [999999]],
  'display.tableEntry.typed': () => [['_'], ['123456']],
  'display.tableEntry.cancelTyped': () => [['_'], ['123456']],
  'display.progress.shortCode': () => [['CP-ABC-123']],
  'display.cancelReasons.currencyNotAccepted': () => [['EUR'], ['NZD']],
  'display.confirmCancel.question': () => [['T12']],
  'display.status.clockSynced': () => [['23:59']],
  'display.status.clockNotSynced': () => [['23:59']],
  'display.status.queue': () => [[0], [99999]],
  'display.status.openSales': () => [[0], [999]],
  'display.status.needPerson': () => [[0], [999]],
  'display.refusals.noTable': () => [[1], [999999]],
  'display.refund.pin': () => [['****'], ['********']],
  'display.refund.number': () => [[''], ['123456']],
  'display.refund.sale': (lang) => Object.values(lang.t.display.refund.methods).flatMap((m) => [['1', m], ['999999', m]]),
  'display.refund.confirm': (lang) => [[lang.format.amount(500, 'EUR')], [lang.format.amount(99_999_999, 'EUR')]],
  'display.refusals.otherTill': () => [[1], [999999]],
  'display.cancelReasons.busyElsewhere': () => [['Table 999999'], ['A very long table name']],
  // The largest amount staff can type: eight digits.
  'display.refusals.overMax': (lang) => [[lang.format.amount(50_000, 'EUR')], [lang.format.amount(99_999_999, 'EUR')]],
  'display.refusals.noCustomer': () => [[['Table 999999', 'T999999']], [['A very long table name']]],
  'display.refusals.tableBusy': () => [[['Table 999999', 'T999999']], [['A very long table name']]],
  'display.refusals.noOrder': () => [[['Table 999999', 'T999999']], [['A very long table name']]],
  'print.centrapayCode': () => [['CP-ABC-123']],
  'print.validUntil': () => [['23:59']],
  'print.reportTitle': () => [['2026-11-21']],
  'print.reportCount': (lang) => [[lang.t.print.methods['paysera-table'], 9999]],
};

interface Leaf {
  readonly path: string;
  readonly value: unknown;
}

function leaves(node: unknown, path = ''): Leaf[] {
  if (typeof node === 'function' || typeof node === 'string' || Array.isArray(node)) return [{ path, value: node }];
  if (typeof node !== 'object' || node === null) return [{ path, value: node }];
  return Object.entries(node).flatMap(([key, child]) => leaves(child, path === '' ? key : `${path}.${key}`));
}

/** Every text a leaf produces: itself, or each of its calls with the worst-case arguments. */
function texts(leaf: Leaf, lang: Language): { label: string; text: unknown }[] {
  if (typeof leaf.value !== 'function') return [{ label: leaf.path, text: leaf.value }];
  const args = WORST_CASE_ARGS[leaf.path]?.(lang) ?? [];
  return args.map((a) => ({ label: `${leaf.path}(${JSON.stringify(a)})`, text: (leaf.value as (...x: Args) => unknown)(...a) }));
}

function isText(value: unknown): value is Text {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
}

const tables = messageTables();

describe('language tables', () => {
  it('every language has every text of every other language, and nothing more', () => {
    const paths = new Map<LanguageCode, Set<string>>(LANGUAGES.map((code) => [code, new Set(leaves(tables[code]).map((l) => l.path))]));
    const all = new Set([...paths.values()].flatMap((set) => [...set]));
    const missing = LANGUAGES.flatMap((code) => [...all].filter((path) => !paths.get(code)!.has(path)).map((path) => `${code}: ${path}`));
    expect(missing).toEqual([]);
  });

  it('every parameterized text has worst-case arguments to be measured with', () => {
    const functions = leaves(tables.en).filter((l) => typeof l.value === 'function').map((l) => l.path);
    expect(functions.filter((path) => WORST_CASE_ARGS[path] === undefined)).toEqual([]);
    expect(Object.keys(WORST_CASE_ARGS).filter((path) => !functions.includes(path))).toEqual([]);
  });

  for (const code of LANGUAGES) {
    const lang = language(code);

    it(`${code}: no text is empty, and each is a text of the same kind as in English`, () => {
      const bad = leaves(lang.t)
        .flatMap((leaf) => texts(leaf, lang))
        .filter(({ text }) => !isText(text) || variants(text).some((v) => v.trim() === ''))
        .map(({ label }) => label);
      expect(bad).toEqual([]);
    });

    it(`${code}: every display text has a variant that fits 16 columns, and the 20-column pick fits 20`, () => {
      const tooWide: string[] = [];
      for (const leaf of leaves(lang.t.display, 'display')) {
        for (const { label, text } of texts(leaf, lang)) {
          if (!isText(text)) continue;
          if (!fits(text, 16)) tooWide.push(`${label}: ${JSON.stringify(text)} (shortest ${Math.min(...variants(text).map(displayWidth))} columns)`);
          else if (displayWidth(pick(text, 20)) > 20) tooWide.push(`${label} at 20 columns`);
        }
      }
      expect(tooWide).toEqual([]);
    });

    it(`${code}: every printed text fits one line of 80 mm paper (48 characters)`, () => {
      const tooWide = leaves(lang.t.print, 'print')
        .flatMap((leaf) => texts(leaf, lang))
        .filter(({ text }) => typeof text !== 'string' || text.length > 48)
        .map(({ label, text }) => `${label}: ${JSON.stringify(text)}`);
      expect(tooWide).toEqual([]);
    });
  }
});

describe('conventions', () => {
  it('English: the amount with the currency code after it, ISO dates', () => {
    const { format } = language('en');
    expect(format.amount(1299, 'EUR')).toBe('12.99');
    expect(format.money(123456, 'EUR')).toBe('1234.56 EUR');
    expect(format.currency('EUR')).toBe('EUR');
    expect(format.dateTime(Date.UTC(2026, 10, 21, 9, 5), 'UTC')).toBe('2026-11-21 09:05');
    expect(format.time(Date.UTC(2026, 10, 21, 21, 5), 'Europe/Vilnius')).toBe('23:05');
  });

  it('Lithuanian: decimal comma, the euro sign after the amount, groups of three with a space', () => {
    const { format } = language('lt');
    expect(format.amount(1299, 'EUR')).toBe('12,99');
    expect(format.money(1299, 'EUR')).toBe('12,99 €');
    expect(format.money(5, 'EUR')).toBe('0,05 €');
    expect(format.money(123456, 'EUR')).toBe('1 234,56 €');
    expect(format.money(4_999_999, 'EUR')).toBe('49 999,99 €');
    expect(format.currency('EUR')).toBe('€');
    expect(format.dateTime(Date.UTC(2026, 10, 21, 22, 5), 'Europe/Vilnius')).toBe('2026-11-22 00:05');
    expect(format.time(Date.UTC(2026, 10, 21, 9, 5), 'UTC')).toBe('09:05');
  });

  it('Lithuanian nouns follow the number (1 stalas, 2 stalai, 10 stalų, 21 stalas)', () => {
    const waiting = (n: number): string => pick(language('lt').t.display.idle.tablesWaiting(n), 40);
    expect([1, 2, 9, 10, 11, 12, 20, 21, 22, 100].map(waiting)).toEqual([
      'Laukia 1 stalas',
      'Laukia 2 stalai',
      'Laukia 9 stalai',
      'Laukia 10 stalų',
      'Laukia 11 stalų',
      'Laukia 12 stalų',
      'Laukia 20 stalų',
      'Laukia 21 stalas',
      'Laukia 22 stalai',
      'Laukia 100 stalų',
    ]);
  });
});
