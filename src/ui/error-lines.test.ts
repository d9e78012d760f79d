import { describe, expect, it } from 'vitest';
import { RESERVE_BAD_CODE_CODES, RESERVE_DECLINE_CODES } from '../domain/reserve-errors.js';
import { language } from '../i18n/messages.js';
import { cancelReasonLine, declineLine, errorCode, errorLine, printerLine } from './error-lines.js';

const t = language('en').t.display;
import { fits, pick, type Text } from './text.js';

const ENGINE_CODES = ['table_unknown', 'table_not_waiting', 'table_busy', 'invalid_amount', 'invalid_code', 'sale_not_found', 'wrong_sale_kind', 'wrong_sale_state', 'cancel_too_late', 'not_started', 'no_receipt'];
const PRINTER_CODES = ['printer_paper_out', 'printer_offline', 'printer_connection_lost', 'printer_timeout', 'printer_permission_denied', 'printer_write_failed', 'printer_new_code'];

function all(): [string, Text][] {
  return [
    ...ENGINE_CODES.map((code): [string, Text] => [code, errorLine({ code }, t)]),
    ...PRINTER_CODES.map((code): [string, Text] => [code, printerLine(code, t)]),
    ...[...RESERVE_DECLINE_CODES, ...RESERVE_BAD_CODE_CODES, 'something_new', undefined].map((code): [string, Text] => [`decline ${code}`, declineLine(code, t)]),
    ...['rejected', 'expired', 'order_refused:spot_closed'].map((reason): [string, Text] => [`cancel ${reason}`, cancelReasonLine(reason, t) ?? '']),
    ['no code', errorLine(new Error('boom'), t)],
  ];
}

describe('messages', () => {
  it('every line has a variant that fits 16 columns uncut, and the 20-column pick fits 20', () => {
    for (const [name, text] of all()) {
      expect(fits(text, 16), name).toBe(true);
      expect(pick(text, 20).length, name).toBeLessThanOrEqual(20);
    }
  });

  it('maps codes, not messages', () => {
    expect(pick(errorLine({ code: 'table_not_waiting', message: 'whatever' }, t), 20)).toBe('No customer at table');
    expect(pick(errorLine(new Error('table_not_waiting'), t), 16)).toBe('Error: try again');
    expect(pick(declineLine('not_enough_funds', t), 20)).toBe('Code declined: funds');
    expect(pick(declineLine('not_enough_funds', t), 16)).toBe('Declined: funds');
    expect(pick(errorLine({ code: 'printer_paper_out' }, t), 20)).toBe('Printer: paper out');
    expect(pick(errorLine({ code: 'printer_brand_new' }, t), 16)).toBe('Printer: check');
  });

  it('every refusal of a menu print has its own line in every language, never the generic one', () => {
    for (const code of ['no_receipt', 'receipt_pending', 'copy_pending', 'report_pending', 'no_tables']) {
      for (const lang of ['en', 'lt'] as const) {
        const display = language(lang).t.display;
        expect(errorLine({ code }, display), `${lang} ${code}`).not.toEqual(display.errors.other);
      }
    }
  });

  it('a staff cancel needs no reason line', () => {
    expect(cancelReasonLine(undefined, t)).toBeUndefined();
    expect(cancelReasonLine('cancelled', t)).toBeUndefined();
    expect(cancelReasonLine('staff', t)).toBeUndefined();
    expect(cancelReasonLine('expired', t)).toEqual(['Payment expired', 'Payment expired']);
    expect(cancelReasonLine('rejected', t)).toEqual(['Customer declined', 'Customer said no']);
  });

  it('errorCode reads a string code from anything', () => {
    expect(errorCode({ code: 'x' })).toBe('x');
    expect(errorCode({ code: 5 })).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
    expect(errorCode('table_busy')).toBeUndefined();
  });
});
