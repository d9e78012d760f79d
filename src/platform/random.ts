import { randomBytes } from 'node:crypto';

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

/** Random bytes fetched per call cost a syscall each; draws come from a pool refilled this often. */
const POOL_BYTES = 4096;
const ID_RANDOM_BYTES = 8;
/** `next()` uses 48 random bits: exact in a double, and `readUIntBE` reads at most 6 bytes. */
const FLOAT_RANDOM_BYTES = 6;
const FLOAT_SCALE = 2 ** 48;

/** crypto-backed randomness; ids are the wall time (base 32) then 64 random bits (hex). */
export class SystemRandom implements RandomSource {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(): number {
    const at = this.take(FLOAT_RANDOM_BYTES);
    return this.pool.readUIntBE(at, FLOAT_RANDOM_BYTES) / FLOAT_SCALE;
  }

  id(prefix: string): string {
    const at = this.take(ID_RANDOM_BYTES);
    const random = this.pool.toString('hex', at, at + ID_RANDOM_BYTES);
    const time = Date.now().toString(32).padStart(10, '0');
    return `${prefix}_${time}${random}`;
  }

  /** Reserves `n` unused bytes of the pool, refilling it first when too few are left; returns their offset. */
  private take(n: number): number {
    if (this.offset + n > this.pool.length) {
      this.pool = randomBytes(POOL_BYTES);
      this.offset = 0;
    }
    const at = this.offset;
    this.offset += n;
    return at;
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
