import type { Clock } from './clock.js';

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * A Clock for tests: time moves only when the test calls `advance()`. Timers due within the
 * advanced span fire in order of due time (ties in order of creation), each seeing `monoMs()`
 * equal to its own due time, and microtasks queued by one timer run before the next fires.
 */
export class FakeClock implements Clock {
  private mono: number;
  private wall: number;
  private nextId = 1;
  private timers: PendingTimer[] = [];

  constructor(options: { wallMs?: number; monoMs?: number } = {}) {
    this.wall = options.wallMs ?? Date.UTC(2026, 10, 21, 12, 0, 0);
    this.mono = options.monoMs ?? 1_000;
  }

  wallMs(): number {
    return this.wall;
  }

  monoMs(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: PendingTimer = { id: this.nextId++, at: this.mono + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
    };
  }

  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Steps the wall clock alone, as NTP or a user setting the date would. */
  setWallMs(wallMs: number): void {
    this.wall = wallMs;
  }

  /** Moves both clocks forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.mono + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.wall += due.at - this.mono;
      this.mono = due.at;
      due.fn();
      await flushMicrotasks();
    }
    this.wall += target - this.mono;
    this.mono = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
