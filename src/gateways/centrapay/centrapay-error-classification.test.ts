import { describe, expect, it } from 'vitest';
import { decodePaymentRequest } from './centrapay-decoders.js';
import { classifyHttpError } from './centrapay-error-classification.js';
import { DecodeError } from '../http/response-decoding.js';

describe('Centrapay error classification', () => {
  it('an UPPER_SNAKE message is the code, lower-cased; prose falls back to the status', () => {
    expect(classifyHttpError(403, { statusCode: 403, error: 'Forbidden', message: 'REQUEST_PAID' }, 'POST', '/v', undefined)).toMatchObject({ code: 'request_paid', retryable: false, ambiguous: false });
    expect(classifyHttpError(401, { statusCode: 401, error: 'Unauthorized', message: 'Missing authentication' }, 'GET', '/g', undefined)).toMatchObject({ code: 'unauthorized', apiMessage: 'Missing authentication' });
    expect(classifyHttpError(400, { message: 'value.amount is required' }, 'POST', '/c', undefined)).toMatchObject({ code: 'bad_request' });
    expect(classifyHttpError(418, undefined, 'GET', '/g', undefined)).toMatchObject({ code: 'http_error', retryable: false });
  });

  it('5xx: server_error whatever the body says, ambiguous only on a write; 429 keeps Retry-After', () => {
    expect(classifyHttpError(502, { message: 'REQUEST_PAID' }, 'POST', '/c', undefined)).toMatchObject({ code: 'server_error', ambiguous: true, retryable: true });
    expect(classifyHttpError(500, undefined, 'GET', '/g', undefined)).toMatchObject({ ambiguous: false, retryable: true });
    expect(classifyHttpError(429, { message: 'RATE_LIMIT_EXCEEDED' }, 'GET', '/g', 3000)).toMatchObject({ code: 'rate_limit_exceeded', retryAfterMs: 3000, retryable: true });
    expect(classifyHttpError(403, { message: 'X' }, 'GET', '/g', 3000).retryAfterMs).toBeUndefined();
  });
});

describe('Centrapay payment request decoding', () => {
  const valid = {
    id: 'MhocUmpxxmgdHjr7DgKoKw',
    shortCode: 'CP-C7F-ZS5',
    url: 'https://app.centrapay.com/pay/MhocUmpxxmgdHjr7DgKoKw',
    status: 'new',
    value: { amount: '10000', currency: 'NZD' },
    createdAt: '2021-06-08T04:04:27.426Z',
    expiresAt: '2021-06-08T04:06:27.426Z',
    expirySeconds: 120,
    unknownField: true,
  };

  it('decodes the documented example and ignores unknown fields', () => {
    expect(decodePaymentRequest(valid)).toMatchObject({ id: valid.id, status: 'new', value: { amount: '10000', currency: 'NZD' }, expirySeconds: 120 });
  });

  it('reads a status outside the documented four as unknown, keeping the value', () => {
    expect(decodePaymentRequest({ ...valid, status: 'refunded' })).toMatchObject({ id: valid.id, status: 'unknown', reportedStatus: 'refunded' });
    expect(decodePaymentRequest(valid).reportedStatus).toBeUndefined();
  });

  it('refuses an empty status, a numeric or decimal amount, a missing url, a bad timestamp', () => {
    for (const broken of [
      { ...valid, status: '' },
      { ...valid, value: { amount: 10000, currency: 'NZD' } },
      { ...valid, value: { amount: '100.00', currency: 'NZD' } },
      { ...valid, url: undefined },
      { ...valid, expiresAt: 'soon' },
    ]) {
      expect(() => decodePaymentRequest(broken), JSON.stringify(broken)).toThrow(DecodeError);
    }
  });
});
