import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';
import { backoffCeilingMs, fullJitterMs, retryDelayMs } from './backoff.js';

const params = { baseMs: 1000, capMs: 60_000 };

describe('backoff', () => {
  it('the ceiling doubles from base and stops at the cap, without overflow', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeilingMs(n, params))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(backoffCeilingMs(10_000, params)).toBe(60_000);
    expect(backoffCeilingMs(-3, params)).toBe(1000);
  });

  it('full jitter stays in [0, ceiling) and spreads over the whole range (seeded)', () => {
    const random = new SeededRandom(2026);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeilingMs(attempt, params);
      const samples = Array.from({ length: 400 }, () => fullJitterMs(attempt, params, random));
      for (const d of samples) {
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
      // Full, not equal, jitter: both ends of the range are used.
      expect(Math.min(...samples)).toBeLessThan(ceiling * 0.1);
      expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.9);
    }
  });

  it('is deterministic for a seed', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    expect(Array.from({ length: 10 }, (_, i) => fullJitterMs(i, params, a))).toEqual(Array.from({ length: 10 }, (_, i) => fullJitterMs(i, params, b)));
  });

  it('Retry-After is a floor, bounded by its own cap', () => {
    const random = new SeededRandom(1);
    for (let i = 0; i < 100; i++) expect(retryDelayMs(0, params, random, 30_000)).toBe(30_000);
    expect(retryDelayMs(0, { ...params, retryAfterCapMs: 5_000 }, random, 3_600_000)).toBeLessThanOrEqual(5_000);
    expect(retryDelayMs(0, params, random, 3_600_000)).toBe(600_000);
    // Garbage is ignored, plain jitter applies.
    expect(retryDelayMs(0, params, random, Number.NaN)).toBeLessThan(1000);
  });
});
