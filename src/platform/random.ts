import { randomBytes, randomInt } from 'node:crypto';

/**
 * Randomness, injected so that jitter and ids are deterministic in tests.
 *
 * Contract: `next()` returns a float in [0, 1); `id(prefix)` returns a string unique for the life
 * of the installation (time-ordered, so ids sort by creation), safe in URLs, JSON and SQL.
 */
export interface RandomSource {
  next(): number;
  id(prefix: string): string;
}

/** Random bytes fetched per call cost a syscall each; ids draw from a pool refilled this often. */
const ID_POOL_BYTES = 4096;
const ID_RANDOM_BYTES = 8;

/** crypto-backed randomness; ids are the wall time (base 32) then 64 random bits (hex). */
export class SystemRandom implements RandomSource {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(): number {
    return randomInt(0, 2 ** 48) / 2 ** 48;
  }

  id(prefix: string): string {
    if (this.offset + ID_RANDOM_BYTES > this.pool.length) {
      this.pool = randomBytes(ID_POOL_BYTES);
      this.offset = 0;
    }
    const random = this.pool.toString('hex', this.offset, this.offset + ID_RANDOM_BYTES);
    this.offset += ID_RANDOM_BYTES;
    const time = Date.now().toString(32).padStart(10, '0');
    return `${prefix}_${time}${random}`;
  }
}

/** Seeded randomness (mulberry32) for tests, the crash loop and the simulated customer. */
export class SeededRandom implements RandomSource {
  private state: number;
  private counter = 0;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  id(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter.toString().padStart(8, '0')}${Math.floor(this.next() * 2 ** 32).toString(16).padStart(8, '0')}`;
  }
}
