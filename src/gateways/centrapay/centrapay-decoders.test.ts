import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePaymentRequestPage } from './centrapay-decoders.js';

/** Centrapay's own documented example answer of the external-ref lookup, verbatim. */
const documented = JSON.parse(readFileSync(new URL('../../../test/fixtures/centrapay-external-ref-example.json', import.meta.url), 'utf8')) as { response: unknown };

describe('the external-ref lookup page', () => {
  it('decodes the documented example verbatim: an item without shortCode, the cursor named pageKey', () => {
    const page = decodePaymentRequestPage(documented.response);
    expect(page.nextPageKey).toBe('12312312');
    expect(page.items).toEqual([
      expect.objectContaining({
        id: 'MhocUmpxxmgdHjr7DgKoKw',
        url: 'https://app.centrapay.com/pay/MhocUmpxxmgdHjr7DgKoKw',
        shortCode: undefined,
        status: 'new',
        value: { amount: '8991', currency: 'NZD' },
        expiresAt: '2021-06-08T04:06:27.426Z',
        liveness: 'test',
      }),
    ]);
  });

  it('reads an item without expiresAt, shortCode and url (a summary), to be read in full by id', () => {
    const { expiresAt: _expiresAt, url: _url, ...item } = (documented.response as { items: Record<string, unknown>[] }).items[0] ?? {};
    const page = decodePaymentRequestPage({ items: [item] });
    expect(page.items[0]).toMatchObject({ id: 'MhocUmpxxmgdHjr7DgKoKw', status: 'new', expiresAt: undefined, url: undefined, shortCode: undefined });
  });

  it('reads the cursor as nextPageKey too (the pagination page), none on the last page; an item it cannot read still fails the page', () => {
    const item = (documented.response as { items: unknown[] }).items[0];
    expect(decodePaymentRequestPage({ items: [item], nextPageKey: 'abc' }).nextPageKey).toBe('abc');
    expect(decodePaymentRequestPage({ items: [item] }).nextPageKey).toBeUndefined();
    // A partial answer must not look like "not created": the lookup decides whether to create again.
    expect(() => decodePaymentRequestPage({ items: [item, { id: 'x', status: 'new' }] })).toThrow(/items\.1\./);
  });
});
