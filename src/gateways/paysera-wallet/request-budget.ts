import { sleep, type Clock } from '../../platform/clock.js';

export type RequestPriority = 'write' | 'poll';

/**
 * Keeps every Paysera call together within `perMinute` in ANY 60 s window (a sliding log, not a
 * token bucket, which would allow a burst on top of the rate). Polls may use only part of the
 * budget; the rest is kept for writes, so a confirm is never starved by watchers.
 *
 * Contract: `acquire()` resolves when the call may be made and records it; it waits on the
 * injected monotonic clock and rejects only when `signal` aborts.
 */
export class RequestBudget {
  private readonly clock: Clock;
  private readonly perMinute: number;
  private readonly pollShare: number;
  private readonly windowMs: number;
  private readonly sent: number[] = [];

  constructor(clock: Clock, perMinute: number, options: { pollShare?: number; windowMs?: number } = {}) {
    this.clock = clock;
    this.perMinute = perMinute;
    this.pollShare = options.pollShare ?? 0.8;
    this.windowMs = options.windowMs ?? 60_000;
  }

  private limit(priority: RequestPriority): number {
    return priority === 'write' ? this.perMinute : Math.max(1, Math.floor(this.perMinute * this.pollShare));
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - this.windowMs) this.sent.shift();
  }

  /** Calls recorded in the last window. */
  used(): number {
    this.prune(this.clock.monoMs());
    return this.sent.length;
  }

  /** 0 when a call of this priority may go now, else ms until it may. */
  msUntilAvailable(priority: RequestPriority): number {
    const now = this.clock.monoMs();
    this.prune(now);
    const limit = this.limit(priority);
    if (this.sent.length < limit) return 0;
    // The call that must age out is the one that brings the count under the limit.
    const blocking = this.sent[this.sent.length - limit] ?? now;
    return Math.max(1, blocking + this.windowMs - now);
  }

  async acquire(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.msUntilAvailable(priority);
      if (wait === 0) {
        this.sent.push(this.clock.monoMs());
        return;
      }
      await sleep(this.clock, wait, signal);
    }
  }
}
