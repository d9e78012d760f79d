import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from './garbage-collection.js';

describe('collectGarbage', () => {
  const global = globalThis as { gc?: unknown };
  const original = global.gc;
  afterEach(() => {
    if (original === undefined) delete global.gc;
    else global.gc = original;
  });

  it('calls the gc node exposes with --expose-gc, once, and says so', () => {
    let calls = 0;
    global.gc = () => (calls += 1);
    expect(collectGarbage()).toBe(true);
    expect(calls).toBe(1);
  });

  it('does nothing without --expose-gc', () => {
    delete global.gc;
    expect(collectGarbage()).toBe(false);
  });
});
