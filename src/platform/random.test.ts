import { describe, expect, it } from 'vitest';
import { SeededRandom, SystemRandom } from './random.js';

describe('SystemRandom', () => {
  // The outbox backoff draws jitter from next() on every failed attempt of the production
  // terminal: a throw here ends the process at the first network hiccup.
  it('next() returns floats in [0, 1) across several pool refills, never throwing', () => {
    const random = new SystemRandom();
    const draws = Array.from({ length: 3000 }, () => random.next());
    expect(draws.every((x) => Number.isFinite(x) && x >= 0 && x < 1)).toBe(true);
    // Spread over the range, not stuck: both halves and 2,990 or more distinct values.
    expect(draws.some((x) => x < 0.5)).toBe(true);
    expect(draws.some((x) => x >= 0.5)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(2990);
  });

  it('ids stay unique and well formed while next() shares their pool', () => {
    const random = new SystemRandom();
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      random.next();
      ids.add(random.id('op'));
    }
    expect(ids.size).toBe(2000);
    expect([...ids].every((id) => /^op_[0-9a-v]{10}[0-9a-f]{16}$/.test(id))).toBe(true);
  });
});

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });
});
