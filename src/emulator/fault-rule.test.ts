import { describe, expect, it } from 'vitest';
import { compilePathGlob, parseFaultRule } from './fault-rule.js';

describe('fault rules', () => {
  it('globs: * stays within a segment, ** crosses segments, the whole path must match', () => {
    const confirm = compilePathGlob('/rest/v1/transaction/*/confirm');
    expect(confirm.test('/rest/v1/transaction/abc/confirm')).toBe(true);
    expect(confirm.test('/rest/v1/transaction/a/b/confirm')).toBe(false);
    expect(confirm.test('/rest/v1/transaction/abc/confirm/x')).toBe(false);
    expect(compilePathGlob('/rest/v1/**').test('/rest/v1/spot/1/close')).toBe(true);
    expect(compilePathGlob('/rest/v1/spot.x').test('/rest/v1/spotax')).toBe(false);
  });

  it('parses and validates a rule', () => {
    expect(parseFaultRule({ kind: 'rateLimit', method: 'put', count: 3, retryAfterS: 2 })).toEqual({ kind: 'rateLimit', method: 'PUT', count: 3, retryAfterS: 2 });
    expect(() => parseFaultRule({ kind: 'refuse' })).toThrow(expect.objectContaining({ code: 'invalid_parameters' }));
    expect(() => parseFaultRule({ kind: 'reset', path: 'no-slash' })).toThrow();
    expect(() => parseFaultRule({ kind: 'reset', extra: 1 })).toThrow();
    expect(() => parseFaultRule({ kind: 'serverError', status: 404 })).toThrow();
  });
});
