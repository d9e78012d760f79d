import { describe, expect, it } from 'vitest';
import { classifyScan } from './scan-classifier.js';

const ours = { locationId: 3 };

describe('classifyScan', () => {
  it('recognises our Paysera spot code and another location\'s', () => {
    expect(classifyScan('PAYSERA*3:TABLE1', ours)).toEqual({ kind: 'paysera-spot', code: 'PAYSERA*3:TABLE1', locationId: 3, identifier: 'TABLE1', ours: true });
    expect(classifyScan('PAYSERA*42:TABLE 7', ours)).toMatchObject({ kind: 'paysera-spot', locationId: 42, identifier: 'TABLE 7', ours: false });
    // No location configured: never ours.
    expect(classifyScan('PAYSERA*3:T1', { locationId: null })).toMatchObject({ kind: 'paysera-spot', ours: false });
  });

  it('unwraps the paysera.com/app?qr= form', () => {
    expect(classifyScan('https://paysera.com/app?qr=PAYSERA*3%3AT2', ours)).toMatchObject({ kind: 'paysera-spot', identifier: 'T2', ours: true });
  });

  it('rejects malformed spot codes', () => {
    for (const text of ['PAYSERA*:T1', 'PAYSERA*3:', 'PAYSERA*x:T1', 'paysera*3:T1', 'PAYSERA*3T1', `PAYSERA*3:${'X'.repeat(65)}`]) {
      expect(classifyScan(text, ours).kind, text).toBe('unknown');
    }
  });

  it('accepts reservation codes of 16 to 40 digits, not only 28', () => {
    expect(classifyScan('0155567464130298871198969060', ours)).toEqual({ kind: 'paysera-reservation', code: '0155567464130298871198969060' });
    expect(classifyScan('1'.repeat(16), ours).kind).toBe('paysera-reservation');
    expect(classifyScan('1'.repeat(40), ours).kind).toBe('paysera-reservation');
    expect(classifyScan('1'.repeat(15), ours).kind).toBe('unknown');
    expect(classifyScan('1'.repeat(41), ours).kind).toBe('unknown');
    expect(classifyScan('4006381333931', ours).kind).toBe('unknown'); // an EAN-13 product barcode
    expect(classifyScan('0155 5674 6413 0298', ours).kind).toBe('unknown');
  });

  it('recognises Centrapay URLs on centrapay hosts only, over https', () => {
    expect(classifyScan('https://app.centrapay.com/pay/WRhAxxWpTKb5U7pXyxQjjY', ours)).toEqual({
      kind: 'centrapay-url',
      url: 'https://app.centrapay.com/pay/WRhAxxWpTKb5U7pXyxQjjY',
      paymentRequestId: 'WRhAxxWpTKb5U7pXyxQjjY',
    });
    expect(classifyScan('https://service.centrapay.com/api/payment-requests/abc123/pay', ours)).toMatchObject({ kind: 'centrapay-url', paymentRequestId: 'abc123' });
    expect(classifyScan('https://app.centrapay.com/other', ours)).toMatchObject({ kind: 'centrapay-url', paymentRequestId: null });
    for (const text of [
      'http://app.centrapay.com/pay/x',
      'https://app.centrapay.com.evil.example/pay/x',
      'https://evilcentrapay.com/pay/x',
      'https://user@app.centrapay.com/pay/x',
      'https://app.centrapay.com:8443/pay/x',
      'https://example.com/pay/x',
    ]) {
      expect(classifyScan(text, ours).kind, text).toBe('unknown');
    }
  });

  it('calls anything else unknown', () => {
    expect(classifyScan('hello', ours)).toEqual({ kind: 'unknown' });
  });
});
