import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/platform/fake-clock.js';
import { SeededRandom } from '../../src/platform/random.js';
import { Store, type StoreOptions } from '../../src/store/store.js';

/** A fresh data directory and a Store on it with a FakeClock; `cleanup()` removes both. */
export function tempStore(overrides: Partial<StoreOptions> = {}): {
  dir: string;
  clock: FakeClock;
  random: SeededRandom;
  make: (more?: Partial<StoreOptions>) => Store;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-store-'));
  const clock = new FakeClock();
  const random = new SeededRandom(7);
  const opened: Store[] = [];
  const make = (more: Partial<StoreOptions> = {}): Store => {
    const store = new Store({ dataDir: dir, clock, random, bootId: 'test-boot', ...overrides, ...more });
    opened.push(store);
    return store;
  };
  const cleanup = (): void => {
    for (const store of opened) store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, clock, random, make, cleanup };
}
