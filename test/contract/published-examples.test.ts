import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paidRequestMismatch, paymentsMismatch } from '../../src/domain/amount-check.js';
import { money } from '../../src/domain/money.js';
import { decodeActivity, decodePaymentRequest } from '../../src/gateways/centrapay/centrapay-decoders.js';
import { decodeOrder as decodePosOrder } from '../../src/gateways/paysera-pos/pos-decoders.js';
import { decodeOrder, decodeSpot, decodeSpotPage, decodeTransaction } from '../../src/gateways/paysera-wallet/wallet-decoders.js';

/**
 * An independent check: the answers the vendors publish as examples (not written in this
 * project, copied verbatim into test/fixtures/published-examples.json with their sources) decode
 * as the terminal needs them, and the terminal's amount check reads them as the sale they show.
 */

interface Examples {
  'paysera-wallet': Record<'getSpot' | 'getOrder' | 'listSpots' | 'createTransaction' | 'reserveTransaction' | 'confirmTransaction', unknown>;
  centrapay: Record<'createPaymentRequest' | 'getPaymentRequest' | 'payActivity', unknown>;
  'paysera-pos': Record<'getOrder', unknown>;
}

const published = JSON.parse(readFileSync(new URL('../fixtures/published-examples.json', import.meta.url), 'utf8')) as Examples;

describe("Paysera Wallet's published examples", () => {
  const examples = published['paysera-wallet'];

  it('the spot example (status "open", no location_id) and its order decode; the list example has one waiting spot without location_id', () => {
    expect(decodeSpot(examples.getSpot)).toMatchObject({ id: 1, status: 'opened', rawStatus: 'open', identifier: 'table1', locationId: undefined, orders: [{ id: 52 }, { id: 53 }] });
    expect(decodeOrder(examples.getOrder)).toEqual({ id: 52, transactionKey: 'Pu5CPePCkm3TJPlkcbcshzkIlxeLU3WR', status: 'pending', transaction: undefined });
    const page = decodeSpotPage(examples.listSpots);
    expect(page).toMatchObject({ total: 1, skipped: [], items: [{ id: 15, status: 'waiting', identifier: 'table1', locationId: undefined }] });
  });

  it('the cash-out create, reserve and confirm answers decode, and match a 12.99 EUR sale (not 12.98, not in another currency)', () => {
    const statuses = (['createTransaction', 'reserveTransaction', 'confirmTransaction'] as const).map((name) => {
      const tx = decodeTransaction(examples[name]);
      expect(tx.payments.map((p) => [p.price, p.currency])).toEqual([[1299, 'EUR']]);
      expect(paymentsMismatch(money(1299, 'EUR'), tx.payments)).toBeUndefined();
      expect(paymentsMismatch(money(1298, 'EUR'), tx.payments)).toBe('amount_mismatch: transaction 12.99 EUR, sale 12.98 EUR');
      expect(paymentsMismatch(money(1299, 'NZD'), tx.payments)).toMatch(/^amount_mismatch: /);
      return tx.status;
    });
    expect(statuses).toEqual(['new', 'reserved', 'confirmed']);
  });
});

describe("Centrapay's published QR-flow examples", () => {
  const examples = published.centrapay;

  it('the created and polled payment request decode (NZD 100.00) and a paid one with that value matches a 100.00 NZD sale only', () => {
    for (const name of ['createPaymentRequest', 'getPaymentRequest'] as const) {
      const request = decodePaymentRequest(examples[name]);
      expect(request).toMatchObject({ id: 'MhocUmpxxmgdHjr7DgKoKw', shortCode: 'CP-C7F-ZS5', status: 'new', value: { amount: '10000', currency: 'NZD' }, url: 'https://app.centrapay.com/pay/MhocUmpxxmgdHjr7DgKoKw' });
      expect(paidRequestMismatch(money(10000, 'NZD'), request.value, [])).toBeUndefined();
      expect(paidRequestMismatch(money(10000, 'EUR'), request.value, [])).toBe('amount_mismatch: request 100.00 NZD, sale 100.00 EUR');
    }
    expect(decodeActivity(examples.payActivity)).toEqual({ type: 'payment', paymentRequestId: 'MhocUmpxxmgdHjr7DgKoKw', value: { amount: '10000', currency: 'NZD' }, createdAt: '2021-06-08T04:04:27.426Z' });
  });
});

describe("Paysera POS's published get-order example", () => {
  it('decodes with money in cents and the payment type as its method', () => {
    expect(decodePosOrder(published['paysera-pos'].getOrder)).toEqual({
      id: '123e4567-e89b-12d3-a456-426614174000',
      number: 'ORD-2024-158',
      status: 'confirmed',
      currency: 'EUR',
      totalPriceMinor: 5499,
      createdAt: '2024-11-04T10:15:30Z',
      payments: [{ paymentMethod: 'card', amountMinor: 4999, status: 'completed' }],
    });
  });
});
