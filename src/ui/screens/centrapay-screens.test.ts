import { describe, expect, it } from 'vitest';
import { language } from '../../i18n/messages.js';
import type { SaleRecord } from '../../store/types.js';
import { saleOutcome } from '../../domain/sale.js';
import type { Screen, UiContext } from '../ui-state.js';
import { renderState } from './index.js';
import { cancellable } from './waiting.js';

/** The Centrapay screens: the short code while waiting, cancelling (void), expired, declined. */

function sale(patch: Partial<SaleRecord> = {}): SaleRecord {
  return {
    id: 's1',
    kind: 'centrapay',
    state: 'awaiting_payment',
    amount: { minor: 250, currency: 'EUR' },
    paymentRequestId: 'pr_1',
    shortCode: 'CP-ABC-123',
    expirySeconds: 120,
    version: 2,
    createdWallMs: 0,
    updatedWallMs: 0,
    closedWallMs: undefined,
    ...patch,
  };
}

const ctx: UiContext = {
  lang: language('en'),
  wallMs: Date.UTC(2026, 10, 21, 9, 5, 0),
  timeZone: 'UTC',
  currency: 'EUR',
  maxAmountMinor: 50_000,
  tables: [],
  waiting: [],
  status: { online: true, queue: {}, needsHuman: 0, openSales: 0, clockSynced: true },
  printer: { state: 'ok' },
  scannerConnected: true,
  buzzer: undefined,
  openSales: [],
};

const text = (screen: Screen, width: number): string[] => [...renderState({ screen, ctx, flash: undefined }, width)].map((l) => l.trimEnd());

const result = (s: SaleRecord, width: number): string[] => {
  const kind = saleOutcome(s);
  if (kind === undefined) throw new Error('no outcome');
  return text({ name: 'result', outcome: { kind, sale: s } } as Screen, width).map((l) => l.trim());
};

describe('Centrapay screens', () => {
  it('waiting shows the short code once the request exists, with the cancel hint where it fits', () => {
    expect(text({ name: 'waiting', sale: sale() }, 16)).toEqual(['Centrapay   2.50', 'Code CP-ABC-123']);
    expect(text({ name: 'waiting', sale: sale({ shortCode: 'CP-ABCDEF-12345' }) }, 16)[1]).toBe('CP-ABCDEF-12345');
    expect(text({ name: 'waiting', sale: sale() }, 20)).toEqual(['Centrapay       2.50', 'Code CP-ABC-123']);
    expect(text({ name: 'waiting', sale: sale() }, 26)[1]).toBe('Code CP-ABC-123  D cancel');
    expect(text({ name: 'waiting', sale: sale({ state: 'created', shortCode: undefined, paymentRequestId: undefined }) }, 16)[1]).toBe('Awaiting payment');
    expect(text({ name: 'waiting', sale: sale({ state: 'voiding', declineReason: 'staff' }) }, 16)[1]).toBe('Cancelling...');
  });

  it('D may cancel while the customer has not paid', () => {
    expect(cancellable(sale())).toBe(true);
    expect(cancellable(sale({ state: 'created' }))).toBe(true);
    expect(cancellable(sale({ state: 'voiding' }))).toBe(false);
    expect(cancellable(sale({ state: 'paid' }))).toBe(false);
  });

  it('results: paid, expired (either expiry), declined with the reason, refused, staff cancel', () => {
    expect(result(sale({ state: 'paid' }), 16)[0]).toBe('PAID 2.50 EUR');
    expect(result(sale({ state: 'expired', declineReason: 'expired' }), 16)).toEqual(['EXPIRED 2.50 EUR', 'Payment expired']);
    expect(result(sale({ state: 'expired', declineReason: 'deadline' }), 16)).toEqual(['EXPIRED 2.50 EUR', 'Payment expired']);
    expect(result(sale({ state: 'cancelled', declineReason: 'PAYMENT_DECLINED' }), 16)).toEqual(['CANCELLED 2.50', 'Customer said no']);
    expect(result(sale({ state: 'cancelled', declineReason: 'create_failed:unauthorized' }), 20)[1]).toBe('Centrapay refused');
    // 403 NO_AVAILABLE_PAYMENT_OPTIONS: the merchant config takes no payment in this currency.
    expect(result(sale({ state: 'cancelled', declineReason: 'create_failed:no_available_payment_options' }), 20)[1]).toBe('EUR not accepted');
    expect(result(sale({ state: 'cancelled', declineReason: 'create_failed:no_available_payment_options' }), 16)[1]).toBe('EUR not accepted');
    expect(result(sale({ state: 'cancelled', declineReason: 'staff' }), 16)).toEqual(['CANCELLED 2.50', 'Centrapay']);
  });
});
