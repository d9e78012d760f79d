import { describe, expect, it } from 'vitest';
import { VARIATIONS } from './variations.js';

describe('the variation list', () => {
  it('every variation names its services, both answers and a public document (a URL)', () => {
    expect(new Set(VARIATIONS.map((v) => v.name)).size).toBe(VARIATIONS.length);
    for (const v of VARIATIONS) {
      expect(v.services.length, v.name).toBeGreaterThan(0);
      expect(v.answer, v.name).not.toBe('');
      expect(v.default, v.name).not.toBe('');
      expect(v.allowedBy, v.name).toMatch(/https:\/\//);
    }
  });
});
