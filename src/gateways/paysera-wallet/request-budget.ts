import { sleep, type Clock } from '../../platform/clock.js';

export type RequestPriority = 'write' | 'poll';

/**
 * Keeps every Paysera call together within `perMinute` in ANY 60 s window (a sliding log, not a
 * token bucket, which would allow a burst on top of the rate). Polls on their own may use only
 * `pollShare` of the budget, so the rest is always there for writes and a confirm is never starved
 * by watchers; writes are not counted against the polls' share, so a busy counter does not stop
 * the polls that notice payments.
 *
 * Contract: `acquire()` resolves when the call may be made and records it; it waits on the
 * injected monotonic clock and rejects only when `signal` aborts.
 */
export class RequestBudget {
  private readonly clock: Clock;
  private readonly perMinute: number;
  private readonly pollShare: number;
  private readonly windowMs: number;
  private readonly sent: { at: number; priority: RequestPriority }[] = [];

  constructor(clock: Clock, perMinute: number, options: { pollShare?: number; windowMs?: number } = {}) {
    this.clock = clock;
    this.perMinute = perMinute;
    this.pollShare = options.pollShare ?? 0.8;
    this.windowMs = options.windowMs ?? 60_000;
  }

  private pollLimit(): number {
    return Math.max(1, Math.floor(this.perMinute * this.pollShare));
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0]?.at ?? 0) <= now - this.windowMs) this.sent.shift();
  }

  /** ms until the count of `entries` in the window drops under `limit` (0 if it is under). */
  private wait(entries: number[], limit: number, now: number): number {
    if (entries.length < limit) return 0;
    // The entry that must age out is the one that brings the count under the limit.
    const blocking = entries[entries.length - limit] ?? now;
    return Math.max(1, blocking + this.windowMs - now);
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
    const all = this.wait(this.sent.map((e) => e.at), this.perMinute, now);
    if (priority === 'write') return all;
    const polls = this.wait(this.sent.filter((e) => e.priority === 'poll').map((e) => e.at), this.pollLimit(), now);
    return Math.max(all, polls);
  }

  async acquire(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.msUntilAvailable(priority);
      if (wait === 0) {
        this.sent.push({ at: this.clock.monoMs(), priority });
        return;
      }
      await sleep(this.clock, wait, signal);
    }
  }
}
